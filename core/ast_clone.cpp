#include "ast_clone.h"

namespace tap {

namespace {

std::vector<Expr*> cloneList(Arena& a, const std::vector<Expr*>& list) {
    std::vector<Expr*> out;
    out.reserve(list.size());
    for (const Expr* e : list)
        out.push_back(e ? cloneExpr(a, e) : nullptr);
    return out;
}

std::vector<TargetComponent> cloneComponents(Arena& a, const std::vector<TargetComponent>& comps) {
    std::vector<TargetComponent> out = comps;
    for (TargetComponent& c : out)
        if (c.index)
            c.index = cloneExpr(a, c.index);
    return out;
}

SymbolExpr* cloneSymbol(Arena& a, const SymbolExpr* s) {
    return s ? a.make<SymbolExpr>(s->loc, s->name) : nullptr;
}

} // namespace

Expr* cloneExpr(Arena& a, const Expr* e) {
    switch (e->kind) {
    case ExprKind::Number:
        return a.make<NumberExpr>(e->loc, static_cast<const NumberExpr*>(e)->value);
    case ExprKind::String: {
        auto* s = a.make<StringExpr>(e->loc);
        s->value = static_cast<const StringExpr*>(e)->value;
        s->raw = static_cast<const StringExpr*>(e)->raw;
        return s;
    }
    case ExprKind::Binary: {
        auto* b = static_cast<const BinaryExpr*>(e);
        return a.make<BinaryExpr>(e->loc, b->op, cloneExpr(a, b->lhs), cloneExpr(a, b->rhs));
    }
    case ExprKind::Unary: {
        auto* u = static_cast<const UnaryExpr*>(e);
        return a.make<UnaryExpr>(e->loc, u->op, cloneExpr(a, u->operand));
    }
    case ExprKind::IncDec: {
        auto* u = static_cast<const IncDecExpr*>(e);
        return a.make<IncDecExpr>(e->loc, u->op, u->prefix, cloneExpr(a, u->operand));
    }
    case ExprKind::Ternary: {
        auto* t = static_cast<const TernaryExpr*>(e);
        return a.make<TernaryExpr>(e->loc, cloneExpr(a, t->cond), cloneExpr(a, t->then),
                                   cloneExpr(a, t->otherwise));
    }
    case ExprKind::Assign: {
        auto* s = static_cast<const AssignExpr*>(e);
        return a.make<AssignExpr>(e->loc, s->op, cloneExpr(a, s->target), cloneExpr(a, s->value));
    }
    case ExprKind::Symbol:
        return cloneSymbol(a, static_cast<const SymbolExpr*>(e));
    case ExprKind::Index: {
        auto* i = static_cast<const IndexExpr*>(e);
        auto* c = a.make<IndexExpr>(e->loc, cloneExpr(a, i->base));
        c->keys = cloneList(a, i->keys);
        return c;
    }
    case ExprKind::Call: {
        auto* f = static_cast<const CallExpr*>(e);
        auto* c = a.make<CallExpr>(e->loc, f->name);
        c->args = cloneList(a, f->args);
        return c;
    }
    case ExprKind::Print: {
        auto* p = static_cast<const PrintExpr*>(e);
        auto* c = a.make<PrintExpr>(e->loc, p->printKind, p->name);
        c->args = cloneList(a, p->args);
        return c;
    }
    case ExprKind::StatOp: {
        auto* s = static_cast<const StatOpExpr*>(e);
        auto* c = a.make<StatOpExpr>(e->loc, s->fn, cloneExpr(a, s->stat));
        c->shift = s->shift ? cloneExpr(a, s->shift) : nullptr;
        return c;
    }
    case ExprKind::Hist: {
        auto* h = static_cast<const HistExpr*>(e);
        auto* c = a.make<HistExpr>(e->loc, h->linear, cloneExpr(a, h->stat));
        c->params = cloneList(a, h->params);
        return c;
    }
    case ExprKind::In: {
        auto* i = static_cast<const InExpr*>(e);
        return a.make<InExpr>(e->loc, static_cast<IndexExpr*>(cloneExpr(a, i->index)));
    }
    case ExprKind::Target: {
        auto* t = static_cast<const TargetExpr*>(e);
        auto* c = a.make<TargetExpr>(e->loc, t->name);
        c->components = cloneComponents(a, t->components);
        c->addressOf = t->addressOf;
        return c;
    }
    case ExprKind::Cast: {
        auto* t = static_cast<const CastExpr*>(e);
        auto* c = a.make<CastExpr>(e->loc, cloneExpr(a, t->operand));
        c->typeName = t->typeName;
        c->module = t->module;
        c->components = cloneComponents(a, t->components);
        c->addressOf = t->addressOf;
        c->pureAddress = t->pureAddress;
        c->addressOffset = t->addressOffset;
        return c;
    }
    case ExprKind::AtVar: {
        auto* t = static_cast<const AtVarExpr*>(e);
        auto* c = a.make<AtVarExpr>(e->loc);
        c->varName = t->varName;
        c->module = t->module;
        c->components = cloneComponents(a, t->components);
        c->addressOf = t->addressOf;
        return c;
    }
    case ExprKind::Autocast: {
        auto* t = static_cast<const AutocastExpr*>(e);
        auto* c = a.make<AutocastExpr>(e->loc, cloneExpr(a, t->operand));
        c->components = cloneComponents(a, t->components);
        c->addressOf = t->addressOf;
        return c;
    }
    case ExprKind::Defined:
    case ExprKind::Entry:
    case ExprKind::Perf:
    case ExprKind::ProbeWrite: {
        auto* w = static_cast<const WrapExpr*>(e);
        return a.make<WrapExpr>(e->kind, e->loc, cloneExpr(a, w->operand));
    }
    case ExprKind::AtCall: {
        auto* f = static_cast<const AtCallExpr*>(e);
        auto* c = a.make<AtCallExpr>(e->loc, f->name);
        c->args = cloneList(a, f->args);
        return c;
    }
    case ExprKind::Embedded:
        return a.make<EmbeddedExpr>(e->loc, static_cast<const EmbeddedExpr*>(e)->code);
    }
    return nullptr;
}

Stmt* cloneStmt(Arena& a, const Stmt* s) {
    if (!s)
        return nullptr;
    switch (s->kind) {
    case StmtKind::Block: {
        auto* b = a.make<BlockStmt>(s->loc);
        for (const Stmt* st : static_cast<const BlockStmt*>(s)->body)
            b->body.push_back(cloneStmt(a, st));
        return b;
    }
    case StmtKind::Expr:
        return a.make<ExprStmt>(s->loc, cloneExpr(a, static_cast<const ExprStmt*>(s)->expr));
    case StmtKind::If: {
        auto* i = static_cast<const IfStmt*>(s);
        auto* c = a.make<IfStmt>(s->loc, cloneExpr(a, i->cond), cloneStmt(a, i->then));
        c->otherwise = cloneStmt(a, i->otherwise);
        return c;
    }
    case StmtKind::For: {
        auto* f = static_cast<const ForStmt*>(s);
        auto* c = a.make<ForStmt>(s->loc);
        c->init = f->init ? cloneExpr(a, f->init) : nullptr;
        c->cond = f->cond ? cloneExpr(a, f->cond) : nullptr;
        c->step = f->step ? cloneExpr(a, f->step) : nullptr;
        c->body = cloneStmt(a, f->body);
        c->isWhile = f->isWhile;
        return c;
    }
    case StmtKind::Foreach: {
        auto* f = static_cast<const ForeachStmt*>(s);
        auto* c = a.make<ForeachStmt>(s->loc);
        c->value = cloneSymbol(a, f->value);
        for (const SymbolExpr* k : f->keys)
            c->keys.push_back(cloneSymbol(a, k));
        c->array = cloneExpr(a, f->array);
        c->sortColumn = f->sortColumn;
        c->sortDirection = f->sortDirection;
        c->sortAggregate = f->sortAggregate;
        c->explicitAggregate = f->explicitAggregate;
        c->limit = f->limit ? cloneExpr(a, f->limit) : nullptr;
        c->body = cloneStmt(a, f->body);
        return c;
    }
    case StmtKind::Return: {
        auto* r = static_cast<const ReturnStmt*>(s);
        auto* c = a.make<ReturnStmt>(s->loc);
        c->value = r->value ? cloneExpr(a, r->value) : nullptr;
        return c;
    }
    case StmtKind::Delete:
        return a.make<DeleteStmt>(s->loc, cloneExpr(a, static_cast<const DeleteStmt*>(s)->target));
    case StmtKind::Try: {
        auto* t = static_cast<const TryStmt*>(s);
        auto* c = a.make<TryStmt>(s->loc);
        c->tryBlock = static_cast<BlockStmt*>(cloneStmt(a, t->tryBlock));
        c->errorVar = cloneSymbol(a, t->errorVar);
        c->catchBlock = static_cast<BlockStmt*>(cloneStmt(a, t->catchBlock));
        return c;
    }
    case StmtKind::Embedded:
        return a.make<EmbeddedStmt>(s->loc, static_cast<const EmbeddedStmt*>(s)->code);
    case StmtKind::Next:
    case StmtKind::Break:
    case StmtKind::Continue:
    case StmtKind::Null:
        return a.make<SimpleStmt>(s->kind, s->loc);
    }
    return nullptr;
}

} // namespace tap
