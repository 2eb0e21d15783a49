// One run of a script: `tstap --json SCRIPT` as a child process, directly,
// or through pkexec / `sudo -n` when the script has kernel probes and the
// IDE is not root (the IDE itself never becomes root). Stdout is parsed as
// JSON lines (run_protocol.h); Stop sends SIGINT so that end probes run.
#pragma once

#include "run_protocol.h"

#include <QElapsedTimer>
#include <QObject>
#include <QProcess>
#include <QStringList>

namespace taprun {

struct RunOptions {
    QString tstap;          // path of tstap
    QString script;         // path of the script
    QStringList options;    // extra tstap options (before the script)
    QStringList scriptArgs; // after the script
    bool needsPrivileges = false; // kernel probes
    // --remote HOST each: the script runs there over ssh, with the
    // privileges of the ssh login; tstap here only compiles, so it is never
    // elevated. Empty: on this machine.
    QStringList hosts;
    QString workingDir;
};

struct RunCommand {
    QString program;
    QStringList arguments;
    QString escalation; // "", "pkexec" or "sudo"
    QString display() const; // the command line as a shell would show it
};

class RunSession : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Running, Stopping, Finished };

    explicit RunSession(QObject* parent = nullptr);
    ~RunSession() override;

    // The command for `options`: direct when the script needs no privileges or
    // the IDE is root; else pkexec (with a display) or sudo -n (non-interactive).
    static RunCommand commandFor(const RunOptions& options, bool isRoot, bool havePkexec, bool haveSudo,
                                 bool haveDisplay);
    static RunCommand commandFor(const RunOptions& options); // for this process and system

    void start(const RunOptions& options);
    void stop(); // SIGINT: tstap detaches, runs end probes, prints, exits
    void kill();
    State state() const { return state_; }
    qint64 pid() const { return process_.processId(); }
    const RunCommand& command() const { return command_; }
    qint64 elapsedMs() const { return clock_.isValid() ? clock_.elapsed() : 0; }

signals:
    void started();
    void event(const taprun::RunEvent& event);
    void stderrLine(const QString& line);
    void finished(int exitCode, bool crashed);
    void failedToStart(const QString& message);

private:
    void readStdout();
    void readStderr();

    QProcess process_;
    RunProtocol protocol_;
    QByteArray stderrPending_;
    State state_ = State::Idle;
    RunCommand command_;
    QElapsedTimer clock_;
};

} // namespace taprun
