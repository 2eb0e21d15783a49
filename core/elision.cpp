// stap removes dead code before it checks types: assignments to locals that
// are never read, statements without side effects, functions nothing calls,
// and probes left empty. Scripts stap accepts because of this must be
// accepted here too, so pass 2 does the same, with stap's warnings.
#include "ast_walk.h"
#include "elaborator_impl.h"

namespace tap {

bool Elaborator::hasSideEffects(const Expr* e) const {
    bool effects = false;
    walkExprs(const_cast<Expr*>(e), [&](Expr* x) {
        switch (x->kind) {
        case ExprKind::Assign:
        case ExprKind::IncDec:
        case ExprKind::Embedded:
            effects = true;
            break;
        case ExprKind::Print: {
            auto* p = static_cast<PrintExpr*>(x);
            if (!p->returnsString())
                effects = true;
            break;
        }
        case ExprKind::Call: {
            auto* c = static_cast<CallExpr*>(x);
            if (!c->decl || impure_.count(c->decl))
                effects = true;
            break;
        }
        default:
            break;
        }
    });
    return effects;
}

bool Elaborator::stmtHasSideEffects(const Stmt* s) const {
    switch (s->kind) {
    case StmtKind::Null:
        return false;
    case StmtKind::Expr:
        return hasSideEffects(static_cast<const ExprStmt*>(s)->expr);
    case StmtKind::Block:
        for (const Stmt* st : static_cast<const BlockStmt*>(s)->body)
            if (stmtHasSideEffects(st))
                return true;
        return false;
    case StmtKind::If: {
        auto* i = static_cast<const IfStmt*>(s);
        return hasSideEffects(i->cond) || stmtHasSideEffects(i->then) ||
               (i->otherwise && stmtHasSideEffects(i->otherwise));
    }
    default:
        // Loops, delete, next, return, try, embedded code: kept.
        return true;
    }
}

void Elaborator::computeFunctionPurity() {
    impure_.clear();
    for (FunctionDecl* f : reachable_)
        if (f->embedded()) {
            auto* code = static_cast<EmbeddedStmt*>(f->body);
            if (code->code.find("pure") == std::string::npos)
                impure_.insert(f);
        }
    bool changed = true;
    while (changed) {
        changed = false;
        for (FunctionDecl* f : reachable_) {
            if (impure_.count(f) || f->embedded())
                continue;
            bool effects = false;
            walkExprs(f->body, [&](Expr*) {});
            // A function body has effects if any statement other than a
            // return of a pure value does.
            std::vector<Stmt*> work{f->body};
            while (!work.empty() && !effects) {
                Stmt* s = work.back();
                work.pop_back();
                if (s->kind == StmtKind::Return) {
                    auto* r = static_cast<ReturnStmt*>(s);
                    if (r->value && hasSideEffects(r->value))
                        effects = true;
                } else if (s->kind == StmtKind::Block) {
                    for (Stmt* st : static_cast<BlockStmt*>(s)->body)
                        work.push_back(st);
                } else if (s->kind == StmtKind::Expr) {
                    // Assignments to the function's own locals are not effects.
                    Expr* e = static_cast<ExprStmt*>(s)->expr;
                    if (e->kind == ExprKind::Assign) {
                        auto* a = static_cast<AssignExpr*>(e);
                        auto* target = a->target->kind == ExprKind::Symbol
                                           ? static_cast<SymbolExpr*>(a->target)->decl
                                           : nullptr;
                        if (!target || target->scope == VarDecl::Scope::Global ||
                            hasSideEffects(a->value))
                            effects = true;
                    } else if (hasSideEffects(e)) {
                        effects = true;
                    }
                } else if (s->kind == StmtKind::If) {
                    auto* i = static_cast<IfStmt*>(s);
                    if (hasSideEffects(i->cond))
                        effects = true;
                    work.push_back(i->then);
                    if (i->otherwise)
                        work.push_back(i->otherwise);
                } else if (s->kind != StmtKind::Null) {
                    effects = true;
                }
            }
            if (effects) {
                impure_.insert(f);
                changed = true;
            }
        }
    }
}

// Like stap, no warnings about code in tapsets (e.g. an alias's prologue).
void Elaborator::elisionWarning(const std::string& message, SourceLoc loc, const std::string& subject) {
    for (const FileAst* f : libraryFiles_)
        if (f->file == loc.file)
            return;
    if (snippetFiles_.count(loc.file))
        return;
    diags_.warning(message, loc, subject);
}

bool Elaborator::isEmpty(const Stmt* s) const {
    if (s->kind == StmtKind::Null)
        return true;
    if (s->kind != StmtKind::Block)
        return false;
    for (const Stmt* st : static_cast<const BlockStmt*>(s)->body)
        if (!isEmpty(st))
            return false;
    return true;
}

// Rewrites one block; returns true if anything changed.
bool Elaborator::elideInBlock(BlockStmt* b, const std::set<const VarDecl*>& read) {
    bool changed = false;
    for (Stmt*& s : b->body) {
        switch (s->kind) {
        case StmtKind::Block:
            changed |= elideInBlock(static_cast<BlockStmt*>(s), read);
            break;
        case StmtKind::If: {
            auto* i = static_cast<IfStmt*>(s);
            for (Stmt** branch : {&i->then, &i->otherwise})
                if (*branch && (*branch)->kind == StmtKind::Block)
                    changed |= elideInBlock(static_cast<BlockStmt*>(*branch), read);
            if (!stmtHasSideEffects(i)) {
                s = program_->arena.make<SimpleStmt>(StmtKind::Null, s->loc);
                changed = true;
            }
            break;
        }
        case StmtKind::For: {
            auto* f = static_cast<ForStmt*>(s);
            if (f->body->kind == StmtKind::Block)
                changed |= elideInBlock(static_cast<BlockStmt*>(f->body), read);
            bool effects = (f->init && hasSideEffects(f->init)) || (f->cond && hasSideEffects(f->cond)) ||
                           (f->step && hasSideEffects(f->step)) || !isEmpty(f->body);
            if (!effects) {
                // stap removes a side-effect-free loop silently (no warning).
                s = program_->arena.make<SimpleStmt>(StmtKind::Null, s->loc);
                changed = true;
            }
            break;
        }
        case StmtKind::Foreach: {
            Stmt* body = static_cast<ForeachStmt*>(s)->body;
            if (body->kind == StmtKind::Block)
                changed |= elideInBlock(static_cast<BlockStmt*>(body), read);
            break;
        }
        case StmtKind::Try: {
            auto* t = static_cast<TryStmt*>(s);
            changed |= elideInBlock(t->tryBlock, read);
            changed |= elideInBlock(t->catchBlock, read);
            break;
        }
        case StmtKind::Expr: {
            Expr* e = static_cast<ExprStmt*>(s)->expr;
            if (e->kind == ExprKind::Assign) {
                auto* a = static_cast<AssignExpr*>(e);
                if (a->target->kind == ExprKind::Symbol && a->op == Op::Assign) {
                    VarDecl* v = static_cast<SymbolExpr*>(a->target)->decl;
                    if (v && v->scope == VarDecl::Scope::Local && !read.count(v)) {
                        elisionWarning("Eliding assignment to '" + v->name + "'", a->loc,
                                       describeExpr(a));
                        static_cast<ExprStmt*>(s)->expr = a->value;
                        changed = true;
                        e = a->value;
                    }
                }
            }
            if (!hasSideEffects(e)) {
                elisionWarning("Eliding side-effect-free expression ", e->loc, describeExpr(e));
                s = program_->arena.make<SimpleStmt>(StmtKind::Null, s->loc);
                changed = true;
            }
            break;
        }
        default:
            break;
        }
    }
    return changed;
}

void Elaborator::elide() {
    computeFunctionPurity();
    for (bool changed = true; changed;) {
        changed = false;
        // Locals read anywhere in a body (as anything but the target of `=`).
        for (ResolvedProbe& rp : program_->probes) {
            std::set<const VarDecl*> read;
            std::set<const Expr*> plainTargets;
            walkExprs(rp.body, [&](Expr* e) {
                if (e->kind == ExprKind::Assign) {
                    auto* a = static_cast<AssignExpr*>(e);
                    if (a->op == Op::Assign && a->target->kind == ExprKind::Symbol)
                        plainTargets.insert(a->target);
                }
            });
            auto noteReads = [&](Expr* e) {
                if (e->kind == ExprKind::Symbol && !plainTargets.count(e))
                    if (VarDecl* v = static_cast<SymbolExpr*>(e)->decl)
                        read.insert(v);
            };
            walkExprs(rp.body, noteReads);
            if (rp.condition)
                walkExprs(rp.condition, noteReads);
            // foreach keys and values and catch variables are bindings, not
            // reads, but stap keeps them: count them as read.
            changed |= elideInBlock(rp.body, read);
        }
    }
    std::vector<ResolvedProbe> kept;
    for (ResolvedProbe& rp : program_->probes) {
        if (isEmpty(rp.body)) {
            diags_.warning("Probe " + rp.quoted() + " has been elided", rp.loc, "keyword");
            continue;
        }
        kept.push_back(std::move(rp));
    }
    program_->probes = std::move(kept);
}

} // namespace tap
