// Go to definition (F12, Ctrl+click): what the name at a position of a
// script refers to and where it is declared — the script's own functions,
// globals, parameters, locals and probe aliases (from the latest analysis),
// else tapset functions and aliases (from the catalogue's tapset library,
// which keeps each one's file and line). Plain logic; the perspective opens
// the location (tapset files read-only).
#pragma once

#include "catalogue_indexer.h"
#include "script_analysis.h"

#include <QString>

#include <string>
#include <string_view>
#include <vector>

namespace tapide {

struct DefinitionTarget {
    enum Kind { None, ScriptFunction, Global, Parameter, Local, ScriptAlias, TapsetFunction, TapsetAlias };
    Kind kind = None;
    QString name;     // the function, variable or probe point
    QString file;     // "" when the definition is in the script itself
    int line = 0;     // 1-based
    int col = 1;      // 1-based byte column
    int offset = -1;  // in the script: byte offset of the declaration (when known)
    QString reason;   // Kind None: why there is nothing to go to (for the status bar)

    bool valid() const { return kind != None; }
    bool inScript() const { return valid() && file.isEmpty(); }
    // "function foo", "global counts", "alias syscall.read (tapsets/syscalls.stp:120)"
    QString describe() const;
};
QString definitionKindName(DefinitionTarget::Kind kind);

// The definition of the name (or probe point) at byte offset `pos` of `text`.
DefinitionTarget findDefinition(std::string_view text, int pos, const ScriptAnalysis& analysis,
                                const CatalogueSnapshotPtr& snapshot);

// The probe point at byte offset `pos` when it lies in a probe (or alias)
// header, as written without spaces and without a trailing ? or !; "" otherwise.
std::string probePointAt(std::string_view text, int pos);

// The probe points of the probe whose header or body holds byte offset
// `pos` (found from tokens alone, so it works on scripts that do not parse).
std::vector<std::string> enclosingProbePoints(std::string_view text, int pos);

// Every probe point of the script's probe headers (not the names aliases
// define), as enclosingProbePoints() spells them; from tokens alone.
std::vector<std::string> scriptProbePoints(std::string_view text);

} // namespace tapide
