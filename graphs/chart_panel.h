// One chart of a session: a Qt Charts view of a data set drawn as its
// ChartSpec says. refresh() (called at most 10 times a second) snapshots and
// computes off the UI thread and draws the result when it is ready; a
// refresh while one is still computing is skipped, so a slow chart never
// stalls the event loop. The x axis follows the live edge until the user
// zooms (rubber band, wheel) or pans (drag, arrow keys); Follow resumes.
#pragma once

#include "chart_data.h"
#include "data_set.h"
#include "graph_set.h"

#include <QFutureWatcher>
#include <QWidget>

#include <functional>
#include <memory>

class QChart;
class QChartView;
class QLabel;
class QToolButton;

namespace tapgraphs {

class ChartPanel : public QWidget {
    Q_OBJECT
  public:
    // `dataSet` returns the chart's data set once it exists (printf data sets
    // appear when the script's formats arrive).
    ChartPanel(const ChartSpec& spec, const DataSetSpec& dataSpec,
               std::function<std::shared_ptr<DataSet>()> dataSet, QWidget* parent = nullptr);
    ~ChartPanel() override;

    const ChartSpec& spec() const { return spec_; }
    void refresh();
    bool following() const { return range_.followLiveEdge; }
    void setFollowing(bool follow);
    QChart* chart() const { return chart_; }
    QChartView* view() const { return view_; }
    int drawnRows() const { return lastData_.rows; }
    const ChartData& lastData() const { return lastData_; }

    bool exportPng(const QString& path) const;
    bool exportSvg(const QString& path) const;

  signals:
    void drawn();         // a computed refresh reached the screen
    void editRequested(); // the Edit… button

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void draw(const ChartData& d);
    void drawXy(const ChartData& d);
    void drawCategories(const ChartData& d);
    void drawPie(const ChartData& d);
    void takeUserRange(double from, double to);
    void hookLegend();
    void updateStatus(const std::shared_ptr<DataSet>& ds);

    ChartSpec spec_;
    DataSetSpec dataSpec_;
    std::function<std::shared_ptr<DataSet>()> dataSet_;
    QChart* chart_;
    QChartView* view_;
    QLabel* status_;
    QToolButton* follow_;
    QFutureWatcher<ChartData> watcher_;
    ChartData lastData_;
    XRange range_;
    bool applyingRange_ = false;
    QPoint dragStart_;
    bool dragging_ = false;
};

} // namespace tapgraphs
