// The System view's data: `tstap --probe-capabilities --json` run as a child
// process (the IDE never probes the kernel itself), and what it means for a
// module: whether it can run here, and why not.
#pragma once

#include "module_library.h"

#include <QJsonObject>
#include <QObject>
#include <QProcess>

namespace tapdash {

struct SystemReport {
    QJsonObject json; // the report as tstap wrote it
    QString error;    // why there is no report
    bool valid() const { return error.isEmpty() && !json.isEmpty(); }

    static SystemReport fromOutput(const QByteArray& stdoutBytes, const QString& stderrText, int exitCode);
    // {ok, detail} of an attach kind, or of "btf"; ok=false with a reason when unknown.
    std::pair<bool, QString> capability(const QString& name) const;
    bool privileged() const; // root, or CAP_BPF and CAP_PERFMON
};

// "" when the module can run here; otherwise why not (each missing capability with its reason).
QString whyModuleCannotRun(const Module& module, const SystemReport& report);

// Runs the probe off the UI thread (a child process) and reports once.
class SystemProbe : public QObject {
    Q_OBJECT
  public:
    explicit SystemProbe(QObject* parent = nullptr);
    ~SystemProbe() override; // a probe still running is killed, unheard
    void start(); // again: a fresh report
    bool running() const { return process_.state() != QProcess::NotRunning; }
    const SystemReport& report() const { return report_; }

  signals:
    void finished(const tapdash::SystemReport& report);

  private:
    QProcess process_;
    SystemReport report_;
};

} // namespace tapdash
