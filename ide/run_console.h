// The console of one run: the script's output, diagnostics and stderr in
// colour with locations clickable to the script line, a status line (state,
// probes, elapsed time, exit code), Stop, Clear and Save log. Events come
// from a RunSession, or are fed directly (tests, replay).
#pragma once

#include "run_protocol.h"
#include "script_analysis.h"
#include "run_session.h"
#include "theme.h"

#include <QTextCharFormat>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QToolButton;

namespace tapide {

// The run client lives in runclient/ (shared with the Graph perspective).
using taprun::findLocation;
using taprun::RunCommand;
using taprun::RunEvent;
using taprun::RunOptions;
using taprun::RunProtocol;
using taprun::RunSession;
using taprun::TextLocation;

class RunConsole : public QWidget {
    Q_OBJECT
public:
    explicit RunConsole(QWidget* parent = nullptr);

    // Starts a run of `options` (one per console).
    void start(const RunOptions& options);
    void stop();
    bool running() const;
    RunSession* session() const { return session_; }
    QString scriptPath() const { return script_; }
    void setScriptPath(const QString& path) { script_ = path; }

    // Unit-level entry points (what the session's signals call).
    void handleEvent(const RunEvent& e);
    void feedStdout(const QByteArray& bytes); // parsed as the session would
    void handleStderr(const QString& line);
    void handleFinished(int exitCode, bool crashed);

    QString plainText() const;   // everything shown so far (pending output flushed)
    QString statusText() const;
    int exitCode() const { return exitCode_; }
    bool finished() const { return finished_; }
    const QVector<RunEvent>& events() const { return events_; }
    QPlainTextEdit* output() const { return output_; }
    // Links in the output: "file:line:col" targets, in order.
    QStringList links() const;
    // Activates the n-th link (as a click would).
    void activateLink(int n);

    void applyTheme(ThemeKind theme, int fontSize);
    bool saveLog(const QString& path) const;

signals:
    void locationActivated(const QString& file, int line, int col);
    // An error or warning the run reported at a script location (a
    // division by zero), phase "run-time".
    void runTimeDiagnostic(const tapide::ScriptDiagnostic& diagnostic);
    void runningChanged(bool running);
    void runFinished(int exitCode);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    enum class Style { Text, Error, Warning, Info };
    void append(const QString& text, Style style, const TextLocation& link = {});
    void appendLine(const QString& text, Style style); // finds a location link itself
    void flushPending();
    void updateStatus();
    QTextCharFormat formatFor(Style style) const;

    QPlainTextEdit* output_;
    QLabel* status_;
    QToolButton* stopButton_;
    RunSession* session_ = nullptr;
    RunProtocol protocol_; // for feedStdout
    QString script_;
    QVector<RunEvent> events_;
    struct Chunk {
        QString text;
        Style style;
        TextLocation link;
    };
    QVector<Chunk> pending_;
    QTimer flushTimer_, clockTimer_;
    QStringList links_;
    ThemeKind theme_ = ThemeKind::Light;
    QString state_ = "Idle";
    int probes_ = -1;
    qint64 drops_ = 0;
    int exitCode_ = -1;
    bool finished_ = false;
    bool sawStopped_ = false;
    int errorCount_ = 0;
};

} // namespace tapide
