// The functions of an ELF binary, for completion inside
// `process("PATH").function("|")`, the catalogue's "Functions of <binary>"
// group, and the $variables of `process("PATH").function("NAME")` probes:
// core's ELF reader (core/elf) and probe listing (DWARF, as `tstap -L`).
// Kept in an in-memory cache keyed by path + mtime (thread-safe). Reading a
// big binary takes a while: UI code uses cachedElfFunctions() and
// loadElfFunctionsAsync().
#pragma once

#include <QFuture>
#include <QHash>
#include <QPair>
#include <QVector>
#include <QString>
#include <QStringList>

#include <memory>

namespace tapide {

struct ElfFunctionTable {
    QString path;          // absolute
    qint64 mtime = 0;      // ms since the epoch
    QStringList functions; // sorted, unique
    bool hasDwarf = false;   // else only the symbol tables
    // $variables (name, C type) of each function's probe, by function name;
    // "NAME.return" for its .return probe.
    QHash<QString, QVector<QPair<QString, QString>>> variables;
    QString error;         // "" when read
};
using ElfFunctionTablePtr = std::shared_ptr<const ElfFunctionTable>;

// Like stap: a name with a '/' is a path (relative to the working directory),
// else it is looked up in $PATH. Returns the canonical path, or "" if none.
QString resolveBinaryPath(const QString& name);
// Reads (or returns the cached, still-fresh table of) `path`. Blocks: not on the UI thread
// for big binaries. Never null; `error` says what failed.
ElfFunctionTablePtr readElfFunctions(const QString& path);
// The cached table of `path` if its mtime did not change, else null. Does not read.
ElfFunctionTablePtr cachedElfFunctions(const QString& path);
// readElfFunctions on a worker thread.
QFuture<ElfFunctionTablePtr> loadElfFunctionsAsync(const QString& path);

} // namespace tapide
