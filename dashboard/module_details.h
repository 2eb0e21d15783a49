// The details of the selected module: description, whether it can run here
// (and why not), the files, its charts, the script, and the run settings
// (script arguments, -G values, the -c command) the user edits before a
// run. Edits are kept per module for the session.
#pragma once

#include "module_run.h"
#include "system_report.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableWidget;
class QTextBrowser;

namespace tapdash {

class ModuleDetails : public QWidget {
    Q_OBJECT
  public:
    explicit ModuleDetails(QWidget* parent = nullptr);

    void showModule(const Module* module, const SystemReport& report);
    void showBroken(const QString& dir, const QString& problems);
    // The settings for a run of `module`: the user's edits, else its defaults.
    RunSettings settingsFor(const Module& module) const;
    QString shownId() const { return shownId_; }
    QTextBrowser* summary() const { return summary_; }
    QLineEdit* argumentsEdit() const { return arguments_; }
    QLineEdit* commandEdit() const { return command_; }
    QLineEdit* httpEdit() const { return http_; }
    QTableWidget* globalsTable() const { return globals_; }
    QString problemText() const; // "" when the entered settings are valid

  private:
    void storeEdits();

    QString shownId_;
    QTextBrowser* summary_;
    QPlainTextEdit* script_;
    QLineEdit* arguments_;
    QLineEdit* command_;
    QLineEdit* http_;
    QTableWidget* globals_;
    QLabel* settingsProblem_;
    QWidget* settingsBox_;
    QHash<QString, RunSettings> edited_;
    bool filling_ = false;
};

} // namespace tapdash
