#include "run_board.h"

#include "raw_output_dialog.h"

#include "chart_panel.h"
#include "chart_widgets.h"
#include "flame_panel.h"
#include "heat_map_panel.h"

#include <QEvent>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace tapdash {

namespace {
constexpr int kTickMs = 100;           // charts redraw at most 10 times a second
constexpr int kRefreshesPerTick = 4;   // the rest wait for the next tick
constexpr int kCardMinWidth = 400;
constexpr int kCardHeight = 320;
enum Column { ModuleColumn, StatusColumn, ChartsColumn, ActionsColumn };

QString stateName(ModuleRun::State s) {
    switch (s) {
    case ModuleRun::State::Starting: return QObject::tr("starting");
    case ModuleRun::State::Running: return QObject::tr("running");
    case ModuleRun::State::Stopping: return QObject::tr("stopping");
    case ModuleRun::State::Finished: return QObject::tr("finished");
    case ModuleRun::State::Failed: return QObject::tr("failed");
    }
    return {};
}
} // namespace

RunBoard::RunBoard(QWidget* parent)
    : QWidget(parent), table_(new QTableWidget(0, 4)), summary_(new QLabel), stopAll_(new QPushButton(tr("Stop all"))),
      scroll_(new QScrollArea), grid_(new QWidget), gridLayout_(new QGridLayout(grid_)) {
    setObjectName("RunBoard");
    table_->setObjectName("RunTable");
    table_->setHorizontalHeaderLabels({tr("Module"), tr("Status"), tr("Charts"), QString()});
    table_->verticalHeader()->hide();
    table_->setSelectionMode(QAbstractItemView::NoSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->horizontalHeader()->setSectionResizeMode(ModuleColumn, QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(StatusColumn, QHeaderView::Stretch);
    table_->horizontalHeader()->setSectionResizeMode(ChartsColumn, QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(ActionsColumn, QHeaderView::ResizeToContents);
    table_->verticalHeader()->setDefaultSectionSize(28);
    table_->setMaximumHeight(150);
    stopAll_->setObjectName("StopAll");
    stopAll_->setEnabled(false);
    connect(stopAll_, &QPushButton::clicked, this, &RunBoard::stopAll);
    auto* top = new QHBoxLayout;
    top->addWidget(summary_, 1);
    top->addWidget(stopAll_);
    gridLayout_->setContentsMargins(0, 0, 0, 0);
    gridLayout_->setSpacing(6);
    scroll_->setWidget(grid_);
    scroll_->setWidgetResizable(true);
    scroll_->setFrameShape(QFrame::NoFrame);
    scroll_->viewport()->installEventFilter(this);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(table_);
    layout->addWidget(scroll_, 1);
    summary_->setText(tr("No module is running. Select modules in the browser and press Run."));
    connect(&timer_, &QTimer::timeout, this, &RunBoard::tick);
    timer_.start(kTickMs);
}

RunBoard::~RunBoard() {
    timer_.stop();
    qDeleteAll(runs_); // each stops its script and waits for its reader
}

ModuleRun* RunBoard::start(const Module& module, const RunSettings& settings) {
    auto* run = new ModuleRun(module, settings);
    runs_ << run;
    std::shared_ptr<tapgraphs::SessionData> data = run->data();
    for (const tapgraphs::ChartSpec& spec : module.graphSet.charts) {
        QWidget* widget = tapgraphs::makeChartWidget(spec, data);
        auto* card = new QFrame;
        card->setObjectName("ChartCard");
        card->setFrameShape(QFrame::StyledPanel);
        card->setMinimumSize(kCardMinWidth, kCardHeight);
        auto* title = new QLabel(module.manifest.name);
        title->setObjectName("ChartCardModule");
        QFont f = title->font();
        f.setBold(true);
        title->setFont(f);
        auto* cardLayout = new QVBoxLayout(card);
        cardLayout->setContentsMargins(4, 4, 4, 4);
        cardLayout->setSpacing(2);
        cardLayout->addWidget(title);
        cardLayout->addWidget(widget, 1);
        panels_.append(Panel{card, widget, run, int(panelsOf(run).size()), {}});
    }
    addRow(run);
    connect(run, &ModuleRun::stateChanged, this, [this, run] { updateRow(run); });
    relayout();
    run->start();
    emit runsChanged();
    return run;
}

QList<ModuleRun*> RunBoard::runs() const {
    return runs_;
}

void RunBoard::stop(ModuleRun* run) {
    run->stop();
}

void RunBoard::stopAll() {
    for (ModuleRun* run : runs_)
        run->stop();
}

void RunBoard::close(ModuleRun* run) {
    int row = rowOf(run);
    if (row >= 0) table_->removeRow(row);
    for (auto it = panels_.begin(); it != panels_.end();) {
        if (it->run == run) {
            delete it->card;
            it = panels_.erase(it);
        } else {
            ++it;
        }
    }
    runs_.removeAll(run);
    delete run;
    relayout();
    emit runsChanged();
}

QList<QWidget*> RunBoard::panelsOf(ModuleRun* run) const {
    QList<QWidget*> out;
    for (const Panel& p : panels_)
        if (p.run == run) out << p.widget;
    return out;
}

void RunBoard::addRow(ModuleRun* run) {
    int row = table_->rowCount();
    table_->insertRow(row);
    auto* name = new QTableWidgetItem(run->module().manifest.name);
    name->setData(Qt::UserRole, QVariant::fromValue<void*>(run));
    name->setToolTip(run->module().dir);
    table_->setItem(row, ModuleColumn, name);
    table_->setItem(row, StatusColumn, new QTableWidgetItem);
    table_->setItem(row, ChartsColumn, new QTableWidgetItem(QString::number(panelsOf(run).size())));
    auto* actions = new QWidget;
    auto* h = new QHBoxLayout(actions);
    h->setContentsMargins(2, 0, 2, 0);
    auto* stop = new QPushButton(tr("Stop"));
    stop->setObjectName("StopRun");
    auto* output = new QPushButton(tr("Output"));
    output->setObjectName("ShowOutput");
    output->setToolTip(tr("The script's raw output, diagnostics and stderr"));
    auto* closeButton = new QPushButton(tr("Close"));
    closeButton->setObjectName("CloseRun");
    closeButton->setToolTip(tr("Stop the module and remove its charts"));
    h->addWidget(stop);
    h->addWidget(output);
    h->addWidget(closeButton);
    connect(stop, &QPushButton::clicked, this, [this, run] { this->stop(run); });
    connect(output, &QPushButton::clicked, this, [this, run] {
        auto* dialog = new RawOutputDialog(run, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(run, &QObject::destroyed, dialog, &QDialog::close);
        dialog->show();
    });
    // Later: closing deletes the row's buttons, this one among them.
    connect(closeButton, &QPushButton::clicked, this,
            [this, run] { QMetaObject::invokeMethod(this, [this, run] { close(run); }, Qt::QueuedConnection); });
    table_->setCellWidget(row, ActionsColumn, actions);
    updateRow(run);
}

int RunBoard::rowOf(ModuleRun* run) const {
    for (int r = 0; r < table_->rowCount(); ++r)
        if (table_->item(r, ModuleColumn)->data(Qt::UserRole).value<void*>() == run) return r;
    return -1;
}

void RunBoard::updateRow(ModuleRun* run) {
    int row = rowOf(run);
    if (row < 0) return;
    QString status = run->statusText();
    QString state = stateName(run->state());
    table_->item(row, StatusColumn)->setText(status == state ? state : state + ": " + status);
    table_->item(row, StatusColumn)->setToolTip(status);
    bool active = run->state() == ModuleRun::State::Starting || run->state() == ModuleRun::State::Running;
    if (auto* stop = table_->cellWidget(row, ActionsColumn)->findChild<QPushButton*>("StopRun"))
        stop->setEnabled(active);
    int running = 0;
    for (ModuleRun* r : runs_)
        running += r->state() == ModuleRun::State::Starting || r->state() == ModuleRun::State::Running;
    stopAll_->setEnabled(running > 0);
    summary_->setText(tr("%1 modules, %2 running, %3 charts").arg(runs_.size()).arg(running).arg(panels_.size()));
    if (!active) // the last rows reach the charts
        for (const Panel& p : panels_)
            if (p.run == run) QTimer::singleShot(0, p.widget, [w = p.widget] {
                    tapgraphs::refreshChartWidget(w);
                });
}

void RunBoard::relayout() {
    int width = scroll_->viewport()->width();
    int columns = std::max(1, width / kCardMinWidth);
    for (const Panel& p : panels_)
        gridLayout_->removeWidget(p.card);
    QList<const Panel*> order;
    for (const Panel& p : panels_)
        order << &p;
    std::stable_sort(order.begin(), order.end(),
                     [](const Panel* a, const Panel* b) { return a->indexInModule < b->indexInModule; });
    // A histogram's bucket labels, a flame graph's frames and a heat map's
    // time axis need the width: such a chart takes a whole row, the next one
    // that starts, so the grid has no holes.
    int row = 0, column = 0;
    QList<const Panel*> waitingWide;
    auto placeWide = [&](const Panel* p) { gridLayout_->addWidget(p->card, row++, 0, 1, columns); };
    for (const Panel* p : order) {
        auto* chart = qobject_cast<tapgraphs::ChartPanel*>(p->widget);
        bool wide = (chart && chart->spec().type == tapgraphs::ChartSpec::Type::Histogram) ||
                    qobject_cast<tapgraphs::FlamePanel*>(p->widget) || qobject_cast<tapgraphs::HeatMapPanel*>(p->widget);
        if (wide && columns > 1) {
            column == 0 ? placeWide(p) : waitingWide.append(p);
            continue;
        }
        gridLayout_->addWidget(p->card, row, column);
        if (++column == columns) {
            ++row;
            column = 0;
            while (!waitingWide.isEmpty())
                placeWide(waitingWide.takeFirst());
        }
    }
    if (column > 0) ++row;
    for (const Panel* p : waitingWide)
        placeWide(p);
    for (int c = 0; c < columns; ++c)
        gridLayout_->setColumnStretch(c, 1);
    columns_ = columns;
    if (runs_.isEmpty())
        summary_->setText(tr("No module is running. Select modules in the browser and press Run."));
}

bool RunBoard::eventFilter(QObject* watched, QEvent* event) {
    if (watched == scroll_->viewport() && event->type() == QEvent::Resize &&
        std::max(1, scroll_->viewport()->width() / kCardMinWidth) != columns_)
        relayout();
    return QWidget::eventFilter(watched, event);
}

void RunBoard::refreshAll() {
    for (Panel& p : panels_) {
        tapgraphs::refreshChartWidget(p.widget);
        p.lastRefresh.start();
    }
}

void RunBoard::tick() {
    if (panels_.isEmpty()) return;
    int refreshed = 0;
    for (int n = 0; n < panels_.size() && refreshed < kRefreshesPerTick; ++n) {
        Panel& p = panels_[(next_ + n) % panels_.size()];
        bool active = p.run->state() != ModuleRun::State::Finished && p.run->state() != ModuleRun::State::Failed;
        if (!active || (p.lastRefresh.isValid() && p.lastRefresh.elapsed() < p.run->module().manifest.refreshMs))
            continue;
        tapgraphs::refreshChartWidget(p.widget);
        p.lastRefresh.start();
        ++refreshed;
        next_ = (next_ + n + 1) % panels_.size();
    }
}

} // namespace tapdash
