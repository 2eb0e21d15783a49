// Internal to pass 2: the state shared by symbol resolution, elision and type
// inference (elaborator.cpp, elision.cpp, type_checker.cpp).
#pragma once

#include "elaborator.h"

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace tap {

std::string describeExpr(const Expr* e);

class Elaborator {
public:
    Elaborator(const std::vector<FileAst*>& scriptFiles, const std::vector<FileAst*>& libraryFiles,
               const ProbeRegistry& registry, const CompileOptions& options, DiagnosticSink& diags,
               SnippetParser parseSnippet);
    std::unique_ptr<Program> run();

private:
    // A body being resolved: where its names are looked up.
    struct Scope {
        FileAst* file = nullptr;
        std::vector<VarDecl*>* locals = nullptr;
        FunctionDecl* function = nullptr;
        ResolvedProbe* probe = nullptr;
        int loopDepth = 0;
        bool inAliasPart = false; // alias prologue/epilogue: @probewrite allowed
        bool inEntry = false;     // inside @entry(...) of a .return probe
    };

    // ---- declarations and probes (elaborator.cpp)
    void indexDeclarations();
    void deriveProbes();
    void deriveProbesFrom(FileAst* f);
    // Whether `rp` needs its context variables listed (CompileOptions::contextVariables).
    bool wantsContextVariables(const ResolvedProbe& rp) const;
    void pullInTapsetProbes();
    struct Derivation {
        const ProbeProvider* provider;
        ConcretePoint point;
        std::vector<std::pair<AliasDecl*, BlockStmt*>> prologues; // innermost alias first (run order)
        std::vector<std::pair<AliasDecl*, BlockStmt*>> epilogues;
        std::vector<Expr*> conditions;
        bool viaAlias = false;
    };
    bool aliasNamesLongerPoint(const ProbePoint& point, const ProbePoint& shorter) const;
    bool resolvePoint(const ProbePoint& point, std::vector<Derivation>& out, int depth,
                      std::string& error);
    // Where an unresolved point stops naming anything: the component no
    // alias or provider knows after the ones before it, and the names known
    // there (for "similar:"). Past the last component when every one is known.
    struct PointMismatch {
        size_t component = 0;
        std::vector<std::string> known;
    };
    PointMismatch findMismatch(const ProbePoint& point) const;
    void reportUnresolvedPoint(const ProbePoint& point, std::string reason);
    void resolveSymbolsInProbes(size_t from = 0);
    void resolveFunctions();
    std::string droppedOptional_; // why the first optional point resolved to nothing
    size_t functionsResolved_ = 0; // reachable_[0, this) have been resolved
    void pruneUnreachableFunctions();
    void resolveStmt(Stmt* s, Scope& scope);
    void resolveExpr(Expr* e, Scope& scope, bool write = false);
    void resolveHist(HistExpr* h, Scope& scope);
    void resolveSymbol(SymbolExpr* s, Scope& scope, int arity, bool write);
    VarDecl* lookupGlobal(const std::string& name, FileAst* from);
    FunctionDecl* resolveCall(CallExpr* c, Scope& scope);
    // Names a call from `from` can reach, for "similar:" after an unresolved one.
    std::vector<std::string> visibleFunctionNames(const FileAst* from) const;
    // The variables a name in `scope` could have meant, for "similar:".
    std::vector<std::string> variableNames(const Scope& scope) const;
    void warnNeverAssigned(const Scope& scope);
    std::set<std::tuple<FileId, uint32_t, uint32_t>> warnedNeverAssigned_; // once per place, not per derived probe
    void noteArity(VarDecl* v, int arity, SourceLoc loc, const std::string& name);
    bool targetResolves(const Expr* e, const Scope& scope, std::string* error = nullptr);
    bool castResolves(Expr* e, const Scope& scope, std::string* error = nullptr);
    bool userCastResolves(CastExpr* c, const std::string& binary, const std::string& module, const Scope& scope,
                          std::string* error);
    bool kernelCastResolves(CastExpr* c, const Scope& scope, std::string* error);
    bool atVarResolves(AtVarExpr* v, const Scope& scope, std::string* error = nullptr);
    void checkForeachModification();
    void placeTimersNeedingTaskContext();
    void pruneLocals();
    void collectUsed();

    // ---- elision (elision.cpp)
    void elide();
    bool hasSideEffects(const Expr* e) const;
    bool stmtHasSideEffects(const Stmt* s) const;
    void computeFunctionPurity();
    bool elideInBlock(BlockStmt* b, const std::set<const VarDecl*>& read);
    bool isEmpty(const Stmt* s) const;
    void elisionWarning(const std::string& message, SourceLoc loc, const std::string& subject);

    // ---- types (type_checker.cpp)
    void inferTypes();
    Type inferExpr(Expr* e, Type want, bool needValue);
    Type inferValueOf(VarDecl* v, Expr* at, const Expr* name, Type want, bool needValue);
    void inferStmt(Stmt* s, FunctionDecl* fn);
    void unifyVar(VarDecl* v, Type t, const Expr* at);
    void unifyKey(VarDecl* v, size_t i, Type t, const Expr* at);
    void unifyReturn(FunctionDecl* f, Type t, const Expr* at);
    Type expectType(const Expr* e, Type have, Type want);
    bool mismatchWithOrigin(const Expr* e, Type want, Type have);
    void noteOrigin(const void* decl, size_t index, const Expr* at);
    void declaredMismatch(const Expr* at, Type have, Type declared);
    Diagnostic originNote(const void* decl, size_t index, const std::string& what, Type t,
                          SourceLoc fallbackLoc, const std::string& fallbackSubject) const;
    void typeError(const Expr* at, const std::string& msg);
    void checkRegex(const StringExpr* pattern);

    const std::vector<FileAst*>& scriptFiles_;
    const std::vector<FileAst*>& libraryFiles_;
    const ProbeRegistry& registry_;
    const CompileOptions& options_;
    DiagnosticSink& diags_;
    std::unique_ptr<Program> program_;
    SnippetParser parseSnippet_;
    std::set<FileId> snippetFiles_; // provider prologues: tapset code, no elision warnings

    std::unordered_map<std::string, std::vector<FunctionDecl*>> userFunctions_, libraryFunctions_;
    std::unordered_map<std::string, VarDecl*> userGlobals_;
    std::unordered_map<std::string, std::vector<VarDecl*>> libraryGlobals_;
    std::vector<AliasDecl*> aliases_;

    std::vector<FunctionDecl*> reachable_; // in discovery order
    std::set<FunctionDecl*> reachableSet_;
    std::set<VarDecl*> usedGlobals_;
    std::map<const VarDecl*, std::pair<int, SourceLoc>> arity_; // first arity seen
    std::set<const FunctionDecl*> impure_;

    bool allowWildcard_ = false; // set by delete and `in` for the next index
    bool reporting_ = false; // type errors are reported only in the last round
    bool changed_ = false;
    std::set<std::pair<uint64_t, std::string>> reported_;
    // Where a declaration's type was first inferred (index SIZE_MAX: the value
    // or return type, else key i): location and what stands there.
    std::map<std::pair<const void*, size_t>, std::pair<SourceLoc, std::string>> origins_;
    bool callSiteReturns_ = false; // may a call's context type its function's return?
};

} // namespace tap
