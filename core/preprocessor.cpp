#include "preprocessor.h"

#include <fnmatch.h>

#include <cstring>

namespace tap {

namespace {

constexpr size_t kMaxExpansions = 100000; // recursion guard for self-referring macros
constexpr size_t kMaxExpansionTokens = 1000000; // guard for macros whose expansions double

bool isComparison(const Token& t) {
    return t.kind == Tok::Op && (t.op == Op::Eq || t.op == Op::Ne || t.op == Op::Lt ||
                                 t.op == Op::Gt || t.op == Op::Le || t.op == Op::Ge);
}

int sign(int v) { return v < 0 ? -1 : v > 0 ? 1 : 0; }

bool compareResult(Op op, int cmp) {
    switch (op) {
    case Op::Eq: return cmp == 0;
    case Op::Ne: return cmp != 0;
    case Op::Lt: return cmp < 0;
    case Op::Gt: return cmp > 0;
    case Op::Le: return cmp <= 0;
    case Op::Ge: return cmp >= 0;
    default: return false;
    }
}

bool parseInt(std::string_view s, int64_t& out) {
    if (s.empty())
        return false;
    std::string str(s);
    char* end = nullptr;
    errno = 0;
    long long v = std::strtoll(str.c_str(), &end, 10);
    if (errno || *end)
        return false;
    out = v;
    return true;
}

} // namespace

Preprocessor::Preprocessor(Lexer& lexer, DiagnosticSink& diags, const TargetInfo& target,
                           MacroTable& libraryMacros, bool definesLibraryMacros)
    : lexer_(lexer), diags_(diags), target_(target), libraryMacros_(libraryMacros),
      definesLibraryMacros_(definesLibraryMacros) {}

void Preprocessor::error(const std::string& msg, const Token& t) {
    diags_.error(Phase::Parse, msg, t.loc, describe(t));
}

Token Preprocessor::nextRaw() {
    while (!pending_.empty()) {
        Pending& p = pending_.back();
        if (p.pos < p.tokens.size())
            return p.tokens[p.pos++];
        pending_.pop_back();
    }
    return lexer_.next();
}

const MacroDef* Preprocessor::findMacro(std::string_view name) const {
    if (auto it = localMacros_.find(name); it != localMacros_.end())
        return it->second.get();
    if (auto it = libraryMacros_.find(name); it != libraryMacros_.end())
        return it->second.get();
    return nullptr;
}

Token Preprocessor::nextExpanded() {
    for (;;) {
        Token t = nextRaw();
        if (t.kind != Tok::Ident || t.text[0] != '@')
            return t;
        if (t.text == "@define") {
            defineMacro(t);
            continue;
        }
        if (!expandMacro(t))
            return t;
    }
}

// @define NAME %( body %)  or  @define NAME(a, b) %( body %)
void Preprocessor::defineMacro(const Token& at) {
    auto def = std::make_shared<MacroDef>();
    def->loc = at.loc;
    Token name = nextRaw();
    if (!name.isName()) {
        error("expected literal macro name", name);
        return;
    }
    def->name = std::string(name.text);
    Token t = nextRaw();
    if (t.is(Op::LParen)) {
        for (;;) {
            Token p = nextRaw();
            if (!p.isName()) { // stap: `@define f() %( %)` is an error too
                error("expected macro parameter name", p);
                return;
            }
            def->params.emplace_back(p.text);
            Token sep = nextRaw();
            if (sep.is(Op::RParen))
                break;
            if (!sep.is(Op::Comma)) {
                error("expected ',' or ')'", sep);
                return;
            }
        }
        t = nextRaw();
    }
    if (!t.is(Op::PpOpen)) {
        error("expected '%('", t);
        return;
    }
    int depth = 1;
    for (;;) {
        Token b = nextRaw();
        if (b.kind == Tok::Eof) {
            error("unterminated macro definition", at);
            return;
        }
        if (b.is(Op::PpOpen))
            ++depth;
        else if (b.is(Op::PpClose) && --depth == 0)
            break;
        def->body.push_back(b);
    }
    static const char* const kBuiltinOperators[] = {
        "cast", "defined", "probewrite", "entry", "perf", "var", "count", "sum", "min", "max",
        "avg", "variance", "hist_linear", "hist_log", "const", "kregister", "uregister",
        "kderef", "uderef", "define"};
    for (const char* op : kBuiltinOperators)
        if (def->name == op)
            diags_.warning("macro '@" + def->name + "' hides the built-in operator of that name",
                           name.loc, describe(name));
    MacroTable& table = definesLibraryMacros_ ? libraryMacros_ : localMacros_;
    if (table.count(def->name) && !definesLibraryMacros_) {
        diags_.error(Phase::Parse, "attempt to redefine macro '@" + def->name + "' in the same file",
                     name.loc, describe(name));
        return;
    }
    table[def->name] = std::move(def);
}

bool Preprocessor::expandMacro(const Token& use) {
    const MacroDef* def = findMacro(use.text.substr(1));
    if (!def)
        return false;
    if (++expansions_ > kMaxExpansions || pending_.size() > 200) {
        error("macro expansion too deep (recursive macro?)", use);
        pending_.clear();
        return true;
    }
    std::vector<std::vector<Token>> args;
    if (!def->params.empty()) {
        Token open = nextRaw();
        if (!open.is(Op::LParen)) {
            error("expected '(' in invocation of macro '@" + def->name + "' taking " +
                      std::to_string(def->params.size()) +
                      (def->params.size() == 1 ? " parameter" : " parameters"),
                  open);
            return true;
        }
        args.emplace_back();
        int depth = 0;
        for (;;) {
            Token a = nextRaw();
            if (a.kind == Tok::Eof) {
                error("could not find matching ')' for macro invocation", use);
                return true;
            }
            if (a.is(Op::LParen) || a.is(Op::LBracket) || a.is(Op::LBrace))
                ++depth;
            else if ((a.is(Op::RParen) || a.is(Op::RBracket) || a.is(Op::RBrace)) && depth > 0)
                --depth;
            else if (a.is(Op::RParen))
                break;
            else if (a.is(Op::Comma) && depth == 0) {
                args.emplace_back();
                continue;
            }
            args.back().push_back(a);
        }
        if (args.size() != def->params.size()) {
            error("invalid number of parameters for macro '@" + def->name + "' (" +
                      std::to_string(def->params.size()) + " expected, " +
                      std::to_string(args.size()) + " given)",
                  use);
            return true;
        }
    }
    Pending p;
    p.tokens.reserve(def->body.size());
    for (const Token& b : def->body) {
        if (b.kind == Tok::Ident && b.text[0] == '@') {
            bool substituted = false;
            for (size_t i = 0; i < def->params.size(); ++i)
                if (b.text.substr(1) == def->params[i]) {
                    p.tokens.insert(p.tokens.end(), args[i].begin(), args[i].end());
                    substituted = true;
                    break;
                }
            if (substituted)
                continue;
        }
        p.tokens.push_back(b);
    }
    if (!p.tokens.empty())
        p.tokens.front().spaceBefore = use.spaceBefore;
    // A macro that passes its arguments on twice doubles them at each level:
    // stop long before memory runs out (the depth limit alone does not).
    size_t queued = p.tokens.size();
    for (const Pending& q : pending_)
        queued += q.tokens.size();
    if (queued > kMaxExpansionTokens) {
        error("macro expansion too large (" + std::to_string(queued) + " tokens; recursive macro?)", use);
        pending_.clear();
        return true;
    }
    pending_.push_back(std::move(p));
    return true;
}

Token Preprocessor::next() {
    for (;;) {
        Token t = nextExpanded();
        if (t.kind == Tok::Eof && !conditionals_.empty()) {
            conditionals_.clear();
            error("incomplete conditional at end of file", t);
            return t;
        }
        if (t.kind != Tok::Op)
            return t;
        switch (t.op) {
        case Op::PpOpen:
            beginConditional(t);
            continue;
        case Op::PpElse:
            if (conditionals_.empty()) {
                error("incomplete conditional - unexpected '%:'", t);
                continue;
            }
            if (conditionals_.back()) {
                error("invalid conditional - duplicate '%:'", t);
                continue;
            }
            // End of the taken branch: skip the else branch.
            conditionals_.pop_back();
            skipBranch(false, t);
            continue;
        case Op::PpClose:
            if (conditionals_.empty()) {
                error("incomplete conditional - unexpected '%)'", t);
                continue;
            }
            conditionals_.pop_back();
            continue;
        case Op::PpThen:
            error("incomplete conditional - unexpected '%?'", t);
            continue;
        default:
            return t;
        }
    }
}

void Preprocessor::beginConditional(const Token& open) {
    Token stop;
    bool taken = evalCondition(open, stop);
    if (!stop.is(Op::PpThen)) {
        // evalCondition reported the problem; drop the whole conditional.
        if (stop.kind != Tok::Eof)
            skipBranch(false, open);
        return;
    }
    if (taken) {
        conditionals_.push_back(false);
        return;
    }
    skipBranch(true, open);
}

// Skips tokens up to the %: (when stopAtElse) or %) that closes this level.
void Preprocessor::skipBranch(bool stopAtElse, const Token& open) {
    lexer_.setSkipping(true);
    int depth = 0;
    for (;;) {
        Token t = nextRaw();
        if (t.kind == Tok::Eof) {
            lexer_.setSkipping(false);
            error("missing '%)' for conditional", open);
            return;
        }
        if (t.is(Op::PpOpen)) {
            ++depth;
        } else if (t.is(Op::PpClose)) {
            if (depth-- == 0)
                break;
        } else if (t.is(Op::PpElse) && depth == 0) {
            if (!stopAtElse) {
                lexer_.setSkipping(false);
                error("invalid conditional - duplicate '%:'", t);
                lexer_.setSkipping(true);
                continue;
            }
            lexer_.setSkipping(false);
            conditionals_.push_back(true);
            return;
        }
    }
    lexer_.setSkipping(false);
}

// COND := CONJ ('||' CONJ)* ; CONJ := CMP ('&&' CMP)* ; CMP := TERM OP TERM.
bool Preprocessor::evalCondition(const Token& open, Token& stop) {
    std::vector<Token> toks;
    for (;;) {
        Token t = nextExpanded();
        if (t.is(Op::PpThen) || t.kind == Tok::Eof || t.is(Op::PpClose) || t.is(Op::PpOpen) ||
            t.is(Op::PpElse)) {
            stop = t;
            break;
        }
        toks.push_back(t);
    }
    if (!stop.is(Op::PpThen)) {
        error("expected '%?' marker for conditional", stop);
        return false;
    }
    if (toks.empty()) {
        error("expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v',\n or comparison between strings or integers",
              stop);
        return false;
    }
    size_t errorsBefore = diags_.errorCount();
    size_t i = 0;
    bool result = false;
    bool anyTrue = false;
    for (;;) {
        bool conj = true;
        for (;;) {
            if (!evalComparison(toks, i, stop))
                conj = false;
            if (diags_.errorCount() != errorsBefore)
                return false;
            if (i < toks.size() && toks[i].is(Op::LogAnd)) {
                ++i;
                continue;
            }
            break;
        }
        anyTrue = anyTrue || conj;
        if (i < toks.size() && toks[i].is(Op::LogOr)) {
            ++i;
            continue;
        }
        break;
    }
    result = anyTrue;
    if (i < toks.size()) {
        error("expected '%?' marker for conditional", toks[i]);
        return false;
    }
    return result;
}

bool Preprocessor::evalComparison(const std::vector<Token>& toks, size_t& i, const Token& stop) {
    // Past the condition's last token is the %? that ended it.
    auto at = [&](size_t k) -> Token { return k < toks.size() ? toks[k] : stop; };
    Token l = at(i);
    Token op = at(i + 1);
    Token r = at(i + 2);
    if (!isComparison(op)) {
        error("expected comparison operator", op);
        return false;
    }
    i += 3;
    std::string rs;
    if (r.kind == Tok::String)
        decodeStringLiteral(r.text, rs);

    if (l.kind == Tok::Ident &&
        (l.text == "kernel_v" || l.text == "kernel_vr" || l.text == "systemtap_v")) {
        if (r.kind != Tok::String) {
            error("expected string literal", r);
            return false;
        }
        const std::string& have = l.text == "kernel_v"    ? target_.kernelBaseRelease
                                  : l.text == "kernel_vr" ? target_.kernelRelease
                                                          : target_.systemtapVersion;
        bool wildcard = std::strpbrk(rs.c_str(), "*?[") != nullptr;
        if (wildcard) {
            if (op.op != Op::Eq && op.op != Op::Ne) {
                error("wildcard not allowed with order comparison operators", op);
                return false;
            }
            bool match = fnmatch(rs.c_str(), have.c_str(), FNM_NOESCAPE) == 0;
            return op.op == Op::Eq ? match : !match;
        }
        return compareResult(op.op, sign(strverscmp(have.c_str(), rs.c_str())));
    }
    if (l.kind == Tok::Ident &&
        (l.text == "arch" || l.text == "runtime" || l.text == "systemtap_privilege")) {
        if (r.kind != Tok::String) {
            error("expected string literal", r);
            return false;
        }
        if (op.op != Op::Eq && op.op != Op::Ne) {
            error("expected '==' or '!='", op);
            return false;
        }
        const std::string& have = l.text == "arch"      ? target_.arch
                                  : l.text == "runtime" ? target_.runtime
                                                        : target_.privilege;
        bool match = l.text == "systemtap_privilege"
                         ? have == rs
                         : fnmatch(rs.c_str(), have.c_str(), FNM_NOESCAPE) == 0;
        return op.op == Op::Eq ? match : !match;
    }
    if (l.kind == Tok::Ident && l.text.substr(0, 7) == "CONFIG_") {
        std::string have = target_.kernelConfig(std::string(l.text));
        if (r.kind == Tok::String) {
            if (op.op != Op::Eq && op.op != Op::Ne) {
                error("expected '==' or '!='", op);
                return false;
            }
            bool match = fnmatch(rs.c_str(), have.c_str(), FNM_NOESCAPE) == 0;
            return op.op == Op::Eq ? match : !match;
        }
        if (r.kind == Tok::Number) {
            int64_t lv = 0, rv = 0;
            parseInt(have, lv);
            if (!parseInt(r.text, rv)) {
                error("number invalid or out of range", r);
                return false;
            }
            return compareResult(op.op, lv < rv ? -1 : lv > rv ? 1 : 0);
        }
        if (r.kind == Tok::Ident && r.text.substr(0, 7) == "CONFIG_") {
            int64_t lv = 0, rv = 0;
            parseInt(have, lv);
            parseInt(target_.kernelConfig(std::string(r.text)), rv);
            return compareResult(op.op, lv < rv ? -1 : lv > rv ? 1 : 0);
        }
        error("expected string or number literal", r);
        return false;
    }
    if (l.kind == Tok::Ident && l.text == "guru_mode") {
        int64_t rv = 0;
        if (r.kind != Tok::Number || !parseInt(r.text, rv)) {
            error("expected number literal", r);
            return false;
        }
        int64_t lv = target_.guruMode ? 1 : 0;
        return compareResult(op.op, lv < rv ? -1 : lv > rv ? 1 : 0);
    }
    if (l.kind == Tok::String && r.kind == Tok::String) {
        std::string ls;
        decodeStringLiteral(l.text, ls);
        return compareResult(op.op, sign(ls.compare(rs)));
    }
    if (l.kind == Tok::Number && r.kind == Tok::Number) {
        int64_t lv = 0, rv = 0;
        if (!parseInt(l.text, lv)) {
            error("bad lexical cast", l);
            return false;
        }
        if (!parseInt(r.text, rv)) {
            error("bad lexical cast", r);
            return false;
        }
        return compareResult(op.op, lv < rv ? -1 : lv > rv ? 1 : 0);
    }
    if (l.kind == Tok::String && r.kind == Tok::Number) {
        error("expected string literal as right value", r);
        return false;
    }
    if (l.kind == Tok::Number && r.kind == Tok::String) {
        error("expected number literal as right value", r);
        return false;
    }
    error("expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v',\n or comparison between strings or integers",
          l);
    return false;
}

} // namespace tap
