// One session's tab in the Graph perspective: the script's run and its
// charts, each a dock the user drags to arrange (placed first as the graph
// set's grid says). A timer redraws each chart at most 10 times a second;
// Pause freezes the pictures while the data sets keep filling. Without a
// graph set, the charts come from the wizard's proposals when the script's
// formats arrive (asked, or all taken when the run is automated).
#pragma once

#include "chart_dialog.h"
#include "graph_session.h"

#include <QMainWindow>
#include <QTimer>

class QLabel;
class QToolBar;
class QAction;

namespace tapgraphs {

class ChartPanel;
class FlamePanel;
class HeatMapPanel;
class TablePanel;

class SessionPage : public QMainWindow {
    Q_OBJECT
  public:
    enum class Proposals { Ask, AcceptAll };
    SessionPage(const taprun::RunOptions& options, const GraphSet& set, Proposals proposals,
                QWidget* parent = nullptr);
    // A page fed by hand (tests, the benchmark): no process is started.
    SessionPage(const GraphSet& set, QWidget* parent = nullptr);

    GraphSession* session() const { return session_; }
    QString scriptName() const { return scriptName_; }
    QString scriptPath() const { return scriptPath_; }
    QList<ChartPanel*> charts() const;
    QList<TablePanel*> tables() const;
    QList<FlamePanel*> flameGraphs() const;
    QList<HeatMapPanel*> heatMaps() const;
    void addCharts(const GraphSet& set); // new data sets and charts, during the run too
    void setPaused(bool paused);
    bool paused() const;
    void refreshNow(); // every chart now (the timer refreshes one per tick)
    // The graph set with each chart's row and column as the user arranged the docks.
    GraphSet graphSetAsArranged() const;
    bool saveGraphSet(const QString& path, QString* error = nullptr) const;
    bool exportCsv(const QString& dataSet, const QString& path, QString* error = nullptr) const;
    void stop();
    void editDataSet(const QString& name);       // the dialog
    void updateDataSet(const DataSetSpec& spec); // what the dialog's OK does

  signals:
    void statusChanged(const QString& status);
    void closeRequested(); // the Close button: the workspace closes the page

  private:
    void build();
    QWidget* makePanel(const ChartSpec& spec);
    static ChartSpec specOf(QWidget* panel);
    void replacePanel(int index, const ChartSpec& spec); // in the same dock
    QVector<DataSetColumns> dataSetColumns() const;
    void addChartDialog();
    void editChart(QWidget* panel);
    void createPanels(QVector<ChartSpec> charts); // docks placed as their rows and columns say
    void onFormats(const QVector<PrintfFormat>& formats);
    void setStatus(const QString& status);
    void fillExportMenu();
    void refreshNext();
    static void refresh(QWidget* panel);

    GraphSession* session_;
    QString scriptName_, scriptPath_;
    Proposals proposals_ = Proposals::AcceptAll;
    QTimer redraw_;
    QToolBar* bar_ = nullptr;
    QAction* pause_ = nullptr;
    QAction* stop_ = nullptr;
    QLabel* status_ = nullptr;
    QList<QWidget*> panels_;
    int next_ = 0; // the panel the next tick refreshes
    QList<QDockWidget*> docks_;
};

} // namespace tapgraphs
