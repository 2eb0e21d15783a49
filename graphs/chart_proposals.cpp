#include "chart_proposals.h"

#include "format_columns.h"
#include "printf_arguments.h"

#include <QRegularExpression>

namespace tapgraphs {

QString formatLabel(const QString& format) {
    QString s = format.trimmed();
    s.replace('\n', ' ').replace('\t', ' ');
    return s.simplified();
}

QVector<Proposal> proposeCharts(const QVector<PrintfFormat>& formats, const QString& scriptText) {
    QVector<Proposal> out;
    for (const PrintfFormat& f : formats) {
        if (!f.stackArgs.isEmpty()) { // stacks with counts: a flame graph
            Proposal p;
            p.dataSet.name = QString("stacks, line %1").arg(f.line);
            p.dataSet.source = DataSetSpec::Source::Stacks;
            p.dataSet.formatId = f.id;
            p.dataSet.format = f.format;
            p.chart.dataSet = p.dataSet.name;
            p.chart.type = ChartSpec::Type::Flame;
            p.chart.title = QObject::tr("Flame graph");
            p.description = QObject::tr("Flame graph of the stacks printed at line %1").arg(f.line);
            out.push_back(p);
            continue;
        }
        QVector<Column> cols = columnsFromFormat(f.format, f.argTypes);
        // Columns the format leaves unnamed take the name of their argument.
        QStringList arguments = printfArguments(scriptText, f.line);
        QStringList used;
        for (const Column& c : cols)
            used << c.name;
        bool renamed = false;
        for (int i = 0; i < cols.size() && arguments.size() == cols.size(); ++i) {
            QString name = nameForArgument(arguments[i]);
            if (!cols[i].name.startsWith("value ") || name.isEmpty() || used.contains(name))
                continue;
            used[i] = cols[i].name = name;
            renamed = true;
        }
        QStringList longs, strings;
        for (const Column& c : cols)
            (c.type == ColumnType::Long ? longs : strings) << c.name;
        if (longs.isEmpty()) continue; // headers and messages: nothing to plot
        Proposal p;
        p.dataSet.name = QString("line %1: %2").arg(f.line).arg(formatLabel(f.format));
        p.dataSet.source = DataSetSpec::Source::Printf;
        p.dataSet.formatId = f.id;
        p.dataSet.format = f.format;
        if (renamed) p.dataSet.columns = cols;
        p.chart.dataSet = p.dataSet.name;
        if (!strings.isEmpty()) {
            p.chart.type = ChartSpec::Type::Bar;
            p.chart.key = strings.first();
            p.chart.values = {longs.last()};
            p.chart.aggregate = ChartSpec::Aggregate::Sum;
            p.chart.latestBatch = true;
            p.chart.topKeys = 10;
            p.chart.title = QObject::tr("%1 by %2").arg(longs.last(), strings.first());
            p.description = QObject::tr("Bar chart of %1 by %2 (line %3)")
                                .arg(longs.last(), strings.first())
                                .arg(f.line);
        } else if (!f.host.isEmpty()) { // tstap --remote: one series per host
            p.chart.type = ChartSpec::Type::Line;
            p.chart.key = "host";
            p.chart.values = {longs.first()};
            p.chart.title = QObject::tr("%1 per host").arg(longs.first());
            p.description = QObject::tr("Line chart of %1 over time, one series per host (line %2)")
                                .arg(longs.first())
                                .arg(f.line);
        } else {
            p.chart.type = ChartSpec::Type::Line;
            p.chart.values = longs;
            p.chart.title = longs.join(", ");
            p.description = QObject::tr("Line chart of %1 over time (line %2)")
                                .arg(longs.join(", "))
                                .arg(f.line);
        }
        out.push_back(p);
    }
    static const QRegularExpression printsHistogram(
        R"(print\w*\s*\(\s*@hist_(log|linear)\s*\(\s*(\w+))");
    auto it = printsHistogram.globalMatch(scriptText);
    QStringList seen;
    while (it.hasNext()) {
        QString statistic = it.next().captured(2);
        if (seen.contains(statistic)) continue;
        seen << statistic;
        Proposal p;
        p.dataSet.name = "histogram " + statistic;
        p.dataSet.source = DataSetSpec::Source::Histogram;
        p.dataSet.statistic = statistic;
        p.chart.dataSet = p.dataSet.name;
        p.chart.type = ChartSpec::Type::Histogram;
        p.chart.values = {"count"};
        p.chart.title = QObject::tr("Histogram of %1").arg(statistic);
        p.description =
            QObject::tr("Histogram of %1 each time the script prints it").arg(statistic);
        out.push_back(p);
    }
    return out;
}

GraphSet graphSetFrom(const QVector<Proposal>& accepted, const QString& script) {
    GraphSet g;
    g.script = script;
    int i = 0;
    for (Proposal p : accepted) {
        p.chart.row = i / 2;
        p.chart.column = i % 2;
        ++i;
        g.dataSets.push_back(p.dataSet);
        g.charts.push_back(p.chart);
    }
    return g;
}

} // namespace tapgraphs
