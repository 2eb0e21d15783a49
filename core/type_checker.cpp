// Type inference to a fixed point over every probe and reachable function,
// as stap does: long, string and stats, for scalars, array keys and values,
// parameters and return values. Mismatches are reported in the final round
// only, with the place the type was first inferred.
#include "ast_walk.h"
#include "elaborator_impl.h"
#include "printf_format.h"

#include <regex.h>

#include <cstdint>
#include <tuple>

namespace tap {

namespace {

uint64_t locKey(SourceLoc l) { return (uint64_t(l.file) << 40) ^ (uint64_t(l.line) << 16) ^ l.col; }

// The variable whose value `e` reads: a scalar or an array element.
const VarDecl* valueDeclOf(const Expr* e) {
    if (e->kind == ExprKind::Symbol)
        return static_cast<const SymbolExpr*>(e)->decl;
    if (e->kind == ExprKind::Index) {
        const Expr* base = static_cast<const IndexExpr*>(e)->base;
        if (base->kind == ExprKind::Symbol)
            return static_cast<const SymbolExpr*>(base)->decl;
    }
    return nullptr;
}


} // namespace

void Elaborator::typeError(const Expr* at, const std::string& msg) {
    if (!reporting_)
        return;
    if (!reported_.insert({locKey(at->loc), msg}).second)
        return;
    diags_.error(Phase::Semantic, msg, at->loc, describeExpr(at));
}

void Elaborator::noteOrigin(const void* decl, size_t index, const Expr* at) {
    origins_.emplace(std::make_pair(decl, index), std::make_pair(at->loc, describeExpr(at)));
}

// "type was first inferred here (T)" (what = "type") or "type of index N was
// first inferred here (T)", at the recorded origin or the fallback.
Diagnostic Elaborator::originNote(const void* decl, size_t index, const std::string& what, Type t,
                                  SourceLoc fallbackLoc, const std::string& fallbackSubject) const {
    SourceLoc loc = fallbackLoc;
    std::string subject = fallbackSubject;
    if (auto it = origins_.find({decl, index}); it != origins_.end())
        std::tie(loc, subject) = it->second;
    return {Severity::Error, Phase::Semantic,
            what + " was first inferred here (" + typeName(t) + ")", loc, subject, {}};
}

// When `e` names a variable or function whose type was inferred elsewhere,
// stap says "type mismatch (WANT)" with a note "type was first inferred here
// (HAVE)" at that place. Returns false when `e` names nothing so typed (then
// the caller reports "type mismatch: expected WANT but found HAVE").
bool Elaborator::mismatchWithOrigin(const Expr* e, Type want, Type have) {
    const void* decl = nullptr;
    SourceLoc fallback;
    std::string fallbackSubject;
    if (const VarDecl* v = valueDeclOf(e); v && v->type == have && !v->init) {
        decl = v;
        fallback = v->typeLoc;
        fallbackSubject = "identifier '" + v->name + "'";
    } else if (e->kind == ExprKind::Call && static_cast<const CallExpr*>(e)->decl &&
               static_cast<const CallExpr*>(e)->decl->returnType == have &&
               !static_cast<const CallExpr*>(e)->decl->declaredReturnType) {
        decl = static_cast<const CallExpr*>(e)->decl;
        fallback = static_cast<const CallExpr*>(e)->decl->typeLoc;
    } else {
        return false;
    }
    if (!reporting_ || !reported_.insert({locKey(e->loc), "mismatch"}).second)
        return true;
    Diagnostic& d = diags_.error(Phase::Semantic, std::string("type mismatch (") + typeName(want) + ")",
                                 e->loc, describeExpr(e));
    Diagnostic note = originNote(decl, SIZE_MAX, "type", have, fallback, fallbackSubject);
    if (note.loc.valid())
        d.notes.push_back(std::move(note));
    return true;
}

Type Elaborator::expectType(const Expr* e, Type have, Type want) {
    if (have != Type::Unknown && want != Type::Unknown && have != want &&
        !mismatchWithOrigin(e, want, have))
        typeError(e, std::string("type mismatch: expected ") + typeName(want) + " but found " +
                         typeName(have));
    return have != Type::Unknown ? have : want;
}

// A value of type `have` meets a declared `:long`/`:string` (parameter or
// return type); stap words this one the other way round.
void Elaborator::declaredMismatch(const Expr* at, Type have, Type declared) {
    if (have != Type::Unknown && declared != Type::Unknown && have != declared)
        typeError(at, std::string("type mismatch: expected ") + typeName(have) + " but found " +
                          typeName(declared));
}

void Elaborator::unifyVar(VarDecl* v, Type t, const Expr* at) {
    if (!v || t == Type::Unknown)
        return;
    if (v->type == Type::Unknown) {
        v->type = t;
        v->typeLoc = at->loc;
        noteOrigin(v, SIZE_MAX, at);
        changed_ = true;
        return;
    }
    if (v->type != t && reporting_ && reported_.insert({locKey(at->loc), "mismatch"}).second) {
        Diagnostic& d = diags_.error(Phase::Semantic, std::string("type mismatch (") + typeName(t) + ")",
                                     at->loc, describeExpr(at));
        Diagnostic note = originNote(v, SIZE_MAX, "type", v->type, v->typeLoc, "identifier '" + v->name + "'");
        if (note.loc.valid())
            d.notes.push_back(std::move(note));
    }
}

void Elaborator::unifyKey(VarDecl* v, size_t i, Type t, const Expr* at) {
    if (!v || t == Type::Unknown || i >= v->keyTypes.size())
        return;
    if (v->keyTypes[i] == Type::Unknown) {
        v->keyTypes[i] = t;
        noteOrigin(v, i, at);
        changed_ = true;
        return;
    }
    if (v->keyTypes[i] != t && reporting_ && reported_.insert({locKey(at->loc), "mismatch"}).second) {
        std::string index = "index " + std::to_string(i);
        Diagnostic& d = diags_.error(Phase::Semantic,
                                     index + " type mismatch (" + typeName(t) + ")", at->loc,
                                     describeExpr(at));
        Diagnostic note = originNote(v, i, "type of " + index, v->keyTypes[i], {}, {});
        if (note.loc.valid())
            d.notes.push_back(std::move(note));
    }
}

void Elaborator::unifyReturn(FunctionDecl* f, Type t, const Expr* at) {
    if (!f || t == Type::Unknown)
        return;
    if (f->returnType == Type::Unknown) {
        f->returnType = t;
        f->typeLoc = at->loc;
        noteOrigin(f, SIZE_MAX, at);
        changed_ = true;
        return;
    }
    if (f->returnType == t)
        return;
    if (f->declaredReturnType) {
        declaredMismatch(at, t, f->returnType);
        return;
    }
    // An inferred return type: say where it was inferred, as stap does.
    if (reporting_ && reported_.insert({locKey(at->loc), "mismatch"}).second) {
        Diagnostic& d = diags_.error(Phase::Semantic, std::string("type mismatch (") + typeName(t) + ")",
                                     at->loc, describeExpr(at));
        Diagnostic note = originNote(f, SIZE_MAX, "type", f->returnType, f->typeLoc, {});
        if (note.loc.valid())
            d.notes.push_back(std::move(note));
    }
}

void Elaborator::checkRegex(const StringExpr* pattern) {
    regex_t re;
    int rc = regcomp(&re, pattern->value.c_str(), REG_EXTENDED);
    if (rc == 0) {
        regfree(&re);
        return;
    }
    char msg[256];
    regerror(rc, &re, msg, sizeof msg);
    typeError(pattern, std::string("regex compilation error: ") + msg);
}

// The value of a variable or array element `at` (named by `name`): stats
// only where a statistic is wanted, the type learnt from the context.
Type Elaborator::inferValueOf(VarDecl* v, Expr* at, const Expr* name, Type want, bool needValue) {
    if (v->type == Type::Stats && want != Type::Stats) {
        typeError(at, "statistic used as a scalar value; use an extractor such as @count");
        return want;
    }
    if (v->type == Type::Unknown && want != Type::Unknown)
        unifyVar(v, want, at);
    if (v->type == Type::Unknown && reporting_ && needValue)
        typeError(name, "unresolved type ");
    return v->type;
}

// Returns the expression's type given what the context wants; records what
// it learns in declarations.
Type Elaborator::inferExpr(Expr* e, Type want, bool needValue) {
    Type t = Type::Unknown;
    switch (e->kind) {
    case ExprKind::Number:
        t = Type::Long;
        break;
    case ExprKind::String:
        t = Type::String;
        break;
    case ExprKind::Symbol: {
        VarDecl* v = static_cast<SymbolExpr*>(e)->decl;
        if (!v)
            return want;
        if (v->isArray()) {
            typeError(e, "array used as a scalar");
            return want;
        }
        t = inferValueOf(v, e, e, want, needValue);
        break;
    }
    case ExprKind::Index: {
        auto* i = static_cast<IndexExpr*>(e);
        if (i->base->kind == ExprKind::Hist) {
            inferExpr(i->base, Type::Unknown, false);
            inferExpr(i->keys[0], Type::Long, true);
            t = Type::Long;
            break;
        }
        VarDecl* v = i->base->kind == ExprKind::Symbol ? static_cast<SymbolExpr*>(i->base)->decl : nullptr;
        for (size_t k = 0; k < i->keys.size(); ++k) {
            if (!i->keys[k])
                continue;
            Type want_k = v && k < v->keyTypes.size() ? v->keyTypes[k] : Type::Unknown;
            Type kt = inferExpr(i->keys[k], want_k, true);
            if (kt == Type::Stats)
                typeError(i->keys[k], "statistic used as an array key");
            unifyKey(v, k, kt, i->keys[k]);
        }
        if (!v)
            return want;
        t = inferValueOf(v, e, i->base, want, needValue);
        break;
    }
    case ExprKind::Assign: {
        auto* a = static_cast<AssignExpr*>(e);
        switch (a->op) {
        case Op::ShlStat: {
            Expr* target = a->target;
            if (target->kind != ExprKind::Symbol && target->kind != ExprKind::Index) {
                typeError(target, "expected a statistic variable");
                break;
            }
            VarDecl* v = target->kind == ExprKind::Symbol
                             ? static_cast<SymbolExpr*>(target)->decl
                             : (static_cast<IndexExpr*>(target)->base->kind == ExprKind::Symbol
                                    ? static_cast<SymbolExpr*>(static_cast<IndexExpr*>(target)->base)->decl
                                    : nullptr);
            if (v && v->scope != VarDecl::Scope::Global && reporting_)
                typeError(target, "stat locals not supported");
            inferExpr(target, Type::Stats, true);
            expectType(a->value, inferExpr(a->value, Type::Long, true), Type::Long);
            t = Type::Long;
            break;
        }
        case Op::Assign: {
            Type lt = inferExpr(a->target, want == Type::Stats ? Type::Unknown : want, false);
            if (lt == Type::Stats) {
                typeError(a->target, "statistics can only be added to with '<<<'");
                break;
            }
            Type rt = inferExpr(a->value, lt, true);
            if (lt == Type::Unknown && rt != Type::Unknown)
                lt = inferExpr(a->target, rt, false);
            // `x = 1; x = "a"` (or `= "a" . s`): stap blames the variable;
            // `x = y` with y typed elsewhere: it blames y.
            bool namedValue = valueDeclOf(a->value) || a->value->kind == ExprKind::Call;
            if (!namedValue && valueDeclOf(a->target) && lt != Type::Unknown &&
                rt != Type::Unknown && rt != lt) {
                if (!mismatchWithOrigin(a->target, rt, lt)) // e.g. typed by its initializer
                    typeError(a->target, std::string("type mismatch: expected ") + typeName(rt) +
                                             " but found " + typeName(lt));
            } else {
                expectType(a->value, rt, lt);
            }
            t = lt != Type::Unknown ? lt : rt;
            break;
        }
        case Op::ConcatAssign:
            expectType(a->target, inferExpr(a->target, Type::String, true), Type::String);
            expectType(a->value, inferExpr(a->value, Type::String, true), Type::String);
            t = Type::String;
            break;
        default:
            expectType(a->target, inferExpr(a->target, Type::Long, true), Type::Long);
            expectType(a->value, inferExpr(a->value, Type::Long, true), Type::Long);
            t = Type::Long;
            break;
        }
        if (a->target->kind != ExprKind::Symbol && a->target->kind != ExprKind::Index &&
            a->target->kind != ExprKind::Target && a->target->kind != ExprKind::Cast &&
            a->target->kind != ExprKind::Autocast && a->target->kind != ExprKind::AtVar)
            typeError(a->target, "assignment to a non-lvalue");
        break;
    }
    case ExprKind::Binary: {
        auto* b = static_cast<BinaryExpr*>(e);
        switch (b->op) {
        case Op::Dot:
            expectType(b->lhs, inferExpr(b->lhs, Type::String, true), Type::String);
            expectType(b->rhs, inferExpr(b->rhs, Type::String, true), Type::String);
            t = Type::String;
            break;
        case Op::Match:
        case Op::NotMatch:
            if (reporting_ && b->rhs->kind == ExprKind::String)
                checkRegex(static_cast<StringExpr*>(b->rhs));
            expectType(b->lhs, inferExpr(b->lhs, Type::String, true), Type::String);
            expectType(b->rhs, inferExpr(b->rhs, Type::String, true), Type::String);
            t = Type::Long;
            break;
        case Op::Lt: case Op::Gt: case Op::Le: case Op::Ge: case Op::Eq: case Op::Ne: {
            Type lt = inferExpr(b->lhs, Type::Unknown, true);
            Type rt = inferExpr(b->rhs, lt, true);
            if (lt == Type::Unknown && rt != Type::Unknown)
                lt = inferExpr(b->lhs, rt, true);
            if (lt == Type::Stats || rt == Type::Stats)
                typeError(b, "statistics cannot be compared");
            else
                expectType(b->rhs, rt, lt);
            t = Type::Long;
            break;
        }
        default:
            expectType(b->lhs, inferExpr(b->lhs, Type::Long, true), Type::Long);
            expectType(b->rhs, inferExpr(b->rhs, Type::Long, true), Type::Long);
            t = Type::Long;
            break;
        }
        break;
    }
    case ExprKind::Unary: {
        auto* u = static_cast<UnaryExpr*>(e);
        expectType(u->operand, inferExpr(u->operand, Type::Long, true), Type::Long);
        t = Type::Long;
        break;
    }
    case ExprKind::IncDec: {
        auto* u = static_cast<IncDecExpr*>(e);
        expectType(u->operand, inferExpr(u->operand, Type::Long, true), Type::Long);
        t = Type::Long;
        break;
    }
    case ExprKind::Ternary: {
        auto* c = static_cast<TernaryExpr*>(e);
        expectType(c->cond, inferExpr(c->cond, Type::Long, true), Type::Long);
        Type a = c->knownCond != 0 ? inferExpr(c->then, want, needValue) : Type::Unknown;
        Type b = c->knownCond != 1 ? inferExpr(c->otherwise, a != Type::Unknown ? a : want, needValue)
                                   : Type::Unknown;
        if (a == Type::Unknown && b != Type::Unknown && c->knownCond != 0)
            a = inferExpr(c->then, b, needValue);
        if (a != Type::Unknown && b != Type::Unknown)
            expectType(c->otherwise, b, a);
        t = a != Type::Unknown ? a : b;
        break;
    }
    case ExprKind::Call: {
        auto* c = static_cast<CallExpr*>(e);
        if (!c->decl)
            return want;
        for (FunctionDecl* f : c->overloads) {
            for (size_t i = 0; i < c->args.size() && i < f->params.size(); ++i) {
                VarDecl* p = f->params[i];
                Type at = inferExpr(c->args[i], p->type, true);
                if (at == Type::Stats) {
                    typeError(c->args[i], "statistic passed as a function argument");
                    continue;
                }
                if (p->type == Type::Unknown)
                    unifyVar(p, at, c->args[i]);
                else if (p->declaredType)
                    declaredMismatch(c->args[i], at, p->type);
                else
                    expectType(c->args[i], at, p->type);
            }
            // A function's returns type it first; only when they do not does
            // the context of a call (stap accepts `function f() {} ... f() . "s"`),
            // and for embedded C without a type, a number (0): stap's
            // examples write `count && (++output == count) && exit()`.
            if (callSiteReturns_ && f->returnType == Type::Unknown && want != Type::Unknown &&
                want != Type::Stats && (!f->embedded() || want == Type::Long))
                unifyReturn(f, want, e);
        }
        t = c->decl->returnType;
        if (t == Type::Unknown && needValue && reporting_)
            typeError(e, "unresolved type ");
        break;
    }
    case ExprKind::Print: {
        auto* p = static_cast<PrintExpr*>(e);
        size_t first = 0;
        if (p->hasFormat()) {
            first = 1;
            std::vector<FormatPiece> pieces;
            std::string error;
            if (!parseFormat(static_cast<StringExpr*>(p->args[0])->value, pieces, error)) {
                typeError(p->args[0], error);
            } else {
                std::vector<Type> wanted;
                for (const FormatPiece& piece : pieces) {
                    if (piece.conv == FormatPiece::Conv::Literal)
                        continue;
                    if (piece.widthArg) wanted.push_back(Type::Long);
                    if (piece.precisionArg) wanted.push_back(Type::Long);
                    wanted.push_back(piece.argType());
                }
                if (wanted.size() != p->args.size() - 1)
                    typeError(p, "Wrong number of args to formatted print operator");
                for (size_t i = 1; i < p->args.size(); ++i) {
                    Type w = i - 1 < wanted.size() ? wanted[i - 1] : Type::Unknown;
                    Type at = inferExpr(p->args[i], w, true);
                    if (at == Type::Stats)
                        typeError(p->args[i], "statistic used as a scalar value; use an extractor such as @count");
                    else
                        expectType(p->args[i], at, w);
                }
            }
        } else {
            if (p->hasDelimiter())
                first = 1;
            for (size_t i = first; i < p->args.size(); ++i) {
                Expr* arg = p->args[i];
                if (arg->kind == ExprKind::Hist) {
                    if (p->args.size() - first != 1)
                        typeError(arg, "a histogram must be printed alone");
                    inferExpr(arg, Type::Unknown, false);
                    continue;
                }
                // stap accepts printing a whole statistic (its summary).
                const Expr* named = arg->kind == ExprKind::Index ? static_cast<IndexExpr*>(arg)->base : arg;
                if (named->kind == ExprKind::Symbol && static_cast<const SymbolExpr*>(named)->decl &&
                    static_cast<const SymbolExpr*>(named)->decl->type == Type::Stats)
                    continue;
                inferExpr(arg, Type::Unknown, true);
            }
        }
        if (p->hasDelimiter())
            expectType(p->args[0], inferExpr(p->args[0], Type::String, true), Type::String);
        t = p->returnsString() ? Type::String : Type::Unknown;
        if (!p->returnsString() && needValue && reporting_ && want != Type::Unknown)
            typeError(e, "print functions have no value");
        break;
    }
    case ExprKind::StatOp: {
        auto* s = static_cast<StatOpExpr*>(e);
        Type st = inferExpr(s->stat, Type::Stats, true);
        if (st != Type::Stats && st != Type::Unknown)
            typeError(s->stat, std::string("type mismatch: expected stats but found ") + typeName(st));
        if (s->shift)
            inferExpr(s->shift, Type::Long, true);
        t = Type::Long;
        break;
    }
    case ExprKind::Hist: {
        auto* h = static_cast<HistExpr*>(e);
        Type st = inferExpr(h->stat, Type::Stats, true);
        if (st != Type::Stats && st != Type::Unknown)
            typeError(h->stat, std::string("type mismatch: expected stats but found ") + typeName(st));
        for (Expr* p : h->params) {
            expectType(p, inferExpr(p, Type::Long, true), Type::Long);
            if (p->kind != ExprKind::Number && !(p->kind == ExprKind::Unary &&
                                                 static_cast<UnaryExpr*>(p)->operand->kind == ExprKind::Number))
                typeError(p, "histogram parameters must be literal numbers");
        }
        if (needValue && reporting_)
            typeError(e, "a histogram can only be printed, indexed or iterated");
        return Type::Unknown;
    }
    case ExprKind::In: {
        auto* in = static_cast<InExpr*>(e);
        // Membership tests work on statistics arrays too (no value is read).
        const Expr* base = in->index->base;
        const VarDecl* arr = base->kind == ExprKind::Symbol ? static_cast<const SymbolExpr*>(base)->decl : nullptr;
        inferExpr(in->index, arr && arr->type == Type::Stats ? Type::Stats : Type::Unknown, false);
        t = Type::Long;
        break;
    }
    case ExprKind::Target: {
        auto* te = static_cast<TargetExpr*>(e);
        for (TargetComponent& c : te->components)
            if (c.index)
                inferExpr(c.index, Type::Long, true);
        // Resolution typed the expression from the probe point's context.
        t = e->type != Type::Unknown ? e->type : Type::Long;
        break;
    }
    case ExprKind::Entry:
        t = inferExpr(static_cast<WrapExpr*>(e)->operand, want, needValue);
        break;
    case ExprKind::Defined:
    case ExprKind::Perf:
    case ExprKind::ProbeWrite:
    case ExprKind::AtCall:
    case ExprKind::Cast:
    case ExprKind::Autocast:
        t = Type::Long;
        break;
    case ExprKind::AtVar:
        t = e->type == Type::String ? Type::String : Type::Long; // @var("x")$ pretty-prints
        break;
    case ExprKind::Embedded: {
        const std::string& code = static_cast<EmbeddedExpr*>(e)->code;
        t = code.find("/* string */") != std::string::npos ? Type::String : Type::Long;
        break;
    }
    }
    e->type = t;
    return t;
}

void Elaborator::inferStmt(Stmt* s, FunctionDecl* fn) {
    switch (s->kind) {
    case StmtKind::Expr:
        inferExpr(static_cast<ExprStmt*>(s)->expr, Type::Unknown, false);
        return;
    case StmtKind::If: {
        auto* i = static_cast<IfStmt*>(s);
        expectType(i->cond, inferExpr(i->cond, Type::Long, true), Type::Long);
        if (i->knownCond != 0)
            inferStmt(i->then, fn);
        if (i->otherwise && i->knownCond != 1)
            inferStmt(i->otherwise, fn);
        return;
    }
    case StmtKind::For: {
        auto* f = static_cast<ForStmt*>(s);
        if (f->init) inferExpr(f->init, Type::Unknown, false);
        if (f->cond) expectType(f->cond, inferExpr(f->cond, Type::Long, true), Type::Long);
        if (f->step) inferExpr(f->step, Type::Unknown, false);
        inferStmt(f->body, fn);
        return;
    }
    case StmtKind::Foreach: {
        auto* f = static_cast<ForeachStmt*>(s);
        VarDecl* array = nullptr;
        if (f->array->kind == ExprKind::Symbol)
            array = static_cast<SymbolExpr*>(f->array)->decl;
        else if (f->array->kind == ExprKind::Index) {
            auto* slice = static_cast<IndexExpr*>(f->array);
            array = static_cast<SymbolExpr*>(slice->base)->decl;
            for (size_t k = 0; k < slice->keys.size(); ++k)
                if (slice->keys[k] && array)
                    unifyKey(array, k, inferExpr(slice->keys[k], k < array->keyTypes.size() ? array->keyTypes[k] : Type::Unknown, true), slice->keys[k]);
        } else {
            inferExpr(f->array, Type::Unknown, false);
            for (SymbolExpr* k : f->keys)
                unifyVar(k->decl, Type::Long, k);
            if (f->value)
                unifyVar(f->value->decl, Type::Long, f->value);
        }
        if (array) {
            if (!array->isArray() && reporting_)
                typeError(f->array, "foreach needs an array");
            for (size_t k = 0; k < f->keys.size() && k < array->keyTypes.size(); ++k) {
                VarDecl* kv = f->keys[k]->decl;
                if (!kv)
                    continue;
                if (array->keyTypes[k] != Type::Unknown)
                    unifyVar(kv, array->keyTypes[k], f->keys[k]);
                else if (kv->type != Type::Unknown)
                    unifyKey(array, k, kv->type, f->keys[k]);
            }
            if (f->value && f->value->decl) {
                Type vt = array->type == Type::Stats ? Type::Long : array->type;
                if (vt != Type::Unknown)
                    unifyVar(f->value->decl, vt, f->value);
                else if (f->value->decl->type != Type::Unknown && array->type != Type::Stats)
                    unifyVar(array, f->value->decl->type, f->value);
            }
            if (f->explicitAggregate && array->type != Type::Stats && array->type != Type::Unknown)
                typeError(f->array, "sorting by an aggregate needs a statistics array");
        }
        if (f->limit)
            expectType(f->limit, inferExpr(f->limit, Type::Long, true), Type::Long);
        inferStmt(f->body, fn);
        return;
    }
    case StmtKind::Return: {
        auto* r = static_cast<ReturnStmt*>(s);
        if (!r->value) {
            if (fn && fn->returnType != Type::Unknown && reporting_)
                diags_.error(Phase::Semantic,
                             std::string("return without a value in a function returning ") +
                                 typeName(fn->returnType),
                             r->loc, "keyword");
            return;
        }
        Type t = inferExpr(r->value, fn ? fn->returnType : Type::Unknown, true);
        if (t == Type::Stats)
            typeError(r->value, "statistic returned from a function");
        else if (fn)
            unifyReturn(fn, t, r->value);
        return;
    }
    case StmtKind::Delete: {
        Expr* t = static_cast<DeleteStmt*>(s)->target;
        if (t->kind == ExprKind::Index) {
            auto* i = static_cast<IndexExpr*>(t);
            VarDecl* v = i->base->kind == ExprKind::Symbol ? static_cast<SymbolExpr*>(i->base)->decl : nullptr;
            for (size_t k = 0; k < i->keys.size(); ++k)
                if (i->keys[k])
                    unifyKey(v, k, inferExpr(i->keys[k], v && k < v->keyTypes.size() ? v->keyTypes[k] : Type::Unknown, true), i->keys[k]);
        }
        return;
    }
    case StmtKind::Try: {
        auto* t = static_cast<TryStmt*>(s);
        inferStmt(t->tryBlock, fn);
        if (t->errorVar)
            unifyVar(t->errorVar->decl, Type::String, t->errorVar);
        inferStmt(t->catchBlock, fn);
        return;
    }
    default:
        forEachChild(s, [&](Expr* e) { inferExpr(e, Type::Unknown, false); },
                     [&](Stmt* c) { inferStmt(c, fn); });
        return;
    }
}

void Elaborator::inferTypes() {
    // Declared types and initializers first.
    for (auto* list : {&scriptFiles_, &libraryFiles_})
        for (FileAst* f : *list)
            for (VarDecl* g : f->globals)
                if (g->init && g->type == Type::Unknown) {
                    g->type = g->init->kind == ExprKind::Number ? Type::Long : Type::String;
                    g->typeLoc = g->init->loc;
                }
    auto round = [&] {
        for (ResolvedProbe& rp : program_->probes) {
            inferStmt(rp.body, nullptr);
            if (rp.condition)
                expectType(rp.condition, inferExpr(rp.condition, Type::Long, true), Type::Long);
        }
        for (FunctionDecl* f : reachable_)
            if (!f->embedded())
                inferStmt(f->body, f);
    };
    for (bool callSites : {false, true}) {
        callSiteReturns_ = callSites;
        for (int i = 0; i < 100; ++i) {
            changed_ = false;
            round();
            if (!changed_)
                break;
        }
    }
    reporting_ = true;
    round();
    // Variables whose type nothing determined.
    auto unresolved = [&](VarDecl* v) {
        // Once per place: a use may have reported this very location already.
        if (v->type == Type::Unknown && reported_.insert({locKey(v->loc), "unresolved type "}).second)
            diags_.error(Phase::Semantic, "unresolved type ", v->loc, "identifier '" + v->name + "'");
    };
    for (VarDecl* g : usedGlobals_)
        unresolved(g);
    for (ResolvedProbe& rp : program_->probes)
        for (VarDecl* l : rp.locals)
            unresolved(l);
    for (FunctionDecl* f : reachable_) {
        for (VarDecl* p : f->params)
            unresolved(p);
        for (VarDecl* l : f->locals)
            unresolved(l);
    }
}

} // namespace tap
