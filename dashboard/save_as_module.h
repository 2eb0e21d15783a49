// "Save as module": a script and its graph set become a module folder
// (module.json, the script, graphs.json) in one step, from the IDE or the
// Graph perspective.
#pragma once

#include "module_manifest.h"

#include "graph_set.h"

namespace tapdash {

// Writes `modulesRoot/<manifest.id>/`; the manifest's script and graphs
// names are set here. Refuses an existing folder. Returns the folder, or ""
// with `error`.
QString saveAsModule(const QString& scriptPath, const tapgraphs::GraphSet& graphs, ModuleManifest manifest,
                     const QString& modulesRoot, QString* error);

// A manifest for a script: id and name from the file name, the script's
// first comment as its description, and the capabilities its probes need
// (guessed from the probe points in the text; the user can edit them).
ModuleManifest manifestForScript(const QString& scriptPath);

} // namespace tapdash
