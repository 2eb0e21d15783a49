// The live table of a data set: its newest rows (at most 1,000) after the
// data set's filters, refreshed like the charts (off the UI thread, skipped
// while the last refresh still computes).
#pragma once

#include "data_set.h"
#include "graph_set.h"

#include <QFutureWatcher>
#include <QWidget>

#include <functional>
#include <memory>

class QLabel;
class QTableView;

namespace tapgraphs {

class TableModel;

class TablePanel : public QWidget {
    Q_OBJECT
  public:
    TablePanel(const ChartSpec& spec, const DataSetSpec& dataSpec,
               std::function<std::shared_ptr<DataSet>()> dataSet, QWidget* parent = nullptr);
    ~TablePanel() override;
    const ChartSpec& spec() const { return spec_; }
    void refresh();
    QTableView* view() const { return view_; }
    int shownRows() const;

  signals:
    void drawn();
    void editRequested(); // the Edit… button

  private:
    ChartSpec spec_;
    DataSetSpec dataSpec_;
    std::function<std::shared_ptr<DataSet>()> dataSet_;
    TableModel* model_;
    QTableView* view_;
    QLabel* title_;
    QFutureWatcher<Table> watcher_;
};

} // namespace tapgraphs
