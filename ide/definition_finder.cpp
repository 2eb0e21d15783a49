#include "definition_finder.h"

#include "probe_text.h"

#include "token_scan.h"

#include <QFileInfo>

#include <fnmatch.h>

#include <map>

namespace tapide {

using tap::Kw;
using tap::Op;
using tap::Tok;

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }


std::string cleanPoint(std::string_view raw) {
    std::string p = withoutSpace(raw);
    while (!p.empty() && (p.back() == '?' || p.back() == '!'))
        p.pop_back();
    return p;
}

// One probe point in a probe or alias header.
struct HeaderPoint {
    int start = 0, end = 0; // byte range of the point as written
    std::string point;      // without spaces or ? !
    bool aliasName = false; // the name an alias defines (before = or +=)
};

// The probe points of every `probe` header of the script.
std::vector<HeaderPoint> headerPoints(std::string_view text, const TokenScan& scan) {
    std::vector<HeaderPoint> out;
    const auto& toks = scan.tokens;
    int depth = 0;
    for (size_t i = 0; i < toks.size(); ++i) {
        const ScannedToken& t = toks[i];
        if (t.is(Op::LBrace)) {
            ++depth;
            continue;
        }
        if (t.is(Op::RBrace)) {
            depth = std::max(0, depth - 1);
            continue;
        }
        if (depth != 0 || !t.is(Kw::Probe))
            continue;
        // The header runs to the `{` at parenthesis depth 0.
        size_t j = i + 1;
        int paren = 0;
        int segStart = -1, segEnd = -1;
        std::vector<HeaderPoint> points;
        bool skipping = false; // in an `if (condition)`
        auto closeSegment = [&] {
            if (segStart >= 0 && segEnd > segStart)
                points.push_back({segStart, segEnd, cleanPoint(text.substr(size_t(segStart), size_t(segEnd - segStart)))});
            segStart = segEnd = -1;
        };
        for (; j < toks.size(); ++j) {
            const ScannedToken& u = toks[j];
            if (paren == 0 && u.is(Op::LBrace))
                break;
            if (paren == 0 && (u.is(Kw::Probe) || u.is(Kw::Function) || u.is(Kw::Global)))
                break; // a broken header: stop at the next declaration
            if (u.is(Op::LParen))
                ++paren;
            else if (u.is(Op::RParen))
                paren = std::max(0, paren - 1);
            if (paren == 0 && u.is(Op::Comma)) {
                closeSegment();
                skipping = false;
                continue;
            }
            if (paren == 0 && (u.is(Op::Assign) || u.is(Op::AddAssign))) {
                closeSegment();
                for (HeaderPoint& p : points)
                    p.aliasName = true;
                skipping = false;
                continue;
            }
            if (u.is(Kw::If) && paren == 0) {
                closeSegment();
                skipping = true;
                continue;
            }
            if (skipping)
                continue;
            if (segStart < 0)
                segStart = u.start;
            segEnd = u.end;
        }
        closeSegment();
        for (HeaderPoint& p : points)
            if (!p.point.empty())
                out.push_back(p);
        i = j - 1; // the `{` (if any) is counted by the loop
    }
    return out;
}

struct ScriptDecls {
    std::map<std::string, int> functions; // name -> offset of the name
    std::map<std::string, int> globals;
    std::map<std::string, int> aliases;   // point -> offset
};

ScriptDecls declarations(std::string_view text, const TokenScan& scan) {
    ScriptDecls d;
    const auto& toks = scan.tokens;
    int depth = 0;
    for (size_t i = 0; i < toks.size(); ++i) {
        const ScannedToken& t = toks[i];
        if (t.is(Op::LBrace))
            ++depth;
        else if (t.is(Op::RBrace))
            depth = std::max(0, depth - 1);
        if (depth != 0)
            continue;
        if (t.is(Kw::Function) && i + 1 < toks.size() && toks[i + 1].isName()) {
            d.functions.emplace(toks[i + 1].text, toks[i + 1].start);
        } else if (t.is(Kw::Global)) {
            // global a, b[100], c = 5, d%
            size_t j = i + 1;
            while (j < toks.size() && toks[j].isName()) {
                d.globals.emplace(toks[j].text, toks[j].start);
                ++j;
                if (j < toks.size() && toks[j].is(Op::Percent))
                    ++j;
                if (j < toks.size() && toks[j].is(Op::LBracket)) {
                    while (j < toks.size() && !toks[j].is(Op::RBracket))
                        ++j;
                    ++j;
                }
                if (j < toks.size() && toks[j].is(Op::Percent))
                    ++j;
                if (j < toks.size() && toks[j].is(Op::Assign)) {
                    ++j;
                    if (j < toks.size() && toks[j].is(Op::Minus))
                        ++j;
                    ++j; // the literal
                }
                if (j < toks.size() && toks[j].is(Op::Comma))
                    ++j;
                else
                    break;
            }
        }
    }
    for (const HeaderPoint& p : headerPoints(text, scan))
        if (p.aliasName)
            d.aliases.emplace(p.point, p.start);
    return d;
}

void setOffset(DefinitionTarget& t, const TokenScan& scan, int offset) {
    t.offset = offset;
    t.line = scan.lineOf(offset);
    t.col = offset - scan.lineStarts[size_t(t.line - 1)] + 1;
}

// The tapset alias for `point`: exact, else the longest prefix that is one
// (an alias with suffixes, e.g. `scheduler.ctxswitch.maxactive(10)`).
const TapsetAlias* libraryAlias(const TapsetLibrary& lib, const std::string& point) {
    if (const TapsetAlias* a = lib.alias(point))
        return a;
    if (point.find_first_of("*?[") != std::string::npos) {
        // A wildcard: the first alias it names.
        for (const TapsetAlias& a : lib.aliases())
            if (!a.internal && fnmatch(point.c_str(), a.point.c_str(), 0) == 0)
                return &a;
        return nullptr;
    }
    std::string p = point;
    for (;;) {
        // Drop the last component (not inside a string argument).
        int depth = 0;
        size_t cut = std::string::npos;
        bool inString = false;
        for (size_t i = 0; i < p.size(); ++i) {
            char c = p[i];
            if (c == '"' && (i == 0 || p[i - 1] != '\\'))
                inString = !inString;
            if (inString)
                continue;
            if (c == '(')
                ++depth;
            else if (c == ')')
                --depth;
            else if (c == '.' && depth == 0)
                cut = i;
        }
        if (cut == std::string::npos)
            return nullptr;
        p.resize(cut);
        if (const TapsetAlias* a = lib.alias(p))
            return a;
    }
}

} // namespace

QString definitionKindName(DefinitionTarget::Kind kind) {
    switch (kind) {
    case DefinitionTarget::ScriptFunction: return "function";
    case DefinitionTarget::Global: return "global";
    case DefinitionTarget::Parameter: return "parameter";
    case DefinitionTarget::Local: return "local";
    case DefinitionTarget::ScriptAlias: return "probe alias";
    case DefinitionTarget::TapsetFunction: return "tapset function";
    case DefinitionTarget::TapsetAlias: return "tapset alias";
    case DefinitionTarget::None: break;
    }
    return {};
}

QString DefinitionTarget::describe() const {
    if (!valid())
        return reason;
    QString where = file.isEmpty() ? QString("line %1").arg(line) : QString("%1:%2").arg(QFileInfo(file).fileName()).arg(line);
    return definitionKindName(kind) + " " + name + " (" + where + ")";
}

std::string probePointAt(std::string_view text, int pos) {
    TokenScan scan = scanTokens(text);
    for (const HeaderPoint& p : headerPoints(text, scan))
        if (pos >= p.start && pos <= p.end)
            return p.point;
    return {};
}

std::vector<std::string> enclosingProbePoints(std::string_view text, int pos) {
    TokenScan scan = scanTokens(text);
    const auto& toks = scan.tokens;
    int depth = 0, probeStart = -1;
    bool inBody = false;
    for (size_t i = 0; i < toks.size(); ++i) {
        const ScannedToken& t = toks[i];
        if (depth == 0 && !inBody && (t.is(Kw::Probe) || t.is(Kw::Function) || t.is(Kw::Global))) {
            if (t.start > pos)
                break;
            probeStart = t.is(Kw::Probe) ? t.start : -1;
        }
        if (t.is(Op::LBrace)) {
            ++depth;
            inBody = true;
        } else if (t.is(Op::RBrace) && depth > 0) {
            if (--depth == 0) {
                inBody = false;
                if (t.end > pos)
                    break; // the block around pos ends here
                probeStart = -1;
            }
        }
    }
    std::vector<std::string> out;
    if (probeStart < 0)
        return out;
    for (const HeaderPoint& p : headerPoints(text, scan))
        if (p.start > probeStart && !p.aliasName) {
            // Only this probe's header: points up to its `{`.
            bool before = true;
            for (const ScannedToken& t : toks)
                if (t.start >= probeStart && t.start < p.start && t.is(Op::LBrace))
                    before = false;
            if (!before)
                break;
            out.push_back(p.point);
        }
    return out;
}

std::vector<std::string> scriptProbePoints(std::string_view text) {
    std::vector<std::string> out;
    for (const HeaderPoint& p : headerPoints(text, scanTokens(text)))
        if (!p.aliasName)
            out.push_back(p.point);
    return out;
}

DefinitionTarget findDefinition(std::string_view text, int pos, const ScriptAnalysis& analysis,
                                const CatalogueSnapshotPtr& snapshot) {
    DefinitionTarget target;
    TokenScan scan = scanTokens(text);
    const TapsetLibrary* lib = snapshot && snapshot->library ? snapshot->library.get() : nullptr;

    // A probe point in a header: a script alias, else a tapset alias.
    for (const HeaderPoint& hp : headerPoints(text, scan)) {
        if (pos < hp.start || pos > hp.end)
            continue;
        ScriptDecls decls = declarations(text, scan);
        target.name = qs(hp.point);
        if (auto it = decls.aliases.find(hp.point); it != decls.aliases.end()) {
            target.kind = DefinitionTarget::ScriptAlias;
            setOffset(target, scan, it->second);
            return target;
        }
        if (!lib) {
            target.reason = "The tapset library is still being indexed";
            return target;
        }
        if (const TapsetAlias* a = libraryAlias(*lib, hp.point)) {
            target.kind = DefinitionTarget::TapsetAlias;
            target.name = qs(a->point);
            target.file = qs(a->file);
            target.line = a->line;
            return target;
        }
        target.reason = "“" + target.name + "” is a probe point of a provider, not an alias defined in a script";
        return target;
    }

    const ScannedToken* tok = nullptr;
    size_t index = 0;
    for (size_t i = 0; i < scan.tokens.size(); ++i) {
        // The token under the cursor, or the one that ends right at it.
        const ScannedToken& t = scan.tokens[i];
        if (pos >= t.start && (pos < t.end || (pos == t.end && t.kind == Tok::Ident))) {
            tok = &t;
            index = i;
            if (pos < t.end)
                break;
        }
    }
    if (!tok || tok->kind != Tok::Ident || tok->kw != Kw::None || tok->text.empty()) {
        target.reason = "No name at the cursor";
        return target;
    }
    const std::string& name = tok->text;
    target.name = qs(name);
    if (name[0] == '$') {
        target.reason = "“" + target.name + "” is a context variable of the probe point (see Variable hints)";
        return target;
    }
    if (name[0] == '@') {
        target.reason = "“" + target.name + "” is a built-in operator";
        return target;
    }
    ScriptDecls decls = declarations(text, scan);
    bool call = index + 1 < scan.tokens.size() && scan.tokens[index + 1].is(Op::LParen);
    bool afterArrow = index > 0 && scan.tokens[index - 1].is(Op::Arrow);
    if (afterArrow) {
        target.reason = "“" + target.name + "” is a struct field";
        return target;
    }
    if (call) {
        if (auto it = decls.functions.find(name); it != decls.functions.end()) {
            target.kind = DefinitionTarget::ScriptFunction;
            setOffset(target, scan, it->second);
            return target;
        }
        if (lib) {
            // The overload with this many arguments when there are several.
            int arity = 0, depth = 0;
            bool any = false;
            for (size_t j = index + 2; j < scan.tokens.size(); ++j) {
                const ScannedToken& u = scan.tokens[j];
                if (u.is(Op::LParen) || u.is(Op::LBracket))
                    ++depth;
                else if (u.is(Op::RParen) || u.is(Op::RBracket)) {
                    if (depth-- == 0)
                        break;
                } else if (u.is(Op::Comma) && depth == 0)
                    ++arity;
                any = true;
            }
            if (const TapsetFunction* f = lib->function(name, any ? arity + 1 : 0)) {
                target.kind = DefinitionTarget::TapsetFunction;
                target.file = qs(f->file);
                target.line = f->line;
                return target;
            }
        } else {
            target.reason = "The tapset library is still being indexed";
            return target;
        }
        target.reason = "“" + target.name + "” is a built-in function";
        return target;
    }
    // A variable: parameter or local of the enclosing function/probe, else a global.
    const ScopeInfo* scope = nullptr;
    for (const ScopeInfo& s : analysis.scopes)
        if (pos >= s.headerStart && (s.bodyEnd < 0 ? pos <= s.headerStart : pos < s.bodyEnd))
            scope = &s;
    if (scope) {
        for (const VarInfo& v : scope->params)
            if (v.name == target.name && v.line > 0) {
                target.kind = DefinitionTarget::Parameter;
                target.line = v.line;
                target.col = v.col;
                return target;
            }
        for (const VarInfo& v : scope->locals)
            if (v.name == target.name && v.line > 0) {
                target.kind = DefinitionTarget::Local;
                target.line = v.line;
                target.col = v.col;
                return target;
            }
        for (const VarInfo& v : scope->aliasLocals)
            if (v.name == target.name) {
                // Set by the alias's prologue: its definition is the alias.
                std::string point = withoutSpace(scope->name.section(',', 0, 0).toStdString());
                if (lib)
                    if (const TapsetAlias* a = libraryAlias(*lib, point)) {
                        target.kind = DefinitionTarget::TapsetAlias;
                        target.name = qs(a->point);
                        target.file = qs(a->file);
                        target.line = a->line;
                        return target;
                    }
            }
    }
    if (auto it = decls.globals.find(name); it != decls.globals.end()) {
        target.kind = DefinitionTarget::Global;
        setOffset(target, scan, it->second);
        return target;
    }
    if (auto it = decls.functions.find(name); it != decls.functions.end()) {
        target.kind = DefinitionTarget::ScriptFunction; // e.g. the name in its own declaration
        setOffset(target, scan, it->second);
        return target;
    }
    target.reason = "No definition found for “" + target.name + "”";
    return target;
}

} // namespace tapide
