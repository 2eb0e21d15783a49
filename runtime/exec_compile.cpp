// Compiles pass 2's typed tree into executor nodes: every variable becomes a
// frame slot or a global index, every operator the node for its types.
#include "ast_walk.h"
#include "diagnostics.h"
#include "executor.h"
#include "exec_kernel_cast.h"
#include "exec_stmts.h"

#include <map>
#include <optional>
#include <set>
#include <unordered_map>

namespace tap::rt {

struct CompileError {
    std::string message;
    SourceLoc loc;
};

struct CompiledProgram::Impl {
    std::vector<std::unique_ptr<LNode>> lnodes;
    std::vector<std::unique_ptr<SNode>> snodes;
    std::vector<std::unique_ptr<StmtNode>> stmts;
    std::vector<std::unique_ptr<StatRef>> statRefs;
    std::vector<std::unique_ptr<CompiledFunction>> functions;
    std::unordered_map<const VarDecl*, int> globalIndex; // into the vector of its kind
    std::unordered_map<const VarDecl*, int> arrayIndex;
    const SourceManager* sources = nullptr;
};

namespace {

bool isStringType(Type t) { return t == Type::String; }

class Compiler {
public:
    Compiler(CompiledProgram::Impl& impl, Runtime& rt) : impl_(impl), rt_(rt) {}

    template <class T, class... A> T* L(SourceLoc loc, A&&... a) {
        auto p = std::make_unique<T>(std::forward<A>(a)...);
        p->loc = loc;
        T* raw = p.get();
        impl_.lnodes.push_back(std::move(p));
        return raw;
    }
    template <class T, class... A> T* S(SourceLoc loc, A&&... a) {
        auto p = std::make_unique<T>(std::forward<A>(a)...);
        p->loc = loc;
        T* raw = p.get();
        impl_.snodes.push_back(std::move(p));
        return raw;
    }
    template <class T, class... A> T* St(SourceLoc loc, A&&... a) {
        auto p = std::make_unique<T>(std::forward<A>(a)...);
        p->loc = loc;
        T* raw = p.get();
        impl_.stmts.push_back(std::move(p));
        return raw;
    }
    [[noreturn]] void error(const std::string& msg, SourceLoc loc) { throw CompileError{msg, loc}; }

    // ---- frames
    void beginFrame(const std::vector<VarDecl*>& vars) {
        slots_.clear();
        longSlots_ = stringSlots_ = 0;
        for (const VarDecl* v : vars)
            slotOf(v);
    }
    int slotOf(const VarDecl* v) {
        auto it = slots_.find(v);
        if (it != slots_.end())
            return it->second;
        int s = isStringType(v->type) ? stringSlots_++ : longSlots_++;
        slots_[v] = s;
        return s;
    }
    VarRef refOf(const VarDecl* v) {
        VarRef r;
        if (v->scope == VarDecl::Scope::Global) {
            r.global = true;
            r.index = impl_.globalIndex.at(v);
        } else {
            r.index = slotOf(v);
        }
        return r;
    }

    // ---- expressions
    LNode* compileL(Expr* e);
    SNode* compileS(Expr* e);
    StmtNode* compileEffect(Expr* e) {
        if (isStringType(e->type))
            return St<ExprS_N>(e->loc, compileS(e));
        return St<ExprL_N>(e->loc, compileL(e));
    }
    KeyNodes compileKeys(const std::vector<Expr*>& keys) {
        KeyNodes k;
        for (Expr* key : keys) {
            bool str = key && isStringType(key->type);
            k.isString.push_back(str);
            k.longs.push_back(key && !str ? compileL(key) : nullptr);
            k.strings.push_back(key && str ? compileS(key) : nullptr);
        }
        return k;
    }
    ArrayStore* arrayOf(Expr* base) {
        if (base->kind != ExprKind::Symbol)
            error("expected an array", base->loc);
        const VarDecl* v = static_cast<SymbolExpr*>(base)->decl;
        auto it = impl_.arrayIndex.find(v);
        if (it == impl_.arrayIndex.end())
            error("'" + v->name + "' is not a global array", base->loc);
        return &rt_.arrays[size_t(it->second)];
    }
    StatRef* statRef(Expr* e) {
        auto ref = std::make_unique<StatRef>();
        if (e->kind == ExprKind::Symbol) {
            const VarDecl* v = static_cast<SymbolExpr*>(e)->decl;
            if (v->isArray())
                error("a statistics array needs an index", e->loc);
            ref->scalar = impl_.globalIndex.at(v);
            ref->name = v->name;
        } else if (e->kind == ExprKind::Index) {
            auto* i = static_cast<IndexExpr*>(e);
            ref->array = arrayOf(i->base);
            if (ref->array->decl)
                ref->name = ref->array->decl->name;
            ref->keys = compileKeys(i->keys);
        } else {
            error("expected a statistic", e->loc);
        }
        StatRef* raw = ref.get();
        impl_.statRefs.push_back(std::move(ref));
        return raw;
    }
    CallArgs compileArgs(const std::vector<Expr*>& args, size_t first, const std::vector<Type>* want) {
        CallArgs a;
        for (size_t i = first; i < args.size(); ++i) {
            Type t = want ? (*want)[i - first] : args[i]->type;
            bool str = isStringType(t);
            a.isString.push_back(str);
            a.longs.push_back(str ? nullptr : compileL(args[i]));
            a.strings.push_back(str ? compileS(args[i]) : nullptr);
        }
        return a;
    }
    PrintArgs compilePrint(PrintExpr* p);
    std::vector<CompiledFunction*> overloadsOf(CallExpr* c);
    CompiledFunction* function(const FunctionDecl* f);

    // ---- statements
    StmtNode* compileStmt(Stmt* s, const FunctionDecl* fn);

    int longSlots_ = 0, stringSlots_ = 0;

private:
    CompiledProgram::Impl& impl_;
    Runtime& rt_;
    std::unordered_map<const VarDecl*, int> slots_;
    std::unordered_map<const FunctionDecl*, CompiledFunction*> functions_;
    std::vector<std::pair<CompiledFunction*, const FunctionDecl*>> pending_;

public:
    CompiledProgram::Impl& impl() { return impl_; }
    std::vector<FormatInfo>* formats_ = nullptr; // printf sites, for --json
    std::string currentProbe_;
    // Function bodies are compiled after the current frame is done.
    void compilePendingFunctions() {
        while (!pending_.empty()) {
            auto [cf, decl] = pending_.back();
            pending_.pop_back();
            auto savedSlots = slots_;
            int savedLongs = longSlots_, savedStrings = stringSlots_;
            std::vector<VarDecl*> vars = decl->params;
            vars.insert(vars.end(), decl->locals.begin(), decl->locals.end());
            beginFrame(vars);
            for (const VarDecl* p : decl->params)
                cf->paramSlots.push_back(slotOf(p));
            cf->body = compileStmt(decl->body, decl);
            cf->longSlots = longSlots_;
            cf->stringSlots = stringSlots_;
            slots_ = savedSlots;
            longSlots_ = savedLongs;
            stringSlots_ = savedStrings;
        }
    }
};

CompiledFunction* Compiler::function(const FunctionDecl* f) {
    auto it = functions_.find(f);
    if (it != functions_.end())
        return it->second;
    auto cf = std::make_unique<CompiledFunction>();
    cf->decl = f;
    cf->name = f->name;
    cf->returnType = f->returnType;
    for (const VarDecl* p : f->params)
        cf->paramTypes.push_back(p->type);
    CompiledFunction* raw = cf.get();
    impl_.functions.push_back(std::move(cf));
    functions_[f] = raw;
    if (f->embedded()) {
        raw->native = findNative(f->name, f->params.size());
        if (!raw->native)
            error("function '" + f->name + "' needs the kernel runtime and cannot run in a user-space probe",
                  f->loc);
    } else {
        pending_.push_back({raw, f});
    }
    return raw;
}

std::vector<CompiledFunction*> Compiler::overloadsOf(CallExpr* c) {
    std::vector<const FunctionDecl*> order(c->overloads.begin(), c->overloads.end());
    std::stable_sort(order.begin(), order.end(),
                     [](auto* a, auto* b) { return a->priority < b->priority; });
    std::vector<CompiledFunction*> out;
    for (const FunctionDecl* f : order)
        out.push_back(function(f));
    if (out.empty())
        error("unresolved function '" + c->name + "'", c->loc);
    return out;
}

// The tapset's functions that print a list of stack addresses as text
// (" 0x… : symbol+0x…/0x… [module]" lines): whether the list is the user stack.
static std::optional<bool> printedStack(const Expr* e) {
    if (e->kind != ExprKind::Call)
        return std::nullopt;
    auto* c = static_cast<const CallExpr*>(e);
    if (c->args.size() != 1)
        return std::nullopt;
    if (c->name == "sprint_stack" || c->name == "sprint_syms")
        return false;
    if (c->name == "sprint_ustack" || c->name == "sprint_usyms")
        return true;
    return std::nullopt;
}

PrintArgs Compiler::compilePrint(PrintExpr* p) {
    PrintArgs pa;
    pa.kind = p->printKind;
    size_t first = 0;
    if (p->hasFormat()) {
        std::string err;
        parseFormat(static_cast<StringExpr*>(p->args[0])->value, pa.pieces, err);
        first = 1;
        if (p->printKind == PrintKind::Printf) {
            FormatInfo info;
            info.id = uint32_t(formats_->size());
            info.format = static_cast<StringExpr*>(p->args[0])->value;
            info.loc = p->loc;
            info.probe = currentProbe_;
            for (size_t i = 1; i < p->args.size(); ++i)
                info.argIsString.push_back(isStringType(p->args[i]->type));
            pa.formatId = info.id;
            formats_->push_back(std::move(info));
        }
    } else if (p->hasDelimiter()) {
        pa.delimiter = static_cast<StringExpr*>(p->args[0])->value;
        first = 1;
    }
    for (size_t i = first; i < p->args.size(); ++i) {
        Expr* a = p->args[i];
        if (a->kind == ExprKind::Hist) {
            auto* h = static_cast<HistExpr*>(a);
            pa.args.isString.push_back(false);
            pa.args.longs.push_back(nullptr);
            pa.args.strings.push_back(nullptr);
            pa.histograms.resize(pa.args.isString.size(), nullptr);
            pa.histShapes.resize(pa.args.isString.size());
            pa.histLocs.resize(pa.args.isString.size());
            pa.histograms.back() = statRef(h->stat);
            pa.histLocs.back() = h->loc;
            if (h->linear) {
                auto lit = [&](Expr* x) -> int64_t {
                    if (x->kind == ExprKind::Number) return static_cast<NumberExpr*>(x)->value;
                    if (x->kind == ExprKind::Unary && static_cast<UnaryExpr*>(x)->operand->kind == ExprKind::Number)
                        return -static_cast<NumberExpr*>(static_cast<UnaryExpr*>(x)->operand)->value;
                    error("histogram parameters must be literal numbers", x->loc);
                };
                pa.histShapes.back() = HistogramShape::linear(lit(h->params[0]), lit(h->params[1]), lit(h->params[2]));
            } else {
                pa.histShapes.back() = HistogramShape::log();
            }
            continue;
        }
        if (a->type == Type::Stats)
            error("printing a whole statistic is not supported; print its @count, @sum, ... instead", a->loc);
        if (std::optional<bool> user = printedStack(a); user && p->printKind == PrintKind::Printf) {
            StackArgument stack{pa.args.isString.size(), *user};
            pa.stacks.push_back(stack);
            (*formats_)[pa.formatId].stacks.push_back(stack);
            pa.args.isString.push_back(true);
            pa.args.longs.push_back(nullptr);
            pa.args.strings.push_back(compileS(static_cast<CallExpr*>(a)->args[0]));
            continue;
        }
        bool str = isStringType(a->type);
        pa.args.isString.push_back(str);
        pa.args.longs.push_back(str ? nullptr : compileL(a));
        pa.args.strings.push_back(str ? compileS(a) : nullptr);
    }
    pa.histograms.resize(pa.args.isString.size(), nullptr);
    pa.histShapes.resize(pa.args.isString.size());
    return pa;
}

LNode* Compiler::compileL(Expr* e) {
    SourceLoc loc = e->loc;
    switch (e->kind) {
    case ExprKind::Number:
        return L<ConstL>(loc, static_cast<NumberExpr*>(e)->value);
    case ExprKind::Symbol: {
        const VarDecl* v = static_cast<SymbolExpr*>(e)->decl;
        if (v->scope == VarDecl::Scope::Global)
            return L<GlobalL>(loc, impl_.globalIndex.at(v));
        return L<LocalL>(loc, slotOf(v));
    }
    case ExprKind::Index: {
        auto* i = static_cast<IndexExpr*>(e);
        if (i->base->kind == ExprKind::Hist) {
            auto* n = L<HistBucketL>(loc);
            n->ref = *statRef(static_cast<HistExpr*>(i->base)->stat);
            n->index = compileL(i->keys[0]);
            return n;
        }
        auto* n = L<ArrayGetL>(loc);
        n->a = arrayOf(i->base);
        n->keys = compileKeys(i->keys);
        return n;
    }
    case ExprKind::Binary: {
        auto* b = static_cast<BinaryExpr*>(e);
        if (b->op == Op::Match || b->op == Op::NotMatch)
            return L<RegexL>(loc, compileS(b->lhs), static_cast<StringExpr*>(b->rhs)->value,
                             b->op == Op::NotMatch);
        bool strCmp = isStringType(b->lhs->type) || isStringType(b->rhs->type);
        switch (b->op) {
        case Op::Lt: case Op::Gt: case Op::Le: case Op::Ge: case Op::Eq: case Op::Ne:
            if (strCmp)
                return L<StrCmpL>(loc, compileS(b->lhs), compileS(b->rhs), b->op);
            break;
        default:
            break;
        }
        if (b->op == Op::LogAnd)
            return L<LogAndL>(loc, compileL(b->lhs), compileL(b->rhs));
        if (b->op == Op::LogOr)
            return L<LogOrL>(loc, compileL(b->lhs), compileL(b->rhs));
        LNode* x = compileL(b->lhs);
        LNode* y = compileL(b->rhs);
        switch (b->op) {
        case Op::Plus: return L<BinL<OpAdd>>(loc, x, y);
        case Op::Minus: return L<BinL<OpSub>>(loc, x, y);
        case Op::Star: return L<BinL<OpMul>>(loc, x, y);
        case Op::Slash: return L<DivL>(loc, x, y, false);
        case Op::Percent: return L<DivL>(loc, x, y, true);
        case Op::Amp: return L<BinL<OpAnd>>(loc, x, y);
        case Op::Pipe: return L<BinL<OpOr>>(loc, x, y);
        case Op::Caret: return L<BinL<OpXor>>(loc, x, y);
        case Op::Shl: return L<BinL<OpShl>>(loc, x, y);
        case Op::Shr: return L<BinL<OpShr>>(loc, x, y);
        case Op::ShrShr: return L<BinL<OpUShr>>(loc, x, y);
        case Op::Lt: return L<BinL<OpLt>>(loc, x, y);
        case Op::Gt: return L<BinL<OpGt>>(loc, x, y);
        case Op::Le: return L<BinL<OpLe>>(loc, x, y);
        case Op::Ge: return L<BinL<OpGe>>(loc, x, y);
        case Op::Eq: return L<BinL<OpEq>>(loc, x, y);
        case Op::Ne: return L<BinL<OpNe>>(loc, x, y);
        default: error("operator '" + std::string(opText(b->op)) + "' has no long value", loc);
        }
    }
    case ExprKind::Unary: {
        auto* u = static_cast<UnaryExpr*>(e);
        LNode* x = compileL(u->operand);
        switch (u->op) {
        case Op::Minus: return L<NegL>(loc, x);
        case Op::Bang: return L<NotL>(loc, x);
        case Op::Tilde: return L<BitNotL>(loc, x);
        default: return x;
        }
    }
    case ExprKind::IncDec: {
        auto* u = static_cast<IncDecExpr*>(e);
        int64_t delta = u->op == Op::Inc ? 1 : -1;
        if (u->operand->kind == ExprKind::Symbol) {
            VarRef r = refOf(static_cast<SymbolExpr*>(u->operand)->decl);
            if (!r.global && delta == 1 && u->prefix)
                return L<IncLocalL>(loc, r.index);
            return L<IncDecVarL>(loc, r, delta, u->prefix);
        }
        if (u->operand->kind == ExprKind::Index) {
            auto* i = static_cast<IndexExpr*>(u->operand);
            auto* n = L<ArrayIncDecL>(loc);
            n->keyLoc = i->loc;
            n->a = arrayOf(i->base);
            n->keys = compileKeys(i->keys);
            n->delta = delta;
            n->prefix = u->prefix;
            return n;
        }
        error("'" + std::string(opText(u->op)) + "' needs a variable or array element", loc);
    }
    case ExprKind::Ternary: {
        auto* t = static_cast<TernaryExpr*>(e);
        if (t->knownCond == 1) return compileL(t->then);
        if (t->knownCond == 0) return compileL(t->otherwise);
        return L<TernaryL>(loc, compileL(t->cond), compileL(t->then), compileL(t->otherwise));
    }
    case ExprKind::Assign: {
        auto* a = static_cast<AssignExpr*>(e);
        if (a->op == Op::ShlStat) {
            auto* n = L<AddStatL>(loc);
            n->keyLoc = a->target->loc;
            n->ref = *statRef(a->target);
            n->v = compileL(a->value);
            return n;
        }
        if (isStringType(a->target->type))
            return L<ExprAsLong>(loc, compileS(e));
        if (a->target->kind == ExprKind::Symbol) {
            VarRef r = refOf(static_cast<SymbolExpr*>(a->target)->decl);
            if (!r.global && a->op == Op::Assign)
                return L<AssignLocalL>(loc, r.index, compileL(a->value));
            return L<AssignVarL>(loc, r, a->op, compileL(a->value));
        }
        if (a->target->kind == ExprKind::Index) {
            auto* i = static_cast<IndexExpr*>(a->target);
            auto* n = L<ArraySetL>(loc);
            n->keyLoc = i->loc;
            n->a = arrayOf(i->base);
            n->keys = compileKeys(i->keys);
            n->op = a->op;
            n->v = compileL(a->value);
            return n;
        }
        error("cannot assign to this expression in user space", loc);
    }
    case ExprKind::Call: {
        auto* c = static_cast<CallExpr*>(e);
        if (isStringType(c->type))
            return L<ExprAsLong>(loc, compileS(e));
        auto* n = L<CallL>(loc);
        n->overloads = overloadsOf(c);
        n->args = compileArgs(c->args, 0, &n->overloads.front()->paramTypes);
        return n;
    }
    case ExprKind::Print: {
        auto* p = static_cast<PrintExpr*>(e);
        if (p->returnsString())
            return L<ExprAsLong>(loc, compileS(e));
        auto* n = L<PrintL>(loc);
        n->p = compilePrint(p);
        return n;
    }
    case ExprKind::StatOp: {
        auto* s = static_cast<StatOpExpr*>(e);
        auto* n = L<StatOpL>(loc);
        n->ref = *statRef(s->stat);
        n->fn = s->fn;
        n->subject = std::string("operator '") + statFnName(s->fn) + "'";
        if (s->shift && s->shift->kind == ExprKind::Number)
            n->shift = int(static_cast<NumberExpr*>(s->shift)->value);
        return n;
    }
    case ExprKind::In: {
        auto* in = static_cast<InExpr*>(e);
        auto* n = L<InArrayL>(loc);
        n->a = arrayOf(in->index->base);
        n->keys = compileKeys(in->index->keys);
        n->wildcard = in->index->hasWildcard();
        return n;
    }
    case ExprKind::Defined:
        return L<ConstL>(loc, static_cast<WrapExpr*>(e)->value == 1 ? 1 : 0);
    case ExprKind::String:
    case ExprKind::Hist:
        error("a value of this kind cannot be used as a number here", loc);
    case ExprKind::Cast: {
        auto* cast = static_cast<CastExpr*>(e);
        if (cast->pureAddress) // &@cast(p, "T")->m: p + offsetof(T, m)
            return L<BinL<OpAdd>>(loc, compileL(cast->operand), L<ConstL>(loc, cast->addressOffset));
        if (cast->userTypes) // a traced program's memory
            error("this expression reads the kernel or a traced process and cannot run in a user-space probe", loc);
        auto* n = L<KernelPathL>(loc);
        n->base = compileL(cast->operand);
        std::string problem = kernelCastPath(*cast, [this](Expr* index) { return compileL(index); }, n->ops);
        if (!problem.empty())
            error(problem, loc);
        return n;
    }
    case ExprKind::Target:
    case ExprKind::AtVar:
    case ExprKind::Autocast:
    case ExprKind::Entry:
    case ExprKind::Perf:
    case ExprKind::ProbeWrite:
    case ExprKind::AtCall:
        error("this expression reads the kernel or a traced process and cannot run in a user-space probe",
              loc);
    case ExprKind::Embedded:
        error("embedded C cannot run in a user-space probe", loc);
    }
    error("unsupported expression", loc);
}

// The $value of a procfs probe: the only string context variable a
// user-space probe has (the elaborator accepts it nowhere else).
static bool isProcfsValue(const Expr* e) {
    return e->kind == ExprKind::Target && e->type == Type::String &&
           static_cast<const TargetExpr*>(e)->name == "$value" && static_cast<const TargetExpr*>(e)->components.empty();
}

SNode* Compiler::compileS(Expr* e) {
    SourceLoc loc = e->loc;
    switch (e->kind) {
    case ExprKind::String:
        return S<ConstS>(loc, rt_.truncate(static_cast<StringExpr*>(e)->value));
    case ExprKind::Symbol: {
        const VarDecl* v = static_cast<SymbolExpr*>(e)->decl;
        if (v->scope == VarDecl::Scope::Global)
            return S<GlobalS>(loc, impl_.globalIndex.at(v));
        return S<LocalS>(loc, slotOf(v));
    }
    case ExprKind::Index: {
        auto* i = static_cast<IndexExpr*>(e);
        auto* n = S<ArrayGetS>(loc);
        n->a = arrayOf(i->base);
        n->keys = compileKeys(i->keys);
        return n;
    }
    case ExprKind::Binary: {
        auto* b = static_cast<BinaryExpr*>(e);
        if (b->op == Op::Dot)
            return S<ConcatS>(loc, compileS(b->lhs), compileS(b->rhs));
        error("operator '" + std::string(opText(b->op)) + "' has no string value", loc);
    }
    case ExprKind::Ternary: {
        auto* t = static_cast<TernaryExpr*>(e);
        if (t->knownCond == 1) return compileS(t->then);
        if (t->knownCond == 0) return compileS(t->otherwise);
        return S<TernaryS>(loc, compileL(t->cond), compileS(t->then), compileS(t->otherwise));
    }
    case ExprKind::Assign: {
        auto* a = static_cast<AssignExpr*>(e);
        bool append = a->op == Op::ConcatAssign;
        if (a->target->kind == ExprKind::Symbol)
            return S<AssignVarS>(loc, refOf(static_cast<SymbolExpr*>(a->target)->decl), append,
                                 compileS(a->value));
        if (a->target->kind == ExprKind::Index) {
            auto* i = static_cast<IndexExpr*>(a->target);
            auto* n = S<ArraySetS>(loc);
            n->keyLoc = i->loc;
            n->a = arrayOf(i->base);
            n->keys = compileKeys(i->keys);
            n->append = append;
            n->v = compileS(a->value);
            return n;
        }
        if (isProcfsValue(a->target))
            return S<AssignProcfsValueS>(loc, append, compileS(a->value));
        error("cannot assign to this expression in user space", loc);
    }
    case ExprKind::Call: {
        auto* c = static_cast<CallExpr*>(e);
        auto* n = S<CallS>(loc);
        n->overloads = overloadsOf(c);
        n->args = compileArgs(c->args, 0, &n->overloads.front()->paramTypes);
        return n;
    }
    case ExprKind::Print: {
        auto* n = S<SprintS>(loc);
        n->p = compilePrint(static_cast<PrintExpr*>(e));
        return n;
    }
    case ExprKind::Target:
        if (isProcfsValue(e))
            return S<ProcfsValueS>(loc);
        [[fallthrough]];
    case ExprKind::Entry:
    case ExprKind::Cast:
    case ExprKind::AtVar:
    case ExprKind::Autocast:
        error("this expression reads the kernel or a traced process and cannot run in a user-space probe",
              loc);
    case ExprKind::Embedded:
        error("embedded C cannot run in a user-space probe", loc);
    default:
        return S<LongAsVoidS>(loc, compileL(e));
    }
}

StmtNode* Compiler::compileStmt(Stmt* s, const FunctionDecl* fn) {
    SourceLoc loc = s->loc;
    switch (s->kind) {
    case StmtKind::Block: {
        auto* b = St<BlockN>(loc);
        for (Stmt* st : static_cast<BlockStmt*>(s)->body)
            if (st->kind != StmtKind::Null)
                b->body.push_back(compileStmt(st, fn));
        return b;
    }
    case StmtKind::Expr:
        return compileEffect(static_cast<ExprStmt*>(s)->expr);
    case StmtKind::If: {
        auto* i = static_cast<IfStmt*>(s);
        if (i->knownCond == 1) return compileStmt(i->then, fn);
        if (i->knownCond == 0) return i->otherwise ? compileStmt(i->otherwise, fn) : St<NullN>(loc);
        auto* n = St<IfN>(loc);
        n->cond = compileL(i->cond);
        n->then = compileStmt(i->then, fn);
        if (i->otherwise)
            n->otherwise = compileStmt(i->otherwise, fn);
        return n;
    }
    case StmtKind::For: {
        auto* f = static_cast<ForStmt*>(s);
        auto* n = St<ForN>(loc);
        auto uncounted = [&](Expr* x) -> StmtNode* {
            StmtNode* st = compileEffect(x);
            if (isStringType(x->type))
                static_cast<ExprS_N*>(st)->counts = false;
            else
                static_cast<ExprL_N*>(st)->counts = false;
            return st;
        };
        if (f->init) n->init = uncounted(f->init);
        if (f->cond) n->cond = compileL(f->cond);
        if (f->step) n->step = uncounted(f->step);
        n->body = compileStmt(f->body, fn);
        return n;
    }
    case StmtKind::Foreach: {
        auto* f = static_cast<ForeachStmt*>(s);
        auto* n = St<ForeachN>(loc);
        Expr* arr = f->array;
        if (arr->kind == ExprKind::Hist) {
            n->hist = statRef(static_cast<HistExpr*>(arr)->stat);
        } else if (arr->kind == ExprKind::Index) {
            auto* slice = static_cast<IndexExpr*>(arr);
            n->array = arrayOf(slice->base);
            n->slice = compileKeys(slice->keys);
            n->hasSlice = true;
        } else {
            n->array = arrayOf(arr);
        }
        for (SymbolExpr* k : f->keys) {
            n->keyVars.push_back(refOf(k->decl));
            n->keyIsString.push_back(isStringType(k->decl->type));
        }
        if (f->value) {
            n->hasValue = true;
            n->valueVar = refOf(f->value->decl);
            n->valueType = f->value->decl->type;
        }
        n->sortColumn = f->sortColumn;
        n->sortDirection = f->sortDirection;
        n->sortAggregate = f->sortAggregate;
        if (f->limit) n->limit = compileL(f->limit);
        n->body = compileStmt(f->body, fn);
        return n;
    }
    case StmtKind::Return: {
        auto* r = static_cast<ReturnStmt*>(s);
        auto* n = St<ReturnN>(loc);
        if (r->value) {
            if (fn && isStringType(fn->returnType))
                n->s = compileS(r->value);
            else
                n->l = compileL(r->value);
        }
        return n;
    }
    case StmtKind::Delete: {
        Expr* t = static_cast<DeleteStmt*>(s)->target;
        if (t->kind == ExprKind::Symbol) {
            const VarDecl* v = static_cast<SymbolExpr*>(t)->decl;
            if (impl_.arrayIndex.count(v)) {
                auto* n = St<DeleteArrayN>(loc);
                n->a = arrayOf(t);
                return n;
            }
            auto* n = St<DeleteScalarN>(loc);
            n->type = v->type;
            if (v->type == Type::Stats)
                n->stat = impl_.globalIndex.at(v);
            else
                n->ref = refOf(v);
            return n;
        }
        auto* i = static_cast<IndexExpr*>(t);
        auto* n = St<DeleteElementN>(loc);
        n->a = arrayOf(i->base);
        n->keys = compileKeys(i->keys);
        n->wildcard = i->hasWildcard();
        return n;
    }
    case StmtKind::Next: return St<SimpleN>(loc, Flow::Next);
    case StmtKind::Break: return St<SimpleN>(loc, Flow::Break);
    case StmtKind::Continue: return St<SimpleN>(loc, Flow::Continue);
    case StmtKind::Null: return St<NullN>(loc);
    case StmtKind::Try: {
        auto* t = static_cast<TryStmt*>(s);
        auto* n = St<TryN>(loc);
        n->body = compileStmt(t->tryBlock, fn);
        n->handler = compileStmt(t->catchBlock, fn);
        if (t->errorVar) {
            n->hasVar = true;
            n->var = refOf(t->errorVar->decl);
        }
        return n;
    }
    case StmtKind::Embedded:
        error("embedded C cannot run in a user-space probe", loc);
    }
    error("unsupported statement", loc);
}

} // namespace

} // namespace tap::rt

namespace tap::rt {

CompiledProgram::CompiledProgram() : impl_(std::make_unique<Impl>()) {}
CompiledProgram::~CompiledProgram() = default;

namespace {

// MAXNESTING as stap's translator computes it (translate.cxx,
// recursion_info): walk every function body, following calls into their
// callees; a call found k calls deep counts k, and a call to a function
// already on the walk marks the script recursive and is not followed. The
// limit is the deepest count plus one for the probe's own call, plus 10
// when the script recurses.
int computeNesting(const Program& program) {
    int nestingMax = 0;
    bool recursive = false;
    std::vector<const FunctionDecl*> chain;
    long budget = 2000000; // the walk is exponential in pathological call graphs
    std::function<void(Expr*)> visitExpr;
    std::function<void(Stmt*)> visitStmt = [&](Stmt* st) {
        if (st)
            forEachChild(st, [&](Expr* e) { visitExpr(e); }, [&](Stmt* c) { visitStmt(c); });
    };
    visitExpr = [&](Expr* e) {
        if (!e || --budget < 0)
            return;
        if (e->kind != ExprKind::Call) {
            forEachSubExpr(e, [&](Expr* c) { visitExpr(c); });
            return;
        }
        auto* call = static_cast<CallExpr*>(e);
        for (Expr* a : call->args)
            visitExpr(a);
        for (const FunctionDecl* f : call->overloads) {
            nestingMax = std::max(nestingMax, int(chain.size()) + 1);
            if (std::find(chain.begin(), chain.end(), f) != chain.end()) {
                recursive = true;
                return;
            }
            if (f->embedded())
                continue;
            chain.push_back(f);
            visitStmt(f->body);
            chain.pop_back();
        }
    };
    for (const FunctionDecl* f : program.functions)
        if (!f->embedded())
            visitStmt(f->body);
    return nestingMax + 1 + (recursive ? 10 : 0);
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

} // namespace

std::unique_ptr<CompiledProgram> CompiledProgram::compile(const Program& program, Runtime& rt,
                                                          std::string& error) {
    std::unique_ptr<CompiledProgram> cp(new CompiledProgram());
    Impl& impl = *cp->impl_;
    impl.sources = rt.sources;
    Compiler compiler(impl, rt);
    compiler.formats_ = &cp->formats_;

    // Globals: scalars by kind, arrays, statistics with their histogram shape.
    std::map<const VarDecl*, HistogramShape> shapes;
    std::map<const VarDecl*, int> shifts;
    auto noteStatUse = [&](Stmt* body) {
        walkExprs(body, [&](Expr* e) {
            Expr* stat = nullptr;
            if (e->kind == ExprKind::Hist)
                stat = static_cast<HistExpr*>(e)->stat;
            if (e->kind == ExprKind::StatOp && static_cast<StatOpExpr*>(e)->fn == StatFn::Variance) {
                auto* s = static_cast<StatOpExpr*>(e);
                Expr* base = s->stat->kind == ExprKind::Index ? static_cast<IndexExpr*>(s->stat)->base : s->stat;
                if (base->kind == ExprKind::Symbol && s->shift && s->shift->kind == ExprKind::Number)
                    shifts[static_cast<SymbolExpr*>(base)->decl] = int(static_cast<NumberExpr*>(s->shift)->value);
            }
            if (!stat)
                return;
            Expr* base = stat->kind == ExprKind::Index ? static_cast<IndexExpr*>(stat)->base : stat;
            if (base->kind != ExprKind::Symbol)
                return;
            const VarDecl* v = static_cast<SymbolExpr*>(base)->decl;
            auto* h = static_cast<HistExpr*>(e);
            HistogramShape shape;
            if (!h->linear) {
                shape = HistogramShape::log();
            } else {
            int64_t p[3] = {0, 0, 0};
            for (int i = 0; i < 3; ++i) {
                Expr* x = h->params[size_t(i)];
                if (x->kind == ExprKind::Number)
                    p[i] = static_cast<NumberExpr*>(x)->value;
                else if (x->kind == ExprKind::Unary && static_cast<UnaryExpr*>(x)->operand->kind == ExprKind::Number)
                    p[i] = -static_cast<NumberExpr*>(static_cast<UnaryExpr*>(x)->operand)->value;
            }
                shape = HistogramShape::linear(p[0], p[1], p[2]);
                if (shape.buckets == 0)
                    throw CompileError{"invalid @hist_linear parameters: (high - low) / step must give 1 to 126 buckets",
                                       e->loc};
            }
            auto [it, fresh] = shapes.emplace(v, shape);
            if (!fresh && (it->second.kind != shape.kind || it->second.start != shape.start ||
                           it->second.stop != shape.stop || it->second.interval != shape.interval))
                throw CompileError{"statistic '" + v->name + "' is used with two different histograms", e->loc};
        });
    };
    try {
        for (const ResolvedProbe& p : program.probes)
            noteStatUse(p.body);
        for (const FunctionDecl* f : program.functions)
            if (!f->embedded())
                noteStatUse(f->body);
    } catch (const CompileError& e) {
        error = formatRuntimeError({e.message, e.loc, {}}, *rt.sources);
        return nullptr;
    }

    for (const VarDecl* g : program.globals) {
        GlobalInfo info;
        info.decl = g;
        // As stap's (RHBZ 468139): only the script's own globals, never a tapset's.
        info.display = g->written && !g->read && !(rt.sources && g->loc.valid() && rt.sources->file(g->loc.file).isLibrary);
        if (g->isArray()) {
            ArrayStore a;
            a.decl = g;
            a.valueType = g->type == Type::Unknown ? Type::Long : g->type;
            a.keyTypes = g->keyTypes;
            a.maxEntries = g->maxEntries ? g->maxEntries : rt.limits.maxMapEntries;
            a.declaredSize = g->maxEntries != 0;
            a.wrap = g->wrap;
            if (shapes.count(g))
                a.shape = shapes[g];
            a.varianceShift = shifts.count(g) ? shifts[g] : 0;
            impl.arrayIndex[g] = int(rt.arrays.size());
            info.kind = GlobalInfo::Kind::Array;
            info.index = int(rt.arrays.size());
            rt.arrays.push_back(std::move(a));
        } else if (g->type == Type::Stats) {
            ScalarStat s;
            if (shapes.count(g))
                s.shape = shapes[g];
            s.varianceShift = shifts.count(g) ? shifts[g] : 0;
            impl.globalIndex[g] = int(rt.globalStats.size());
            info.kind = GlobalInfo::Kind::Stat;
            info.index = int(rt.globalStats.size());
            rt.globalStats.push_back(s);
        } else if (g->type == Type::String) {
            impl.globalIndex[g] = int(rt.globalStrings.size());
            info.kind = GlobalInfo::Kind::String;
            info.index = int(rt.globalStrings.size());
            std::string init = g->init && g->init->kind == ExprKind::String
                                   ? static_cast<StringExpr*>(g->init)->value
                                   : std::string();
            rt.globalStrings.push_back(rt.truncate(init));
        } else {
            impl.globalIndex[g] = int(rt.globalLongs.size());
            info.kind = GlobalInfo::Kind::Long;
            info.index = int(rt.globalLongs.size());
            rt.globalLongs.push_back(g->init && g->init->kind == ExprKind::Number
                                         ? static_cast<NumberExpr*>(g->init)->value
                                         : 0);
        }
        cp->globals_.push_back(info);
    }

    int maxProbeLongs = 0, maxProbeStrings = 0;
    try {
        for (const ResolvedProbe& p : program.probes) {
            if (p.site != ProbeSite::UserSpace)
                continue; // runs in BPF (kernel_session.cpp)
            CompiledProbe probe;
            probe.probe = &p;
            probe.point = p.point;
            probe.pointText = p.point.str();
            probe.family = p.point.components.empty() ? "" : p.point.components[0].functor;
            if (!p.point.components.empty() && p.point.components[0].number)
                probe.order = *p.point.components[0].number;
            compiler.currentProbe_ = probe.pointText;
            compiler.beginFrame(p.locals);
            probe.body = compiler.compileStmt(p.body, nullptr);
            if (p.condition)
                probe.condition = compiler.compileL(p.condition);
            probe.longSlots = compiler.longSlots_;
            probe.stringSlots = compiler.stringSlots_;
            maxProbeLongs = std::max(maxProbeLongs, probe.longSlots);
            maxProbeStrings = std::max(maxProbeStrings, probe.stringSlots);
            compiler.compilePendingFunctions();
            cp->probes_.push_back(std::move(probe));
        }
        compiler.compilePendingFunctions();
    } catch (const CompileError& e) {
        error = formatRuntimeError({e.message, e.loc, {}}, *rt.sources);
        return nullptr;
    }

    cp->maxNesting_ = rt.limits.maxNesting >= 0 ? int(rt.limits.maxNesting) : computeNesting(program);
    int maxFnLongs = 0, maxFnStrings = 0;
    for (auto& f : impl.functions) {
        maxFnLongs = std::max(maxFnLongs, f->longSlots);
        maxFnStrings = std::max(maxFnStrings, f->stringSlots);
    }
    rt.longStack.assign(size_t(maxProbeLongs + (cp->maxNesting_ + 1) * maxFnLongs + 1), 0);
    rt.stringStack.assign(size_t(maxProbeStrings + (cp->maxNesting_ + 1) * maxFnStrings + 1), {});
    return cp;
}

bool CompiledProgram::run(const CompiledProbe& probe, Runtime& rt, int64_t actionLimit) {
    Ctx c;
    c.rt = &rt;
    c.maxActions = actionLimit;
    c.maxDepth = maxNesting_;
    c.probePoint = probe.pointText;
    c.probeName = probe.probe->derivation;
    c.L = rt.longStack.data();
    c.S = rt.stringStack.data();
    for (int i = 0; i < probe.longSlots; ++i)
        c.L[i] = 0;
    for (int i = 0; i < probe.stringSlots; ++i)
        c.S[i].clear();
    rt.longTop = size_t(probe.longSlots);
    rt.stringTop = size_t(probe.stringSlots);
    rt.lastMatchOk = false;
    rt.matches.clear();
    bool ok = true;
    try {
        if (!probe.condition || probe.condition->eval(c))
            probe.body->exec(c);
    } catch (const ScriptError& e) {
        rt.out.flush();
        std::string text = formatRuntimeError(e, *rt.sources);
        rt.out.message("error", text, e.loc.valid() ? rt.sources->name(e.loc.file) : std::string(), e.loc.line, e.loc.col,
                       e.message, e.subject);
        ++rt.errors;
        ok = false;
    }
    rt.longTop = rt.stringTop = 0;
    return ok;
}

std::string CompiledProgram::setGlobal(Runtime& rt, const std::string& name, const std::string& value) {
    for (const GlobalInfo& g : globals_) {
        if (g.decl->name != name)
            continue;
        switch (g.kind) {
        case GlobalInfo::Kind::Long: {
            char* end = nullptr;
            long long v = std::strtoll(value.c_str(), &end, 0);
            if (value.empty() || *end)
                return "-G " + name + "=" + value + ": the global is a number";
            rt.globalLongs[size_t(g.index)] = v;
            return {};
        }
        case GlobalInfo::Kind::String:
            rt.globalStrings[size_t(g.index)] = rt.truncate(value);
            return {};
        default:
            return "-G " + name + ": only scalar globals can be set";
        }
    }
    return {}; // stap ignores -G for globals the script does not use
}

// stap's %#x: 0x and lowercase hex of the 64-bit pattern ("0x0" for 0).
static std::string hexOf(int64_t v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)v);
    return buf;
}

// stap's %#s: \a \b \f \n \r \t \v \' \\ escaped, other non-printable
// bytes as \ooo (runtime/vsprintf.c).
static std::string escapedOf(const std::string& s) {
    std::string out;
    for (unsigned char ch : s) {
        switch (ch) {
        case '\a': out += "\\a"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\v': out += "\\v"; break;
        case '\'': out += "\\'"; break;
        case '\\': out += "\\\\"; break;
        default:
            if (ch >= 0x20 && ch < 0x7f) {
                out += char(ch);
            } else {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\%03o", ch);
                out += buf;
            }
        }
    }
    return out;
}

// The display of globals written but never read: what stap's synthetic
// end probes print (elaborate.cxx add_global_var_display): scalars
// `x=%#x`, strings `s="%#s"`, statistics `x @count=%#d @min=%#d @max=%#d
// @sum=%#d @avg=%#d` (an empty one `x @count=0x0`), arrays one element a
// line, `a[%#d,"%#s"]=...`, sorted by value (statistics by @count)
// descending, ties in the array's order.
std::string CompiledProgram::globalDisplay(Runtime& rt) const {
    std::string out;
    auto keyText = [](const std::string& encoded) {
        DecodedKey d = decodeKey(encoded);
        std::string s;
        for (size_t i = 0; i < d.isString.size(); ++i) {
            if (i) s += ",";
            s += d.isString[i] ? quoted(escapedOf(d.strings[i])) : std::to_string(d.longs[i]);
        }
        return s;
    };
    auto statText = [](const Statistic& s) {
        return " @count=" + std::to_string(s.count()) + " @min=" + std::to_string(s.min()) +
               " @max=" + std::to_string(s.max()) + " @sum=" + std::to_string(s.sum()) +
               " @avg=" + std::to_string(s.avg());
    };
    for (const GlobalInfo& g : globals_) {
        if (!g.display)
            continue;
        const std::string& name = g.decl->name;
        switch (g.kind) {
        case GlobalInfo::Kind::Long:
            out += name + "=" + hexOf(rt.globalLongs[size_t(g.index)]) + "\n";
            break;
        case GlobalInfo::Kind::String:
            out += name + "=" + quoted(escapedOf(rt.globalStrings[size_t(g.index)])) + "\n";
            break;
        case GlobalInfo::Kind::Stat: {
            const Statistic& s = rt.globalStats[size_t(g.index)].stat;
            out += name + (s.count() ? statText(s) : std::string(" @count=0x0")) + "\n";
            break;
        }
        case GlobalInfo::Kind::Array: {
            ArrayStore& a = rt.arrays[size_t(g.index)];
            if (a.valueType == Type::String) {
                auto slots = a.strings.slots();
                std::stable_sort(slots.begin(), slots.end(), [&](uint32_t x, uint32_t y) {
                    return a.strings.node(x).value > a.strings.node(y).value;
                });
                for (uint32_t s : slots)
                    out += name + "[" + keyText(a.strings.node(s).key) + "]=" +
                           quoted(escapedOf(a.strings.node(s).value)) + "\n";
            } else if (a.valueType == Type::Stats) {
                auto slots = a.stats.slots();
                std::stable_sort(slots.begin(), slots.end(), [&](uint32_t x, uint32_t y) {
                    return a.stats.node(x).value.count() > a.stats.node(y).value.count();
                });
                for (uint32_t s : slots)
                    out += name + "[" + keyText(a.stats.node(s).key) + "]" + statText(a.stats.node(s).value) + "\n";
            } else {
                auto slots = a.longs.slots();
                std::stable_sort(slots.begin(), slots.end(), [&](uint32_t x, uint32_t y) {
                    return a.longs.node(x).value > a.longs.node(y).value;
                });
                for (uint32_t s : slots)
                    out += name + "[" + keyText(a.longs.node(s).key) + "]=" + hexOf(a.longs.node(s).value) + "\n";
            }
            break;
        }
        }
    }
    return out;
}

std::string formatRuntimeError(const ScriptError& e, const SourceManager& sm) {
    std::string out = "ERROR: " + e.message;
    if (!e.subject.empty())
        out += " near " + e.subject;
    if (e.loc.valid())
        out += " at " + formatLocation(e.loc, sm);
    out += "\n";
    return out;
}

} // namespace tap::rt
