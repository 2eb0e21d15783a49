// What a chart draws, computed from a filtered snapshot off the UI thread:
// x/y series for line, area and scatter charts (cut to the visible time
// range and thinned to XRange::maxPoints), categories and value sets
// for bar, pie and histogram charts.
#pragma once

#include "data_table.h"
#include "graph_set.h"

#include <QPointF>
#include <QStringList>

namespace tapgraphs {

struct XySeries {
    QString name;
    QVector<QPointF> points; // x in seconds since the session started
};

struct ValueSet {
    QString name;
    QVector<double> values; // one per category
};

struct ChartData {
    QVector<XySeries> series;
    QStringList categories;
    QString categoryTitle; // what a category is, when the data does not say
    QVector<ValueSet> sets;
    double xMin = 0, xMax = 0, yMin = 0, yMax = 0;
    int rows = 0; // rows of the filtered data set
};

inline constexpr int kMaxPointsPerSeries = 2000;

struct XRange {
    bool followLiveEdge = true; // else [from, to] as the user zoomed or panned
    double from = 0, to = 0;
    // Points a series keeps: a few per pixel of the plot show every peak,
    // more only cost drawing time.
    int maxPoints = kMaxPointsPerSeries;
};

ChartData computeChart(const ChartSpec& spec, const Table& filtered, const XRange& range = {});

// The rows of the last print burst: back from the last row while rows are
// less than `gapNs` apart (a periodic probe prints its table in one burst).
Table latestBatch(const Table& table, qint64 gapNs = 100'000'000);

// At most maxPoints points: the first, min and max of each x bucket, and the last.
QVector<QPointF> thinned(const QVector<QPointF>& points, int maxPoints);

} // namespace tapgraphs
