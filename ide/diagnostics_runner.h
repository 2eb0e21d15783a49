// Diagnostics while typing: 300 ms after the last change of a document,
// passes 1-2 run on a worker thread (never on the UI thread) over a snapshot
// of its text; the result comes back as a queued signal and is dropped when
// the text changed meanwhile. At most one analysis per document runs at once.
#pragma once

#include "script_analysis.h"

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace tapide {

class ScriptEditor;

class DiagnosticsRunner : public QObject {
    Q_OBJECT
public:
    static constexpr int kDelayMs = 300;

    // Watches `editor`'s text and analyses it; parented to the editor.
    explicit DiagnosticsRunner(ScriptEditor* editor);
    ~DiagnosticsRunner() override;

    void setDelay(int ms) { timer_.setInterval(ms); }
    // Analyse now (e.g. after a file was opened or renamed).
    void runNow();
    const ScriptAnalysis& latest() const { return latest_; }
    bool hasResult() const { return hasResult_; }
    bool busy() const { return running_; }

signals:
    void analysisReady(const tapide::ScriptAnalysis& analysis);

private:
    void start();
    void finished();

    QPointer<ScriptEditor> editor_;
    QTimer timer_;
    QFutureWatcher<ScriptAnalysis> watcher_;
    bool running_ = false;
    bool pending_ = false; // the text changed while an analysis ran
    ScriptAnalysis latest_;
    bool hasResult_ = false;
};

} // namespace tapide
