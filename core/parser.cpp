#include "parser.h"

#include "language_words.h"

#include <cerrno>
#include <cstdlib>
#include <deque>

namespace tap {

bool parseNumberLiteral(std::string_view text, int64_t& value) {
    if (text.empty() || text.size() > 64)
        return false;
    char buf[72];
    text.copy(buf, text.size());
    buf[text.size()] = '\0';
    char* end = nullptr;
    errno = 0;
    unsigned long long v = std::strtoull(buf, &end, 0);
    if (errno == ERANGE || *end != '\0')
        return false;
    value = int64_t(v);
    return true;
}

namespace {

struct ParseError {};

PrintKind printKindOf(std::string_view name, bool& isPrint) {
    for (const PrintFunction& p : printFunctions())
        if (p.name == name) {
            isPrint = true;
            return p.kind;
        }
    isPrint = false;
    return PrintKind::Print;
}

bool isAssignOp(Op op) {
    switch (op) {
    case Op::Assign: case Op::AddAssign: case Op::SubAssign: case Op::MulAssign:
    case Op::DivAssign: case Op::ModAssign: case Op::AndAssign: case Op::XorAssign:
    case Op::OrAssign: case Op::ConcatAssign: case Op::ShlAssign: case Op::ShrAssign:
    case Op::ShlStat:
        return true;
    default:
        return false;
    }
}

class Parser {
public:
    Parser(const SourceManager& sm, FileId file, DiagnosticSink& diags, const ParseOptions& o)
        : sm_(sm), diags_(diags), opts_(o),
          lexer_(sm, file, diags, o.args),
          pp_(lexer_, diags, *o.target, *o.libraryMacros,
              sm.file(file).isLibrary && sm.name(file).size() > 5 &&
                  sm.name(file).compare(sm.name(file).size() - 5, 5, ".stpm") == 0) {
        ast_ = std::make_unique<FileAst>();
        ast_->file = file;
        ast_->name = sm.name(file);
        ast_->isLibrary = sm.file(file).isLibrary;
        ast_->privileged = ast_->isLibrary || o.guru;
    }

    std::unique_ptr<FileAst> run();

private:
    template <class T, class... A> T* make(A&&... a) {
        return ast_->arena.make<T>(std::forward<A>(a)...);
    }

    // ---- tokens
    const Token& peek(size_t n = 0) {
        while (buf_.size() <= n)
            buf_.push_back(pp_.next());
        return buf_[n];
    }
    Token next() {
        peek();
        Token t = buf_.front();
        buf_.pop_front();
        last_ = t;
        return t;
    }
    bool peekOp(Op op, size_t n = 0) { return peek(n).is(op); }
    bool peekKw(Kw kw) { return peek().is(kw); }
    bool acceptOp(Op op) {
        if (!peekOp(op))
            return false;
        next();
        return true;
    }
    [[noreturn]] void fail(const std::string& msg, const Token& t) {
        diags_.error(Phase::Parse, msg, t.loc, describe(t));
        throw ParseError{};
    }
    [[noreturn]] void fail(const std::string& msg) { fail(msg, peek()); }
    Token expectOp(Op op) {
        if (!peekOp(op))
            fail("expected '" + std::string(opText(op)) + "'");
        return next();
    }
    Token expectName(const char* what = "expected identifier") {
        if (!peek().isName())
            fail(what);
        return next();
    }

    // ---- declarations
    void parseTopLevel();
    void parseGlobal(bool isPrivate, bool keywordSeen);
    void parseFunction(bool isPrivate);
    void parseProbe(bool isPrivate);
    std::vector<ProbePoint*> parseProbePoints(bool& sawAlias);
    // One expansion of a probe point's braces, with the '?' or '!' that
    // followed it inside them.
    struct PointSpelling {
        std::vector<ProbePointComponent> components;
        bool optional = false, sufficient = false;
    };
    std::vector<PointSpelling> parseComponentSequence();
    bool parseOptionalMark(bool& optional, bool& sufficient);
    ProbePointComponent parseComponent();
    Type parseTypeName();
    void recoverTopLevel();

    // ---- statements
    BlockStmt* parseBlock();
    Stmt* parseStatement();
    Stmt* parseForeach();
    Stmt* parseTry();
    void recoverStatement();
    void acceptSemicolon() { acceptOp(Op::Semi); }

    // ---- expressions
    Expr* parseExpression();
    Expr* parseAssignment();
    Expr* parseTernary();
    Expr* parseLogicalOr();
    Expr* parseLogicalAnd();
    Expr* parseBitOr();
    Expr* parseBitXor();
    Expr* parseBitAnd();
    Expr* parseArrayIn();
    Expr* parseComparison();
    Expr* parseShift();
    Expr* parseConcat();
    Expr* parseAdditive();
    Expr* parseMultiplicative();
    Expr* parseUnary();
    Expr* parseCrement();
    Expr* parsePostfix();
    Expr* parsePrimary();
    Expr* parseDwarfValue();
    Expr* parseAtOperator(const Token& t);
    Expr* parseTargetSymbol(const Token& t);
    void parseComponents(std::vector<TargetComponent>& out);
    Expr* parseLiteral(bool allowNegative);
    StringExpr* parseStringLiteral();
    std::vector<Expr*> parseKeyList(Op close, bool allowWildcard);
    std::vector<Expr*> parseArgs();
    Expr* requireStat(const Token& op);

    const SourceManager& sm_;
    DiagnosticSink& diags_;
    // Every pass walks the tree recursively: nesting is bounded here, where
    // it can be refused with a location (10,000 nested parentheses
    // overflowed the stack).
    static constexpr int kMaxNesting = 1000;
    int nesting_ = 0;
    struct Nested {
        Parser& p;
        explicit Nested(Parser& parser) : p(parser) {
            if (++p.nesting_ > kMaxNesting) {
                --p.nesting_;
                p.fail("expressions and blocks nested more than " + std::to_string(kMaxNesting) + " levels deep");
            }
        }
        ~Nested() { --p.nesting_; }
    };
    const ParseOptions& opts_;
    Lexer lexer_;
    Preprocessor pp_;
    std::deque<Token> buf_;
    Token last_;
    bool inFunction_ = false;
    std::unique_ptr<FileAst> ast_;
};

std::unique_ptr<FileAst> Parser::run() {
    while (peek().kind != Tok::Eof) {
        try {
            parseTopLevel();
        } catch (const ParseError&) {
            recoverTopLevel();
        }
    }
    return std::move(ast_);
}

void Parser::recoverTopLevel() {
    // Skip to the next token that starts a declaration.
    for (;;) {
        const Token& t = peek();
        if (t.kind == Tok::Eof || t.is(Kw::Probe) || t.is(Kw::Global) || t.is(Kw::Function) ||
            t.is(Kw::Private))
            return;
        next();
    }
}

void Parser::parseTopLevel() {
    const Token& t = peek();
    if (t.is(Kw::Probe)) {
        next();
        parseProbe(false);
    } else if (t.is(Kw::Global)) {
        next();
        parseGlobal(false, true);
    } else if (t.is(Kw::Function)) {
        next();
        parseFunction(false);
    } else if (t.is(Kw::Private)) {
        next();
        if (acceptOp(Op::Semi))
            fail("expected 'global' or 'function' after 'private'", last_);
        if (peekKw(Kw::Global)) {
            next();
            parseGlobal(true, true);
        } else if (peekKw(Kw::Function)) {
            next();
            parseFunction(true);
        } else if (peekKw(Kw::Probe)) {
            fail("'private' is not allowed for probes");
        } else if (peek().isName()) {
            parseGlobal(true, false);
        } else {
            fail("expected 'global', 'function' or identifier after 'private'");
        }
    } else if (t.kind == Tok::Embedded) {
        Token e = next();
        if (!ast_->privileged)
            fail("embedded code in unprivileged script; need stap -g", e);
        auto* d = make<EmbeddedDecl>();
        d->code = std::string(e.text);
        d->loc = e.loc;
        ast_->embedded.push_back(d);
    } else {
        fail("expected 'probe', 'global', 'private', 'function', or '%{'");
    }
}

void Parser::parseGlobal(bool isPrivate, bool keywordSeen) {
    for (;;) {
        Token name = expectName("expected identifier");
        auto* v = make<VarDecl>();
        v->scope = VarDecl::Scope::Global;
        v->name = std::string(name.text);
        v->loc = name.loc;
        v->isPrivate = isPrivate;
        v->file = ast_.get();
        if (peekOp(Op::Percent)) {
            next();
            v->wrap = true;
        }
        if (peekOp(Op::LBracket)) {
            next();
            Token n = peek();
            if (n.kind != Tok::Number)
                fail("expected number");
            next();
            int64_t size = 0;
            if (!parseNumberLiteral(n.text, size))
                fail("number invalid or out of range", n);
            if (size <= 0 || size > 2147483647)
                fail("array size out of range", n);
            v->maxEntries = size;
            expectOp(Op::RBracket);
        }
        if (peekOp(Op::Assign)) {
            next();
            if (v->maxEntries || v->wrap)
                fail("array size or wrapping not allowed with an initializer", last_);
            v->init = parseLiteral(true);
        }
        ast_->globals.push_back(v);
        if (!acceptOp(Op::Comma))
            break;
    }
    (void)keywordSeen;
    acceptSemicolon();
}

Type Parser::parseTypeName() {
    if (peekKw(Kw::Long)) {
        next();
        return Type::Long;
    }
    if (peekKw(Kw::String)) {
        next();
        return Type::String;
    }
    fail("expected 'string' or 'long'");
}

void Parser::parseFunction(bool isPrivate) {
    Token name = expectName("expected identifier");
    auto* f = make<FunctionDecl>();
    f->name = std::string(name.text);
    f->loc = name.loc;
    f->isPrivate = isPrivate;
    f->file = ast_.get();
    if (acceptOp(Op::Colon)) {
        f->typeLoc = peek().loc;
        f->returnType = parseTypeName();
        f->declaredReturnType = true;
    }
    expectOp(Op::LParen);
    if (!peekOp(Op::RParen)) {
        for (;;) {
            Token p = expectName("expected identifier");
            auto* v = make<VarDecl>();
            v->scope = VarDecl::Scope::Param;
            v->name = std::string(p.text);
            v->loc = p.loc;
            v->arity = 0;
            v->file = ast_.get();
            if (acceptOp(Op::Colon)) {
                v->typeLoc = peek().loc;
                v->type = parseTypeName();
                v->declaredType = true;
            }
            for (VarDecl* other : f->params)
                if (other->name == v->name)
                    fail("duplicate parameter names", p);
            f->params.push_back(v);
            if (acceptOp(Op::RParen))
                break;
            if (!acceptOp(Op::Comma))
                fail("expected ',' or ')'");
        }
    } else {
        next();
    }
    if (acceptOp(Op::Colon)) {
        Token n = peek();
        bool negative = false;
        if (n.is(Op::Minus)) {
            next();
            negative = true;
            n = peek();
        }
        int64_t prio = 0;
        if (n.kind != Tok::Number || !parseNumberLiteral(n.text, prio))
            fail("expected number");
        next();
        f->priority = negative ? -prio : prio;
        f->hasPriority = true;
        if (f->priority < 1)
            fail("specified priority must be > 0", n);
    }
    if (peek().kind == Tok::Embedded) {
        Token e = next();
        if (!ast_->privileged)
            fail("embedded code in unprivileged script; need stap -g", e);
        f->body = make<EmbeddedStmt>(e.loc, std::string(e.text));
    } else {
        inFunction_ = true;
        try {
            f->body = parseBlock();
        } catch (const ParseError&) {
            inFunction_ = false;
            throw;
        }
        inFunction_ = false;
    }
    ast_->functions.push_back(f);
}

void Parser::parseProbe(bool isPrivate) {
    SourceLoc loc = last_.loc;
    bool alias = false;
    std::vector<ProbePoint*> points = parseProbePoints(alias);
    if (peekOp(Op::Assign) || peekOp(Op::AddAssign)) {
        Token op = next();
        if (points.size() != 1)
            fail("expected probe point specifier", op);
        for (ProbePoint* p : points) {
            if (p->optional || p->sufficient || p->condition)
                fail("probe point alias name cannot be optional or conditional", op);
            for (const ProbePointComponent& c : p->components)
                if (c.arg || c.functor.find('*') != std::string::npos)
                    fail("probe alias names cannot have parameters or wildcards", op);
        }
        auto* a = make<AliasDecl>();
        a->loc = loc;
        a->names = std::move(points);
        a->epilogueStyle = op.op == Op::AddAssign;
        a->isPrivate = isPrivate;
        a->file = ast_.get();
        bool dummy = false;
        a->targets = parseProbePoints(dummy);
        BlockStmt* body = parseBlock();
        if (a->epilogueStyle) {
            a->epilogue = body;
        } else {
            a->prologue = body;
            if (peekOp(Op::Comma) && peekOp(Op::LBrace, 1)) {
                next();
                a->epilogue = parseBlock();
            }
        }
        ast_->aliases.push_back(a);
        return;
    }
    auto* p = make<ProbeDecl>();
    p->loc = loc;
    p->points = std::move(points);
    p->isPrivate = isPrivate;
    p->file = ast_.get();
    p->body = parseBlock();
    ast_->probes.push_back(p);
}

ProbePointComponent Parser::parseComponent() {
    ProbePointComponent c;
    const Token& first = peek();
    if (!(first.kind == Tok::Ident && first.text[0] != '$' && first.text[0] != '@') &&
        !first.is(Op::Star))
        fail("expected identifier or '*' or '{'");
    c.loc = first.loc;
    c.functor = std::string(next().text);
    // Adjacent identifier pieces and '*' wildcards form one name: sys*call, x**.
    while (!peek().spaceBefore &&
           ((peek().kind == Tok::Ident && peek().text[0] != '@') || peek().is(Op::Star) ||
            peek().kind == Tok::Number))
        c.functor += next().text;
    if (peekOp(Op::LParen)) {
        next();
        c.arg = parseLiteral(true);
        expectOp(Op::RParen);
    }
    return c;
}

// COMPONENT ('.' COMPONENT)* where a COMPONENT may be a {alt, alt} group of
// sequences, each of which may end in '?' or '!' (kernel.{trace("a")!,
// trace("b")}); returns every expansion.
std::vector<Parser::PointSpelling> Parser::parseComponentSequence() {
    std::vector<PointSpelling> alts(1);
    for (;;) {
        if (peekOp(Op::LBrace)) {
            next();
            std::vector<PointSpelling> group;
            for (;;) {
                auto items = parseComponentSequence();
                bool optional = false, sufficient = false;
                if (parseOptionalMark(optional, sufficient))
                    for (PointSpelling& item : items)
                        item.optional |= optional, item.sufficient |= sufficient;
                group.insert(group.end(), items.begin(), items.end());
                if (acceptOp(Op::RBrace))
                    break;
                if (!peekOp(Op::Comma))
                    fail("expected '}'");
                next();
            }
            std::vector<PointSpelling> product;
            for (auto& prefix : alts)
                for (auto& g : group) {
                    PointSpelling joined = prefix;
                    joined.components.insert(joined.components.end(), g.components.begin(), g.components.end());
                    joined.optional |= g.optional;
                    joined.sufficient |= g.sufficient;
                    product.push_back(std::move(joined));
                }
            alts = std::move(product);
            if (alts.size() > 100000)
                fail("too many probe points from brace expansion");
        } else {
            ProbePointComponent c = parseComponent();
            for (auto& a : alts)
                a.components.push_back(c);
        }
        if (!acceptOp(Op::Dot))
            break;
    }
    return alts;
}

// A probe point's '?' (optional) or '!' (optional, and sufficient when it resolves).
bool Parser::parseOptionalMark(bool& optional, bool& sufficient) {
    if (acceptOp(Op::Question))
        optional = true;
    else if (acceptOp(Op::Bang))
        optional = sufficient = true;
    else
        return false;
    return true;
}

std::vector<ProbePoint*> Parser::parseProbePoints(bool& sawAlias) {
    std::vector<ProbePoint*> points;
    for (;;) {
        SourceLoc loc = peek().loc;
        auto alts = parseComponentSequence();
        bool optional = false, sufficient = false;
        parseOptionalMark(optional, sufficient);
        Expr* cond = nullptr;
        if (peekKw(Kw::If)) {
            next();
            expectOp(Op::LParen);
            cond = parseExpression();
            expectOp(Op::RParen);
        }
        for (auto& alt : alts) {
            auto* p = make<ProbePoint>();
            p->components = std::move(alt.components);
            p->optional = optional || alt.optional;
            p->sufficient = sufficient || alt.sufficient;
            p->condition = cond;
            p->loc = loc;
            points.push_back(p);
        }
        if (peekOp(Op::Comma)) {
            next();
            continue;
        }
        if (peekOp(Op::LBrace) || peekOp(Op::Assign) || peekOp(Op::AddAssign))
            break;
        fail("expected one of ', { } = +='");
    }
    (void)sawAlias;
    return points;
}

// ----------------------------------------------------------------- statements

BlockStmt* Parser::parseBlock() {
    Token open = expectOp(Op::LBrace);
    auto* b = make<BlockStmt>(open.loc);
    for (;;) {
        if (peekOp(Op::RBrace)) {
            next();
            return b;
        }
        if (peek().kind == Tok::Eof)
            fail("unexpected end of file; expected '}'");
        try {
            b->body.push_back(parseStatement());
        } catch (const ParseError&) {
            recoverStatement();
        }
    }
}

void Parser::recoverStatement() {
    int depth = 0;
    for (;;) {
        const Token& t = peek();
        if (t.kind == Tok::Eof)
            throw ParseError{};
        if (depth == 0 && (t.is(Kw::Probe) || t.is(Kw::Function) || t.is(Kw::Global)))
            throw ParseError{}; // lost the block: recover at top level
        if (t.is(Op::LBrace)) {
            ++depth;
        } else if (t.is(Op::RBrace)) {
            if (depth == 0)
                return; // the enclosing block's end
            --depth;
        } else if (t.is(Op::Semi) && depth == 0) {
            next();
            return;
        }
        next();
    }
}

Stmt* Parser::parseStatement() {
    Nested nested(*this);
    const Token& t = peek();
    SourceLoc loc = t.loc;
    if (t.is(Op::Semi)) {
        next();
        return make<SimpleStmt>(StmtKind::Null, loc);
    }
    if (t.is(Op::LBrace))
        return parseBlock();
    if (t.kind == Tok::Ident) {
        switch (t.kw) {
        case Kw::If: {
            next();
            expectOp(Op::LParen);
            Expr* cond = parseExpression();
            expectOp(Op::RParen);
            auto* s = make<IfStmt>(loc, cond, parseStatement());
            if (peekKw(Kw::Else)) {
                next();
                s->otherwise = parseStatement();
            }
            return s;
        }
        case Kw::While: {
            next();
            auto* s = make<ForStmt>(loc);
            s->isWhile = true;
            expectOp(Op::LParen);
            s->cond = parseExpression();
            expectOp(Op::RParen);
            s->body = parseStatement();
            return s;
        }
        case Kw::For: {
            next();
            auto* s = make<ForStmt>(loc);
            expectOp(Op::LParen);
            if (!peekOp(Op::Semi))
                s->init = parseExpression();
            expectOp(Op::Semi);
            if (!peekOp(Op::Semi))
                s->cond = parseExpression();
            expectOp(Op::Semi);
            if (!peekOp(Op::RParen))
                s->step = parseExpression();
            expectOp(Op::RParen);
            s->body = parseStatement();
            return s;
        }
        case Kw::Foreach:
            return parseForeach();
        case Kw::Try:
            return parseTry();
        case Kw::Return: {
            if (!inFunction_)
                fail("found 'return' not in function context");
            next();
            auto* s = make<ReturnStmt>(loc);
            if (!peekOp(Op::Semi) && !peekOp(Op::RBrace))
                s->value = parseExpression();
            acceptSemicolon();
            return s;
        }
        case Kw::Delete: {
            next();
            auto* s = make<DeleteStmt>(loc, parseExpression());
            acceptSemicolon();
            return s;
        }
        case Kw::Next:
        case Kw::Break:
        case Kw::Continue: {
            Kw kw = t.kw;
            next();
            acceptSemicolon();
            return make<SimpleStmt>(kw == Kw::Next    ? StmtKind::Next
                                    : kw == Kw::Break ? StmtKind::Break
                                                      : StmtKind::Continue,
                                    loc);
        }
        case Kw::None:
            break;
        default:
            // else, catch, in, limit, string, ... cannot start a statement.
            fail("expected statement");
        }
    }
    auto* s = make<ExprStmt>(loc, parseExpression());
    acceptSemicolon();
    return s;
}

Stmt* Parser::parseTry() {
    Token t = next();
    auto* s = make<TryStmt>(t.loc);
    s->tryBlock = parseBlock();
    if (!peekKw(Kw::Catch))
        fail("expected 'catch'");
    next();
    if (acceptOp(Op::LParen)) {
        Token v = expectName("expected identifier");
        s->errorVar = make<SymbolExpr>(v.loc, std::string(v.text));
        expectOp(Op::RParen);
    }
    s->catchBlock = parseBlock();
    return s;
}

Stmt* Parser::parseForeach() {
    Token kw = next();
    auto* s = make<ForeachStmt>(kw.loc);
    expectOp(Op::LParen);
    auto sortMark = [&](int column) {
        if (peekOp(Op::Plus) || peekOp(Op::Minus)) {
            Token m = next();
            if (s->sortDirection != 0)
                fail("multiple sort directives", m);
            s->sortColumn = column;
            s->sortDirection = m.is(Op::Plus) ? 1 : -1;
        }
    };
    // Optional value binding: v [+-] = [keys] in a
    if (peek().isName() &&
        (peekOp(Op::Assign, 1) || ((peekOp(Op::Plus, 1) || peekOp(Op::Minus, 1)) && peekOp(Op::Assign, 2)))) {
        Token v = next();
        s->value = make<SymbolExpr>(v.loc, std::string(v.text));
        sortMark(0);
        expectOp(Op::Assign);
    }
    if (acceptOp(Op::LBracket)) {
        for (;;) {
            Token k = expectName("expected identifier");
            s->keys.push_back(make<SymbolExpr>(k.loc, std::string(k.text)));
            sortMark(int(s->keys.size()));
            if (acceptOp(Op::RBracket))
                break;
            if (!acceptOp(Op::Comma))
                fail("expected ',' or ']'");
        }
    } else {
        Token k = expectName("expected identifier");
        s->keys.push_back(make<SymbolExpr>(k.loc, std::string(k.text)));
        sortMark(1);
    }
    if (!peekKw(Kw::In))
        fail("expected 'in'");
    next();
    Token arr = peek();
    if (arr.kind == Tok::Ident && (arr.text == "@hist_log" || arr.text == "@hist_linear")) {
        s->array = parsePrimary();
    } else {
        Token name = expectName("expected identifier");
        Expr* array = make<SymbolExpr>(name.loc, std::string(name.text));
        if (peekOp(Op::LBracket)) {
            next();
            auto* slice = make<IndexExpr>(name.loc, array);
            slice->keys = parseKeyList(Op::RBracket, true);
            array = slice;
        }
        s->array = array;
    }
    if (peek().kind == Tok::Ident && peek().text[0] == '@') {
        Token agg = next();
        static const std::pair<const char*, StatFn> aggs[] = {
            {"@count", StatFn::Count}, {"@sum", StatFn::Sum}, {"@min", StatFn::Min},
            {"@max", StatFn::Max},     {"@avg", StatFn::Avg}};
        bool found = false;
        for (auto& [n, fn] : aggs)
            if (agg.text == n) {
                s->sortAggregate = fn;
                s->explicitAggregate = true;
                found = true;
            }
        if (!found)
            fail("expected statistical operation", agg);
        if (!peekOp(Op::Plus) && !peekOp(Op::Minus))
            fail("expected sort directive");
    }
    sortMark(0);
    if (peekKw(Kw::Limit)) {
        next();
        s->limit = parseExpression();
    }
    expectOp(Op::RParen);
    s->body = parseStatement();
    return s;
}

// ---------------------------------------------------------------- expressions

Expr* Parser::parseExpression() { return parseAssignment(); }

Expr* Parser::parseAssignment() {
    Expr* lhs = parseTernary();
    if (peek().kind == Tok::Op && isAssignOp(peek().op)) {
        Token op = next();
        Expr* rhs = parseAssignment();
        return make<AssignExpr>(op.loc, op.op, lhs, rhs);
    }
    return lhs;
}

Expr* Parser::parseTernary() {
    Expr* cond = parseLogicalOr();
    if (peekOp(Op::Question)) {
        Token q = next();
        Expr* a = parseExpression();
        expectOp(Op::Colon);
        Expr* b = parseExpression();
        return make<TernaryExpr>(q.loc, cond, a, b);
    }
    return cond;
}

#define TAP_BINARY_LEVEL(NAME, NEXT, COND)                                                         \
    Expr* Parser::NAME() {                                                                         \
        Expr* lhs = NEXT();                                                                        \
        for (;;) {                                                                                 \
            const Token& t = peek();                                                               \
            if (t.kind != Tok::Op || !(COND))                                                      \
                return lhs;                                                                        \
            Token op = next();                                                                     \
            lhs = make<BinaryExpr>(op.loc, op.op, lhs, NEXT());                                    \
        }                                                                                          \
    }

TAP_BINARY_LEVEL(parseLogicalOr, parseLogicalAnd, t.op == Op::LogOr)
TAP_BINARY_LEVEL(parseLogicalAnd, parseBitOr, t.op == Op::LogAnd)
TAP_BINARY_LEVEL(parseBitOr, parseBitXor, t.op == Op::Pipe)
TAP_BINARY_LEVEL(parseBitXor, parseBitAnd, t.op == Op::Caret)
TAP_BINARY_LEVEL(parseBitAnd, parseArrayIn, t.op == Op::Amp)
// Comparisons; the right side of =~ and !~ must be a literal string.
Expr* Parser::parseComparison() {
    Expr* lhs = parseShift();
    for (;;) {
        const Token& t = peek();
        if (t.kind != Tok::Op)
            return lhs;
        if (t.op == Op::Match || t.op == Op::NotMatch) {
            Token op = next();
            if (peek().kind != Tok::String)
                fail("expected literal string");
            lhs = make<BinaryExpr>(op.loc, op.op, lhs, parseStringLiteral());
            continue;
        }
        if (t.op != Op::Lt && t.op != Op::Gt && t.op != Op::Le && t.op != Op::Ge &&
            t.op != Op::Eq && t.op != Op::Ne)
            return lhs;
        Token op = next();
        lhs = make<BinaryExpr>(op.loc, op.op, lhs, parseShift());
    }
}

TAP_BINARY_LEVEL(parseShift, parseConcat, t.op == Op::Shl || t.op == Op::Shr || t.op == Op::ShrShr)
TAP_BINARY_LEVEL(parseConcat, parseAdditive, t.op == Op::Dot)
TAP_BINARY_LEVEL(parseAdditive, parseMultiplicative, t.op == Op::Plus || t.op == Op::Minus)
TAP_BINARY_LEVEL(parseMultiplicative, parseUnary,
                 t.op == Op::Star || t.op == Op::Slash || t.op == Op::Percent)
#undef TAP_BINARY_LEVEL

// [k1, k2] in a  |  k in a  |  comparison
Expr* Parser::parseArrayIn() {
    if (peekOp(Op::LBracket)) {
        next();
        std::vector<Expr*> keys = parseKeyList(Op::RBracket, true);
        if (!peekKw(Kw::In)) {
            // As stap: `[e]` without `in` is just e.
            if (keys.size() == 1 && keys[0])
                return keys[0];
            fail("unexpected comma-separated expression list");
        }
        Token in = next();
        Token name = expectName("expected identifier or statistical operation");
        auto* idx = make<IndexExpr>(name.loc, make<SymbolExpr>(name.loc, std::string(name.text)));
        idx->keys = std::move(keys);
        return make<InExpr>(in.loc, idx);
    }
    Expr* lhs = parseComparison();
    // stap takes one `in` only: `a in b in c` is a parse error.
    if (peekKw(Kw::In)) {
        Token in = next();
        Token name = expectName("expected identifier or statistical operation");
        auto* idx = make<IndexExpr>(name.loc, make<SymbolExpr>(name.loc, std::string(name.text)));
        idx->keys.push_back(lhs);
        lhs = make<InExpr>(in.loc, idx);
    }
    return lhs;
}

Expr* Parser::parseUnary() {
    Nested nested(*this);
    const Token& t = peek();
    if (t.kind == Tok::Op &&
        (t.op == Op::Plus || t.op == Op::Minus || t.op == Op::Bang || t.op == Op::Tilde)) {
        Token op = next();
        return make<UnaryExpr>(op.loc, op.op, parseUnary());
    }
    return parseCrement();
}

Expr* Parser::parseCrement() {
    if (peekOp(Op::Inc) || peekOp(Op::Dec)) {
        Token op = next();
        // As in stap, the operand of a prefix ++/-- is a plain value: no
        // nested prefix and no postfix (`++a++` and `++ ++a` are errors).
        return make<IncDecExpr>(op.loc, op.op, true, parseDwarfValue());
    }
    return parsePostfix();
}

Expr* Parser::parsePostfix() {
    Expr* e = parseDwarfValue();
    if (peekOp(Op::Inc) || peekOp(Op::Dec)) {
        Token op = next();
        return make<IncDecExpr>(op.loc, op.op, false, e);
    }
    return e;
}

// [&] value [->field | [index]]*: target symbols, and any other value followed
// by target components (stap's autocast).
Expr* Parser::parseDwarfValue() {
    bool addressOf = false;
    SourceLoc ampLoc;
    if (peekOp(Op::Amp)) {
        ampLoc = next().loc;
        addressOf = true;
    }
    Expr* e = parsePrimary();
    auto setAddress = [&](bool& flag) { flag = flag || addressOf; };
    switch (e->kind) {
    case ExprKind::Target: setAddress(static_cast<TargetExpr*>(e)->addressOf); return e;
    case ExprKind::Cast: setAddress(static_cast<CastExpr*>(e)->addressOf); return e;
    case ExprKind::AtVar: setAddress(static_cast<AtVarExpr*>(e)->addressOf); return e;
    default: break;
    }
    if (!addressOf && !peekOp(Op::Arrow) && !peekOp(Op::LBracket))
        return e;
    auto* a = make<AutocastExpr>(addressOf ? ampLoc : peek().loc, e);
    a->addressOf = addressOf;
    parseComponents(a->components);
    return a;
}

std::vector<Expr*> Parser::parseKeyList(Op close, bool allowWildcard) {
    std::vector<Expr*> keys;
    for (;;) {
        if (allowWildcard && peekOp(Op::Star) &&
            (peekOp(Op::Comma, 1) || peekOp(close, 1))) {
            next();
            keys.push_back(nullptr);
        } else {
            keys.push_back(parseExpression());
        }
        if (acceptOp(close))
            return keys;
        if (!acceptOp(Op::Comma))
            fail("expected one of '" + std::string(opText(close)) + " ,'");
    }
}

std::vector<Expr*> Parser::parseArgs() {
    expectOp(Op::LParen);
    std::vector<Expr*> args;
    if (acceptOp(Op::RParen))
        return args;
    for (;;) {
        args.push_back(parseExpression());
        if (acceptOp(Op::RParen))
            return args;
        if (!acceptOp(Op::Comma))
            fail("expected one of ') ,'");
    }
}

StringExpr* Parser::parseStringLiteral() {
    Token t = next();
    auto* s = make<StringExpr>(t.loc);
    s->raw = std::string(t.text);
    while (peek().kind == Tok::String)
        s->raw += next().text;
    std::string bad;
    if (!decodeStringLiteral(s->raw, s->value, &bad))
        fail("invalid escape sequence '" + bad + "' in string", t);
    return s;
}

Expr* Parser::parseLiteral(bool allowNegative) {
    const Token& t = peek();
    if (t.kind == Tok::String)
        return parseStringLiteral();
    bool negative = false;
    SourceLoc loc = t.loc;
    if (allowNegative && t.is(Op::Minus)) {
        next();
        negative = true;
    }
    const Token& n = peek();
    if (n.kind != Tok::Number)
        fail("expected literal string or number");
    int64_t value = 0;
    if (!parseNumberLiteral(n.text, value))
        fail("number invalid or out of range", n);
    next();
    return make<NumberExpr>(loc, negative ? int64_t(0 - uint64_t(value)) : value);
}

Expr* Parser::parsePrimary() {
    const Token& t = peek();
    switch (t.kind) {
    case Tok::Number:
        return parseLiteral(false);
    case Tok::String:
        return parseStringLiteral();
    case Tok::Embedded: {
        Token e = next();
        if (!ast_->privileged)
            fail("embedded code in unprivileged script; need stap -g", e);
        return make<EmbeddedExpr>(e.loc, std::string(e.text));
    }
    case Tok::Op:
        if (t.op == Op::LParen) {
            next();
            Expr* e = parseExpression();
            expectOp(Op::RParen);
            return e;
        }
        fail("expected literal string or number");
    case Tok::Ident:
        break;
    case Tok::Eof:
        fail("expected literal string or number");
    }
    if (t.kw != Kw::None)
        fail("expected literal string or number");
    Token id = next();
    if (id.text[0] == '$')
        return parseTargetSymbol(id);
    if (id.text[0] == '@')
        return parseAtOperator(id);
    if (peekOp(Op::LParen)) {
        bool isPrint = false;
        PrintKind pk = printKindOf(id.text, isPrint);
        if (isPrint) {
            auto* p = make<PrintExpr>(id.loc, pk, std::string(id.text));
            // The format / delimiter must be a literal string (stap: at the argument).
            if ((p->hasFormat() || p->hasDelimiter()) && peek(1).kind != Tok::String) {
                expectOp(Op::LParen);
                fail("expected literal string");
            }
            p->args = parseArgs();
            if (p->hasFormat() && (p->args.empty() || p->args[0]->kind != ExprKind::String))
                fail("printf format must be a literal string", id);
            if (p->hasDelimiter() && (p->args.empty() || p->args[0]->kind != ExprKind::String))
                fail("print delimiter must be a literal string", id);
            size_t minArgs = p->hasDelimiter() ? 3
                             : (pk == PrintKind::Println || pk == PrintKind::Sprintln) ? 0
                                                                                     : 1;
            if (p->args.size() < minArgs)
                fail("expected literal string or number", last_);
            return p;
        }
        auto* c = make<CallExpr>(id.loc, std::string(id.text));
        c->args = parseArgs();
        return c;
    }
    Expr* sym = make<SymbolExpr>(id.loc, std::string(id.text));
    if (peekOp(Op::LBracket)) {
        next();
        auto* idx = make<IndexExpr>(id.loc, sym);
        idx->keys = parseKeyList(Op::RBracket, true);
        return idx;
    }
    return sym;
}

void Parser::parseComponents(std::vector<TargetComponent>& out) {
    for (;;) {
        if (peekOp(Op::Arrow)) {
            Token arrow = next();
            const Token& f = peek();
            if (f.kind != Tok::Ident || f.text[0] == '@')
                fail("expected field name");
            Token name = next();
            std::string field(name.text);
            // `->$` / `->$$` pretty-print, and `$var->f$` suffixes.
            if (field == "$" || field == "$$") {
                out.push_back({TargetComponent::Pretty, name.loc, field, nullptr});
                continue;
            }
            size_t dollar = field.find('$');
            if (dollar != std::string::npos && dollar > 0) {
                std::string suffix = field.substr(dollar);
                if (suffix != "$" && suffix != "$$")
                    fail("invalid field name", name);
                out.push_back({TargetComponent::Field, name.loc, field.substr(0, dollar), nullptr});
                out.push_back({TargetComponent::Pretty, name.loc, suffix, nullptr});
                continue;
            }
            out.push_back({TargetComponent::Field, name.loc, field, nullptr});
            (void)arrow;
        } else if (peekOp(Op::LBracket)) {
            Token open = next();
            Expr* index = parseExpression();
            expectOp(Op::RBracket);
            out.push_back({TargetComponent::Index, open.loc, {}, index});
        } else if (peek().kind == Tok::Ident && !peek().spaceBefore &&
                   (peek().text == "$" || peek().text == "$$")) {
            Token p = next();
            out.push_back({TargetComponent::Pretty, p.loc, std::string(p.text), nullptr});
        } else {
            return;
        }
    }
}

Expr* Parser::parseTargetSymbol(const Token& t) {
    std::string name(t.text);
    std::string pretty;
    // $var$ / $var$$ / $$vars$ : split the pretty-print suffix off a name.
    size_t start = name.find_first_not_of('$');
    size_t dollar = start == std::string::npos ? std::string::npos : name.find('$', start);
    if (dollar != std::string::npos) {
        pretty = name.substr(dollar);
        name = name.substr(0, dollar);
        if (pretty != "$" && pretty != "$$")
            fail("invalid target symbol", t);
    }
    if (start == std::string::npos)
        fail("expected target symbol name", t);
    auto* e = make<TargetExpr>(t.loc, name);
    if (!pretty.empty())
        e->components.push_back({TargetComponent::Pretty, t.loc, pretty, nullptr});
    else
        parseComponents(e->components);
    return e;
}

Expr* Parser::requireStat(const Token& op) {
    Expr* e = parsePrimary();
    if (e->kind != ExprKind::Symbol && e->kind != ExprKind::Index)
        fail("expected statistic variable for " + std::string(op.text), op);
    return e;
}

Expr* Parser::parseAtOperator(const Token& t) {
    std::string_view name = t.text;
    static const std::pair<const char*, StatFn> statFns[] = {
        {"@count", StatFn::Count}, {"@sum", StatFn::Sum}, {"@min", StatFn::Min},
        {"@max", StatFn::Max},     {"@avg", StatFn::Avg}, {"@variance", StatFn::Variance}};
    for (auto& [n, fn] : statFns) {
        if (name != n)
            continue;
        expectOp(Op::LParen);
        auto* e = make<StatOpExpr>(t.loc, fn, requireStat(t));
        if (fn == StatFn::Variance && acceptOp(Op::Comma))
            e->shift = parseLiteral(false);
        expectOp(Op::RParen);
        return e;
    }
    if (name == "@hist_log" || name == "@hist_linear") {
        bool linear = name == "@hist_linear";
        expectOp(Op::LParen);
        auto* h = make<HistExpr>(t.loc, linear, requireStat(t));
        for (int i = 0; linear && i < 3; ++i) { // @hist_linear(v, lo, hi, step)
            expectOp(Op::Comma);
            h->params.push_back(parseExpression());
        }
        expectOp(Op::RParen);
        if (peekOp(Op::LBracket)) {
            Token open = next();
            auto* idx = make<IndexExpr>(open.loc, h);
            idx->keys.push_back(parseExpression());
            expectOp(Op::RBracket);
            return idx;
        }
        return h;
    }
    if (name == "@cast") {
        expectOp(Op::LParen);
        auto* c = make<CastExpr>(t.loc, parseExpression());
        expectOp(Op::Comma);
        if (peek().kind != Tok::String)
            fail("expected string");
        c->typeName = parseStringLiteral()->value;
        if (acceptOp(Op::Comma)) {
            if (peek().kind != Tok::String)
                fail("expected string");
            c->module = parseStringLiteral()->value;
        }
        expectOp(Op::RParen);
        parseComponents(c->components);
        return c;
    }
    if (name == "@var") {
        expectOp(Op::LParen);
        auto* v = make<AtVarExpr>(t.loc);
        if (peek().kind != Tok::String)
            fail("expected string");
        v->varName = parseStringLiteral()->value;
        if (acceptOp(Op::Comma)) {
            if (peek().kind != Tok::String)
                fail("expected string");
            v->module = parseStringLiteral()->value;
        }
        expectOp(Op::RParen);
        parseComponents(v->components);
        return v;
    }
    if (name == "@defined" || name == "@entry" || name == "@probewrite") {
        expectOp(Op::LParen);
        ExprKind k = name == "@defined" ? ExprKind::Defined
                     : name == "@entry" ? ExprKind::Entry
                                        : ExprKind::ProbeWrite;
        if (k == ExprKind::ProbeWrite && !peek().isName())
            fail("expected identifier");
        Expr* operand = parseExpression();
        expectOp(Op::RParen);
        if (k == ExprKind::ProbeWrite && operand->kind != ExprKind::Symbol)
            fail("expected identifier", t);
        return make<WrapExpr>(k, t.loc, operand);
    }
    if (name == "@perf") {
        expectOp(Op::LParen);
        if (peek().kind != Tok::String)
            fail("expected literal string");
        Expr* s = parseStringLiteral();
        expectOp(Op::RParen);
        return make<WrapExpr>(ExprKind::Perf, t.loc, s);
    }
    if (name == "@const" || name == "@kregister" || name == "@uregister" || name == "@kderef" ||
        name == "@uderef") {
        auto* c = make<AtCallExpr>(t.loc, std::string(name));
        c->args = parseArgs();
        if (name == "@const" && !ast_->privileged)
            fail("using @const operator not permitted; need stap -g", t);
        return c;
    }
    fail("unknown operator " + std::string(name), t);
}

} // namespace

std::unique_ptr<FileAst> parseFile(const SourceManager& sm, FileId file, DiagnosticSink& diags,
                                   const ParseOptions& options) {
    Parser p(sm, file, diags, options);
    return p.run();
}

} // namespace tap
