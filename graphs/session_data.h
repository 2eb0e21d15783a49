// The data of one running script: the graph set's data sets, filled from
// the session's records. printf records go to the data set bound to their
// format id, out/printf text to regex data sets, histogram records to
// histogram data sets. handle() runs on the session's reader thread; the
// data sets are shared with the charts (each has its own lock).
#pragma once

#include "data_set.h"
#include "graph_set.h"
#include "stack_data_set.h"
#include "run_protocol.h"

#include <QHash>
#include <QJsonArray>
#include <QMutex>
#include <QRegularExpression>

#include <memory>

namespace tapgraphs {

// A printf site of the script, from the `formats` record.
struct PrintfFormat {
    int id = -1;
    QString format;
    QStringList argTypes;
    QString probe;
    int line = 0;
    QHash<int, bool> stackArgs; // arguments that print stacks → whether a user stack
    QString host;               // tstap --remote: the host that sent it ("" = this machine)
};
QVector<PrintfFormat> formatsFromRecord(const QJsonObject& formatsRecord);

class SessionData {
  public:
    explicit SessionData(const GraphSet& set);

    GraphSet graphSet() const;
    // Adds data sets and charts during a run (the wizard's proposals arrive
    // after the formats); printf data sets bind to the formats seen so far.
    void add(const GraphSet& more);
    // A data set's new filters, capacity and column names; charts follow the
    // renames. Returns the renames (old name → new name).
    QHash<QString, QString> updateDataSet(const DataSetSpec& spec);
    void replaceChart(const ChartSpec& old, const ChartSpec& now);
    // Thread-safe: handle() may add data sets while a chart asks for one.
    std::shared_ptr<DataSet> dataSet(const QString& name) const;
    std::shared_ptr<StackDataSet> stackDataSet(const QString& name) const;
    QVector<PrintfFormat> formats() const;

    void handle(const taprun::RunEvent& event);
    // Parses JSON lines (as tstap --json writes them) and handles each record.
    void feed(const QByteArray& bytes);
    qint64 records() const;

  private:
    void bindFormats(const QVector<PrintfFormat>& formats);
    void createDataSet(const DataSetSpec& spec); // under lock_
    void bindPrintfSet(const DataSetSpec& spec); // under lock_
    void bindStackSet(const DataSetSpec& spec);  // under lock_
    const PrintfFormat* boundFormat(const DataSetSpec& spec) const;
    void addStacks(const taprun::RunEvent& printf); // under lock_
    void addRegexLines(qint64 ts, const QString& text);
    void addHistogram(const QJsonObject& record);

    GraphSet set_;
    taprun::RunProtocol protocol_;
    mutable QMutex lock_;
    QHash<QString, std::shared_ptr<DataSet>> byName_;
    QHash<int, QVector<std::shared_ptr<DataSet>>> byFormat_;
    struct RegexSet {
        QRegularExpression re;
        std::shared_ptr<DataSet> set;
    };
    QVector<RegexSet> regexSets_;
    struct HistogramSet {
        QString statistic;
        bool history;
        std::shared_ptr<DataSet> set;
    };
    QVector<HistogramSet> histogramSets_;
    struct StackSet {
        QHash<int, bool> stackArgs;
        std::shared_ptr<StackDataSet> set;
    };
    QHash<int, QVector<StackSet>> stacksByFormat_;
    QHash<QString, std::shared_ptr<StackDataSet>> stackSetsByName_;
    QVector<PrintfFormat> formats_;
    // tstap --remote: records name their host; printf data sets get a last
    // column "host", so a chart splits a series per host by that key.
    bool fromHosts_ = false;
    qint64 records_ = 0;
};

} // namespace tapgraphs
