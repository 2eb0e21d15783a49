#include "completion_engine.h"

#include "member_completion.h"

#include "probe_text.h"

#include "elf_symbols.h"
#include "fuzzy_match.h"
#include "listing.h"
#include "token_scan.h"

#include <QFileInfo>

#include <algorithm>
#include <map>
#include <set>

namespace tapide {

using tap::Kw;
using tap::Op;
using tap::Tok;

QString completionKindName(CompletionKind kind) {
    switch (kind) {
    case CompletionKind::Local: return "local";
    case CompletionKind::TargetVar: return "$variable";
    case CompletionKind::Global: return "global";
    case CompletionKind::ScriptFunction: return "function (script)";
    case CompletionKind::Function: return "function";
    case CompletionKind::Builtin: return "builtin";
    case CompletionKind::AtOperator: return "operator";
    case CompletionKind::Keyword: return "keyword";
    case CompletionKind::ProbeComponent: return "probe point";
    case CompletionKind::ProbePoint: return "probe point";
    case CompletionKind::Tracepoint: return "tracepoint";
    case CompletionKind::Snippet: return "snippet";
    case CompletionKind::Member: return "member";
    }
    return {};
}

namespace {

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), int(s.size())); }

std::string trimmed(std::string_view s) {
    size_t a = 0, b = s.size();
    while (a < b && std::isspace((unsigned char)s[a]))
        ++a;
    while (b > a && std::isspace((unsigned char)s[b - 1]))
        --b;
    return std::string(s.substr(a, b - a));
}


// Kind order when scores tie (lower first).
int kindRank(CompletionKind k) { return int(k); }

struct BuiltinDoc {
    const char* name;
    const char* signature;
    const char* doc;
};

// A call of a built-in (print family, @ operators): cursor inside the parentheses.
CompletionItem builtinItem(const BuiltinDoc& b, CompletionKind kind) {
    CompletionItem it;
    it.kind = kind;
    it.name = b.name;
    it.label = b.signature;
    it.insert = QString(b.name) + "()";
    it.cursor = int(strlen(b.name)) + 1;
    it.detail = b.doc;
    return it;
}

constexpr BuiltinDoc kPrintBuiltins[] = {
    {"printf", "printf(format:string, ...)", "Prints the values formatted by the format string."},
    {"sprintf", "sprintf:string (format:string, ...)", "Returns the values formatted by the format string."},
    {"print", "print(value, ...)", "Prints the values, without separators."},
    {"println", "println(value, ...)", "Prints the values and a newline."},
    {"printd", "printd(delimiter:string, value, ...)", "Prints the values separated by the delimiter."},
    {"printdln", "printdln(delimiter:string, value, ...)",
     "Prints the values separated by the delimiter, then a newline."},
    {"sprint", "sprint:string (value, ...)", "Returns the values as a string."},
    {"sprintln", "sprintln:string (value, ...)", "Returns the values and a newline as a string."},
    {"sprintd", "sprintd:string (delimiter:string, value, ...)", "Returns the values separated by the delimiter."},
    {"sprintdln", "sprintdln:string (delimiter:string, value, ...)",
     "Returns the values separated by the delimiter and a newline."},
};

constexpr BuiltinDoc kAtOperators[] = {
    {"@count", "@count(stat)", "Number of values aggregated into a statistic."},
    {"@sum", "@sum(stat)", "Sum of the values of a statistic."},
    {"@min", "@min(stat)", "Smallest value of a statistic."},
    {"@max", "@max(stat)", "Largest value of a statistic."},
    {"@avg", "@avg(stat)", "Average of the values of a statistic."},
    {"@variance", "@variance(stat [, shift])", "Variance of the values of a statistic."},
    {"@hist_log", "@hist_log(stat)", "Logarithmic (base 2) histogram of a statistic."},
    {"@hist_linear", "@hist_linear(stat, low, high, step)", "Linear histogram of a statistic."},
    {"@cast", "@cast(address, \"type\" [, \"module\"])->field", "Reads a typed value at an address."},
    {"@defined", "@defined(expression)", "1 when the expression (a $variable) resolves, else 0."},
    {"@entry", "@entry(expression)", "In a .return probe: the value of the expression at entry."},
    {"@var", "@var(\"name\" [, \"module\"])", "A global variable of the kernel or a module."},
    {"@perf", "@perf(\"name\")", "The value of a perf counter bound with perf.counter."},
    {"@choose_defined", "@choose_defined(a, b)", "a when it is defined, else b (tapset macro)."},
    {"@const", "@const(\"NAME\")", "The value of a kernel constant (guru mode)."},
};

constexpr const char* kBodyKeywords[] = {"if",    "else",     "for",  "foreach", "while", "in",
                                         "limit", "return",   "delete", "break", "continue",
                                         "next",  "try",      "catch"};

struct Snippet {
    const char* label;
    const char* name;
    const char* text;
    int cursorBack; // cursor position = text length - cursorBack
    const char* doc;
};

constexpr Snippet kTopSnippets[] = {
    {"probe begin { ... }", "probe begin", "probe begin {\n    \n}\n", 3, "runs once when the session starts"},
    {"probe end { ... }", "probe end", "probe end {\n    \n}\n", 3, "runs once when the session ends"},
    {"probe timer.s(N) { ... }", "probe timer", "probe timer.s(1) {\n    \n}\n", 3, "runs every N seconds"},
    {"function name:type (args) { ... }", "function", "function name:long (arg:long) {\n    return arg\n}\n", 0,
     "a script function"},
    {"global name", "global", "global ", 0, "a global variable"},
};

constexpr const char* kTopKeywords[] = {"probe", "global", "function", "private", "@define"};

CompletionItem functionItem(const TapsetFunction& f, CompletionKind kind) {
    CompletionItem it;
    it.kind = kind;
    it.name = qs(f.name);
    it.label = qs(f.callSignature());
    if (!f.returnType.empty())
        it.label += " : " + qs(f.returnType);
    it.insert = it.name + "()";
    it.cursor = f.params.empty() ? -1 : int(it.name.size()) + 1;
    it.detail = qs(f.doc.summary);
    it.doc = qs(f.signature());
    if (!f.doc.description.empty())
        it.doc += "\n\n" + qs(f.doc.description);
    return it;
}

// The variables the enclosing probe offers: elaborated context first, else the index.
void scopeVariables(const CompletionContext& ctx, const ScriptAnalysis& analysis,
                    const CatalogueSnapshotPtr& snapshot, QVector<VarInfo>& targets,
                    QVector<VarInfo>& locals, bool& isFunction) {
    isFunction = false;
    const ScopeInfo* scope = nullptr;
    std::string header = withoutSpace(ctx.header);
    for (const ScopeInfo& s : analysis.scopes) {
        if (withoutSpace(s.name.toStdString()) == header && !header.empty()) {
            scope = &s;
            break;
        }
    }
    if (!scope && ctx.scopeStart >= 0)
        scope = analysis.scopeAt(ctx.scopeStart + 1);
    if (scope) {
        isFunction = scope->kind == ScopeInfo::Function;
        for (const VarInfo& v : scope->context)
            targets.push_back(v);
        for (const VarInfo& v : scope->aliasLocals)
            locals.push_back(v);
        for (const VarInfo& v : scope->locals)
            locals.push_back(v);
    }
    if (targets.isEmpty() && !header.empty()) {
        // Each point of the header: the catalogue knows its variables.
        for (const std::string& point : splitProbePoints(header)) {
            for (const VarInfo& v : probePointVariables(snapshot, point)) {
                bool target = v.name.startsWith('$');
                QVector<VarInfo>& into = target ? targets : locals;
                bool seen = false;
                for (const VarInfo& o : into)
                    seen = seen || o.name == v.name;
                if (!seen)
                    into.push_back(v);
            }
        }
    }
}

} // namespace

std::vector<std::string> CompletionEngine::splitPoint(std::string_view point) {
    std::vector<std::string> out;
    std::string cur;
    int depth = 0;
    bool inString = false;
    for (size_t i = 0; i < point.size(); ++i) {
        char c = point[i];
        if (c == '"' && (i == 0 || point[i - 1] != '\\'))
            inString = !inString;
        if (!inString) {
            if (c == '(')
                ++depth;
            else if (c == ')')
                --depth;
            else if (c == '.' && depth == 0) {
                out.push_back(cur);
                cur.clear();
                continue;
            }
        }
        cur += c;
    }
    if (!cur.empty() || !out.empty())
        out.push_back(cur);
    return out;
}

std::string CompletionEngine::functorOf(std::string_view component) {
    size_t paren = component.find('(');
    return std::string(component.substr(0, paren));
}

CompletionContext CompletionEngine::contextAt(std::string_view text, int cursor) {
    CompletionContext ctx;
    cursor = std::clamp(cursor, 0, int(text.size()));
    ctx.replaceStart = ctx.replaceEnd = cursor;
    TokenScan scan = scanTokens(text);
    for (const ScannedComment& c : scan.comments) {
        bool closed = c.block && c.end - c.start >= 4 && text.substr(c.end - 2, 2) == "*/";
        bool inside = c.block ? (cursor > c.start && (cursor < c.end || (!closed && cursor <= c.end)))
                              : (cursor > c.start && cursor <= c.end);
        if (inside)
            return ctx; // None
    }

    int depth = 0, parenDepth = 0;
    bool inHeader = false, inFuncHeader = false, inGlobal = false, inCondition = false;
    int headerStart = 0, pointStart = 0;
    const ScannedToken* current = nullptr; // identifier or string at the cursor
    const ScannedToken* prev = nullptr;    // last token before the cursor (or before `current`)
    std::vector<std::pair<std::string, std::string>> params;
    for (size_t ti = 0; ti < scan.tokens.size(); ++ti) {
        const ScannedToken& t = scan.tokens[ti];
        if (t.start >= cursor)
            break;
        bool containsCursor = t.end > cursor || (t.end == cursor && (t.kind == Tok::Ident || t.kind == Tok::Number)) ||
                              (t.kind == Tok::String && !t.closed) ||
                              (t.kind == Tok::Embedded && !t.closed);
        if (containsCursor) {
            current = &t;
            break;
        }
        prev = &t;
        if (t.kind == Tok::Ident && depth == 0 && parenDepth == 0) {
            if (t.kw == Kw::Probe) {
                inHeader = true;
                inFuncHeader = inGlobal = inCondition = false;
                headerStart = pointStart = t.end;
                continue;
            }
            // `function` after a dot is a probe point component: process("x").function("f").
            if (t.kw == Kw::Function && !(ti > 0 && scan.tokens[ti - 1].is(Op::Dot))) {
                inFuncHeader = true;
                inHeader = inGlobal = false;
                params.clear();
                continue;
            }
            if (t.kw == Kw::Global) {
                inGlobal = true;
                inHeader = inFuncHeader = false;
                continue;
            }
            if (inHeader && t.kw == Kw::If) {
                inCondition = true;
                continue;
            }
        }
        if (inFuncHeader && parenDepth == 1 && t.isName() && prev && ti > 0 &&
            (scan.tokens[ti - 1].is(Op::LParen) || scan.tokens[ti - 1].is(Op::Comma))) {
            std::string type;
            if (ti + 2 < scan.tokens.size() && scan.tokens[ti + 1].is(Op::Colon))
                type = scan.tokens[ti + 2].text;
            params.push_back({t.text, type});
        }
        if (t.kind != Tok::Op)
            continue;
        switch (t.op) {
        case Op::LBrace:
            if (depth == 0) {
                ctx.params.clear();
                if (inFuncHeader)
                    ctx.params = params;
                if (inHeader || inFuncHeader) {
                    ctx.scopeStart = t.start;
                    ctx.header = inHeader ? trimmed(text.substr(headerStart, t.start - headerStart)) : "";
                    if (inHeader && inCondition) {
                        size_t ifPos = ctx.header.rfind(" if");
                        if (ifPos != std::string::npos)
                            ctx.header = trimmed(ctx.header.substr(0, ifPos));
                    }
                }
                inHeader = inFuncHeader = inGlobal = inCondition = false;
                parenDepth = 0;
            }
            ++depth;
            break;
        case Op::RBrace:
            depth = std::max(0, depth - 1);
            if (depth == 0) {
                ctx.scopeStart = -1;
                ctx.header.clear();
                ctx.params.clear();
            }
            break;
        case Op::LParen:
            if (inHeader || inFuncHeader || depth == 0)
                ++parenDepth;
            break;
        case Op::RParen:
            if (inHeader || inFuncHeader || depth == 0)
                parenDepth = std::max(0, parenDepth - 1);
            break;
        case Op::Comma:
        case Op::Assign:
        case Op::AddAssign:
            if (inHeader && parenDepth == 0 && !inCondition)
                pointStart = t.end;
            break;
        case Op::Semi:
            if (depth == 0)
                inGlobal = false;
            break;
        default:
            break;
        }
    }

    // In a string: only a probe point's argument completes.
    if (current && current->kind == Tok::String) {
        if (!inHeader || inCondition || parenDepth < 1)
            return ctx;
        std::string before = withoutSpace(text.substr(pointStart, current->start - pointStart));
        if (before.empty() || before.back() != '(')
            return ctx;
        before.pop_back();
        ctx.kind = CompletionContextKind::ProbeString;
        ctx.components = splitPoint(before);
        ctx.replaceStart = current->start + 1;
        int contentEnd = current->closed ? current->end - 1 : current->end;
        ctx.replaceEnd = std::max(cursor, contentEnd);
        ctx.prefix = std::string(text.substr(ctx.replaceStart, cursor - ctx.replaceStart));
        return ctx;
    }
    if (current && current->kind != Tok::Ident)
        return ctx; // a number, embedded code
    if (current) {
        ctx.replaceStart = current->start;
        ctx.replaceEnd = current->end;
        ctx.prefix = std::string(text.substr(current->start, cursor - current->start));
    }
    if (inHeader) {
        if (parenDepth > 0 || inCondition)
            return ctx;
        std::string before = withoutSpace(text.substr(pointStart, ctx.replaceStart - pointStart));
        if (!before.empty() && before.back() != '.')
            return ctx; // after a complete point: `{` or `,` comes next
        if (!before.empty())
            before.pop_back();
        ctx.kind = CompletionContextKind::ProbePoint;
        ctx.components = before.empty() ? std::vector<std::string>{} : splitPoint(before);
        return ctx;
    }
    if (inFuncHeader)
        return ctx;
    if (depth == 0) {
        if (inGlobal && prev && (prev->is(Kw::Global) || prev->is(Op::Comma)))
            return ctx;
        ctx.kind = CompletionContextKind::TopLevel;
        return ctx;
    }
    ctx.kind = CompletionContextKind::Body;
    ctx.afterArrow = prev && prev->is(Op::Arrow);
    return ctx;
}

const std::vector<CompletionEngine::PointEntry>& CompletionEngine::pointEntries(const CatalogueSnapshotPtr& snapshot) {
    if (entriesFor_ == snapshot.get())
        return entries_;
    entriesFor_ = snapshot.get();
    entries_.clear();
    if (!snapshot)
        return entries_;
    std::set<std::string> seen;
    if (snapshot->probes) {
        for (const tap::ListedProbe& p : snapshot->probes->all()) {
            if (!seen.insert(p.point).second)
                continue;
            entries_.push_back({splitPoint(p.point), &p, p.point, p.doc, p.isAlias});
        }
    } else {
        // Partial index: the builtin families, the library's aliases and the tracepoints.
        static const std::pair<const char*, const char*> builtins[] = {
            {"begin", "when the session starts"},
            {"begin(N)", "when the session starts, in priority order"},
            {"end", "when the session ends"},
            {"end(N)", "when the session ends, in priority order"},
            {"error", "when the session ends with an error"},
            {"never", "never: checks the handler only"},
            {"timer.s(N)", "every N seconds"},
            {"timer.sec(N)", "every N seconds"},
            {"timer.ms(N)", "every N milliseconds"},
            {"timer.msec(N)", "every N milliseconds"},
            {"timer.us(N)", "every N microseconds"},
            {"timer.usec(N)", "every N microseconds"},
            {"timer.ns(N)", "every N nanoseconds"},
            {"timer.nsec(N)", "every N nanoseconds"},
            {"timer.hz(N)", "N times a second"},
            {"timer.jiffies(N)", "every N jiffies"},
            {"timer.profile", "on every CPU at the profiling tick"},
            {"kernel.trace(\"NAME\")", "a kernel tracepoint: \"NAME\" or \"SYSTEM:NAME\", with * wildcards"},
        };
        for (const auto& [point, doc] : builtins)
            if (seen.insert(point).second)
                entries_.push_back({splitPoint(point), nullptr, point, doc, false});
        if (snapshot->library)
            for (const TapsetAlias& a : snapshot->library->aliases())
                if (!a.internal && seen.insert(a.point).second)
                    entries_.push_back({splitPoint(a.point), &a, a.point, a.doc.summary, true});
        for (const std::string& tp : snapshot->tracepoints) {
            std::string point = "kernel.trace(\"" + tp + "\")";
            if (seen.insert(point).second)
                entries_.push_back({splitPoint(point), nullptr, point, "a kernel tracepoint", false});
        }
    }
    return entries_;
}

void CompletionEngine::addProbePointItems(const CompletionContext& ctx, const CatalogueSnapshotPtr& snapshot,
                                          QVector<CompletionItem>& out) {
    const auto& entries = pointEntries(snapshot);
    const size_t n = ctx.components.size();
    // The next component after the ones typed, grouped by functor (+ argument kind).
    struct Group {
        std::string display, functor;
        char arg = 0; // 0, 'N' number, 'S' string
        std::string argText;
        int count = 0, leaves = 0;
        std::string doc;
        bool alias = false;
    };
    std::map<std::string, Group> groups;
    for (const PointEntry& e : entries) {
        if (e.components.size() <= n)
            continue;
        bool match = true;
        for (size_t i = 0; i < n && match; ++i) {
            const std::string& typed = ctx.components[i];
            std::string tf = functorOf(typed), ef = functorOf(e.components[i]);
            match = tf == ef || tf == "*" || tf == "**";
            // A typed string argument must match too: kernel.trace("sched:x").
            if (match && typed.size() > tf.size() && e.components[i].size() > ef.size() &&
                e.components[i].find("\"NAME\"") == std::string::npos && typed != e.components[i] &&
                typed.find('*') == std::string::npos)
                match = false;
        }
        if (!match)
            continue;
        const std::string& comp = e.components[n];
        std::string functor = functorOf(comp);
        char arg = 0;
        std::string argText;
        if (comp.size() > functor.size()) {
            argText = comp.substr(functor.size());
            arg = argText.find('"') != std::string::npos ? 'S' : 'N';
        }
        std::string key = functor + (arg ? std::string(1, arg) : "");
        Group& g = groups[key];
        g.functor = functor;
        g.arg = arg;
        if (g.count == 0)
            g.argText = argText;
        else if (g.argText != argText)
            g.argText = arg == 'S' ? "(\"…\")" : "(N)";
        ++g.count;
        bool leaf = e.components.size() == n + 1;
        if (leaf) {
            ++g.leaves;
            if (g.doc.empty())
                g.doc = e.doc;
        }
        g.alias = g.alias || e.isAlias;
    }
    for (auto& [key, g] : groups) {
        int score = fuzzyScore(ctx.prefix, g.functor);
        if (score < 0)
            continue;
        CompletionItem it;
        it.kind = CompletionKind::ProbeComponent;
        it.name = qs(g.functor);
        it.label = qs(g.functor + g.argText);
        if (g.leaves == 0) // only longer points continue from here
            it.label += ".…";
        it.score = score;
        if (g.arg == 'S') {
            bool single = g.count == 1 && g.argText.find("…") == std::string::npos &&
                          g.argText.find("\"NAME\"") == std::string::npos &&
                          g.argText.find("\"PATH\"") == std::string::npos &&
                          g.argText.find("\"MODULE\"") == std::string::npos;
            if (single) {
                it.insert = qs(g.functor + g.argText);
            } else {
                it.insert = qs(g.functor + "(\"\")");
                it.cursor = int(g.functor.size()) + 2;
                it.retrigger = g.functor == "trace";
            }
        } else if (g.arg == 'N') {
            it.insert = qs(g.functor + "(N)");
            it.cursor = int(g.functor.size()) + 1;
            it.select = 1;
        } else {
            // A family with no point of its own (syscall.…): the dot, and
            // the next level's list at once.
            it.insert = qs(g.functor + (g.leaves == 0 ? "." : ""));
            it.retrigger = g.leaves == 0;
        }
        if (g.leaves == g.count && g.count == 1)
            it.detail = qs(g.doc);
        else
            it.detail = QString("%1 probe point%2").arg(g.count).arg(g.count == 1 ? "" : "s");
        if (!g.doc.empty() && g.leaves)
            it.doc = qs(g.doc);
        out.push_back(it);
    }
    // Whole points by fuzzy match when nothing is typed before the word: `probe sched_sw`.
    if (n == 0 && ctx.prefix.size() >= 3) {
        std::vector<std::pair<int, const PointEntry*>> scored;
        for (const PointEntry& e : entries) {
            if (e.components.size() < 2)
                continue;
            int s = fuzzyScore(ctx.prefix, e.point);
            if (s > 0)
                scored.push_back({s, &e});
        }
        std::sort(scored.begin(), scored.end(), [](auto& a, auto& b) {
            return a.first != b.first ? a.first > b.first : a.second->point < b.second->point;
        });
        if (scored.size() > 60)
            scored.resize(60);
        for (auto& [s, e] : scored) {
            CompletionItem it;
            it.kind = CompletionKind::ProbePoint;
            it.name = qs(e->point);
            it.label = qs(e->point);
            it.insert = qs(e->point);
            size_t n1 = e->point.find("(N)");
            if (n1 != std::string::npos) {
                it.cursor = int(n1) + 1;
                it.select = 1;
            }
            it.detail = qs(e->doc);
            it.score = s - 3000; // after the next-component items
            out.push_back(it);
        }
    }
}

void CompletionEngine::addTracepointItems(const CompletionContext& ctx, const CatalogueSnapshotPtr& snapshot,
                                          QVector<CompletionItem>& out) {
    if (!snapshot || ctx.components.empty())
        return;
    std::string family;
    for (const std::string& c : ctx.components)
        family += (family.empty() ? "" : ".") + functorOf(c);
    if (family != "kernel.trace")
        return;
    for (const std::string& tp : snapshot->tracepoints) {
        int score = fuzzyScore(ctx.prefix, tp);
        size_t colon = tp.find(':');
        if (colon != std::string::npos) // also by the bare event name
            score = std::max(score, fuzzyScore(ctx.prefix, std::string_view(tp).substr(colon + 1)));
        if (score < 0)
            continue;
        CompletionItem it;
        it.kind = CompletionKind::Tracepoint;
        it.name = qs(tp);
        it.label = qs(tp);
        it.insert = qs(tp);
        it.score = score;
        it.detail = "kernel tracepoint";
        out.push_back(it);
    }
}

QString programPointBinary(const std::string& point, QString* function, bool* isReturn) {
    std::vector<tap::ConcreteComponent> c;
    if (!tap::splitProbePoint(point, c) || c.size() < 2 || c[0].functor != "process" || !c[0].string ||
        c[1].functor != "function" || !c[1].string)
        return {};
    if (function)
        *function = QString::fromStdString(c[1].string->substr(0, c[1].string->find('@')));
    if (isReturn)
        *isReturn = c.back().functor == "return";
    return resolveBinaryPath(QString::fromStdString(*c[0].string));
}

void CompletionEngine::addBinaryFunctionItems(const CompletionContext& ctx, QVector<CompletionItem>& out,
                                              QString& pending) {
    // Only process("PATH").function("|"): the binary is named.
    if (ctx.components.size() != 2 || functorOf(ctx.components[1]) != "function" ||
        functorOf(ctx.components[0]) != "process")
        return;
    const std::string& proc = ctx.components[0];
    size_t q1 = proc.find('"'), q2 = proc.rfind('"');
    if (q1 == std::string::npos || q2 <= q1)
        return; // process(PID) or process.function: no binary named
    QString path = resolveBinaryPath(QString::fromStdString(proc.substr(q1 + 1, q2 - q1 - 1)));
    if (path.isEmpty())
        return;
    ElfFunctionTablePtr table = cachedElfFunctions(path);
    if (!table) {
        pending = path;
        return;
    }
    QString detail = "function in " + QFileInfo(path).fileName();
    for (const QString& fn : table->functions) {
        std::string name = fn.toStdString();
        int score = fuzzyScore(ctx.prefix, name);
        if (score < 0)
            continue;
        CompletionItem it;
        it.kind = CompletionKind::Function;
        it.name = it.label = it.insert = fn;
        it.score = score;
        it.detail = detail;
        out.push_back(it);
    }
}

void CompletionEngine::addBodyItems(std::string_view text, const CompletionContext& ctx,
                                    const ScriptAnalysis& analysis, const CatalogueSnapshotPtr& snapshot,
                                    QVector<CompletionItem>& out) {
    const std::string& prefix = ctx.prefix;
    std::set<QString> names;
    auto add = [&](CompletionItem it) {
        int s = fuzzyScore(prefix, it.name.toStdString());
        if (s < 0)
            return;
        if (!names.insert(it.label).second)
            return;
        it.score = s;
        out.push_back(std::move(it));
    };
    bool targetOnly = !prefix.empty() && prefix[0] == '$';
    bool atOnly = !prefix.empty() && prefix[0] == '@';

    QVector<VarInfo> targets, locals;
    bool isFunction = false;
    scopeVariables(ctx, analysis, snapshot, targets, locals, isFunction);
    for (const VarInfo& v : targets) {
        CompletionItem it;
        it.kind = CompletionKind::TargetVar;
        it.name = v.name;
        it.label = v.type.isEmpty() ? v.name : v.name + " : " + v.type;
        it.insert = v.name;
        it.detail = v.type;
        add(it);
    }
    if (targetOnly)
        return;
    if (atOnly) {
        for (const BuiltinDoc& b : kAtOperators)
            add(builtinItem(b, CompletionKind::AtOperator));
        return;
    }
    for (const auto& [name, type] : ctx.params) {
        bool seen = false;
        for (const VarInfo& v : locals)
            seen = seen || v.name == qs(name);
        if (!seen)
            locals.push_back({qs(name), qs(type)});
    }
    for (const VarInfo& v : locals) {
        CompletionItem it;
        it.kind = CompletionKind::Local;
        it.name = v.name;
        it.label = v.type.isEmpty() ? v.name : v.name + " : " + v.type;
        it.insert = v.name;
        it.detail = v.type.isEmpty() ? "local" : v.type;
        add(it);
    }
    for (const VarInfo& v : analysis.globals) {
        CompletionItem it;
        it.kind = CompletionKind::Global;
        it.name = v.name;
        it.label = v.type.isEmpty() ? v.name : v.name + " : " + v.type;
        it.insert = v.name;
        it.detail = "global" + (v.type.isEmpty() ? QString() : " " + v.type);
        add(it);
    }
    // Names used in the enclosing body that nothing else explains: locals being written.
    if (ctx.scopeStart >= 0) {
        TokenScan scan = scanTokens(text.substr(0, std::min(text.size(), size_t(ctx.replaceStart))));
        std::set<std::string> known;
        for (const CompletionItem& i : out)
            known.insert(i.name.toStdString());
        for (size_t i = 0; i < scan.tokens.size(); ++i) {
            const ScannedToken& t = scan.tokens[i];
            if (t.start <= ctx.scopeStart || !t.isName() || known.count(t.text))
                continue;
            if (i + 1 < scan.tokens.size() && scan.tokens[i + 1].is(Op::LParen))
                continue; // a call
            known.insert(t.text);
            CompletionItem it;
            it.kind = CompletionKind::Local;
            it.name = qs(t.text);
            it.label = it.name;
            it.insert = it.name;
            it.detail = "local";
            add(it);
        }
    }
    for (const ScopeInfo& s : analysis.scopes) {
        if (s.kind != ScopeInfo::Function)
            continue;
        CompletionItem it;
        it.kind = CompletionKind::ScriptFunction;
        it.name = s.name;
        QStringList params;
        for (const VarInfo& v : s.params)
            params << (v.type.isEmpty() ? v.name : v.name + ":" + v.type);
        it.label = s.name + "(" + params.join(", ") + ")" + (s.returnType.isEmpty() ? "" : " : " + s.returnType);
        it.insert = s.name + "()";
        it.cursor = s.params.isEmpty() ? -1 : int(s.name.size()) + 1;
        it.detail = "function of this script";
        add(it);
    }
    for (const BuiltinDoc& b : kPrintBuiltins)
        add(builtinItem(b, CompletionKind::Builtin));
    if (snapshot && snapshot->library) {
        for (const TapsetFunction& f : snapshot->library->functions()) {
            if (f.internal)
                continue;
            add(functionItem(f, CompletionKind::Function));
        }
    }
    for (const char* k : kBodyKeywords) {
        CompletionItem it;
        it.kind = CompletionKind::Keyword;
        it.name = k;
        it.label = k;
        it.insert = k;
        add(it);
    }
    (void)isFunction;
}

void CompletionEngine::addMemberItems(std::string_view text, const CompletionContext& ctx,
                                      const ScriptAnalysis& analysis, const CatalogueSnapshotPtr& snapshot,
                                      CompletionResult& r) {
    MemberChain chain = memberChainBefore(text, ctx.replaceStart);
    if (chain.variable.empty()) {
        r.emptyReason = "members are listed after a $variable's ->";
        return;
    }
    QVector<VarInfo> targets, locals;
    bool isFunction = false;
    scopeVariables(ctx, analysis, snapshot, targets, locals, isFunction);
    const VarInfo* variable = nullptr;
    for (const VarInfo& v : targets)
        if (v.name.toStdString() == chain.variable)
            variable = &v;
    if (!variable) {
        r.emptyReason = QString("this probe has no %1").arg(QString::fromStdString(chain.variable));
        return;
    }
    bool programPoint = false;
    for (const std::string& point : splitProbePoints(withoutSpace(ctx.header)))
        programPoint = programPoint || !programPointBinary(point).isEmpty();
    if (programPoint && !variable->userTypes) {
        r.emptyReason = "a program's struct members are known once the script elaborates";
        return;
    }
    MemberCompletion members = membersOf(*variable, chain);
    for (CompletionItem& it : members.items) {
        int score = fuzzyScore(ctx.prefix, it.name.toStdString());
        if (score < 0)
            continue;
        it.score = score;
        r.items.push_back(it);
    }
    if (r.items.isEmpty())
        r.emptyReason = !members.emptyReason.isEmpty() ? members.emptyReason
                        : members.items.isEmpty()      ? QString("the struct has no members")
                                                       : QString("no member matches '%1'").arg(QString::fromStdString(ctx.prefix));
}

CompletionResult CompletionEngine::complete(std::string_view text, int cursor, const ScriptAnalysis& analysis,
                                            const CatalogueSnapshotPtr& snapshot, size_t limit) {
    CompletionResult r;
    r.context = contextAt(text, cursor);
    r.partial = !snapshot || !snapshot->complete;
    const CompletionContext& ctx = r.context;
    switch (ctx.kind) {
    case CompletionContextKind::None:
        return r;
    case CompletionContextKind::TopLevel:
        for (const char* k : kTopKeywords) {
            int s = fuzzyScore(ctx.prefix, k);
            if (s < 0)
                continue;
            CompletionItem it;
            it.kind = CompletionKind::Keyword;
            it.name = it.label = it.insert = k;
            if (QString(k) == "probe") {
                it.insert = "probe ";
                it.retrigger = true;
            }
            it.score = s;
            r.items.push_back(it);
        }
        for (const Snippet& sn : kTopSnippets) {
            int s = fuzzyScore(ctx.prefix, sn.name);
            if (s < 0)
                continue;
            CompletionItem it;
            it.kind = CompletionKind::Snippet;
            it.name = sn.name;
            it.label = sn.label;
            it.insert = sn.text;
            it.cursor = int(strlen(sn.text)) - sn.cursorBack;
            it.detail = sn.doc;
            it.score = s - 1;
            r.items.push_back(it);
        }
        break;
    case CompletionContextKind::ProbePoint:
        addProbePointItems(ctx, snapshot, r.items);
        break;
    case CompletionContextKind::ProbeString:
        addTracepointItems(ctx, snapshot, r.items);
        addBinaryFunctionItems(ctx, r.items, r.pendingBinary);
        break;
    case CompletionContextKind::Body:
        if (ctx.afterArrow) {
            addMemberItems(text, ctx, analysis, snapshot, r);
            break;
        }
        addBodyItems(text, ctx, analysis, snapshot, r.items);
        // A program's $variables come with its table: load it if needed.
        for (const std::string& point : splitProbePoints(withoutSpace(ctx.header)))
            if (QString binary = programPointBinary(point); !binary.isEmpty() && !cachedElfFunctions(binary))
                r.pendingBinary = binary;
        break;
    }
    std::stable_sort(r.items.begin(), r.items.end(), [](const CompletionItem& a, const CompletionItem& b) {
        if (a.score != b.score)
            return a.score > b.score;
        if (a.kind != b.kind)
            return kindRank(a.kind) < kindRank(b.kind);
        return a.label < b.label;
    });
    if (size_t(r.items.size()) > limit && !ctx.afterArrow) // a struct's members are all listed
        r.items.resize(int(limit));
    return r;
}

SignatureHelp CompletionEngine::signatureAt(std::string_view text, int cursor, const ScriptAnalysis& analysis,
                                            const CatalogueSnapshotPtr& snapshot) const {
    SignatureHelp h;
    cursor = std::clamp(cursor, 0, int(text.size()));
    TokenScan scan = scanTokens(text.substr(0, size_t(cursor)));
    struct Open {
        std::string name;
        int commas = 0;
        int start = 0;
    };
    std::vector<Open> stack;
    const auto& toks = scan.tokens;
    for (size_t i = 0; i < toks.size(); ++i) {
        const ScannedToken& t = toks[i];
        if (t.kind == Tok::String && !t.closed)
            break;
        if (t.is(Op::LParen)) {
            std::string name;
            if (i > 0 && toks[i - 1].kind == Tok::Ident && toks[i - 1].kw == Kw::None)
                name = toks[i - 1].text;
            stack.push_back({name, 0, t.start});
        } else if (t.is(Op::RParen)) {
            if (!stack.empty())
                stack.pop_back();
        } else if (t.is(Op::Comma)) {
            if (!stack.empty())
                ++stack.back().commas;
        } else if (t.is(Op::LBrace) || t.is(Op::RBrace) || t.is(Op::Semi)) {
            stack.clear();
        }
    }
    if (stack.empty() || stack.back().name.empty())
        return h;
    const Open& call = stack.back();
    h.argument = call.commas;
    h.callStart = call.start;
    // Parameters as (name:type) strings and the signature's parts.
    std::string head;
    std::vector<std::string> params;
    std::string summary;
    bool variadic = false;
    bool found = false;
    for (const ScopeInfo& s : analysis.scopes) {
        if (s.kind == ScopeInfo::Function && s.name.toStdString() == call.name) {
            head = call.name + (s.returnType.isEmpty() ? "" : ":" + s.returnType.toStdString());
            for (const VarInfo& v : s.params)
                params.push_back((v.type.isEmpty() ? v.name : v.name + ":" + v.type).toStdString());
            summary = "function of this script";
            found = true;
            break;
        }
    }
    if (!found && snapshot && snapshot->library) {
        auto overloads = snapshot->library->overloads(call.name);
        const TapsetFunction* best = nullptr;
        for (const TapsetFunction* f : overloads)
            if (int(f->params.size()) > call.commas && (!best || f->params.size() < best->params.size()))
                best = f;
        if (!best && !overloads.empty())
            best = overloads.front();
        if (best) {
            head = best->name + (best->returnType.empty() ? "" : ":" + best->returnType);
            for (const TapsetParam& p : best->params)
                params.push_back(p.name + (p.type.empty() ? "" : ":" + p.type));
            summary = best->doc.summary;
            std::string pd = call.commas < int(best->params.size())
                                 ? best->doc.paramDoc(best->params[call.commas].name)
                                 : std::string();
            if (!pd.empty())
                summary += (summary.empty() ? "" : "\n") + best->params[call.commas].name + ": " + pd;
            found = true;
        }
    }
    if (!found) {
        for (const BuiltinDoc& b : kPrintBuiltins) {
            if (call.name != b.name)
                continue;
            std::string sig = b.signature;
            size_t open = sig.find('(');
            head = sig.substr(0, open);
            if (head.back() == ' ')
                head.pop_back();
            std::string inner = sig.substr(open + 1, sig.size() - open - 2);
            size_t pos = 0;
            while (pos <= inner.size()) {
                size_t comma = inner.find(", ", pos);
                params.push_back(inner.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
                if (comma == std::string::npos)
                    break;
                pos = comma + 2;
            }
            variadic = !params.empty() && params.back() == "...";
            summary = b.doc;
            found = true;
        }
    }
    if (!found)
        return h;
    std::string sig = head + " (";
    int argIndex = call.commas;
    if (variadic && argIndex >= int(params.size()) - 1)
        argIndex = int(params.size()) - 1;
    for (size_t i = 0; i < params.size(); ++i) {
        if (i)
            sig += ", ";
        if (int(i) == argIndex) {
            h.paramStart = int(qs(sig).size());
            h.paramEnd = h.paramStart + int(qs(params[i]).size());
        }
        sig += params[i];
    }
    sig += ")";
    h.signature = qs(sig);
    h.summary = qs(summary);
    h.valid = true;
    return h;
}

QString HoverDoc::html() const {
    if (title.isEmpty())
        return {};
    QString out = "<b><tt>" + title.toHtmlEscaped() + "</tt></b>";
    if (!body.isEmpty())
        out += "<br>" + body.toHtmlEscaped().replace("\n", "<br>");
    return out;
}

HoverDoc CompletionEngine::hoverDocAt(std::string_view text, int pos, const ScriptAnalysis& analysis,
                                      const CatalogueSnapshotPtr& snapshot) const {
    TokenScan scan = scanTokens(text);
    const ScannedToken* tok = nullptr;
    size_t index = 0;
    for (size_t i = 0; i < scan.tokens.size(); ++i) {
        if (pos >= scan.tokens[i].start && pos < scan.tokens[i].end) {
            tok = &scan.tokens[i];
            index = i;
            break;
        }
    }
    if (!tok || tok->kind != Tok::Ident || tok->kw != Kw::None)
        return {};
    auto doc = [tok](const QString& title, const QString& body) { return HoverDoc{title, body, tok->start, tok->end}; };
    const std::string& name = tok->text;
    if (name[0] == '$') {
        CompletionContext ctx = contextAt(text, tok->start);
        QVector<VarInfo> targets, locals;
        bool isFunction = false;
        scopeVariables(ctx, analysis, snapshot, targets, locals, isFunction);
        for (const VarInfo& v : targets)
            if (v.name == qs(name))
                return doc(v.name + " : " + (v.type.isEmpty() ? "?" : v.type),
                            "context variable of " + qs(ctx.header));
        return {};
    }
    bool call = index + 1 < scan.tokens.size() && scan.tokens[index + 1].is(Op::LParen);
    if (call) {
        for (const BuiltinDoc& b : kPrintBuiltins)
            if (name == b.name)
                return doc(b.signature, b.doc);
        if (snapshot && snapshot->library) {
            auto overloads = snapshot->library->overloads(name);
            if (!overloads.empty()) {
                QStringList sigs;
                for (const TapsetFunction* f : overloads)
                    sigs << qs(f->signature());
                const TapsetFunction* f = overloads.front();
                QString body = qs(f->doc.summary);
                for (const auto& [p, d] : f->doc.params)
                    body += "\n" + qs(p) + ": " + qs(d);
                if (!f->doc.description.empty())
                    body += "\n\n" + qs(f->doc.description);
                return doc(sigs.join("\n"), body);
            }
        }
    }
    // A probe point component: show the whole point's doc when it is an alias.
    CompletionContext ctx = contextAt(text, tok->start);
    if (ctx.kind == CompletionContextKind::ProbePoint && snapshot && snapshot->library) {
        std::string point;
        for (const std::string& c : ctx.components)
            point += c + ".";
        point += name;
        // Extend with the components after the hovered one.
        size_t i = index + 1;
        while (i + 1 < scan.tokens.size() && scan.tokens[i].is(Op::Dot) && scan.tokens[i + 1].isName()) {
            point += "." + scan.tokens[i + 1].text;
            i += 2;
        }
        if (const TapsetAlias* a = snapshot->library->alias(point)) {
            QString body = qs(a->doc.summary);
            for (const auto& [p, d] : a->doc.params)
                body += "\n" + qs(p) + ": " + qs(d);
            return doc("probe " + qs(a->point) + " = " + qs(a->target), body);
        }
    }
    for (const VarInfo& g : analysis.globals)
        if (g.name == qs(name))
            return doc("global " + g.name + (g.type.isEmpty() ? "" : " : " + g.type), {});
    return {};
}

QVector<VarInfo> probePointVariables(const CatalogueSnapshotPtr& snapshot, const std::string& point) {
    QVector<VarInfo> out;
    // process("PATH").function("NAME")[.return]: the program's DWARF, once
    // its table is loaded (programPointBinary() asks for it).
    QString function;
    bool isReturn = false;
    if (QString binary = programPointBinary(point, &function, &isReturn); !binary.isEmpty()) {
        if (ElfFunctionTablePtr table = cachedElfFunctions(binary))
            for (const auto& [name, type] : table->variables.value(function + (isReturn ? ".return" : "")))
                out.push_back({name, type});
        return out;
    }
    if (!snapshot || !snapshot->probes || point.empty())
        return out;
    auto matches = snapshot->probes->query(point, 8);
    for (const tap::ListedProbe* p : matches) {
        for (const tap::ListedVariable& v : p->variables) {
            QString name = qs(v.name);
            bool seen = false;
            for (const VarInfo& o : out)
                seen = seen || o.name == name;
            if (!seen)
                out.push_back({name, qs(v.type)});
        }
    }
    return out;
}

} // namespace tapide
