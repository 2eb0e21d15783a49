#include "session_page.h"

#include "chart_dialog.h"
#include "chart_panel.h"
#include "chart_widgets.h"
#include "flame_panel.h"
#include "heat_map_panel.h"
#include "csv_export.h"
#include "data_set_dialog.h"
#include "filters.h"
#include "proposal_dialog.h"
#include "regex_data_set_dialog.h"
#include "table_panel.h"

#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QToolBar>
#include <QToolButton>

#include <algorithm>

namespace tapgraphs {

namespace {
constexpr int kRedrawMs = 100; // each chart redraws at most 10 times a second
constexpr int kSameRowPx = 8;
} // namespace

SessionPage::SessionPage(const taprun::RunOptions& options, const GraphSet& set,
                         Proposals proposals, QWidget* parent)
    : QMainWindow(parent, Qt::Widget), session_(new GraphSession(set, this)),
      scriptName_(QFileInfo(options.script).fileName()), scriptPath_(options.script),
      proposals_(proposals) {
    build();
    connect(session_, &GraphSession::formatsArrived, this, &SessionPage::onFormats);
    connect(session_, &GraphSession::started, this, [this] { setStatus(tr("running")); });
    connect(session_, &GraphSession::message, this, [this](const QString& text) {
        if (!text.trimmed().isEmpty()) status_->setToolTip(status_->toolTip() + text);
    });
    connect(session_, &GraphSession::finished, this, [this](const QString& summary) {
        stop_->setEnabled(false);
        setStatus(summary);
        refreshNow(); // the last rows
    });
    setStatus(tr("starting"));
    session_->start(options);
}

SessionPage::SessionPage(const GraphSet& set, QWidget* parent)
    : QMainWindow(parent, Qt::Widget), session_(new GraphSession(set, this)),
      scriptName_(set.script) {
    build();
    stop_->setEnabled(false);
}

void SessionPage::build() {
    setObjectName("SessionPage");
    setDockNestingEnabled(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks);
    bar_ = addToolBar(tr("Session"));
    bar_->setObjectName("SessionToolBar");
    bar_->setMovable(false);
    stop_ = bar_->addAction(tr("Stop"), this, &SessionPage::stop);
    stop_->setToolTip(tr("Stop the script (SIGINT: end probes run)"));
    bar_->addAction(tr("Close"), this, &SessionPage::closeRequested)
        ->setToolTip(tr("Stop the script and close its charts"));
    pause_ = bar_->addAction(tr("Pause"));
    pause_->setCheckable(true);
    pause_->setToolTip(tr("Freeze the charts; the data sets keep filling"));
    connect(pause_, &QAction::toggled, this, [this](bool on) { setPaused(on); });
    bar_->addAction(tr("Save graph set…"), this, [this] {
        QString path = QFileDialog::getSaveFileName(
            this, tr("Save graph set"), QFileInfo(scriptPath_).completeBaseName() + ".graphs.json",
            tr("Graph sets (*.json)"));
        QString error;
        if (!path.isEmpty() && !saveGraphSet(path, &error))
            QMessageBox::warning(this, tr("Save graph set"), error);
    });
    bar_->addAction(tr("Add chart…"), this, &SessionPage::addChartDialog)
        ->setToolTip(tr("A new chart of one of the session's data sets"));
    auto* dataSets = new QToolButton;
    dataSets->setText(tr("Data sets"));
    dataSets->setToolTip(tr("Rename columns, filter rows, size the rings"));
    dataSets->setPopupMode(QToolButton::InstantPopup);
    dataSets->setMenu(new QMenu(dataSets));
    connect(dataSets->menu(), &QMenu::aboutToShow, this, [this, menu = dataSets->menu()] {
        menu->clear();
        QStringList names;
        for (const DataSetSpec& d : session_->data()->graphSet().dataSets) {
            menu->addAction(d.name + "…", this, [this, name = d.name] { editDataSet(name); });
            names << d.name;
        }
        menu->addSeparator();
        menu->addAction(tr("New regex data set…"), this, [this, names] {
            auto* dialog = new RegexDataSetDialog(names, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            connect(dialog, &QDialog::accepted, this, [this, dialog] {
                session_->data()->add(GraphSet{{}, {dialog->spec()}, {}});
            });
            dialog->open();
        });
    });
    bar_->addWidget(dataSets);
    auto* exportButton = new QToolButton;
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    exportButton->setMenu(new QMenu(exportButton));
    connect(exportButton->menu(), &QMenu::aboutToShow, this, &SessionPage::fillExportMenu);
    bar_->addWidget(exportButton);
    bar_->addSeparator();
    status_ = new QLabel;
    status_->setObjectName("SessionStatus");
    bar_->addWidget(status_);

    createPanels(session_->data()->graphSet().charts);
    // One chart per tick, in turn: each still redraws 10 times a second, and
    // the UI thread paints one chart at a time instead of all in one frame.
    connect(&redraw_, &QTimer::timeout, this, &SessionPage::refreshNext);
    redraw_.start(kRedrawMs);
}

QList<ChartPanel*> SessionPage::charts() const {
    return findChildren<ChartPanel*>();
}

QList<TablePanel*> SessionPage::tables() const {
    return findChildren<TablePanel*>();
}

QList<FlamePanel*> SessionPage::flameGraphs() const {
    return findChildren<FlamePanel*>();
}

QList<HeatMapPanel*> SessionPage::heatMaps() const {
    return findChildren<HeatMapPanel*>();
}

void SessionPage::addCharts(const GraphSet& set) {
    session_->data()->add(set);
    createPanels(set.charts);
}

void SessionPage::createPanels(QVector<ChartSpec> charts) {
    std::shared_ptr<SessionData> data = session_->data();
    std::stable_sort(charts.begin(), charts.end(), [](const ChartSpec& a, const ChartSpec& b) {
        return a.row != b.row ? a.row < b.row : a.column < b.column;
    });
    QDockWidget* previous = nullptr;
    int previousRow = -1;
    for (const ChartSpec& spec : charts) {
        QWidget* panel = makePanel(spec);
        // The dock says where the data comes from; the chart's own title names it.
        auto* dock = new QDockWidget(spec.dataSet, this);
        dock->setObjectName(QString("Chart %1").arg(docks_.size()));
        dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
        dock->setWidget(panel);
        // A row is a vertical stack entry; charts of the same row split it sideways.
        if (previous && spec.row == previousRow)
            splitDockWidget(previous, dock, Qt::Horizontal);
        else
            addDockWidget(Qt::TopDockWidgetArea, dock, Qt::Vertical);
        previous = dock;
        previousRow = spec.row;
        panels_ << panel;
        docks_ << dock;
    }
}

QWidget* SessionPage::makePanel(const ChartSpec& spec) {
    QWidget* panel = makeChartWidget(spec, session_->data());
    if (auto* table = qobject_cast<TablePanel*>(panel))
        connect(table, &TablePanel::editRequested, this, [this, table] { editChart(table); });
    else if (auto* chart = qobject_cast<ChartPanel*>(panel))
        connect(chart, &ChartPanel::editRequested, this, [this, chart] { editChart(chart); });
    return panel;
}

ChartSpec SessionPage::specOf(QWidget* panel) {
    if (auto* flame = qobject_cast<FlamePanel*>(panel)) return flame->spec();
    if (auto* heat = qobject_cast<HeatMapPanel*>(panel)) return heat->spec();
    auto* chart = qobject_cast<ChartPanel*>(panel);
    return chart ? chart->spec() : static_cast<TablePanel*>(panel)->spec();
}

void SessionPage::replacePanel(int index, const ChartSpec& spec) {
    QWidget* old = panels_[index];
    QWidget* panel = makePanel(spec);
    docks_[index]->setWidget(panel);
    panel->show(); // a dock shown already does not show a new widget itself
    docks_[index]->setWindowTitle(spec.dataSet);
    panels_[index] = panel;
    old->hide();
    old->setParent(nullptr); // out of the page now; deleted once its signal returns
    old->deleteLater();
    refresh(panel);
}

QVector<DataSetColumns> SessionPage::dataSetColumns() const {
    QVector<DataSetColumns> out;
    for (const DataSetSpec& d : session_->data()->graphSet().dataSets) {
        std::shared_ptr<DataSet> ds = session_->data()->dataSet(d.name);
        out.push_back({d.name, ds ? ds->columns() : d.columns});
    }
    return out;
}

void SessionPage::addChartDialog() {
    ChartSpec initial;
    QVector<DataSetColumns> sets = dataSetColumns();
    if (sets.isEmpty()) return;
    initial.dataSet = sets[0].name;
    initial.row = int(docks_.size());
    auto* dialog = new ChartDialog(initial, sets, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        addCharts(GraphSet{{}, {}, {dialog->spec()}});
    });
    dialog->open();
}

void SessionPage::editChart(QWidget* panel) {
    ChartSpec old = specOf(panel);
    auto* dialog = new ChartDialog(old, dataSetColumns(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, panel, old] {
        int index = int(panels_.indexOf(panel));
        if (index < 0) return;
        ChartSpec now = dialog->spec();
        session_->data()->replaceChart(old, now);
        replacePanel(index, now);
    });
    dialog->open();
}

void SessionPage::editDataSet(const QString& name) {
    const DataSetSpec* spec = session_->data()->graphSet().dataSet(name);
    if (!spec) return;
    QVector<Column> columns;
    for (const DataSetColumns& d : dataSetColumns())
        if (d.name == name) columns = d.columns;
    auto* dialog = new DataSetDialog(*spec, columns, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { updateDataSet(dialog->spec()); });
    dialog->open();
}

void SessionPage::updateDataSet(const DataSetSpec& spec) {
    QHash<QString, QString> renames = session_->data()->updateDataSet(spec);
    // Its charts read the new filters and column names.
    for (int i = 0; i < panels_.size(); ++i) {
        ChartSpec chart = specOf(panels_[i]);
        if (chart.dataSet == spec.name) replacePanel(i, chart.withColumnsRenamed(renames));
    }
}

void SessionPage::onFormats(const QVector<PrintfFormat>& formats) {
    if (!session_->data()->graphSet().charts.isEmpty()) return; // the graph set says what to draw
    QString text;
    QFile script(scriptPath_);
    if (script.open(QIODevice::ReadOnly)) text = QString::fromUtf8(script.readAll());
    QVector<Proposal> proposals = proposeCharts(formats, text);
    if (proposals_ == Proposals::AcceptAll) {
        addCharts(graphSetFrom(proposals, scriptName_));
        return;
    }
    auto* dialog = new ProposalDialog(scriptName_, proposals, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { addCharts(graphSetFrom(dialog->accepted(), scriptName_)); });
    dialog->open();
}

void SessionPage::setPaused(bool paused) {
    if (pause_->isChecked() != paused)
        pause_->setChecked(paused); // comes back here through toggled
    else
        paused ? redraw_.stop() : redraw_.start(kRedrawMs);
}

bool SessionPage::paused() const {
    return !redraw_.isActive();
}

void SessionPage::refreshNow() {
    for (QWidget* w : panels_)
        refresh(w);
}

void SessionPage::refreshNext() {
    if (panels_.isEmpty()) return;
    next_ %= panels_.size();
    refresh(panels_[next_++]);
    redraw_.setInterval(std::max(1, kRedrawMs / int(panels_.size())));
}

void SessionPage::refresh(QWidget* panel) {
    refreshChartWidget(panel);
}

void SessionPage::setStatus(const QString& status) {
    status_->setText(QString("  %1: %2").arg(scriptName_, status));
    emit statusChanged(status);
}

void SessionPage::stop() {
    session_->stop();
    setStatus(tr("stopping"));
}

GraphSet SessionPage::graphSetAsArranged() const {
    // Rows are docks whose tops line up (within a few pixels), columns their
    // order from the left; floating docks keep the place they had.
    GraphSet set = session_->data()->graphSet();
    QVector<int> order;
    for (int i = 0; i < docks_.size(); ++i)
        if (!docks_[i]->isFloating() && docks_[i]->isVisible()) order << i;
    std::sort(order.begin(), order.end(), [this](int a, int b) {
        QRect ra = docks_[a]->geometry(), rb = docks_[b]->geometry();
        return std::abs(ra.top() - rb.top()) > kSameRowPx ? ra.top() < rb.top()
                                                          : ra.left() < rb.left();
    });
    int row = -1, column = 0, rowTop = 0;
    for (int i : order) {
        int top = docks_[i]->geometry().top();
        if (row < 0 || std::abs(top - rowTop) > kSameRowPx) {
            ++row;
            column = 0;
            rowTop = top;
        }
        QJsonObject shown = specOf(panels_[i]).toJson();
        for (ChartSpec& c : set.charts)
            if (c.toJson() == shown) {
                c.row = row;
                c.column = column++;
                break;
            }
    }
    return set;
}

bool SessionPage::saveGraphSet(const QString& path, QString* error) const {
    return graphSetAsArranged().save(path, error);
}

bool SessionPage::exportCsv(const QString& dataSet, const QString& path, QString* error) const {
    std::shared_ptr<DataSet> ds = session_->data()->dataSet(dataSet);
    const DataSetSpec* spec = session_->data()->graphSet().dataSet(dataSet);
    if (!ds || !spec) {
        if (error) *error = tr("no data set %1 (yet)").arg(dataSet);
        return false;
    }
    return writeCsv(applyFilters(ds->snapshot(), spec->filters), path, error);
}

void SessionPage::fillExportMenu() {
    auto* menu = qobject_cast<QMenu*>(sender());
    menu->clear();
    for (ChartPanel* c : charts()) {
        QString title = c->spec().title;
        menu->addAction(tr("Chart “%1” as PNG…").arg(title), this, [this, c, title] {
            QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), title + ".png",
                                                        tr("PNG (*.png)"));
            if (!path.isEmpty() && !c->exportPng(path))
                QMessageBox::warning(this, tr("Export chart"), tr("Could not write %1").arg(path));
        });
        menu->addAction(tr("Chart “%1” as SVG…").arg(title), this, [this, c, title] {
            QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), title + ".svg",
                                                        tr("SVG (*.svg)"));
            if (!path.isEmpty() && !c->exportSvg(path))
                QMessageBox::warning(this, tr("Export chart"), tr("Could not write %1").arg(path));
        });
    }
    menu->addSeparator();
    for (const DataSetSpec& d : session_->data()->graphSet().dataSets) {
        menu->addAction(tr("Data set “%1” as CSV…").arg(d.name), this, [this, name = d.name] {
            QString path = QFileDialog::getSaveFileName(this, tr("Export data set"), "data.csv",
                                                        tr("CSV (*.csv)"));
            QString error;
            if (!path.isEmpty() && !exportCsv(name, path, &error))
                QMessageBox::warning(this, tr("Export data set"), error);
        });
    }
}

} // namespace tapgraphs
