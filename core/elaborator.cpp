#include "elaborator_impl.h"

#include "ast_clone.h"
#include "ast_printer.h"
#include "ast_walk.h"
#include "dwarf/dwarf_index.h"
#include "dwarf/header_types.h"
#include "elf/elf_binary.h"
#include "kernel/kernel_types.h"
#include "similar_names.h"
#include "user/user_providers.h"

#include <algorithm>
#include <functional>
#include <sstream>

namespace tap {

std::string describeExpr(const Expr* e) {
    switch (e->kind) {
    case ExprKind::Number:
        return "number '" + std::to_string(static_cast<const NumberExpr*>(e)->value) + "'";
    case ExprKind::String:
        return "string '" + static_cast<const StringExpr*>(e)->raw + "'";
    case ExprKind::Symbol:
        return "identifier '" + static_cast<const SymbolExpr*>(e)->name + "'";
    case ExprKind::Index:
        return describeExpr(static_cast<const IndexExpr*>(e)->base);
    case ExprKind::Call:
        return "identifier '" + static_cast<const CallExpr*>(e)->name + "'";
    case ExprKind::Print:
        return "identifier '" + static_cast<const PrintExpr*>(e)->name + "'";
    case ExprKind::Target:
        return "identifier '" + static_cast<const TargetExpr*>(e)->name + "'";
    case ExprKind::Binary:
        return "operator '" + std::string(opText(static_cast<const BinaryExpr*>(e)->op)) + "'";
    case ExprKind::Assign:
        return "operator '" + std::string(opText(static_cast<const AssignExpr*>(e)->op)) + "'";
    case ExprKind::Unary:
        return "operator '" + std::string(opText(static_cast<const UnaryExpr*>(e)->op)) + "'";
    case ExprKind::IncDec:
        return "operator '" + std::string(opText(static_cast<const IncDecExpr*>(e)->op)) + "'";
    case ExprKind::Ternary:
        return "operator '?'";
    case ExprKind::StatOp:
        return "operator '" + std::string(statFnName(static_cast<const StatOpExpr*>(e)->fn)) + "'";
    case ExprKind::Hist:
        return static_cast<const HistExpr*>(e)->linear ? "operator '@hist_linear'" : "operator '@hist_log'";
    case ExprKind::In:
        return "keyword";
    case ExprKind::Cast:
        return "operator '@cast'";
    case ExprKind::AtVar:
        return "operator '@var'";
    case ExprKind::Autocast:
        return "operator '->'";
    case ExprKind::Defined:
        return "operator '@defined'";
    case ExprKind::Entry:
        return "operator '@entry'";
    case ExprKind::Perf:
        return "operator '@perf'";
    case ExprKind::ProbeWrite:
        return "operator '@probewrite'";
    case ExprKind::AtCall:
        return "operator '" + static_cast<const AtCallExpr*>(e)->name + "'";
    case ExprKind::Embedded:
        return "embedded-code";
    }
    return "expression";
}

Elaborator::Elaborator(const std::vector<FileAst*>& scriptFiles,
                       const std::vector<FileAst*>& libraryFiles, const ProbeRegistry& registry,
                       const CompileOptions& options, DiagnosticSink& diags,
                       SnippetParser parseSnippet)
    : scriptFiles_(scriptFiles), libraryFiles_(libraryFiles), registry_(registry),
      options_(options), diags_(diags), program_(std::make_unique<Program>()),
      parseSnippet_(std::move(parseSnippet)) {}

std::unique_ptr<Program> Elaborator::run() {
    indexDeclarations();
    deriveProbes();
    resolveSymbolsInProbes();
    resolveFunctions();
    pullInTapsetProbes();
    checkForeachModification();
    placeTimersNeedingTaskContext();
    if (diags_.hasErrors())
        return std::move(program_);
    if (!options_.unoptimized) {
        elide();
        pruneLocals();
        pruneUnreachableFunctions();
    }
    if (program_->probes.empty()) {
        // Say why when optional points were dropped (e.g. kernel.function ? with no kprobes).
        auto& d = diags_.error(Phase::Semantic, "no probes found", {});
        if (!droppedOptional_.empty())
            d.notes.push_back({Severity::Error, Phase::Semantic,
                               "every probe point was optional and none resolved; the first: " + droppedOptional_,
                               {}, {}, {}});
        return std::move(program_);
    }
    inferTypes();
    collectUsed();
    return std::move(program_);
}

// ------------------------------------------------------------- declarations

void Elaborator::indexDeclarations() {
    for (FileAst* f : scriptFiles_) {
        for (VarDecl* g : f->globals) {
            auto [it, fresh] = userGlobals_.emplace(g->name, g);
            if (!fresh)
                diags_.error(Phase::Semantic, "conflicting global variables", g->loc,
                             "identifier '" + g->name + "'")
                    .notes.push_back({Severity::Error, Phase::Semantic,
                                      "conflicting global variables", it->second->loc,
                                      "identifier '" + g->name + "'", {}});
        }
        for (FunctionDecl* fn : f->functions) {
            // stap allows several functions of one name and arity (the first wins).
            auto& list = userFunctions_[fn->name];
            list.push_back(fn);
        }
        for (AliasDecl* a : f->aliases)
            aliases_.push_back(a);
    }
    for (FileAst* f : libraryFiles_) {
        for (VarDecl* g : f->globals)
            libraryGlobals_[g->name].push_back(g);
        for (FunctionDecl* fn : f->functions)
            libraryFunctions_[fn->name].push_back(fn);
        for (AliasDecl* a : f->aliases)
            aliases_.push_back(a);
    }
}

namespace {

bool argEquals(const Expr* a, const Expr* b) {
    if (!a || !b)
        return !a && !b;
    if (a->kind != b->kind)
        return false;
    if (a->kind == ExprKind::Number)
        return static_cast<const NumberExpr*>(a)->value == static_cast<const NumberExpr*>(b)->value;
    return static_cast<const StringExpr*>(a)->value == static_cast<const StringExpr*>(b)->value;
}

// Does user point `u` name alias point `a`? Returns how many components of `u`
// the alias consumed (the rest are suffixes appended to its targets), or -1.
int matchAlias(const ProbePoint& u, const ProbePoint& a) {
    if (u.components.size() < a.components.size())
        return -1;
    for (size_t i = 0; i < a.components.size(); ++i) {
        const auto& uc = u.components[i];
        const auto& ac = a.components[i];
        if (uc.functor == "**")
            return -1;
        if (!componentMatches(uc.functor, ac.functor) || !argEquals(uc.arg, ac.arg))
            return -1;
    }
    return int(a.components.size());
}

// SystemTap 4.8 tapset aliases (and families) this implementation does not
// provide, with the reason and what to use instead. Only consulted when a
// point resolves to nothing and no provider explained why.
std::string unavailableFamilyHint(const ProbePoint& point) {
    if (point.components.empty())
        return {};
    const std::string& f = point.components[0].functor;
    std::string second = point.components.size() > 1 ? point.components[1].functor : std::string();
    std::string name = point.str();
    const std::string kprobes = "' is one of SystemTap's tapset aliases built on kernel.function probes "
                                "(kprobes), which TapStudio does not provide; ";
    if (f == "process" && (second == "create" || second == "start" || second == "exec" ||
                           second == "exec_complete" || second == "exit" || second == "release"))
        return "probe point mismatch: '" + name + "' is the pre-1.0 SystemTap name of kprocess." + second +
               (second == "start" ? " (not provided here: it needs kprobes; use process.begin)"
                                  : "; use kprocess." + second);
    if (f == "generic")
        return "probe point mismatch: '" + name + kprobes +
               "use the vfs.* aliases, the system-call probes (syscall.read, syscall.write, ...) or kernel.trace(\"...\") tracepoints";
    if (f == "vfs" || f == "ioblock" || f == "netdev" || f == "tcp" || f == "udp" || f == "socket" ||
        f == "scheduler" || f == "kprocess" || f == "signal" || f == "vm" || f == "irq_handler" || f == "softirq" ||
        f == "workqueue" || f == "tcpmib" || f == "ipmib" || f == "linuxmib" || f == "netfilter")
        return "probe point mismatch: '" + name +
               "' is one of SystemTap's tapset aliases that TapStudio does not provide; tstap -l '" + f +
               ".**' lists the ones it has";
    if (f == "inet" || f == "sunrpc" || f == "nfs" ||
        f == "nfsd" || f == "scsi" || f == "sctp")
        return "probe point mismatch: '" + name + kprobes +
               "use kernel.trace(\"...\") tracepoints (tstap -l 'kernel.trace(\"" +
               (f == "scsi" ? std::string("scsi") : f == "nfs" || f == "nfsd" || f == "sunrpc" ? f : std::string("tcp")) +
               ":*\")' lists them) or the syscall.* probes";
    if (f == "kernel_thread" || f == "memory")
        return "probe point mismatch: '" + name + kprobes +
               "use a kernel.trace(\"...\") tracepoint";
    if ((f == "syscall" || f == "nd_syscall") && !second.empty() && second.find('*') == std::string::npos)
        return "probe point mismatch: this kernel has no system call '" + second + "' (no syscalls:sys_enter_" +
               second + " tracepoint); tstap -l '" + f + ".*' lists the ones it has";
    if (f == "kernel" && second == "data")
        return "probe point mismatch: hardware breakpoints are kernel.data(ADDRESS or \"SYMBOL\") with .write or .rw, "
               "after an optional .length(1, 2, 4 or 8)";
    if (f == "kernel" && second == "statement")
        return "probe point mismatch: '" + name + "' needs kprobes at a kernel source line, which this kernel does not offer";
    if (f.rfind("__syscall", 0) == 0 || f.rfind("__nd_syscall", 0) == 0)
        return "probe point mismatch: '" + name + "' is one of SystemTap's internal aliases; use syscall." +
               (second.empty() ? std::string("*") : second) + " or nd_syscall.* instead";
    if (f == "procfs")
        return "probe point mismatch: procfs probes (/proc/systemtap/... files) are not supported yet";
    if (f == "netfilter")
        return "probe point mismatch: netfilter hook probes are not supported yet";
    return {};
}

} // namespace

// A suffix after an alias's name applies to the alias's targets only where
// no alias of the longer name matches the point (as in stap): vfs.read.return
// is that alias, not vfs.read's kernel.function("vfs_read") with .return,
// which would run the handler twice.
bool Elaborator::aliasNamesLongerPoint(const ProbePoint& point, const ProbePoint& shorter) const {
    for (const AliasDecl* alias : aliases_)
        for (const ProbePoint* name : alias->names) {
            if (name->components.size() <= shorter.components.size() ||
                matchAlias(point, *name) != int(point.components.size()))
                continue;
            bool extends = true;
            for (size_t i = 0; i < shorter.components.size() && extends; ++i)
                extends = name->components[i].functor == shorter.components[i].functor &&
                          argEquals(name->components[i].arg, shorter.components[i].arg);
            if (extends)
                return true;
        }
    return false;
}

bool Elaborator::resolvePoint(const ProbePoint& point, std::vector<Derivation>& out, int depth,
                              std::string& error) {
    if (depth > 50) {
        error = "probe alias expansion too deep (recursive alias?)";
        return false;
    }
    size_t before = out.size();
    for (AliasDecl* alias : aliases_) {
        for (ProbePoint* name : alias->names) {
            int used = matchAlias(point, *name);
            if (used < 0 || (size_t(used) < point.components.size() && aliasNamesLongerPoint(point, *name)))
                continue;
            if (alias->isPrivate && alias->file != nullptr) {
                // A private alias is visible in its own file only; the caller's
                // file is not tracked per point, so only tapset-internal use works.
            }
            for (ProbePoint* target : alias->targets) {
                ProbePoint expanded = *target;
                for (size_t i = size_t(used); i < point.components.size(); ++i)
                    expanded.components.push_back(point.components[i]);
                std::vector<Derivation> inner;
                std::string innerError;
                resolvePoint(expanded, inner, depth + 1, innerError);
                if (inner.empty() && !target->optional) {
                    if (error.empty())
                        error = (innerError.empty() ? "probe point mismatch" : innerError) + " in '" +
                                expanded.str() + "', the expansion of '" + name->str() + "'";
                    continue;
                }
                for (Derivation& d : inner) {
                    d.viaAlias = true;
                    // `probe a = b {A}` over `probe b = begin {B}` runs B, A, the
                    // handler, then a's epilogue before b's (as stap orders them).
                    if (alias->prologue)
                        d.prologues.push_back({alias, alias->prologue});
                    if (alias->epilogue)
                        d.epilogues.insert(d.epilogues.begin(), {alias, alias->epilogue});
                    if (target->condition)
                        d.conditions.push_back(target->condition);
                    out.push_back(std::move(d));
                }
                if (!inner.empty() && target->sufficient)
                    break;
            }
            break; // one name of an alias is enough
        }
    }
    for (auto& m : registry_.match(point, error))
        out.push_back({m.provider, std::move(m.point), {}, {}, {}, false});
    return out.size() > before;
}

Elaborator::PointMismatch Elaborator::findMismatch(const ProbePoint& point) const {
    // Every name path the session knows: the aliases' names and the providers' shapes.
    std::vector<std::vector<std::string>> paths;
    for (const AliasDecl* alias : aliases_)
        for (const ProbePoint* name : alias->names) {
            std::vector<std::string> path;
            for (const ProbePointComponent& c : name->components)
                path.push_back(c.functor);
            paths.push_back(std::move(path));
        }
    for (const auto& provider : registry_.providers())
        for (const ProbePattern& pattern : registry_.patternsOf(*provider)) {
            std::vector<std::string> path;
            for (const PatternComponent& c : pattern.components)
                path.push_back(c.functor);
            paths.push_back(std::move(path));
        }
    auto knownPrefix = [&](const std::vector<std::string>& path) {
        size_t k = 0;
        while (k < point.components.size() && k < path.size() && point.components[k].functor != "**" &&
               componentMatches(point.components[k].functor, path[k]))
            ++k;
        return k;
    };
    PointMismatch m;
    for (const auto& path : paths)
        m.component = std::max(m.component, knownPrefix(path));
    if (m.component < point.components.size())
        for (const auto& path : paths)
            if (path.size() > m.component && knownPrefix(path) == m.component)
                m.known.push_back(path[m.component]);
    return m;
}

// The error names the component that matched nothing ('opne' in
// syscall.opne, not 'syscall'), with the known names like it; a point whose
// every component is known but that fails as a whole (an argument out of
// range, an alias whose expansion fails) is named by its last component.
//
// Within a family this implementation has, a known name like the unknown
// one is most likely what was meant, so it wins over the explanation of
// points it lacks (scheduler.ctxswich is no kprobe alias, it is
// scheduler.ctxswitch); a family it lacks altogether (ioblock) keeps the
// explanation.
void Elaborator::reportUnresolvedPoint(const ProbePoint& point, std::string reason) {
    if (point.components.empty()) {
        diags_.error(Phase::Semantic, reason.empty() ? "probe point mismatch" : reason, point.loc, "probe point");
        return;
    }
    PointMismatch m = findMismatch(point);
    size_t at = std::min(m.component, point.components.size() - 1);
    const ProbePointComponent& component = point.components[at];
    if (reason.empty() || reason == "probe point mismatch") {
        std::string similar = similarSuffix(component.functor, m.known);
        std::string hint = unavailableFamilyHint(point);
        reason = !hint.empty() && (similar.empty() || m.component == 0) ? hint : "probe point mismatch" + similar;
    }
    diags_.error(Phase::Semantic, reason, component.loc.valid() ? component.loc : point.loc,
                 "identifier '" + component.functor + "'");
}

void Elaborator::deriveProbes() {
    for (FileAst* f : scriptFiles_)
        deriveProbesFrom(f);
}

// As in stap, a tapset file's own probes (not its aliases) join the session
// when the script uses one of the file's functions or globals, e.g.
// target_set.stp's process.begin/end bookkeeping behind target_set_pid().
void Elaborator::pullInTapsetProbes() {
    std::set<FileAst*> pulled;
    for (bool more = true; more;) {
        more = false;
        for (FileAst* f : libraryFiles_) {
            if (f->probes.empty() || pulled.count(f))
                continue;
            bool used = false;
            for (FunctionDecl* fn : reachable_)
                used = used || fn->file == f;
            for (VarDecl* g : usedGlobals_)
                used = used || g->file == f;
            if (!used)
                continue;
            pulled.insert(f);
            size_t before = program_->probes.size();
            deriveProbesFrom(f);
            resolveSymbolsInProbes(before);
            more = true;
        }
        if (more)
            resolveFunctions();
    }
}

void Elaborator::deriveProbesFrom(FileAst* f) {
    {
        for (ProbeDecl* p : f->probes) {
            std::ostringstream derivation;
            for (size_t i = 0; i < p->points.size(); ++i) {
                if (i)
                    derivation << ",";
                printProbePoint(derivation, *p->points[i]);
            }
            for (ProbePoint* point : p->points) {
                std::vector<Derivation> found;
                std::string error;
                resolvePoint(*point, found, 0, error);
                if (found.empty()) {
                    if (point->optional) {
                        if (error.empty() || error == "probe point mismatch")
                            if (std::string hint = unavailableFamilyHint(*point); !hint.empty())
                                error = hint;
                        if (droppedOptional_.empty() && !error.empty())
                            droppedOptional_ = point->str() + ": " + error;
                        continue;
                    }
                    reportUnresolvedPoint(*point, error);
                    continue;
                }
                for (Derivation& d : found) {
                    ResolvedProbe rp;
                    rp.point = d.point;
                    rp.provider = d.provider;
                    rp.derivation = derivation.str();
                    rp.decl = p;
                    rp.loc = p->loc;
                    rp.isReturn = d.provider->isReturnProbe(d.point);
                    if (rp.isReturn)
                        if (auto entry = d.provider->entryPoint(d.point)) {
                            rp.hasEntryPoint = true;
                            rp.entryPoint = *entry;
                        }
                    rp.site = d.provider->site(d.point);
                    Arena& arena = program_->arena;
                    auto* body = arena.make<BlockStmt>(p->body->loc);
                    std::string providerPrologue = d.provider->prologue(d.point);
                    if (!providerPrologue.empty()) {
                        BlockStmt* block = parseSnippet_ ? parseSnippet_(providerPrologue, d.point.str()) : nullptr;
                        if (block)
                            snippetFiles_.insert(block->loc.file);
                        if (!block) {
                            diags_.error(Phase::Semantic,
                                         "internal error: the prologue of probe point '" + d.point.str() +
                                             "' does not parse",
                                         point->loc);
                            continue;
                        }
                        body->body.push_back(cloneStmt(arena, block));
                    }
                    for (auto& [alias, block] : d.prologues)
                        body->body.push_back(cloneStmt(arena, block));
                    rp.handlerIndex = body->body.size();
                    rp.viaAlias = !d.prologues.empty() || !d.epilogues.empty() || d.viaAlias;
                    body->body.push_back(cloneStmt(arena, p->body));
                    for (auto& [alias, block] : d.epilogues)
                        body->body.push_back(cloneStmt(arena, block));
                    rp.body = body;
                    std::vector<Expr*> conds = d.conditions;
                    if (point->condition)
                        conds.push_back(point->condition);
                    for (Expr* c : conds) {
                        Expr* copy = cloneExpr(arena, c);
                        rp.condition = rp.condition
                                           ? arena.make<BinaryExpr>(c->loc, Op::LogAnd, rp.condition, copy)
                                           : copy;
                    }
                    if (wantsContextVariables(rp)) {
                        rp.context = d.provider->contextVariables(d.point);
                        if (rp.hasEntryPoint)
                            rp.entryContext = d.provider->contextVariables(rp.entryPoint);
                    }
                    program_->probes.push_back(std::move(rp));
                }
                if (point->sufficient)
                    break;
            }
        }
    }
}

bool Elaborator::wantsContextVariables(const ResolvedProbe& rp) const {
    using Wanted = CompileOptions::ContextVariables;
    if (options_.contextVariables != Wanted::Read)
        return options_.contextVariables == Wanted::All;
    bool names = false;
    auto visit = [&](Expr* e) { names = names || e->kind == ExprKind::Target || e->kind == ExprKind::AtVar; };
    walkExprs(static_cast<Stmt*>(rp.body), visit);
    if (rp.condition)
        walkExprs(rp.condition, visit);
    return names;
}

// ------------------------------------------------------------------ symbols

VarDecl* Elaborator::lookupGlobal(const std::string& name, FileAst* from) {
    if (auto it = userGlobals_.find(name); it != userGlobals_.end())
        if (!it->second->isPrivate || it->second->file == from)
            return it->second;
    if (auto it = libraryGlobals_.find(name); it != libraryGlobals_.end())
        for (VarDecl* v : it->second)
            if (!v->isPrivate || v->file == from)
                return v;
    return nullptr;
}

void Elaborator::noteArity(VarDecl* v, int arity, SourceLoc loc, const std::string& name) {
    auto it = arity_.find(v);
    if (it == arity_.end()) {
        arity_[v] = {arity, loc};
        v->arity = arity;
        if (arity > 0 && v->keyTypes.size() < size_t(arity))
            v->keyTypes.resize(size_t(arity), Type::Unknown);
        return;
    }
    if (it->second.first != arity) {
        diags_.error(Phase::Semantic,
                     "inconsistent arity (" + std::to_string(it->second.first) + " vs " +
                         std::to_string(arity) + ")",
                     loc, "identifier '" + name + "'")
            .notes.push_back({Severity::Error, Phase::Semantic,
                              "arity " + std::to_string(it->second.first) + " first inferred here",
                              it->second.second, "identifier '" + name + "'", {}});
    }
}

// arity: -1 = any (delete), 0 = scalar use, n = indexed by n keys.
void Elaborator::resolveSymbol(SymbolExpr* s, Scope& scope, int arity, bool write) {
    if (scope.function)
        for (VarDecl* p : scope.function->params)
            if (p->name == s->name) {
                s->decl = p;
                if (arity > 0)
                    diags_.error(Phase::Semantic, "function parameter '" + s->name + "' used as an array",
                                 s->loc, describeExpr(s));
                return;
            }
    for (VarDecl* l : *scope.locals)
        if (l->name == s->name) {
            s->decl = l;
            (write ? l->written : l->read) = true;
            if (arity > 0)
                diags_.error(Phase::Semantic,
                             "unresolved arity-" + std::to_string(arity) + " global array " +
                                 s->name + ", missing global declaration?",
                             s->loc, describeExpr(s));
            return;
        }
    if (VarDecl* g = lookupGlobal(s->name, scope.file)) {
        s->decl = g;
        usedGlobals_.insert(g);
        if (arity == 0 && g->wrap)
            diags_.error(Phase::Semantic, "wrapping not supported for scalars", g->loc,
                         "identifier '" + g->name + "'");
        else if (arity == 0 && g->maxEntries)
            diags_.error(Phase::Semantic, "inconsistent arity", g->loc, "identifier '" + g->name + "'");
        if (arity >= 0)
            noteArity(g, arity, s->loc, s->name);
        (write ? g->written : g->read) = true;
        return;
    }
    if (arity > 0) {
        diags_.error(Phase::Semantic,
                     "unresolved arity-" + std::to_string(arity) + " global array " + s->name +
                         ", missing global declaration?" + similarSuffix(s->name, variableNames(scope)),
                     s->loc, describeExpr(s));
        return;
    }
    auto* local = program_->arena.make<VarDecl>();
    (write ? local->written : local->read) = true;
    local->scope = VarDecl::Scope::Local;
    local->name = s->name;
    local->loc = s->loc;
    local->arity = 0;
    local->file = scope.file;
    scope.locals->push_back(local);
    s->decl = local;
}

std::vector<std::string> Elaborator::variableNames(const Scope& scope) const {
    std::vector<std::string> names;
    for (const auto& [name, global] : userGlobals_)
        names.push_back(name);
    if (scope.function)
        for (const VarDecl* p : scope.function->params)
            names.push_back(p->name);
    for (const VarDecl* l : *scope.locals)
        if (l->written)
            names.push_back(l->name);
    return names;
}

// A local of the script that is read but never assigned reads 0 or "": most
// often a misspelt variable, so stap warns and names the ones it resembles.
void Elaborator::warnNeverAssigned(const Scope& scope) {
    for (const VarDecl* l : *scope.locals) {
        bool inScript = std::find(scriptFiles_.begin(), scriptFiles_.end(), l->file) != scriptFiles_.end();
        if (!l->read || l->written || !inScript || !warnedNeverAssigned_.insert({l->loc.file, l->loc.line, l->loc.col}).second)
            continue;
        diags_.warning("never-assigned local variable '" + l->name + "'" + similarSuffix(l->name, variableNames(scope)),
                       l->loc, "identifier '" + l->name + "'");
    }
}

bool Elaborator::targetResolves(const Expr* e, const Scope& scope, std::string* error) {
    if (e->kind != ExprKind::Target || !scope.probe)
        return false;
    auto* t = static_cast<const TargetExpr*>(e);
    Type type = Type::Long;
    ResolvedProbe* rp = scope.probe;
    bool atEntry = scope.inEntry && rp->hasEntryPoint;
    std::string problem = rp->provider->typeTarget(atEntry ? rp->entryPoint : rp->point, *t, type);
    // In a .return probe, a $variable of the entry is its value at entry (as
    // in stap, where target variables of return probes are entry snapshots).
    if (!problem.empty() && !scope.inEntry && rp->hasEntryPoint) {
        Type entryType = Type::Long;
        if (rp->provider->typeTarget(rp->entryPoint, *t, entryType).empty()) {
            problem.clear();
            type = entryType;
            atEntry = true;
        }
    }
    if (!problem.empty()) {
        if (error)
            *error = problem;
        return false;
    }
    // A global of the probed function's file is none of the point's context
    // variables; the handler reads it through them all the same.
    std::vector<ContextVar>& vars = atEntry ? rp->entryContext : rp->context;
    if (std::none_of(vars.begin(), vars.end(), [&](const ContextVar& v) { return v.name == t->name; }))
        if (auto global = rp->provider->fileScopeVariable(atEntry ? rp->entryPoint : rp->point, t->name))
            vars.push_back(*global);
    const_cast<Expr*>(e)->type = type;
    return true;
}

// @cast(p, "type"[, "kernel"])->member...: the type and the member chain come
// from the kernel's BTF. The read itself needs kernel context, so a probe
// that runs in the user-space executor (begin, end, ...) cannot use it.
// The user program an @cast names: a path as its module, or, with no
// module, the program a uprobe handler probes (as stap defaults to the probe's
// module). "" for the kernel.
static bool namesProgram(const std::string& module) {
    return module.find('/') != std::string::npos && module.find('<') == std::string::npos; // not "kernel<linux/x.h>"
}

// A module of C headers ("<sys/time.h>", "</usr/include/stdio.h>") is the
// object compiled from them (dwarf/header_types.h): `problem` says why there
// is none when the compiler fails.
static std::string userCastBinary(const std::string& module, const ResolvedProbe* probe,
                                  std::string* problem = nullptr) {
    if (!dwarf::moduleHeaders(module).empty()) {
        std::string why;
        std::string object = dwarf::headerTypesObject(module, why);
        if (object.empty() && problem)
            *problem = why;
        return object;
    }
    if (!module.empty())
        return namesProgram(module) ? elf::resolveExecutable(module).empty() ? elf::resolveLibrary(module, "")
                                                                             : elf::resolveExecutable(module)
                                    : std::string();
    if (probe && probe->provider) {
        AttachSpec a = probe->provider->attach(probe->point);
        if (a.kind == AttachSpec::Kind::Uprobe)
            return a.target;
    }
    return {};
}

static std::string userCastBinary(const CastExpr* c, const ResolvedProbe* probe) {
    return userCastBinary(c->module, probe);
}

// The member path a @cast applies to its type, checked like a $variable's.
// @cast(p, "T")[N] indexes an array of T starting at p (p is a T *): the
// index does not change the type.
static TargetExpr castPath(const CastExpr* c) {
    TargetExpr path(c->loc, "@cast(" + c->typeName + ")");
    path.components = c->components;
    if (!path.components.empty() && path.components[0].kind == TargetComponent::Index)
        path.components.erase(path.components.begin());
    path.addressOf = c->addressOf;
    return path;
}

// &@cast(p, "T")[i]->a->b[j] through embedded members and constant indexes
// reads no memory: its value is p plus this offset (none otherwise).
static std::optional<int64_t> userPureOffset(const UserTypeTable& types, int type,
                                             const std::vector<TargetComponent>& components) {
    int64_t offset = 0;
    int cur = type;
    for (size_t i = 0; i < components.size(); ++i) {
        const TargetComponent& tc = components[i];
        if (cur < 0)
            return std::nullopt;
        const UserType& t = types.at(cur);
        if (tc.kind == TargetComponent::Index) {
            if (!tc.index || tc.index->kind != ExprKind::Number)
                return std::nullopt;
            int64_t n = static_cast<const NumberExpr*>(tc.index)->value;
            if (i == 0) { // p is a T *: element n of the array of T that starts there
                offset += n * t.size;
            } else if (t.kind == UserType::Kind::Array && t.target >= 0) {
                offset += n * types.at(t.target).size;
                cur = t.target;
            } else {
                return std::nullopt;
            }
        } else if (tc.kind == TargetComponent::Field &&
                   (t.kind == UserType::Kind::Struct || t.kind == UserType::Kind::Union)) {
            const UserType::Member* m = t.member(tc.name);
            if (!m || m->bitSize)
                return std::nullopt;
            offset += m->offset;
            cur = m->type;
        } else {
            return std::nullopt;
        }
    }
    return offset;
}

bool Elaborator::userCastResolves(CastExpr* c, const std::string& binary, const std::string& module,
                                  const Scope& scope, std::string* error) {
    std::string problem;
    const dwarf::DebugInfo* debug = dwarf::DebugInfo::of(binary, problem);
    int id = debug ? debug->typeByName(c->typeName) : -1;
    if (debug && id < 0)
        problem = dwarf::moduleHeaders(module).empty()
                      ? "type '" + c->typeName + "' is not described by the debugging information of '" + binary + "'"
                      : "type definition '" + c->typeName + "' not found in '" + module +
                            "': the header declares no such type";
    TargetExpr path = castPath(c);
    Type type = Type::Long;
    if (problem.empty()) {
        const UserType& t = debug->types().at(id);
        bool aggregate = t.kind == UserType::Kind::Struct || t.kind == UserType::Kind::Union;
        if (path.components.empty() && !c->addressOf)
            problem = "'" + t.spelling + "' is being accessed instead of a member";
        else if (!aggregate && !path.components.empty() && path.components[0].kind == TargetComponent::Field)
            problem = "@cast to '" + c->typeName + "' needs a struct or union type";
        else if (!path.components.empty())
            problem = user::checkUserTarget(debug->types(), id, path, type);
    }
    // An address computed from embedded members and constant indexes (as
    // @cast_module_sizeof and @module_offsetof make) is p + offset, which
    // any probe can compute; anything else reads the process's memory.
    std::optional<int64_t> offset;
    if (problem.empty() && c->addressOf)
        offset = userPureOffset(debug->types(), id, c->components);
    if (problem.empty() && !offset && scope.probe && scope.probe->site == ProbeSite::UserSpace &&
        !(!scope.probe->point.components.empty() && scope.probe->point.components[0].functor == "timer"))
        problem = "@cast reads the memory of a process, which probe " + scope.probe->quoted() +
                  " cannot do: it runs in the user-space executor (use it in a process or kernel probe)";
    if (!problem.empty()) {
        if (error)
            *error = problem;
        return false;
    }
    c->userTypes = &debug->types();
    c->userType = id;
    c->pureAddress = offset.has_value();
    c->addressOffset = offset.value_or(0);
    c->type = type;
    return true;
}

// @var("name[@file]"[, "module"]): a global of the probed program (or of
// the program or library the module names). The kernel's globals are not
// readable here (no symbol addresses in BTF).
bool Elaborator::atVarResolves(AtVarExpr* v, const Scope& scope, std::string* error) {
    // With no file and no module, @var("name") is $name (a parameter, local
    // or static of the probed function, or a global of its file) before it
    // is a global of the whole program.
    if (v->module.empty() && v->varName.find('@') == std::string::npos && scope.probe) {
        TargetExpr asTarget(v->loc, "$" + v->varName);
        asTarget.components = v->components;
        asTarget.addressOf = v->addressOf;
        if (targetResolves(&asTarget, scope, nullptr)) {
            v->contextName = asTarget.name;
            v->type = asTarget.type;
            return true;
        }
    }
    CastExpr asCast(v->loc, nullptr);
    asCast.module = v->module;
    std::string binary = userCastBinary(&asCast, scope.probe);
    std::string name = v->varName.substr(0, v->varName.find('@'));
    std::string file = v->varName.find('@') == std::string::npos ? "" : v->varName.substr(v->varName.find('@') + 1);
    std::string problem;
    const dwarf::DebugInfo* debug = binary.empty() ? nullptr : dwarf::DebugInfo::of(binary, problem);
    std::optional<dwarf::Variable> global = debug ? debug->globalVariable(name, file) : std::nullopt;
    if (!global) {
        problem = "unable to find global '" + v->varName + "' in " +
                  (binary.empty() ? (v->module.empty() ? std::string("kernel") : v->module) : binary);
    } else if (!global->locationError.empty() || !global->location.relocated) {
        problem = "cannot read global '" + v->varName + "': " +
                  (global->locationError.empty() ? std::string("it has no fixed address") : global->locationError);
    } else {
        TargetExpr path(v->loc, "@var(\"" + v->varName + "\")");
        path.components = v->components;
        path.addressOf = v->addressOf;
        Type type = Type::Long;
        problem = path.components.empty() && path.addressOf
                      ? std::string()
                      : user::checkUserTarget(debug->types(), global->type, path, type);
        if (problem.empty()) {
            v->userTypes = &debug->types();
            v->userType = global->type;
            v->userAddress = uint64_t(global->location.offset);
            CastExpr probed(v->loc, nullptr);
            if (binary != userCastBinary(&probed, scope.probe))
                v->userModule = binary;
            v->type = type;
            return true;
        }
    }
    if (error)
        *error = problem;
    return false;
}

bool Elaborator::castResolves(Expr* e, const Scope& scope, std::string* error) {
    auto* c = static_cast<CastExpr*>(e);
    auto fail = [&](const std::string& why) {
        if (error)
            *error = why;
        return false;
    };
    std::vector<std::string> modules = kernel::castModules(c->module);
    if (modules.size() > 1) {
        // "a:b:c": as stap, the first module that defines the type is the one.
        std::string firstProblem;
        for (const std::string& m : modules) {
            if (kernel::isKernelCastModule(m)) {
                if (kernel::castType(kernel::Btf::vmlinux(), c->typeName, m, nullptr))
                    return kernelCastResolves(c, scope, error);
                continue;
            }
            std::string problem;
            std::string binary = userCastBinary(m, nullptr, &problem);
            const dwarf::DebugInfo* debug = binary.empty() ? nullptr : dwarf::DebugInfo::of(binary, problem);
            if (debug && debug->typeByName(c->typeName) >= 0)
                return userCastResolves(c, binary, m, scope, error);
            if (firstProblem.empty() && !problem.empty())
                firstProblem = problem;
        }
        return fail("type definition '" + c->typeName + "' not found in '" + c->module + "'" +
                    (firstProblem.empty() ? std::string() : " (" + firstProblem + ")"));
    }
    std::string problem;
    if (std::string binary = userCastBinary(c->module, scope.probe, &problem); !binary.empty())
        return userCastResolves(c, binary, c->module, scope, error);
    if (!problem.empty())
        return fail(problem);
    if (namesProgram(c->module))
        return fail("cannot find the program or library '" + c->module + "' that @cast names");
    return kernelCastResolves(c, scope, error);
}

// @cast to a kernel type (BTF).
bool Elaborator::kernelCastResolves(CastExpr* c, const Scope& scope, std::string* error) {
    int32_t id = kernel::castType(kernel::Btf::vmlinux(), c->typeName, c->module, error);
    if (!id)
        return false;
    const kernel::Btf& btf = *kernel::Btf::vmlinux();
    TargetExpr path = castPath(c);
    Type type = Type::Long;
    std::string problem;
    if (path.components.empty() && !c->components.empty() && !c->addressOf)
        problem = "'" + btf.declare(btf.strip(id)) + "' is being accessed instead of a member";
    else if (!path.components.empty() || !c->addressOf)
        problem = kernel::checkBtfTarget(btf, id, path, type);
    // An address computed from embedded members and constant indexes reads
    // no memory: fold it to p + offset.
    c->pureAddress = false;
    if (problem.empty() && c->addressOf) {
        bool pure = true;
        int64_t offset = 0;
        int32_t cur = btf.strip(id);
        for (size_t i = 0; i < c->components.size() && pure; ++i) {
            const TargetComponent& tc = c->components[i];
            kernel::Btf::Kind k = btf.kind(cur);
            if (tc.kind == TargetComponent::Index) {
                if (!tc.index || tc.index->kind != ExprKind::Number) {
                    pure = false;
                } else if (i == 0) {
                    offset += static_cast<const NumberExpr*>(tc.index)->value * btf.size(cur);
                } else if (k == kernel::Btf::Kind::Array) {
                    int32_t elem = btf.pointee(cur);
                    offset += static_cast<const NumberExpr*>(tc.index)->value * btf.size(elem);
                    cur = btf.strip(elem);
                } else {
                    pure = false;
                }
            } else if (tc.kind == TargetComponent::Field &&
                       (k == kernel::Btf::Kind::Struct || k == kernel::Btf::Kind::Union)) {
                auto m = btf.member(cur, tc.name);
                if (!m || m->bitfieldSize) {
                    pure = false;
                } else {
                    offset += int64_t(m->bitOffset / 8);
                    cur = btf.strip(m->type);
                }
            } else {
                pure = false;
            }
        }
        c->pureAddress = pure;
        c->addressOffset = offset;
    }
    if (!problem.empty()) {
        if (error)
            *error = problem;
        return false;
    }
    c->type = type;
    return true;
}

std::vector<std::string> Elaborator::visibleFunctionNames(const FileAst* from) const {
    std::vector<std::string> names;
    for (const auto* functions : {&userFunctions_, &libraryFunctions_})
        for (const auto& [name, overloads] : *functions)
            for (const FunctionDecl* f : overloads)
                if (!f->isPrivate || f->file == from) {
                    names.push_back(name);
                    break;
                }
    return names;
}

FunctionDecl* Elaborator::resolveCall(CallExpr* c, Scope& scope) {
    const std::vector<FunctionDecl*>* candidates = nullptr;
    if (auto it = userFunctions_.find(c->name); it != userFunctions_.end())
        candidates = &it->second;
    else if (auto it = libraryFunctions_.find(c->name); it != libraryFunctions_.end())
        candidates = &it->second;
    if (!candidates) {
        diags_.error(Phase::Semantic, "unresolved function " + c->name + similarSuffix(c->name, visibleFunctionNames(scope.file)),
                     c->loc, describeExpr(c));
        return nullptr;
    }
    FunctionDecl* best = nullptr;
    FunctionDecl* visible = nullptr;
    for (FunctionDecl* f : *candidates) {
        if (f->isPrivate && f->file != scope.file)
            continue;
        if (!visible)
            visible = f;
        if (f->params.size() == c->args.size() && (!best || f->priority < best->priority))
            best = f;
    }
    if (!visible) { // only another file's private functions have this name
        diags_.error(Phase::Semantic, "unresolved function " + c->name + similarSuffix(c->name, visibleFunctionNames(scope.file)),
                     c->loc, describeExpr(c));
        return nullptr;
    }
    if (!best) {
        FunctionDecl* first = visible;
        diags_.error(Phase::Semantic,
                     "arity mismatch found (function '" + c->name + "' takes " +
                         std::to_string(first->params.size()) + " args)",
                     c->loc, describeExpr(c))
            .notes.push_back({Severity::Error, Phase::Semantic, "function defined here",
                              first->loc, "identifier '" + first->name + "'", {}});
        return nullptr;
    }
    // Every overload of this arity is type-checked against the call, as stap does.
    c->overloads.clear();
    for (FunctionDecl* f : *candidates)
        if (f->params.size() == c->args.size() && (!f->isPrivate || f->file == scope.file)) {
            c->overloads.push_back(f);
            if (reachableSet_.insert(f).second)
                reachable_.push_back(f);
        }
    return best;
}

namespace {

// 0 or 1 when a resolved condition is a constant made of @defined, numbers,
// !, && and ||; -1 otherwise.
int8_t constantTruth(const Expr* e) {
    switch (e->kind) {
    case ExprKind::Defined:
        return static_cast<const WrapExpr*>(e)->value;
    case ExprKind::Number:
        return static_cast<const NumberExpr*>(e)->value != 0;
    case ExprKind::Unary: {
        auto* u = static_cast<const UnaryExpr*>(e);
        int8_t v = u->op == Op::Bang ? constantTruth(u->operand) : -1;
        return v < 0 ? -1 : int8_t(!v);
    }
    case ExprKind::Binary: {
        auto* b = static_cast<const BinaryExpr*>(e);
        if (b->op != Op::LogAnd && b->op != Op::LogOr)
            return -1;
        int8_t l = constantTruth(b->lhs), r = constantTruth(b->rhs);
        int8_t decides = b->op == Op::LogAnd ? 0 : 1; // the value that settles it alone
        if (l == decides || r == decides)
            return decides;
        return l < 0 || r < 0 ? -1 : int8_t(!decides);
    }
    default:
        return -1;
    }
}

// What a @defined guard never runs is not resolved, so that it can keep a
// $variable this kernel lacks out of the script (schedtimes.stp's
// `if (!@defined(...))`). Other constant conditions leave both branches
// checked, as stap: `if (0) nosuch()` is an error.
int8_t guardTruth(const Expr* cond) {
    bool guard = false;
    walkExprs(const_cast<Expr*>(cond), [&](Expr* x) { guard |= x->kind == ExprKind::Defined; });
    return guard ? constantTruth(cond) : -1;
}

} // namespace

void Elaborator::resolveExpr(Expr* e, Scope& scope, bool write) {
    switch (e->kind) {
    case ExprKind::Symbol:
        resolveSymbol(static_cast<SymbolExpr*>(e), scope, 0, write);
        return;
    case ExprKind::Index: {
        auto* i = static_cast<IndexExpr*>(e);
        if (i->hasWildcard() && !allowWildcard_)
            diags_.error(Phase::Semantic, "wildcard not allowed in array index", i->loc,
                         describeExpr(i));
        allowWildcard_ = false;
        for (Expr* k : i->keys)
            if (k)
                resolveExpr(k, scope);
        if (i->base->kind == ExprKind::Symbol)
            resolveSymbol(static_cast<SymbolExpr*>(i->base), scope, int(i->keys.size()), write);
        else if (i->base->kind == ExprKind::Hist)
            resolveHist(static_cast<HistExpr*>(i->base), scope);
        else
            resolveExpr(i->base, scope);
        return;
    }
    case ExprKind::Assign: {
        auto* a = static_cast<AssignExpr*>(e);
        // Target first: locals are declared in source order (as stap lists them).
        resolveExpr(a->target, scope, true);
        if (a->op != Op::Assign && a->op != Op::ShlStat)
            resolveExpr(a->target, scope, false);
        resolveExpr(a->value, scope);
        return;
    }
    case ExprKind::IncDec:
        resolveExpr(static_cast<IncDecExpr*>(e)->operand, scope, true);
        resolveExpr(static_cast<IncDecExpr*>(e)->operand, scope, false);
        return;
    case ExprKind::Call: {
        auto* c = static_cast<CallExpr*>(e);
        for (Expr* a : c->args)
            resolveExpr(a, scope);
        c->decl = resolveCall(c, scope);
        return;
    }
    case ExprKind::In: {
        auto* in = static_cast<InExpr*>(e);
        allowWildcard_ = true;
        resolveExpr(in->index, scope);
        return;
    }
    case ExprKind::Target: {
        auto* t = static_cast<TargetExpr*>(e);
        for (TargetComponent& c : t->components)
            if (c.index)
                resolveExpr(c.index, scope);
        std::string problem;
        if (!targetResolves(e, scope, &problem))
            diags_.error(Phase::Semantic, problem.empty() ? "unresolved target-symbol expression" : problem,
                         e->loc, describeExpr(e));
        return;
    }
    case ExprKind::Cast: {
        auto* c = static_cast<CastExpr*>(e);
        resolveExpr(c->operand, scope);
        for (TargetComponent& tc : c->components)
            if (tc.index)
                resolveExpr(tc.index, scope);
        std::string problem;
        if (!castResolves(e, scope, &problem))
            diags_.error(Phase::Semantic, problem, e->loc, describeExpr(e));
        return;
    }
    case ExprKind::AtVar: {
        auto* v = static_cast<AtVarExpr*>(e);
        for (TargetComponent& tc : v->components)
            if (tc.index)
                resolveExpr(tc.index, scope);
        std::string problem;
        if (!atVarResolves(v, scope, &problem))
            diags_.error(Phase::Semantic, problem, e->loc, describeExpr(e));
        return;
    }
    case ExprKind::Autocast: {
        auto* a = static_cast<AutocastExpr*>(e);
        resolveExpr(a->operand, scope);
        diags_.error(Phase::Semantic, "type definition for '->' not known (autocast needs a typed $value)",
                     e->loc, describeExpr(e));
        return;
    }
    case ExprKind::Defined: {
        auto* w = static_cast<WrapExpr*>(e);
        // @defined folds to whether its operand resolves; nothing inside is an error.
        bool resolves = true;
        bool anyTarget = false;
        walkExprs(w->operand, [&](Expr* x) {
            if (x->kind == ExprKind::Target || x->kind == ExprKind::Cast ||
                x->kind == ExprKind::AtVar || x->kind == ExprKind::Autocast)
                anyTarget = true;
            if (x->kind == ExprKind::Target && !targetResolves(x, scope))
                resolves = false;
            if (x->kind == ExprKind::Cast && !castResolves(x, scope))
                resolves = false;
            if (x->kind == ExprKind::AtVar && !atVarResolves(static_cast<AtVarExpr*>(x), scope))
                resolves = false;
            if (x->kind == ExprKind::Autocast)
                resolves = false;
        });
        w->value = resolves ? 1 : 0;
        if (resolves && anyTarget)
            resolveExpr(w->operand, scope);
        return;
    }
    case ExprKind::Entry: {
        if (!scope.probe || !scope.probe->isReturn)
            diags_.error(Phase::Semantic, "@entry is only valid in .return probes", e->loc,
                         describeExpr(e));
        Scope entryScope = scope;
        entryScope.inEntry = true;
        resolveExpr(static_cast<WrapExpr*>(e)->operand, entryScope);
        return;
    }
    case ExprKind::ProbeWrite:
        if (!scope.probe || !scope.probe->viaAlias)
            diags_.error(Phase::Semantic, "unexpected @probewrite", e->loc, describeExpr(e));
        resolveExpr(static_cast<WrapExpr*>(e)->operand, scope);
        return;
    case ExprKind::Perf:
        diags_.error(Phase::Semantic, "@perf is only valid in process probes with perf counters",
                     e->loc, describeExpr(e));
        return;
    case ExprKind::Ternary: {
        auto* t = static_cast<TernaryExpr*>(e);
        resolveExpr(t->cond, scope);
        t->knownCond = guardTruth(t->cond);
        if (t->knownCond != 0)
            resolveExpr(t->then, scope);
        if (t->knownCond != 1)
            resolveExpr(t->otherwise, scope);
        return;
    }
    case ExprKind::Hist:
        diags_.error(Phase::Semantic, "base histogram operator where expression expected", e->loc,
                     describeExpr(e));
        resolveHist(static_cast<HistExpr*>(e), scope);
        return;
    case ExprKind::Print: {
        for (Expr* a : static_cast<PrintExpr*>(e)->args)
            if (a->kind == ExprKind::Hist)
                resolveHist(static_cast<HistExpr*>(a), scope);
            else
                resolveExpr(a, scope);
        return;
    }
    default:
        forEachSubExpr(e, [&](Expr* c) { resolveExpr(c, scope); });
        return;
    }
}

void Elaborator::resolveHist(HistExpr* h, Scope& scope) {
    for (Expr* p : h->params)
        resolveExpr(p, scope);
    resolveExpr(h->stat, scope);
}

void Elaborator::resolveStmt(Stmt* s, Scope& scope) {
    switch (s->kind) {
    case StmtKind::If: {
        auto* i = static_cast<IfStmt*>(s);
        resolveExpr(i->cond, scope);
        i->knownCond = guardTruth(i->cond);
        if (i->knownCond != 0)
            resolveStmt(i->then, scope);
        if (i->otherwise && i->knownCond != 1)
            resolveStmt(i->otherwise, scope);
        return;
    }
    case StmtKind::For: {
        auto* f = static_cast<ForStmt*>(s);
        if (f->init) resolveExpr(f->init, scope);
        if (f->cond) resolveExpr(f->cond, scope);
        if (f->step) resolveExpr(f->step, scope);
        ++scope.loopDepth;
        resolveStmt(f->body, scope);
        --scope.loopDepth;
        return;
    }
    case StmtKind::Foreach: {
        auto* f = static_cast<ForeachStmt*>(s);
        if (f->array->kind == ExprKind::Symbol) {
            resolveSymbol(static_cast<SymbolExpr*>(f->array), scope, int(f->keys.size()), false);
        } else if (f->array->kind == ExprKind::Index) {
            auto* slice = static_cast<IndexExpr*>(f->array);
            for (Expr* k : slice->keys)
                if (k) resolveExpr(k, scope);
            if (slice->keys.size() != f->keys.size())
                diags_.error(Phase::Semantic, "inconsistent array slice arity", slice->loc,
                             describeExpr(slice));
            resolveSymbol(static_cast<SymbolExpr*>(slice->base), scope, int(f->keys.size()), false);
        } else {
            if (f->array->kind == ExprKind::Hist)
                resolveHist(static_cast<HistExpr*>(f->array), scope);
            else
                resolveExpr(f->array, scope);
            if (f->keys.size() != 1)
                diags_.error(Phase::Semantic, "histogram iteration takes one key", f->loc,
                             describeExpr(f->array));
        }
        for (SymbolExpr* k : f->keys)
            resolveSymbol(k, scope, 0, true);
        if (f->value)
            resolveSymbol(f->value, scope, 0, true);
        if (f->limit)
            resolveExpr(f->limit, scope);
        ++scope.loopDepth;
        resolveStmt(f->body, scope);
        --scope.loopDepth;
        return;
    }
    case StmtKind::Delete: {
        Expr* t = static_cast<DeleteStmt*>(s)->target;
        if (t->kind == ExprKind::Symbol)
            resolveSymbol(static_cast<SymbolExpr*>(t), scope, -1, true);
        else if (t->kind == ExprKind::Index) {
            allowWildcard_ = true;
            resolveExpr(t, scope, true);
        } else
            diags_.error(Phase::Semantic, "invalid operand of delete expression", t->loc,
                         describeExpr(t));
        return;
    }
    case StmtKind::Try: {
        auto* t = static_cast<TryStmt*>(s);
        resolveStmt(t->tryBlock, scope);
        if (t->errorVar)
            resolveSymbol(t->errorVar, scope, 0, true);
        resolveStmt(t->catchBlock, scope);
        return;
    }
    case StmtKind::Embedded:
        return;
    default:
        forEachChild(s, [&](Expr* e) { resolveExpr(e, scope); },
                     [&](Stmt* c) { resolveStmt(c, scope); });
        return;
    }
}

void Elaborator::resolveSymbolsInProbes(size_t from) {
    for (size_t pi = from; pi < program_->probes.size(); ++pi) {
        ResolvedProbe& rp = program_->probes[pi];
        Scope scope;
        scope.locals = &rp.locals;
        scope.probe = &rp;
        // Prologues and epilogues come from their alias's file; the handler
        // from the script. Walk the parts with the right file for globals.
        // (The derived body was assembled as prologues, handler, epilogues.)
        for (size_t i = 0; i < rp.body->body.size(); ++i) {
            scope.inAliasPart = i != rp.handlerIndex;
            scope.file = rp.decl->file;
            if (scope.inAliasPart) // an alias's private globals are its file's
                for (const auto* files : {&libraryFiles_, &scriptFiles_})
                    for (FileAst* f : *files)
                        if (f->file == rp.body->body[i]->loc.file)
                            scope.file = f;
            resolveStmt(rp.body->body[i], scope);
        }
        scope.file = rp.decl->file;
        scope.inAliasPart = false;
        warnNeverAssigned(scope);
        if (rp.condition) {
            Scope condScope = scope;
            std::vector<VarDecl*> none;
            condScope.locals = &none;
            resolveExpr(rp.condition, condScope);
            walkExprs(rp.condition, [&](Expr* x) {
                if (x->kind == ExprKind::Assign || x->kind == ExprKind::IncDec)
                    diags_.error(Phase::Semantic, "probe condition must not modify any variables",
                                 x->loc, describeExpr(x));
                else if (x->kind == ExprKind::Call || x->kind == ExprKind::Print)
                    diags_.error(Phase::Semantic, "probe condition must not reference function",
                                 x->loc, describeExpr(x));
            });
            for (VarDecl* l : none)
                diags_.error(Phase::Semantic, "probe condition must use only global variables",
                             l->loc, "identifier '" + l->name + "'");
        }
    }
}

void Elaborator::resolveFunctions() {
    // Functions are resolved once something calls them (stap does not
    // look at functions nothing uses).
    for (; functionsResolved_ < reachable_.size(); ++functionsResolved_) {
        FunctionDecl* fn = reachable_[functionsResolved_];
        if (fn->embedded())
            continue;
        Scope scope;
        scope.file = fn->file;
        scope.function = fn;
        scope.locals = &fn->locals;
        resolveStmt(fn->body, scope);
        warnNeverAssigned(scope);
    }
    pruneUnreachableFunctions();
}

// Only functions reached from a probe are part of the program (again after
// elision: a function called only from elided code is dropped, as in stap).
void Elaborator::pruneUnreachableFunctions() {
    std::set<FunctionDecl*> live;
    std::vector<FunctionDecl*> work;
    auto reach = [&](Stmt* s) {
        walkExprs(s, [&](Expr* e) {
            if (e->kind == ExprKind::Call)
                for (FunctionDecl* d : static_cast<CallExpr*>(e)->overloads)
                    if (live.insert(d).second)
                        work.push_back(d);
        });
    };
    for (ResolvedProbe& rp : program_->probes) {
        reach(rp.body);
        if (rp.condition)
            walkExprs(rp.condition, [&](Expr* e) {
                if (e->kind == ExprKind::Call)
                    if (FunctionDecl* d = static_cast<CallExpr*>(e)->decl)
                        if (live.insert(d).second)
                            work.push_back(d);
            });
    }
    while (!work.empty()) {
        FunctionDecl* fn = work.back();
        work.pop_back();
        if (!fn->embedded())
            reach(fn->body);
    }
    reachable_.erase(std::remove_if(reachable_.begin(), reachable_.end(),
                                    [&](FunctionDecl* f) {
                                        if (live.count(f))
                                            return false;
                                        reachableSet_.erase(f);
                                        return true;
                                    }),
                     reachable_.end());
    functionsResolved_ = std::min(functionsResolved_, reachable_.size());
}

// stap forbids changing an array while a foreach iterates over it, directly
// or through a function the loop body calls.
void Elaborator::checkForeachModification() {
    auto writtenVar = [](Expr* x) -> VarDecl* {
        Expr* target = nullptr;
        if (x->kind == ExprKind::Assign && static_cast<AssignExpr*>(x)->op != Op::ShlStat)
            target = static_cast<AssignExpr*>(x)->target;
        else if (x->kind == ExprKind::IncDec)
            target = static_cast<IncDecExpr*>(x)->operand;
        if (target && target->kind == ExprKind::Index)
            target = static_cast<IndexExpr*>(target)->base;
        if (target && target->kind == ExprKind::Symbol)
            return static_cast<SymbolExpr*>(target)->decl;
        return nullptr;
    };
    // Globals each function writes, through the functions it calls too.
    std::map<const FunctionDecl*, std::set<const VarDecl*>> writes;
    for (FunctionDecl* f : reachable_)
        if (!f->embedded())
            walkExprs(f->body, [&](Expr* x) {
                if (VarDecl* v = writtenVar(x); v && v->scope == VarDecl::Scope::Global)
                    writes[f].insert(v);
            });
    for (bool grew = true; grew;) {
        grew = false;
        for (FunctionDecl* f : reachable_)
            if (!f->embedded())
                walkExprs(f->body, [&](Expr* x) {
                    if (x->kind != ExprKind::Call || !static_cast<CallExpr*>(x)->decl)
                        return;
                    for (const VarDecl* v : writes[static_cast<CallExpr*>(x)->decl])
                        grew |= writes[f].insert(v).second;
                });
    }
    std::vector<const VarDecl*> iterating;
    std::function<void(Stmt*)> visit = [&](Stmt* s) {
        if (s->kind == StmtKind::Foreach) {
            auto* f = static_cast<ForeachStmt*>(s);
            Expr* a = f->array->kind == ExprKind::Index ? static_cast<IndexExpr*>(f->array)->base : f->array;
            const VarDecl* v = a->kind == ExprKind::Symbol ? static_cast<SymbolExpr*>(a)->decl : nullptr;
            if (v)
                iterating.push_back(v);
            visit(f->body);
            if (v)
                iterating.pop_back();
            return;
        }
        auto checkExpr = [&](Expr* root) {
            walkExprs(root, [&](Expr* x) {
                VarDecl* w = writtenVar(x);
                if (s->kind == StmtKind::Delete && x == root && x->kind == ExprKind::Index)
                    w = static_cast<IndexExpr*>(x)->base->kind == ExprKind::Symbol
                            ? static_cast<SymbolExpr*>(static_cast<IndexExpr*>(x)->base)->decl
                            : nullptr;
                // Located at the variable written (as stap), not at the operator.
                SourceLoc at = x->kind == ExprKind::Assign ? static_cast<AssignExpr*>(x)->target->loc
                               : x->kind == ExprKind::IncDec ? static_cast<IncDecExpr*>(x)->operand->loc
                                                             : x->loc;
                if (w && std::find(iterating.begin(), iterating.end(), w) != iterating.end())
                    diags_.error(Phase::Semantic,
                                 "variable '" + w->name + "' modified during 'foreach' iteration",
                                 at, "identifier '" + w->name + "'");
                if (x->kind == ExprKind::Call && static_cast<CallExpr*>(x)->decl)
                    for (const VarDecl* v : writes[static_cast<CallExpr*>(x)->decl])
                        if (std::find(iterating.begin(), iterating.end(), v) != iterating.end())
                            diags_.error(Phase::Semantic,
                                         "function call modifies var '" + v->name +
                                             "' during 'foreach' iteration",
                                         x->loc, describeExpr(x));
            });
        };
        forEachChild(s, checkExpr, visit);
    };
    for (ResolvedProbe& rp : program_->probes)
        visit(rp.body);
    for (FunctionDecl* f : reachable_)
        if (!f->embedded())
            visit(f->body);
}

// A timer probe whose handler reads task context (pid(), execname(), ...)
// runs in the kernel on a clock event, so the task is the interrupted one.
void Elaborator::placeTimersNeedingTaskContext() {
    for (ResolvedProbe& rp : program_->probes) {
        if (rp.site != ProbeSite::UserSpace || rp.point.components.empty() ||
            rp.point.components[0].functor != "timer")
            continue;
        std::set<const FunctionDecl*> seen;
        std::vector<Stmt*> work{rp.body};
        bool needsTask = false;
        while (!work.empty() && !needsTask) {
            Stmt* s = work.back();
            work.pop_back();
            walkExprs(s, [&](Expr* e) {
                if (e->kind == ExprKind::Cast)
                    needsTask = true;
                if (e->kind != ExprKind::Call)
                    return;
                auto* c = static_cast<CallExpr*>(e);
                if (isTaskContextFunction(c->name))
                    needsTask = true;
                for (FunctionDecl* f : c->overloads)
                    if (!f->embedded() && seen.insert(f).second)
                        work.push_back(f->body);
            });
        }
        if (needsTask)
            rp.site = ProbeSite::Kernel;
    }
}

// Locals that elision left without any use are dropped.
void Elaborator::pruneLocals() {
    auto prune = [](std::vector<VarDecl*>& locals, Stmt* body) {
        std::set<const VarDecl*> used;
        walkExprs(body, [&](Expr* x) {
            if (x->kind == ExprKind::Symbol)
                used.insert(static_cast<SymbolExpr*>(x)->decl);
        });
        locals.erase(std::remove_if(locals.begin(), locals.end(),
                                    [&](VarDecl* v) { return !used.count(v); }),
                     locals.end());
    };
    for (ResolvedProbe& rp : program_->probes)
        prune(rp.locals, rp.body);
    for (FunctionDecl* f : reachable_)
        if (!f->embedded())
            prune(f->locals, f->body);
}

void Elaborator::collectUsed() {
    std::set<const VarDecl*> seen;
    for (FileAst* f : scriptFiles_)
        for (VarDecl* g : f->globals)
            if (usedGlobals_.count(g) && seen.insert(g).second)
                program_->globals.push_back(g);
    for (FileAst* f : libraryFiles_)
        for (VarDecl* g : f->globals)
            if (usedGlobals_.count(g) && seen.insert(g).second)
                program_->globals.push_back(g);
    program_->functions = reachable_;
}

std::unique_ptr<Program> elaborateProgram(const std::vector<FileAst*>& scriptFiles,
                                          const std::vector<FileAst*>& libraryFiles,
                                          const ProbeRegistry& registry,
                                          const CompileOptions& options, DiagnosticSink& diags,
                                          SnippetParser parseSnippet) {
    Elaborator e(scriptFiles, libraryFiles, registry, options, diags, std::move(parseSnippet));
    return e.run();
}

} // namespace tap
