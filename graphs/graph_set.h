// A graph set: data sets (each with its source and filters) and the charts
// drawn from them, saved as a readable JSON file (docs/graphs.md). The
// Dashboard reads the same format.
#pragma once

#include "data_set.h"
#include "filters.h"

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QVector>

namespace tapgraphs {

struct DataSetSpec {
    enum class Source { Printf, Regex, Histogram, Stacks };
    QString name;
    Source source = Source::Printf;
    int formatId = -1;       // Printf: the format id (stable for one script text) ...
    QString format;          // ... or the format text, which survives script edits
    QString regex;           // Regex: one line of `out`/`printf` text, one column per group
    QString statistic;       // Histogram: the statistic's name ("" = any)
    QVector<Column> columns; // names (renames) and, for Regex, types
    int capacity = kDefaultCapacity;
    QVector<Filter> filters;
    bool history = false; // Histogram: each print adds rows (heat maps) instead of replacing them

    QJsonObject toJson() const;
    static DataSetSpec fromJson(const QJsonObject& o);
};

struct ChartSpec {
    enum class Type { Line, Area, Bar, StackedBar, Scatter, Pie, Histogram, Table, Flame, HeatMap };
    enum class Aggregate { Last, Sum, Average, Max, Count };
    QString title;
    Type type = Type::Line;
    QString dataSet;
    QStringList
        values;        // y columns (line, area, scatter, bar); one value for pie and per-key charts
    QString key;       // per-key series (line, area, scatter) or categories (bar, pie)
    int topKeys = 0;   // only the N keys with the largest sums (0: all)
    bool rate = false; // values become their change per second
    qint64 bucketMs = 0;                   // > 0: one point per bucket of this many ms ...
    bool bucketAverage = false;            // ... with the average instead of the sum
    Aggregate aggregate = Aggregate::Last; // bar, pie: a key's value
    bool latestBatch = true;               // bar, pie: only the rows of the last print burst
    double windowSeconds = 60;             // x range shown while following the live edge
    // flame: the samples of the last windowSeconds only (else all so far),
    // drawn as an icicle (root at the top) instead of a flame.
    // comparePrevious: a differential view of the window against the one before.
    bool slidingWindow = false;
    bool icicle = false;
    bool comparePrevious = false;
    // heatMap: y buckets of powers of two, or yBucket wide; colours by the
    // log of the count.
    bool yLinear = false;
    double yBucket = 0;
    bool logColors = false;
    int row = 0, column = 0;               // place in the session's grid

    QJsonObject toJson() const;
    static ChartSpec fromJson(const QJsonObject& o);
    // The same chart after columns of its data set were renamed (old → new).
    ChartSpec withColumnsRenamed(const QHash<QString, QString>& renames) const;
};

QString chartTypeName(ChartSpec::Type type);

struct GraphSet {
    QString script; // informational: the script it was made for
    QVector<DataSetSpec> dataSets;
    QVector<ChartSpec> charts;

    QJsonObject toJson() const;
    static GraphSet fromJson(const QJsonObject& o);
    bool save(const QString& path, QString* error = nullptr) const;
    static GraphSet load(const QString& path, QString* error = nullptr);
    const DataSetSpec* dataSet(const QString& name) const;
};

} // namespace tapgraphs
