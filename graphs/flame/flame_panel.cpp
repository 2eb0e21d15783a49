#include "flame_panel.h"

#include "background_priority.h"
#include "caller_callee_view.h"
#include "flame_export.h"
#include "flame_tree_model.h"
#include "flame_view.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <functional>

namespace tapgraphs {

namespace {

constexpr qint64 kTablesEveryMs = 1000;
const double kWindows[] = {5, 10, 30, 60};

// The rows of the user's expanded items, as paths: they survive a new tree.
QVector<QStringList> expandedPaths(QTreeView* view, FlameTreeModel* model) {
    QVector<QStringList> out;
    std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
        for (int r = 0; r < model->rowCount(parent); ++r) {
            QModelIndex i = model->index(r, 0, parent);
            if (!view->isExpanded(i)) continue;
            out.push_back(model->tree().path(model->nodeOf(i)));
            walk(i);
        }
    };
    walk({});
    return out;
}

void expandPaths(QTreeView* view, FlameTreeModel* model, const QVector<QStringList>& paths) {
    for (const QStringList& path : paths)
        if (int node = model->tree().findPath(path); node > 0)
            view->expand(model->indexOfNode(node));
}

QTreeView* treeView(FlameTreeModel* model, const QString& name) {
    auto* view = new QTreeView;
    view->setObjectName(name);
    view->setModel(model);
    view->setUniformRowHeights(true);
    view->header()->setStretchLastSection(false);
    view->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->header()->setSectionResizeMode(FlameTreeModel::Function, QHeaderView::Stretch);
    return view;
}

} // namespace

FlamePanel::FlamePanel(const ChartSpec& spec,
                       std::function<std::shared_ptr<StackDataSet>()> dataSet, QWidget* parent)
    : QWidget(parent), spec_(spec), dataSet_(std::move(dataSet)), view_(new FlameView),
      topDown_(new FlameTreeModel(this)), bottomUp_(new FlameTreeModel(this)) {
    setObjectName("FlamePanel");
    view_->setOrientation(spec_.icicle ? FlameView::Orientation::Icicle
                                       : FlameView::Orientation::Flame);
    buildControls();
    connect(&watcher_, &QFutureWatcher<FlameData>::finished, this,
            [this] { draw(watcher_.result()); });
    connect(view_, &FlameView::searchShareChanged, this, &FlamePanel::updateShare);
    if (spec_.comparePrevious) compareWithPreviousWindow();
}

FlamePanel::~FlamePanel() {
    watcher_.waitForFinished();
}

void FlamePanel::buildControls() {
    auto* title = new QLabel(QString("<b>%1</b>").arg(spec_.title.toHtmlEscaped()));
    search_ = new QLineEdit;
    search_->setObjectName("FlameSearch");
    search_->setPlaceholderText(tr("Search frames"));
    search_->setClearButtonEnabled(true);
    connect(search_, &QLineEdit::textChanged, view_, &FlameView::setSearch);
    share_ = new QLabel;
    auto* reset = new QPushButton(tr("Reset zoom"));
    reset->setToolTip(tr("Show the whole graph again (click a frame to zoom into it)"));
    connect(reset, &QPushButton::clicked, view_, &FlameView::reset);
    auto* shape = new QComboBox;
    shape->addItems({tr("Flame"), tr("Icicle")});
    shape->setCurrentIndex(spec_.icicle ? 1 : 0);
    shape->setToolTip(tr("Flame: the root at the bottom; icicle: at the top"));
    connect(shape, &QComboBox::currentIndexChanged, this, [this](int i) { setIcicle(i == 1); });
    window_ = new QComboBox;
    window_->addItem(tr("All samples"), 0.0);
    for (double seconds : kWindows)
        window_->addItem(tr("Last %1 s").arg(seconds), seconds);
    if (spec_.slidingWindow) {
        int at = window_->findData(spec_.windowSeconds);
        if (at < 0) {
            window_->addItem(tr("Last %1 s").arg(spec_.windowSeconds), spec_.windowSeconds);
            at = window_->count() - 1;
        }
        window_->setCurrentIndex(at);
    }
    window_->setToolTip(tr("Accumulate every sample, or only those of a sliding window"));
    connect(window_, &QComboBox::currentIndexChanged, this, [this](int i) {
        double seconds = window_->itemData(i).toDouble();
        setSlidingWindow(seconds > 0, seconds > 0 ? seconds : spec_.windowSeconds);
    });
    compare_ = new QComboBox;
    compare_->addItems({tr("No comparison"), tr("Against the previous window"),
                        tr("Against a snapshot of now"), tr("Against a folded file…")});
    compare_->setToolTip(tr("Differential flame graph: red frames grew, blue ones shrank"));
    connect(compare_, &QComboBox::activated, this, &FlamePanel::chooseBaseline);
    auto* exportButton = new QToolButton;
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    exportButton->setMenu(new QMenu(exportButton));
    exportButton->menu()->addAction(tr("Folded stacks…"), this, [this] {
        QString path =
            QFileDialog::getSaveFileName(this, tr("Export folded stacks"), spec_.title + ".folded",
                                         tr("Folded stacks (*.folded *.txt)"));
        QString error;
        if (!path.isEmpty() && !exportFolded(path, &error))
            QMessageBox::warning(this, tr("Export"), error);
    });
    exportButton->menu()->addAction(tr("SVG…"), this, [this] {
        QString path = QFileDialog::getSaveFileName(this, tr("Export flame graph"),
                                                    spec_.title + ".svg", tr("SVG (*.svg)"));
        QString error;
        if (!path.isEmpty() && !exportSvg(path, &error))
            QMessageBox::warning(this, tr("Export"), error);
    });
    status_ = new QLabel;
    status_->setObjectName("FlameStatus");

    auto* bar = new QHBoxLayout;
    bar->addWidget(title);
    bar->addWidget(search_, 1);
    bar->addWidget(share_);
    bar->addWidget(reset);
    bar->addWidget(shape);
    bar->addWidget(window_);
    bar->addWidget(compare_);
    bar->addWidget(exportButton);

    auto* scroll = new QScrollArea;
    scroll->setWidget(view_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    topDownView_ = treeView(topDown_, "FlameTopDown");
    bottomUpView_ = treeView(bottomUp_, "FlameBottomUp");
    callerCallee_ = new CallerCalleeView;
    tables_ = new QTabWidget;
    tables_->addTab(topDownView_, tr("Top-down"));
    tables_->addTab(bottomUpView_, tr("Bottom-up"));
    tables_->addTab(callerCallee_, tr("Caller/callee"));
    // A table picked shows the newest tree at once.
    connect(tables_, &QTabWidget::currentChanged, this, [this] { sinceTables_.invalidate(); });
    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(scroll);
    split->addWidget(tables_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    layout->addWidget(status_);
}

void FlamePanel::refresh() {
    if (watcher_.isRunning()) return; // the last refresh is still computing: skip this one
    std::shared_ptr<StackDataSet> ds = dataSet_();
    if (!ds) return;
    bool tables = tables_->isVisible() &&
                  (!sinceTables_.isValid() || sinceTables_.elapsed() >= kTablesEveryMs);
    if (tables) sinceTables_.restart();
    const qint64 windowNs = spec_.slidingWindow ? qint64(spec_.windowSeconds * 1e9) : 0;
    watcher_.setFuture(QtConcurrent::run(
        chartPool(), [ds, windowNs, tables, baseline = baseline_, baselineTree = baselineTree_] {
            lowerThisThreadsPriority();
            const qint64 last = ds->lastTime();
            const bool previous = baseline == Baseline::PreviousWindow && windowNs > 0;
            StackSamples all = ds->snapshot(windowNs > 0 ? last - (previous ? 2 : 1) * windowNs
                                                         : std::numeric_limits<qint64>::min());
            StackSamples before{all.frames, {}};
            if (previous) {
                StackSamples now{all.frames, {}};
                for (const StackSample& s : all.samples)
                    (s.time < last - windowNs ? before : now).samples.push_back(s);
                all = now;
            }
            FlameData d;
            auto tree = std::make_shared<FlameTree>(FlameTree::build(all));
            if (previous)
                d.baseTotals = tree->baseTotals(FlameTree::build(before));
            else if (baselineTree && baseline != Baseline::None)
                d.baseTotals = tree->baseTotals(*baselineTree);
            d.tree = tree;
            d.rows = all.samples.size();
            if (tables) {
                d.tables = true;
                d.bottomUp = std::make_shared<FlameTree>(FlameTree::build(all, true));
                d.costs = functionCosts(all);
            }
            return d;
        }));
}

void FlamePanel::draw(const FlameData& d) {
    // What the widgets showed until now is freed off the UI thread: a tree of
    // 100,000 stacks takes a third of a second to free.
    FlameData old = shown_;
    shown_.tree = d.tree;
    if (d.tables) {
        shown_.bottomUp = d.bottomUp;
        shown_.costs = d.costs;
    }
    view_->setTree(d.tree);
    if (!d.baseTotals.isEmpty()) view_->setBaseline(d.baseTotals);
    if (d.tables) {
        QVector<QStringList> down = expandedPaths(topDownView_, topDown_);
        QVector<QStringList> up = expandedPaths(bottomUpView_, bottomUp_);
        topDown_->setTree(d.tree);
        bottomUp_->setTree(d.bottomUp);
        expandPaths(topDownView_, topDown_, down);
        expandPaths(bottomUpView_, bottomUp_, up);
        callerCallee_->setCosts(d.costs, d.tree->frames());
    }
    std::shared_ptr<StackDataSet> ds = dataSet_();
    QString text = tr("%1 in %2 stacks").arg(valueText(d.tree->total())).arg(d.rows);
    if (ds && ds->dropped() > 0)
        text += tr(" (%1 older stacks dropped from the ring)").arg(ds->dropped());
    if (view_->differential()) text += tr(" — red: grew, blue: shrank against the baseline");
    status_->setText(text);
    QtConcurrent::run(chartPool(), [old = std::move(old)] { lowerThisThreadsPriority(); });
    emit drawn();
}

void FlamePanel::updateShare(double share) {
    share_->setText(view_->searchText().isEmpty() ? QString()
                                                  : tr("%1% matched").arg(100 * share, 0, 'f', 2));
}

void FlamePanel::setSlidingWindow(bool on, double seconds) {
    spec_.slidingWindow = on;
    spec_.windowSeconds = seconds;
    refresh();
}

void FlamePanel::setIcicle(bool icicle) {
    spec_.icicle = icicle;
    view_->setOrientation(icicle ? FlameView::Orientation::Icicle : FlameView::Orientation::Flame);
}

void FlamePanel::compareWithPreviousWindow() {
    baseline_ = Baseline::PreviousWindow;
    spec_.comparePrevious = true;
    baselineTree_.reset();
    if (!spec_.slidingWindow) setSlidingWindow(true, spec_.windowSeconds);
    compare_->setCurrentIndex(1);
}

void FlamePanel::compareWithSnapshot() {
    spec_.comparePrevious = false;
    baselineTree_ = view_->tree();
    baseline_ = Baseline::Snapshot;
    compare_->setCurrentIndex(2);
}

bool FlamePanel::compareWithFile(const QString& foldedPath, QString* error) {
    StackSamples samples;
    if (!readFoldedFile(foldedPath, samples, error)) return false;
    baselineTree_ = std::make_shared<FlameTree>(FlameTree::build(samples));
    baseline_ = Baseline::File;
    spec_.comparePrevious = false;
    compare_->setCurrentIndex(3);
    return true;
}

void FlamePanel::stopComparing() {
    baseline_ = Baseline::None;
    spec_.comparePrevious = false;
    baselineTree_.reset();
    compare_->setCurrentIndex(0);
}

void FlamePanel::chooseBaseline(int index) {
    switch (index) {
    case 1:
        compareWithPreviousWindow();
        break;
    case 2:
        compareWithSnapshot();
        break;
    case 3: {
        QString path =
            QFileDialog::getOpenFileName(this, tr("Baseline: folded stacks"), {},
                                         tr("Folded stacks (*.folded *.txt);;All files (*)"));
        QString error;
        if (path.isEmpty())
            stopComparing();
        else if (!compareWithFile(path, &error)) {
            stopComparing();
            QMessageBox::warning(this, tr("Baseline"), error);
        }
        break;
    }
    default:
        stopComparing();
    }
    refresh();
}

bool FlamePanel::exportFolded(const QString& path, QString* error) const {
    return writeFoldedStacks(*view_->tree(), path, error);
}

bool FlamePanel::exportSvg(const QString& path, QString* error) const {
    return writeFlameSvg(*view_->tree(), spec_.title, path, error);
}

} // namespace tapgraphs
