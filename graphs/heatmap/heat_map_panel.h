// A latency heat map chart of a data set, live: from (time, latency) rows
// of a printf data set (the chart's first value column is the latency), or
// from a histogram data set that keeps each print (`history`). Its window
// follows the live edge (windowSeconds, columns bucketMs wide); refresh()
// computes the grid off the UI thread and skips while one still computes.
// A click on a cell lists its rows below the map.
#pragma once

#include "data_set.h"
#include "graph_set.h"
#include "heat_grid.h"

#include <QFutureWatcher>
#include <QWidget>

#include <functional>
#include <memory>

class QLabel;
class QTableWidget;

namespace tapgraphs {

class HeatMapView;

struct HeatData {
    HeatGrid grid;
    Table rows; // what the grid was made of (a cell's rows come from here)
};

class HeatMapPanel : public QWidget {
    Q_OBJECT
  public:
    HeatMapPanel(const ChartSpec& spec, const DataSetSpec& dataSpec,
                 std::function<std::shared_ptr<DataSet>()> dataSet, QWidget* parent = nullptr);
    ~HeatMapPanel() override;

    const ChartSpec& spec() const { return spec_; }
    void refresh();
    HeatMapView* view() const { return view_; }
    QTableWidget* cellRows() const { return cellRows_; }
    void showCell(int column, int row); // what a click on the cell does

  signals:
    void drawn();

  private:
    bool fromHistograms() const { return dataSpec_.source == DataSetSpec::Source::Histogram; }
    ChartSpec spec_;
    DataSetSpec dataSpec_;
    std::function<std::shared_ptr<DataSet>()> dataSet_;
    HeatMapView* view_;
    QLabel* status_;
    QTableWidget* cellRows_;
    QFutureWatcher<HeatData> watcher_;
    HeatData last_;
};

} // namespace tapgraphs
