// Passes 1-2 over one script, as the IDE needs them: the diagnostics tstap
// would print, and what completion and hints want to know about the file
// (globals, functions, probes with their $variables and locals, whether any
// probe runs in the kernel). Plain function, run on a worker thread.
#pragma once

#include <QHash>
#include <QMetaType>
#include <QString>
#include <QVector>

#include <optional>
#include <string>

namespace tap {
class UserTypeTable;
}

namespace tapide {

struct ScriptDiagnostic {
    bool error = true; // else a warning
    QString phase;     // "parse", "semantic", "run-time" (reported by a run), ""
    QString file;      // as the script was named, or a tapset path
    bool inScript = true; // located in the analysed script itself
    int line = 0, col = 0; // 1-based; col in bytes
    QString message;   // "expected literal string or number"
    QString subject;   // "operator '}'"
    QString text;      // exactly what tstap prints (formatDiagnostic)
    QVector<ScriptDiagnostic> notes;
    // The first line of `text`: "parse error: expected ..."
    QString headline() const;
    // The line shown under the script line: the headline, which a run-time
    // one starts with "run-time error: " instead of tstap's "ERROR: ".
    QString annotation() const;
};

struct VarInfo {
    QString name;
    QString type; // "long", "string", "long[string]", "stats", "struct task_struct*", "" if unknown
    int line = 0, col = 0; // where it is declared in the script (1-based), 0 when unknown or elsewhere
    // A program's $variable (DWARF): its type in the binary's type table,
    // which lives as long as the process (for the members after `->`).
    const tap::UserTypeTable* userTypes = nullptr;
    int userType = -1;
};

struct ScopeInfo {
    enum Kind { Probe, Function, Alias } kind = Probe;
    QString name;          // the probe points as written, or the function name
    int headerStart = 0;   // byte offset of `probe` / the function name
    int bodyStart = -1;    // byte offset of `{`, -1 if not found
    int bodyEnd = -1;      // byte offset after the matching `}`, or end of text
    int line = 0;          // 1-based
    QVector<VarInfo> context; // $variables (probes, when elaborated)
    QVector<VarInfo> locals;  // locals and parameters
    QVector<VarInfo> aliasLocals; // probes via a tapset alias: the variables its prologue sets
    QVector<VarInfo> params;  // functions: the parameters, in order
    QString returnType;    // functions
    std::optional<bool> kernel; // the handler runs in the kernel; unknown when no point of it resolved
};

struct ScriptAnalysis {
    quint64 generation = 0;
    QString fileName;
    bool parsed = false;     // pass 1 without errors
    bool elaborated = false; // pass 2 without errors
    QVector<ScriptDiagnostic> diagnostics;
    QVector<VarInfo> globals;
    QVector<ScopeInfo> scopes; // probes, aliases and functions of the script, in file order
    std::optional<bool> hasKernelProbes; // unknown when pass 2 failed
    // While the script does not elaborate: whether each probe point of its
    // headers (spelt as enclosingProbePoints() spells it) runs in the
    // kernel, from the point elaborated on its own. Points that resolve to
    // nothing are missing, and so are timers (where a timer runs depends on
    // its handler).
    QHash<QString, bool> pointRunsInKernel;
    double elapsedMs = 0;

    int errorCount() const;
    int warningCount() const;
    // The probe/function whose body contains byte offset `offset`, or null.
    const ScopeInfo* scopeAt(int offset) const;
};

// Runs passes 1 and 2 on `text`, named `fileName` in diagnostics.
ScriptAnalysis analyseScript(const std::string& text, const QString& fileName, quint64 generation = 0);

} // namespace tapide

Q_DECLARE_METATYPE(tapide::ScriptAnalysis)
