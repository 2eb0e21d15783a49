// The running modules: a row per run (status, Stop, Output, Close) and all
// their charts in one grid below, any number of modules and charts. The
// grid shows each module's first (headline) chart first, then every
// module's second, and so on, so the top of the grid has every module;
// a histogram takes a whole row (its bucket labels need the width). The
// charts are graphs/'s ChartPanel and TablePanel bound to each run's data
// sets; a timer redraws each at its module's refresh interval (at most 10
// times a second), a few per tick, so many charts never stall the UI.
#pragma once

#include "module_run.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

class QGridLayout;
class QLabel;
class QPushButton;
class QScrollArea;
class QTableWidget;

namespace tapdash {

class RunBoard : public QWidget {
    Q_OBJECT
  public:
    explicit RunBoard(QWidget* parent = nullptr);
    ~RunBoard() override;

    ModuleRun* start(const Module& module, const RunSettings& settings);
    QList<ModuleRun*> runs() const;
    void stop(ModuleRun* run);
    void stopAll();
    void close(ModuleRun* run); // stops it and removes its row and charts
    QList<QWidget*> panelsOf(ModuleRun* run) const; // ChartPanel / TablePanel
    int panelCount() const { return int(panels_.size()); }
    void refreshAll(); // every chart now
    QTableWidget* table() const { return table_; }

  signals:
    void runsChanged();

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override; // the grid follows the viewport's width

  private:
    struct Panel {
        QWidget* card;   // frame with the module's name and the panel
        QWidget* widget; // the ChartPanel or TablePanel
        ModuleRun* run;
        int indexInModule; // the grid shows every module's first chart first
        QElapsedTimer lastRefresh;
    };
    void addRow(ModuleRun* run);
    void updateRow(ModuleRun* run);
    void relayout();
    void tick();
    int rowOf(ModuleRun* run) const;

    QTableWidget* table_;
    QLabel* summary_;
    QPushButton* stopAll_;
    QScrollArea* scroll_;
    QWidget* grid_;
    QGridLayout* gridLayout_;
    QList<ModuleRun*> runs_;
    QList<Panel> panels_;
    QTimer timer_;
    int columns_ = 0;
    int next_ = 0; // where the next tick starts looking for charts to redraw
};

} // namespace tapdash
