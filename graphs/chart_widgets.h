// The widget that draws one chart of a graph set, live from a session's
// data, and its redraw: one place for the Graph perspective and the
// Dashboard, so every chart type a graph set can name draws in both.
#pragma once

#include "graph_set.h"

#include <memory>

class QWidget;

namespace tapgraphs {

class SessionData;

// A ChartPanel, TablePanel, FlamePanel or HeatMapPanel for `spec`, reading
// its data set from `data` at each refresh.
QWidget* makeChartWidget(const ChartSpec& spec, const std::shared_ptr<SessionData>& data);

// Redraws a widget made by makeChartWidget from its data set's rows.
void refreshChartWidget(QWidget* widget);

} // namespace tapgraphs
