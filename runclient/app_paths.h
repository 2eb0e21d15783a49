// Where the application finds its companions: the tstap binary, the
// bundled example scripts, the tapset libraries.
#pragma once

#include <QString>
#include <QStringList>

namespace taprun {

// tstap next to the running binary, else in PATH; "" when not found.
// TAPSTUDIO_TSTAP overrides both.
QString tstapPath();

// The directory of the bundled examples (resources/examples in the source
// tree, or share/tapstudio/examples when installed); "" when missing.
QString examplesDir();

// The example scripts (*.stp), sorted by file name.
QStringList exampleScripts();

// The first comment line of a script (its one-line description), or "".
QString scriptSummary(const QString& path);

// Whether a file is part of a tapset library (ours or stap's, or a macro
// file): read-only in the IDE, and not a script to run.
bool isTapsetFile(const QString& path);

} // namespace taprun
