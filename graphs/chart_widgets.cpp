#include "chart_widgets.h"

#include "chart_panel.h"
#include "flame_panel.h"
#include "heat_map_panel.h"
#include "session_data.h"
#include "table_panel.h"

namespace tapgraphs {

QWidget* makeChartWidget(const ChartSpec& spec, const std::shared_ptr<SessionData>& data) {
    const DataSetSpec* ds = data->graphSet().dataSet(spec.dataSet);
    DataSetSpec dataSpec = ds ? *ds : DataSetSpec{};
    auto find = [data, name = spec.dataSet] { return data->dataSet(name); };
    switch (spec.type) {
    case ChartSpec::Type::Flame:
        return new FlamePanel(spec, [data, name = spec.dataSet] { return data->stackDataSet(name); });
    case ChartSpec::Type::HeatMap:
        return new HeatMapPanel(spec, dataSpec, find);
    case ChartSpec::Type::Table:
        return new TablePanel(spec, dataSpec, find);
    default:
        return new ChartPanel(spec, dataSpec, find);
    }
}

void refreshChartWidget(QWidget* widget) {
    if (auto* c = qobject_cast<ChartPanel*>(widget))
        c->refresh();
    else if (auto* t = qobject_cast<TablePanel*>(widget))
        t->refresh();
    else if (auto* f = qobject_cast<FlamePanel*>(widget))
        f->refresh();
    else if (auto* h = qobject_cast<HeatMapPanel*>(widget))
        h->refresh();
}

} // namespace tapgraphs
