#include "elf_symbols.h"

#include <QFileInfo>
#include <QHash>
#include <QtConcurrent>

#include "dwarf/dwarf_index.h"
#include "elf/elf_binary.h"
#include "listing.h"

#include <mutex>

namespace tapide {

namespace {

std::mutex cacheMutex;
QHash<QString, ElfFunctionTablePtr>& cache() {
    static QHash<QString, ElfFunctionTablePtr> c;
    return c;
}

qint64 mtimeOf(const QString& path) {
    QFileInfo fi(path);
    return fi.exists() ? fi.lastModified().toMSecsSinceEpoch() : -1;
}

ElfFunctionTablePtr readUncached(const QString& path, qint64 mtime) {
    auto table = std::make_shared<ElfFunctionTable>();
    table->path = path;
    table->mtime = mtime;
    std::string error;
    auto binary = tap::elf::ElfBinary::open(path.toStdString(), error);
    if (!binary) {
        table->error = QString::fromStdString(error);
        return table;
    }
    for (const tap::elf::Symbol& f : binary->functions())
        table->functions << QString::fromStdString(f.name);
    if (table->functions.isEmpty())
        table->error = QString("%1 has no function symbols").arg(path);
    const tap::dwarf::DebugInfo* debug = tap::dwarf::DebugInfo::of(path.toStdString(), error);
    table->hasDwarf = debug && debug->hasDwarf();
    if (!table->hasDwarf)
        return table;
    // What `tstap -L` lists for the function entries and returns, by
    // function name ("add", "add.return"), from one listing.
    std::string function = "process(\"" + path.toStdString() + "\").function(\"*\")";
    for (const tap::ListedProbe& p : tap::listProbePoints({}, function + ", " + function + ".return", true).probes) {
        if (p.components.size() < 2 || !p.components[1].string)
            continue;
        std::string spec = *p.components[1].string;
        bool isReturn = p.components.back().functor == "return";
        QString name = QString::fromStdString(spec.substr(0, spec.find('@'))) + (isReturn ? ".return" : "");
        QVector<QPair<QString, QString>>& vars = table->variables[name];
        for (const tap::ListedVariable& v : p.variables)
            vars.push_back({QString::fromStdString(v.name), QString::fromStdString(v.type)});
    }
    return table;
}

} // namespace

QString resolveBinaryPath(const QString& name) {
    return QString::fromStdString(tap::elf::resolveExecutable(name.toStdString()));
}

ElfFunctionTablePtr cachedElfFunctions(const QString& path) {
    qint64 mtime = mtimeOf(path);
    std::lock_guard<std::mutex> lock(cacheMutex);
    ElfFunctionTablePtr t = cache().value(path);
    return t && t->mtime == mtime ? t : nullptr;
}

ElfFunctionTablePtr readElfFunctions(const QString& path) {
    if (ElfFunctionTablePtr t = cachedElfFunctions(path))
        return t;
    qint64 mtime = mtimeOf(path);
    ElfFunctionTablePtr t = readUncached(path, mtime);
    if (mtime >= 0) {
        std::lock_guard<std::mutex> lock(cacheMutex);
        cache().insert(path, t);
    }
    return t;
}

QFuture<ElfFunctionTablePtr> loadElfFunctionsAsync(const QString& path) {
    return QtConcurrent::run([path] { return readElfFunctions(path); });
}

} // namespace tapide
