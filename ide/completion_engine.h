// Context-aware, fuzzy-ranked completion, signature help and hover docs for
// SystemTap scripts. Plain logic over the script text, the latest analysis
// of the file (script_analysis.h) and the catalogue snapshot
// (catalogue_indexer.h); the editor glue is in editor_completion.h.
//
//   probe |                  probe families (begin, kernel, syscall, scheduler ...)
//   probe syscall.|          the next component (open, read ...)
//   probe kernel.trace("|    tracepoint names (sched:sched_switch ...)
//   probe process("/bin/ls").function("|   the binary's function symbols (elf_symbols.h)
//   probe begin { |          locals, $variables, globals, functions, keywords
//   probe begin { $|         the $variables of the enclosing probe, with types
//   $prev->|                 the struct's members (BTF, or the program's DWARF)
//   top level |              probe, global, function, private, @define, snippets
#pragma once

#include "catalogue_indexer.h"
#include "script_analysis.h"

#include <QString>
#include <QVector>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tapide {

enum class CompletionKind {
    Local,
    TargetVar,
    Global,
    ScriptFunction,
    Function,
    Builtin,
    AtOperator,
    Keyword,
    ProbeComponent,
    ProbePoint,
    Tracepoint,
    Snippet,
    Member, // a struct member after ->
};
QString completionKindName(CompletionKind kind);

struct CompletionItem {
    QString label;   // what the list shows
    QString name;    // what the prefix is matched against
    QString insert;  // the text that replaces the prefix
    int cursor = -1; // cursor position inside `insert` afterwards (-1: at the end)
    int select = 0;  // characters selected from `cursor` (a placeholder)
    QString detail;  // a type or a one-line summary
    QString doc;     // longer documentation (plain text)
    CompletionKind kind = CompletionKind::Keyword;
    int score = 0;
    bool retrigger = false; // open completion again after inserting
};

enum class CompletionContextKind {
    None,       // nowhere sensible (in a comment, a plain string, a declaration name)
    TopLevel,
    ProbePoint, // in a probe header, completing a component
    ProbeString, // in a probe point's string argument: kernel.trace("|")
    Body,       // in a probe or function body
};

struct CompletionContext {
    CompletionContextKind kind = CompletionContextKind::None;
    int replaceStart = 0, replaceEnd = 0; // byte range the chosen item replaces
    std::string prefix;                   // the typed text being completed
    std::vector<std::string> components;  // probe point components before the cursor's one
    std::string header;                   // the enclosing probe's points as written
    int scopeStart = -1;                  // byte offset of the enclosing body's `{`
    bool afterArrow = false;              // after ->: a struct field
    // In a function body: its parameters as written (name, type or "").
    std::vector<std::pair<std::string, std::string>> params;
};

struct CompletionResult {
    CompletionContext context;
    QVector<CompletionItem> items; // best first
    bool partial = false; // the catalogue index was not complete yet
    // Inside process("PATH").function("|") whose symbols are not read yet: the
    // resolved binary. The caller loads it (loadElfFunctionsAsync) and completes again.
    QString pendingBinary;
    // No items: why ("struct task_struct has no member 'x'"), shown in their place.
    QString emptyReason;
};

struct SignatureHelp {
    bool valid = false;
    QString signature;          // "substr:string (str:string, start:long, length:long)"
    int paramStart = -1, paramEnd = -1; // the current parameter within `signature`
    QString summary;            // doc summary
    int argument = 0;           // 0-based index of the argument being typed
    int callStart = -1;         // byte offset of the `(`
};

// What hover shows about a name: a title (a signature, a declaration) and
// plain-text documentation, for the token at [start, end).
struct HoverDoc {
    QString title;
    QString body;
    int start = -1, end = -1;
    bool empty() const { return title.isEmpty(); }
    QString html() const; // for a tooltip; "" when empty
};

class CompletionEngine {
public:
    static CompletionContext contextAt(std::string_view text, int cursor);

    CompletionResult complete(std::string_view text, int cursor, const ScriptAnalysis& analysis,
                              const CatalogueSnapshotPtr& snapshot, size_t limit = 300);
    SignatureHelp signatureAt(std::string_view text, int cursor, const ScriptAnalysis& analysis,
                              const CatalogueSnapshotPtr& snapshot) const;
    // What to show about the word at `pos` (empty when nothing is known).
    HoverDoc hoverDocAt(std::string_view text, int pos, const ScriptAnalysis& analysis,
                        const CatalogueSnapshotPtr& snapshot) const;
    // hoverDocAt() as HTML for a tooltip, or "".
    QString hoverAt(std::string_view text, int pos, const ScriptAnalysis& analysis,
                    const CatalogueSnapshotPtr& snapshot) const {
        return hoverDocAt(text, pos, analysis, snapshot).html();
    }

    // "kernel.trace(\"a.b\").return" -> kernel, trace("a.b"), return
    static std::vector<std::string> splitPoint(std::string_view point);
    // The functor of a component: trace("x") -> trace
    static std::string functorOf(std::string_view component);

private:
    struct PointEntry {
        std::vector<std::string> components;
        const void* source = nullptr; // tap::ListedProbe* or TapsetAlias*
        std::string point, doc;
        bool isAlias = false;
    };
    const std::vector<PointEntry>& pointEntries(const CatalogueSnapshotPtr& snapshot);
    void addProbePointItems(const CompletionContext& ctx, const CatalogueSnapshotPtr& snapshot,
                            QVector<CompletionItem>& out);
    void addTracepointItems(const CompletionContext& ctx, const CatalogueSnapshotPtr& snapshot,
                            QVector<CompletionItem>& out);
    // process("PATH").function("|"): the binary's functions, or `pending` = the binary to read.
    static void addBinaryFunctionItems(const CompletionContext& ctx, QVector<CompletionItem>& out,
                                       QString& pending);
    // After `$var->a->`: the members of what it points to.
    void addMemberItems(std::string_view text, const CompletionContext& ctx, const ScriptAnalysis& analysis,
                        const CatalogueSnapshotPtr& snapshot, CompletionResult& r);
    void addBodyItems(std::string_view text, const CompletionContext& ctx, const ScriptAnalysis& analysis,
                      const CatalogueSnapshotPtr& snapshot, QVector<CompletionItem>& out);

    const CatalogueSnapshot* entriesFor_ = nullptr;
    std::vector<PointEntry> entries_;
};

// The variables a probe point offers according to the catalogue index:
// alias locals first, then $variables. Empty when unknown.
QVector<VarInfo> probePointVariables(const CatalogueSnapshotPtr& snapshot, const std::string& point);
// The program a process("PATH").function("NAME")[.return] point probes
// (resolved), with the function's name; "" for other points.
QString programPointBinary(const std::string& point, QString* function = nullptr, bool* isReturn = nullptr);

} // namespace tapide
