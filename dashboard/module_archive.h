// A module as one .tar.gz (libarchive): a single top-level folder named
// after the module's id holding module.json, the script, the graph set and
// any other files of the module folder (docs/dashboard.md). Import checks
// everything before installing anything: safe paths only (no absolute
// paths, no "..", no links or devices), one module folder, a valid
// manifest, and `tstap -p2` accepting the script.
#pragma once

#include "module_library.h"

#include <QString>

namespace tapdash {

bool exportModule(const Module& module, const QString& archivePath, QString* error);

struct ImportResult {
    bool ok = false;
    QString installedDir; // the module's folder after installing
    QString id;
    QString error;        // what is wrong, for a person
};

// Installs the archive's module into `modulesRoot/<id>` (refused when that
// folder exists). `tstap` checks the script (tstap -p2); blocking: call it
// off the UI thread.
ImportResult importModule(const QString& archivePath, const QString& modulesRoot, const QString& tstap);

// `tstap -p2 SCRIPT` (with the module's -c command for process.* probes);
// "" when it passes, else tstap's diagnostics. Blocking.
QString checkScript(const QString& tstap, const QString& scriptPath, const QString& command);

} // namespace tapdash
