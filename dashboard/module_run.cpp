#include "module_run.h"

#include "app_paths.h"

namespace tapdash {

using taprun::RunEvent;
using taprun::RunSession;

RunSettings RunSettings::defaultsOf(const ModuleManifest& manifest) {
    return RunSettings{manifest.arguments, manifest.globals, manifest.command, manifest.http};
}

void RawOutput::append(const QString& text) {
    QMutexLocker locker(&lock_);
    text_ += text;
    total_ += text.size();
    if (text_.size() > kMaxChars) text_.remove(0, text_.size() - kMaxChars);
}

QString RawOutput::all() const {
    QMutexLocker locker(&lock_);
    return text_;
}

qint64 RawOutput::totalAppended() const {
    QMutexLocker locker(&lock_);
    return total_;
}

// Lives on the reader thread: owns the child process, fills the data sets
// and the raw output; tells the UI only of state changes.
class ModuleReader : public QObject {
    Q_OBJECT
  public:
    ModuleReader(std::shared_ptr<tapgraphs::SessionData> data, std::shared_ptr<RawOutput> output)
        : data_(std::move(data)), output_(std::move(output)) {}

    void start(const taprun::RunOptions& options) {
        run_ = new RunSession(this);
        connect(run_, &RunSession::event, this, [this](const RunEvent& e) {
            data_->handle(e);
            switch (e.kind) {
            case RunEvent::Started: emit started(); break;
            case RunEvent::Stopped: stopped_ = e; break;
            case RunEvent::Printf:
            case RunEvent::Out:
            case RunEvent::Text:
            case RunEvent::Diag: output_->append(e.text); break;
            default: break;
            }
        });
        connect(run_, &RunSession::stderrLine, this, [this](const QString& line) { output_->append(line + "\n"); });
        connect(run_, &RunSession::failedToStart, this,
                [this](const QString& why) { emit finished(false, tr("could not start tstap: %1").arg(why)); });
        connect(run_, &RunSession::finished, this, [this](int code, bool crashed) {
            bool clean = stopped_.kind == RunEvent::Stopped && stopped_.exitCode == 0 && !crashed;
            QString summary = stopped_.kind == RunEvent::Stopped
                                  ? tr("stopped (%1), %2 records").arg(stopped_.reason).arg(data_->records())
                                  : tr("tstap exited with %1").arg(crashed ? tr("a crash") : QString::number(code));
            emit finished(clean, summary);
        });
        run_->start(options);
        emit commandLine(run_->command().display());
    }
    void stop() {
        if (run_) run_->stop();
    }

  signals:
    void started();
    void finished(bool clean, const QString& summary);
    void commandLine(const QString& display);

  private:
    std::shared_ptr<tapgraphs::SessionData> data_;
    std::shared_ptr<RawOutput> output_;
    RunSession* run_ = nullptr;
    RunEvent stopped_;
};

ModuleRun::ModuleRun(const Module& module, const RunSettings& settings, QObject* parent)
    : QObject(parent), module_(module), settings_(settings),
      data_(std::make_shared<tapgraphs::SessionData>(module.graphSet)), output_(std::make_shared<RawOutput>()),
      reader_(new ModuleReader(data_, output_)) {
    qRegisterMetaType<tapdash::ModuleRun::State>();
    reader_->moveToThread(&thread_);
    connect(reader_, &ModuleReader::started, this, [this] { setState(State::Running, tr("running")); });
    connect(reader_, &ModuleReader::commandLine, this, [this](const QString& c) { commandLine_ = c; });
    connect(reader_, &ModuleReader::finished, this, [this](bool clean, const QString& summary) {
        setState(clean ? State::Finished : State::Failed, summary);
    });
    thread_.setObjectName("module reader " + module.manifest.id);
    thread_.start();
    status_ = tr("starting");
}

ModuleRun::~ModuleRun() {
    // The reader's RunSession stops the child and waits for it when deleted.
    QMetaObject::invokeMethod(reader_, [r = reader_] { delete r; }, Qt::BlockingQueuedConnection);
    thread_.quit();
    thread_.wait();
}

taprun::RunOptions ModuleRun::optionsFor(const Module& module, const RunSettings& settings, const QString& tstap) {
    taprun::RunOptions o;
    o.tstap = tstap;
    o.script = module.scriptPath();
    o.scriptArgs = settings.arguments;
    for (const auto& [name, value] : settings.globals)
        o.options << "-G" << name + "=" + value;
    if (!settings.command.trimmed().isEmpty()) o.options << "-c" << settings.command;
    if (!settings.http.trimmed().isEmpty()) o.options << "--http" << settings.http.trimmed();
    // Every capability but BTF is a kind of kernel-side probe: root or CAP_BPF.
    for (const QString& capability : module.manifest.needs)
        o.needsPrivileges = o.needsPrivileges || capability != "btf";
    o.workingDir = module.dir;
    return o;
}

void ModuleRun::start() {
    taprun::RunOptions options = optionsFor(module_, settings_, taprun::tstapPath());
    setState(State::Starting, tr("starting"));
    QMetaObject::invokeMethod(reader_, [r = reader_, options] { r->start(options); });
}

void ModuleRun::stop() {
    if (state_ != State::Starting && state_ != State::Running) return;
    setState(State::Stopping, tr("stopping"));
    QMetaObject::invokeMethod(reader_, [r = reader_] { r->stop(); });
}

void ModuleRun::setState(State state, const QString& status) {
    state_ = state;
    status_ = status;
    emit stateChanged(state, status);
}

} // namespace tapdash

#include "module_run.moc"
