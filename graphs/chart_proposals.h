// The "Run with graphs" wizard's proposals: for each printf format of the
// script, a data set and a chart. Numbers only → a line chart over time;
// a string with numbers (key/value lines such as "Xorg(2108) = 17") → a bar
// chart of the last burst, largest first (numbers only from several
// --remote hosts → a line per host); stacks (sprint_stack() & co.) → a
// flame graph; histograms the script prints → a histogram chart.
#pragma once

#include "graph_set.h"
#include "session_data.h"

namespace tapgraphs {

struct Proposal {
    DataSetSpec dataSet;
    ChartSpec chart;
    QString description; // one line for the wizard's list
};

QVector<Proposal> proposeCharts(const QVector<PrintfFormat>& formats, const QString& scriptText);

// The accepted proposals as a graph set, charts placed in a grid two wide.
GraphSet graphSetFrom(const QVector<Proposal>& accepted, const QString& script);

// A format as one readable line: "\n" shown as ⏎ is dropped at the end.
QString formatLabel(const QString& format);

} // namespace tapgraphs
