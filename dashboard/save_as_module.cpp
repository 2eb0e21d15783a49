#include "save_as_module.h"

#include "app_paths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>

namespace tapdash {

ModuleManifest manifestForScript(const QString& scriptPath) {
    ModuleManifest m;
    QString base = QFileInfo(scriptPath).completeBaseName();
    m.id = base.toLower().replace(QRegularExpression("[^a-z0-9._-]+"), "-");
    m.id.remove(QRegularExpression("^[^a-z0-9]+"));
    m.name = base;
    m.category = "My modules";
    m.description = taprun::scriptSummary(scriptPath);
    if (m.description.isEmpty()) m.description = QObject::tr("The script %1.").arg(QFileInfo(scriptPath).fileName());
    m.author = qEnvironmentVariable("USER");
    m.version = "1.0";
    QFile f(scriptPath);
    QString text = f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    // Which kinds of probe the text names; begin/end/timer.s need nothing.
    struct Rule {
        const char* pattern;
        const char* capability;
    };
    static const Rule rules[] = {
        {R"(\bprobe\s+[^{]*(kernel\.trace|syscall|scheduler|netdev|signal|vm\.|irq|softirq|kprocess|ioblock))",
         "tracepoint"},
        {R"(\bprobe\s+[^{]*(process[.(]))", "uprobe"},
        {R"(\bprobe\s+[^{]*(perf\.|timer\.profile))", "perf_event"},
        {R"(\bprobe\s+[^{]*kernel\.function)", "kprobe"},
    };
    for (const Rule& r : rules)
        if (QRegularExpression(r.pattern).match(text).hasMatch()) m.needs << r.capability;
    if (!m.needs.isEmpty()) m.needs << "ring_buffer";
    return m;
}

QString saveAsModule(const QString& scriptPath, const tapgraphs::GraphSet& graphs, ModuleManifest manifest,
                     const QString& modulesRoot, QString* error) {
    manifest.script = "script.stp";
    manifest.graphs = "graphs.json";
    ManifestReading check = parseManifest(QJsonDocument(manifest.toJson()).toJson(), QString());
    for (const ManifestProblem& p : check.problems)
        if (p.field != "script" && p.field != "graphs") { // those files are written below
            *error = p.text();
            return {};
        }
    if (graphs.charts.isEmpty()) {
        *error = QObject::tr("the graph set has no charts: plot the script first (Run ▸ Run with graphs…)");
        return {};
    }
    QString dir = QDir(modulesRoot).filePath(manifest.id);
    if (QFileInfo::exists(dir)) {
        *error = QObject::tr("%1 already exists; choose another id").arg(dir);
        return {};
    }
    tapgraphs::GraphSet set = graphs;
    set.script = manifest.script;
    QFile manifestFile(QDir(dir).filePath(kManifestFile));
    if (!QDir().mkpath(dir) || !QFile::copy(scriptPath, QDir(dir).filePath(manifest.script)) ||
        !set.save(QDir(dir).filePath(manifest.graphs), error) || !manifestFile.open(QIODevice::WriteOnly) ||
        manifestFile.write(QJsonDocument(manifest.toJson()).toJson()) < 0) {
        if (error->isEmpty()) *error = QObject::tr("cannot write the module in %1").arg(dir);
        QDir(dir).removeRecursively();
        return {};
    }
    return dir;
}

} // namespace tapdash
