// The Console dock: one tab per run (several runs at once), newest first
// selected; closing a running tab stops its run.
#pragma once

#include "run_session.h"
#include "script_analysis.h"
#include "theme.h"

#include <QDockWidget>

class QTabWidget;

namespace tapide {

using taprun::RunOptions;

class RunConsole;

class RunDock : public QDockWidget {
    Q_OBJECT
public:
    explicit RunDock(QWidget* parent = nullptr);

    RunConsole* startRun(const RunOptions& options);
    // A console without a process (replays, tests).
    RunConsole* addConsole(const QString& title);
    RunConsole* currentConsole() const;
    QList<RunConsole*> consoles() const;
    // The running console of `script`, if any.
    RunConsole* runningConsoleFor(const QString& script) const;
    void stopCurrent();
    void stopAll();
    void applyTheme(ThemeKind theme, int fontSize);
    QTabWidget* tabs() const { return tabs_; }

signals:
    void locationActivated(const QString& file, int line, int col);
    void runningChanged();
    // A run of `script` starts (its earlier run-time diagnostics are stale),
    // and what a run of it reports at a script location.
    void runStarted(const QString& script);
    void runTimeDiagnostic(const QString& script, const tapide::ScriptDiagnostic& diagnostic);

private:
    void closeTab(int index);
    void updateTab(RunConsole* console);

    QTabWidget* tabs_;
    ThemeKind theme_ = ThemeKind::Light;
    int fontSize_ = kDefaultFontSize;
    int runCounter_ = 0;
};

} // namespace tapide
