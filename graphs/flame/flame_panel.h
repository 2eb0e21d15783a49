// A flame graph chart of a stacks data set, live: refresh() (at most 10
// times a second, from the session page) snapshots the data set and builds
// the trees off the UI thread, skipping a refresh while the last one still
// computes. Next to the graph, hotspot's tables: top-down, bottom-up and
// caller/callee (refreshed once a second while shown, keeping what the user
// expanded). All samples so far, or a sliding window of the last seconds;
// a differential view against the previous window, a frozen snapshot or a
// folded-stacks file; export as folded stacks or SVG.
#pragma once

#include "flame_tree.h"
#include "function_costs.h"
#include "graph_set.h"
#include "stack_data_set.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QWidget>

#include <functional>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QTabWidget;
class QTreeView;

namespace tapgraphs {

class CallerCalleeView;
class FlameTreeModel;
class FlameView;

// What one refresh computes.
struct FlameData {
    std::shared_ptr<const FlameTree> tree;
    QVector<double> baseTotals; // differential: per node of tree
    bool tables = false;        // the rest was computed too
    std::shared_ptr<const FlameTree> bottomUp;
    QVector<FunctionCost> costs;
    qint64 rows = 0;
};

class FlamePanel : public QWidget {
    Q_OBJECT
  public:
    enum class Baseline { None, PreviousWindow, Snapshot, File };
    FlamePanel(const ChartSpec& spec, std::function<std::shared_ptr<StackDataSet>()> dataSet,
               QWidget* parent = nullptr);
    ~FlamePanel() override;

    const ChartSpec& spec() const { return spec_; }
    void refresh();
    FlameView* view() const { return view_; }
    FlameTreeModel* topDown() const { return topDown_; }
    FlameTreeModel* bottomUp() const { return bottomUp_; }
    CallerCalleeView* callerCallee() const { return callerCallee_; }
    QTabWidget* tables() const { return tables_; }
    QLineEdit* search() const { return search_; }

    void setSlidingWindow(bool on, double seconds);
    void setIcicle(bool icicle);
    // Differential views: against the window before the current one (with a
    // sliding window), the samples shown now, or a folded-stacks file.
    void compareWithPreviousWindow();
    void compareWithSnapshot();
    bool compareWithFile(const QString& foldedPath, QString* error = nullptr);
    void stopComparing();
    Baseline baseline() const { return baseline_; }

    bool exportFolded(const QString& path, QString* error = nullptr) const;
    bool exportSvg(const QString& path, QString* error = nullptr) const;

  signals:
    void drawn(); // a computed refresh reached the screen

  private:
    void buildControls();
    void draw(const FlameData& d);
    void updateShare(double share);
    void chooseBaseline(int index);
    void exportMenu();

    ChartSpec spec_;
    std::function<std::shared_ptr<StackDataSet>()> dataSet_;
    FlameView* view_;
    QLineEdit* search_ = nullptr;
    QLabel* share_ = nullptr;
    QLabel* status_ = nullptr;
    QComboBox* window_ = nullptr;
    QComboBox* compare_ = nullptr;
    QTabWidget* tables_ = nullptr;
    FlameTreeModel *topDown_, *bottomUp_;
    QTreeView *topDownView_ = nullptr, *bottomUpView_ = nullptr;
    CallerCalleeView* callerCallee_ = nullptr;
    QFutureWatcher<FlameData> watcher_;
    FlameData shown_; // the trees and costs the graph and tables show
    QElapsedTimer sinceTables_;
    Baseline baseline_ = Baseline::None;
    std::shared_ptr<const FlameTree> baselineTree_; // Snapshot, File
};

} // namespace tapgraphs
