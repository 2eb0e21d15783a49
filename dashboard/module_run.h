// One running module: its script as its own `tstap --json` session
// (runclient/) on a reader thread of its own, feeding the module's graph set
// (graphs/'s SessionData, the same data sets the Graph perspective fills).
// The reader also keeps the run's raw output (text, diagnostics, stderr) in
// a bounded buffer; the UI takes what is new on a timer, so a chatty script
// never floods the event loop.
#pragma once

#include "module_library.h"

#include "run_session.h"
#include "session_data.h"

#include <QMutex>
#include <QObject>
#include <QThread>

#include <memory>

namespace tapdash {

class ModuleReader;

// What a run is started with: the module's defaults, edited before the run.
struct RunSettings {
    QStringList arguments;
    QVector<std::pair<QString, QString>> globals;
    QString command;
    QString http; // --http: where the run publishes /metrics and /procfs/NAME ("" nowhere)
    static RunSettings defaultsOf(const ModuleManifest& manifest);
};

// The raw output of a run, shared by the reader (appends) and the UI (reads).
class RawOutput {
  public:
    static constexpr qsizetype kMaxChars = 512 * 1024; // the oldest text goes first
    void append(const QString& text);
    QString all() const;
    qint64 totalAppended() const;

  private:
    mutable QMutex lock_;
    QString text_;
    qint64 total_ = 0;
};

class ModuleRun : public QObject {
    Q_OBJECT
  public:
    enum class State { Starting, Running, Stopping, Finished, Failed };

    ModuleRun(const Module& module, const RunSettings& settings, QObject* parent = nullptr);
    ~ModuleRun() override; // stops the script (SIGINT) and waits for the reader

    static taprun::RunOptions optionsFor(const Module& module, const RunSettings& settings, const QString& tstap);

    void start();
    void stop();
    const Module& module() const { return module_; }
    State state() const { return state_; }
    QString statusText() const { return status_; }
    std::shared_ptr<tapgraphs::SessionData> data() const { return data_; }
    std::shared_ptr<RawOutput> output() const { return output_; }
    QString commandLine() const { return commandLine_; }

  signals:
    void stateChanged(tapdash::ModuleRun::State state, const QString& status);

  private:
    void setState(State state, const QString& status);

    Module module_;
    RunSettings settings_;
    std::shared_ptr<tapgraphs::SessionData> data_;
    std::shared_ptr<RawOutput> output_;
    QThread thread_;
    ModuleReader* reader_;
    State state_ = State::Starting;
    QString status_;
    QString commandLine_;
};

} // namespace tapdash
