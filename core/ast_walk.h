// Generic traversal: calls `fe` for every direct sub-expression and `fs` for
// every direct sub-statement of a node. Passes that only need to reach every
// node build on these instead of spelling out each node kind again.
#pragma once

#include "ast.h"

namespace tap {

template <class FE> void forEachSubExpr(Expr* e, FE&& fe) {
    auto list = [&](std::vector<Expr*>& l) {
        for (Expr* x : l)
            if (x) fe(x);
    };
    auto comps = [&](std::vector<TargetComponent>& cs) {
        for (TargetComponent& c : cs)
            if (c.index) fe(c.index);
    };
    switch (e->kind) {
    case ExprKind::Number: case ExprKind::String: case ExprKind::Symbol: case ExprKind::Embedded:
        break;
    case ExprKind::Binary: fe(static_cast<BinaryExpr*>(e)->lhs); fe(static_cast<BinaryExpr*>(e)->rhs); break;
    case ExprKind::Unary: fe(static_cast<UnaryExpr*>(e)->operand); break;
    case ExprKind::IncDec: fe(static_cast<IncDecExpr*>(e)->operand); break;
    case ExprKind::Ternary: {
        auto* t = static_cast<TernaryExpr*>(e);
        fe(t->cond); fe(t->then); fe(t->otherwise);
        break;
    }
    case ExprKind::Assign: fe(static_cast<AssignExpr*>(e)->target); fe(static_cast<AssignExpr*>(e)->value); break;
    case ExprKind::Index: fe(static_cast<IndexExpr*>(e)->base); list(static_cast<IndexExpr*>(e)->keys); break;
    case ExprKind::Call: list(static_cast<CallExpr*>(e)->args); break;
    case ExprKind::Print: list(static_cast<PrintExpr*>(e)->args); break;
    case ExprKind::StatOp: {
        auto* s = static_cast<StatOpExpr*>(e);
        fe(s->stat);
        if (s->shift) fe(s->shift);
        break;
    }
    case ExprKind::Hist: fe(static_cast<HistExpr*>(e)->stat); list(static_cast<HistExpr*>(e)->params); break;
    case ExprKind::In: fe(static_cast<InExpr*>(e)->index); break;
    case ExprKind::Target: comps(static_cast<TargetExpr*>(e)->components); break;
    case ExprKind::Cast: fe(static_cast<CastExpr*>(e)->operand); comps(static_cast<CastExpr*>(e)->components); break;
    case ExprKind::AtVar: comps(static_cast<AtVarExpr*>(e)->components); break;
    case ExprKind::Autocast: fe(static_cast<AutocastExpr*>(e)->operand); comps(static_cast<AutocastExpr*>(e)->components); break;
    case ExprKind::Defined: case ExprKind::Entry: case ExprKind::Perf: case ExprKind::ProbeWrite:
        fe(static_cast<WrapExpr*>(e)->operand);
        break;
    case ExprKind::AtCall: list(static_cast<AtCallExpr*>(e)->args); break;
    }
}

template <class FE, class FS> void forEachChild(Stmt* s, FE&& fe, FS&& fs) {
    switch (s->kind) {
    case StmtKind::Block:
        for (Stmt* st : static_cast<BlockStmt*>(s)->body) fs(st);
        break;
    case StmtKind::Expr: fe(static_cast<ExprStmt*>(s)->expr); break;
    case StmtKind::If: {
        auto* i = static_cast<IfStmt*>(s);
        fe(i->cond); fs(i->then);
        if (i->otherwise) fs(i->otherwise);
        break;
    }
    case StmtKind::For: {
        auto* f = static_cast<ForStmt*>(s);
        if (f->init) fe(f->init);
        if (f->cond) fe(f->cond);
        if (f->step) fe(f->step);
        fs(f->body);
        break;
    }
    case StmtKind::Foreach: {
        auto* f = static_cast<ForeachStmt*>(s);
        if (f->value) fe(f->value);
        for (SymbolExpr* k : f->keys) fe(k);
        fe(f->array);
        if (f->limit) fe(f->limit);
        fs(f->body);
        break;
    }
    case StmtKind::Return:
        if (static_cast<ReturnStmt*>(s)->value) fe(static_cast<ReturnStmt*>(s)->value);
        break;
    case StmtKind::Delete: fe(static_cast<DeleteStmt*>(s)->target); break;
    case StmtKind::Try: {
        auto* t = static_cast<TryStmt*>(s);
        fs(t->tryBlock);
        if (t->errorVar) fe(t->errorVar);
        fs(t->catchBlock);
        break;
    }
    case StmtKind::Embedded: case StmtKind::Next: case StmtKind::Break: case StmtKind::Continue:
    case StmtKind::Null:
        break;
    }
}

// Visits every expression (pre-order) below a statement.
template <class F> void walkExprs(Expr* e, F&& f) {
    f(e);
    forEachSubExpr(e, [&](Expr* c) { walkExprs(c, f); });
}
template <class F> void walkExprs(Stmt* s, F&& f) {
    forEachChild(s, [&](Expr* e) { walkExprs(e, f); }, [&](Stmt* c) { walkExprs(c, f); });
}

// walkExprs, but not into what never runs: the branches a folded condition
// leaves out (knownCond of `?:` and `if`) and @defined's operand (pass 2
// folds it to 0 or 1). Code is made only for the rest.
template <class F> void walkLiveExprs(Expr* e, F&& f) {
    f(e);
    if (e->kind == ExprKind::Defined)
        return;
    if (e->kind == ExprKind::Ternary) {
        auto* t = static_cast<TernaryExpr*>(e);
        walkLiveExprs(t->cond, f);
        if (t->knownCond != 0) walkLiveExprs(t->then, f);
        if (t->knownCond != 1) walkLiveExprs(t->otherwise, f);
        return;
    }
    forEachSubExpr(e, [&](Expr* c) { walkLiveExprs(c, f); });
}
template <class F> void walkLiveExprs(Stmt* s, F&& f) {
    if (s->kind == StmtKind::If) {
        auto* i = static_cast<IfStmt*>(s);
        walkLiveExprs(i->cond, f);
        if (i->knownCond != 0) walkLiveExprs(i->then, f);
        if (i->otherwise && i->knownCond != 1) walkLiveExprs(i->otherwise, f);
        return;
    }
    forEachChild(s, [&](Expr* e) { walkLiveExprs(e, f); }, [&](Stmt* c) { walkLiveExprs(c, f); });
}

} // namespace tap
