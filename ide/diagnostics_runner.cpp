#include "diagnostics_runner.h"

#include "script_editor.h"

#include <QThreadPool>
#include <QtConcurrent>

namespace tapide {

namespace {

// Analyses get their own thread so that background indexing never delays them.
QThreadPool* analysisPool() {
    static QThreadPool* pool = [] {
        auto* p = new QThreadPool;
        p->setMaxThreadCount(1);
        p->setExpiryTimeout(-1);
        return p;
    }();
    return pool;
}

} // namespace

DiagnosticsRunner::DiagnosticsRunner(ScriptEditor* editor) : QObject(editor), editor_(editor) {
    qRegisterMetaType<tapide::ScriptAnalysis>();
    timer_.setSingleShot(true);
    timer_.setInterval(kDelayMs);
    connect(&timer_, &QTimer::timeout, this, &DiagnosticsRunner::start);
    connect(editor, &ScriptEditor::textChanged, this, [this] { timer_.start(); });
    connect(&watcher_, &QFutureWatcher<ScriptAnalysis>::finished, this, &DiagnosticsRunner::finished);
}

DiagnosticsRunner::~DiagnosticsRunner() {
    // The worker owns only copies; let it finish so the watcher is not left dangling.
    watcher_.disconnect(this);
    watcher_.waitForFinished();
}

void DiagnosticsRunner::runNow() {
    timer_.stop();
    start();
}

void DiagnosticsRunner::start() {
    // Read-only documents are tapsets opened for reading: not scripts to check.
    if (!editor_ || editor_->isReadOnly())
        return;
    if (running_) {
        pending_ = true;
        return;
    }
    running_ = true;
    pending_ = false;
    std::string text = editor_->utf8Text();
    QString name = editor_->diagnosticName();
    quint64 generation = editor_->generation();
    watcher_.setFuture(QtConcurrent::run(analysisPool(), [text = std::move(text), name, generation] {
        return analyseScript(text, name, generation);
    }));
}

void DiagnosticsRunner::finished() {
    running_ = false;
    ScriptAnalysis result = watcher_.result();
    if (editor_ && result.generation == editor_->generation() &&
        result.fileName == editor_->diagnosticName()) {
        latest_ = result;
        hasResult_ = true;
        editor_->setAnalysis(result);
        emit analysisReady(result);
    } else if (!timer_.isActive()) {
        pending_ = true; // stale and nothing scheduled: analyse the current text
    }
    if (pending_)
        start();
}

} // namespace tapide
