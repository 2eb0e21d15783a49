#include "run_session.h"

#include <QFileInfo>
#include <QStandardPaths>

#include <csignal>
#include <unistd.h>

namespace taprun {

QString RunCommand::display() const {
    QStringList parts{program};
    for (const QString& a : arguments)
        parts << (a.contains(' ') || a.isEmpty() ? "'" + a + "'" : a);
    return parts.join(' ');
}

RunSession::RunSession(QObject* parent) : QObject(parent) {
    process_.setProcessChannelMode(QProcess::SeparateChannels);
    connect(&process_, &QProcess::readyReadStandardOutput, this, &RunSession::readStdout);
    connect(&process_, &QProcess::readyReadStandardError, this, &RunSession::readStderr);
    connect(&process_, &QProcess::started, this, [this] {
        state_ = State::Running;
        emit started();
    });
    connect(&process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError err) {
        if (err == QProcess::FailedToStart) {
            state_ = State::Finished;
            emit failedToStart(process_.errorString());
        }
    });
    connect(&process_, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        readStdout();
        readStderr();
        for (const RunEvent& e : protocol_.flush())
            emit event(e);
        if (!stderrPending_.isEmpty()) {
            emit stderrLine(QString::fromUtf8(stderrPending_));
            stderrPending_.clear();
        }
        state_ = State::Finished;
        emit finished(code, status == QProcess::CrashExit);
    });
}

RunSession::~RunSession() {
    if (process_.state() != QProcess::NotRunning) {
        process_.disconnect(this);
        stop();
        if (!process_.waitForFinished(2000)) {
            process_.kill();
            process_.waitForFinished(1000);
        }
    }
}

RunCommand RunSession::commandFor(const RunOptions& o, bool isRoot, bool havePkexec, bool haveSudo,
                                  bool haveDisplay) {
    RunCommand c;
    QStringList tstapArgs;
    tstapArgs << "--json" << o.options;
    for (const QString& host : o.hosts)
        tstapArgs << "--remote" << host;
    tstapArgs << o.script << o.scriptArgs;
    if (!o.needsPrivileges || isRoot || !o.hosts.isEmpty()) {
        c.program = o.tstap;
        c.arguments = tstapArgs;
    } else if (havePkexec && haveDisplay) {
        c.program = "pkexec";
        c.arguments = QStringList{o.tstap} + tstapArgs;
        c.escalation = "pkexec";
    } else if (haveSudo) {
        c.program = "sudo";
        c.arguments = QStringList{"-n", o.tstap} + tstapArgs;
        c.escalation = "sudo";
    } else {
        c.program = o.tstap; // tstap explains that it needs root
        c.arguments = tstapArgs;
    }
    return c;
}

RunCommand RunSession::commandFor(const RunOptions& options) {
    bool display = !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
    return commandFor(options, geteuid() == 0, !QStandardPaths::findExecutable("pkexec").isEmpty(),
                      !QStandardPaths::findExecutable("sudo").isEmpty(), display);
}

void RunSession::start(const RunOptions& options) {
    command_ = commandFor(options);
    if (!options.workingDir.isEmpty())
        process_.setWorkingDirectory(options.workingDir);
    else
        process_.setWorkingDirectory(QFileInfo(options.script).absolutePath());
    clock_.start();
    state_ = State::Running;
    process_.start(command_.program, command_.arguments);
}

void RunSession::stop() {
    if (process_.state() == QProcess::NotRunning)
        return;
    state_ = State::Stopping;
    qint64 pid = process_.processId();
    if (pid > 0)
        ::kill(pid_t(pid), SIGINT);
    process_.closeWriteChannel(); // a privileged child we may not signal sees EOF
}

void RunSession::kill() {
    if (process_.state() != QProcess::NotRunning)
        process_.kill();
}

void RunSession::readStdout() {
    QByteArray bytes = process_.readAllStandardOutput();
    if (bytes.isEmpty())
        return;
    for (const RunEvent& e : protocol_.feed(bytes))
        emit event(e);
}

void RunSession::readStderr() {
    stderrPending_ += process_.readAllStandardError();
    int start = 0;
    for (;;) {
        int nl = stderrPending_.indexOf('\n', start);
        if (nl < 0)
            break;
        emit stderrLine(QString::fromUtf8(stderrPending_.mid(start, nl - start + 1)));
        start = nl + 1;
    }
    stderrPending_.remove(0, start);
}

} // namespace taprun
