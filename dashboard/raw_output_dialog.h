// A run's raw output (what tstap printed, its diagnostics and stderr) in a
// window of its own, filled from the run's buffer on a timer so that a
// chatty script costs the UI one append every quarter second.
#pragma once

#include "module_run.h"

#include <QDialog>
#include <QPointer>
#include <QTimer>

class QPlainTextEdit;

namespace tapdash {

class RawOutputDialog : public QDialog {
    Q_OBJECT
  public:
    RawOutputDialog(ModuleRun* run, QWidget* parent = nullptr);
    QPlainTextEdit* text() const { return text_; }
    void update(); // takes what is new now (the timer calls it)

  private:
    QPointer<ModuleRun> run_;
    std::shared_ptr<RawOutput> output_;
    QPlainTextEdit* text_;
    QTimer timer_;
    qint64 shown_ = 0; // characters of the output already shown
};

} // namespace tapdash
