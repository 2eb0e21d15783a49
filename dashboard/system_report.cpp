#include "system_report.h"

#include "app_paths.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace tapdash {

SystemReport SystemReport::fromOutput(const QByteArray& stdoutBytes, const QString& stderrText, int exitCode) {
    SystemReport r;
    QJsonParseError parseError;
    QJsonDocument doc = QJsonDocument::fromJson(stdoutBytes.trimmed(), &parseError);
    if (exitCode != 0 || !doc.isObject() || doc.object().value("t").toString() != "capabilities") {
        r.error = QObject::tr("tstap --probe-capabilities failed (exit %1): %2")
                      .arg(exitCode)
                      .arg(stderrText.trimmed().isEmpty() ? parseError.errorString() : stderrText.trimmed());
        return r;
    }
    r.json = doc.object();
    return r;
}

std::pair<bool, QString> SystemReport::capability(const QString& name) const {
    if (!valid()) return {false, QObject::tr("the system report is not available: %1").arg(error)};
    if (name == "btf") {
        QJsonObject kernel = json.value("kernel").toObject();
        return {kernel.value("btf").toBool(), kernel.value("btfDetail").toString()};
    }
    for (const QJsonValue& v : json.value("attach").toArray()) {
        QJsonObject check = v.toObject();
        if (check.value("name").toString() == name) return {check.value("ok").toBool(), check.value("detail").toString()};
    }
    return {false, QObject::tr("tstap did not report '%1'").arg(name)};
}

bool SystemReport::privileged() const {
    QJsonObject p = json.value("privileges").toObject();
    return p.value("euid").toInt(-1) == 0 || (p.value("capBpf").toBool() && p.value("capPerfmon").toBool());
}

QString whyModuleCannotRun(const Module& module, const SystemReport& report) {
    if (!report.valid()) return {};
    QStringList reasons;
    for (const QString& name : module.manifest.needs) {
        auto [ok, detail] = report.capability(name);
        // Without privileges every kernel attach is refused: that is what
        // elevation (pkexec/sudo) is for, not a missing capability.
        if (!ok && !(name != "btf" && !report.privileged()))
            reasons << QObject::tr("needs %1: %2").arg(name, detail);
    }
    return reasons.join("; ");
}

SystemProbe::SystemProbe(QObject* parent) : QObject(parent) {
    connect(&process_, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        report_ = SystemReport::fromOutput(process_.readAllStandardOutput(),
                                           QString::fromUtf8(process_.readAllStandardError()),
                                           status == QProcess::CrashExit ? -1 : code);
        emit finished(report_);
    });
    connect(&process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart) return;
        report_ = SystemReport{};
        report_.error = tr("cannot start tstap: %1").arg(process_.errorString());
        emit finished(report_);
    });
}

SystemProbe::~SystemProbe() {
    process_.disconnect(this);
    if (running()) {
        process_.kill();
        process_.waitForFinished(1000);
    }
}

void SystemProbe::start() {
    if (running()) return;
    QString tstap = taprun::tstapPath();
    if (tstap.isEmpty()) {
        report_ = SystemReport{};
        report_.error = tr("tstap was not found next to tapstudio or in PATH");
        emit finished(report_);
        return;
    }
    process_.start(tstap, {"--probe-capabilities", "--json"});
}

} // namespace tapdash
