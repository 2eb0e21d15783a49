// The abstract syntax tree of a SystemTap script (pass 1's result, pass 2's
// input). Nodes live in an Arena owned by the file they come from.
#pragma once

#include "arena.h"
#include "source.h"
#include "token.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tap {

class UserTypeTable;

enum class Type : uint8_t { Unknown, Long, String, Stats };
const char* typeName(Type t);

struct VarDecl;
struct FunctionDecl;

// ---------------------------------------------------------------- expressions

enum class ExprKind : uint8_t {
    Number,
    String,
    Binary,      // arithmetic, bitwise, shifts, concatenation, && ||, comparisons, =~ !~
    Unary,       // + - ! ~
    IncDec,      // ++x x++ --x x--
    Ternary,
    Assign,      // = += ... .= <<<
    Symbol,      // a variable name
    Index,       // a[k1, k2] (keys may be * in slices / membership / delete)
    Call,        // f(args)
    Print,       // printf sprintf print println printd printdln sprint...
    StatOp,      // @count(x) @sum @min @max @avg @variance
    Hist,        // @hist_log(x) @hist_linear(x, lo, hi, step)
    In,          // [k1, k2] in a
    Target,      // $var->a[1]->b, $$vars, &$var, $var$
    Cast,        // @cast(e, "type" [, "module"])->...
    AtVar,       // @var("name" [, "module"])->...
    Autocast,    // (expr)->field, local->field: typed by the value's origin
    Defined,     // @defined(e)
    Entry,       // @entry(e)
    Perf,        // @perf("name")
    ProbeWrite,  // @probewrite(v)
    AtCall,      // @const @kregister @uregister @kderef @uderef: operator-like builtins
    Embedded,    // %{ ... %} as an expression (guru mode)
};

struct Expr {
    ExprKind kind;
    SourceLoc loc;
    Type type = Type::Unknown;
    explicit Expr(ExprKind k, SourceLoc l) : kind(k), loc(l) {}
    virtual ~Expr() = default;
};

struct NumberExpr : Expr {
    int64_t value = 0;
    NumberExpr(SourceLoc l, int64_t v) : Expr(ExprKind::Number, l), value(v) {}
};

struct StringExpr : Expr {
    std::string value; // escapes decoded
    std::string raw;   // as written (adjacent literals glued), for printing
    StringExpr(SourceLoc l) : Expr(ExprKind::String, l) {}
};

struct BinaryExpr : Expr {
    Op op;
    Expr* lhs;
    Expr* rhs;
    BinaryExpr(SourceLoc l, Op o, Expr* a, Expr* b) : Expr(ExprKind::Binary, l), op(o), lhs(a), rhs(b) {}
};

struct UnaryExpr : Expr {
    Op op;
    Expr* operand;
    UnaryExpr(SourceLoc l, Op o, Expr* e) : Expr(ExprKind::Unary, l), op(o), operand(e) {}
};

struct IncDecExpr : Expr {
    Op op; // Inc or Dec
    bool prefix;
    Expr* operand;
    IncDecExpr(SourceLoc l, Op o, bool pre, Expr* e)
        : Expr(ExprKind::IncDec, l), op(o), prefix(pre), operand(e) {}
};

struct TernaryExpr : Expr {
    int8_t knownCond = -1; // 0/1 when pass 2 folded a constant condition (@defined)
    Expr* cond;
    Expr* then;
    Expr* otherwise;
    TernaryExpr(SourceLoc l, Expr* c, Expr* a, Expr* b)
        : Expr(ExprKind::Ternary, l), cond(c), then(a), otherwise(b) {}
};

struct AssignExpr : Expr {
    Op op; // Assign, AddAssign, ..., ConcatAssign, ShlStat (<<<)
    Expr* target;
    Expr* value;
    AssignExpr(SourceLoc l, Op o, Expr* t, Expr* v) : Expr(ExprKind::Assign, l), op(o), target(t), value(v) {}
};

struct SymbolExpr : Expr {
    std::string name;
    VarDecl* decl = nullptr; // set by pass 2
    SymbolExpr(SourceLoc l, std::string n) : Expr(ExprKind::Symbol, l), name(std::move(n)) {}
};

// base[k1, k2]: base is a SymbolExpr (an array) or a HistExpr (a bucket).
// A null key is the wildcard `*`.
struct IndexExpr : Expr {
    Expr* base;
    std::vector<Expr*> keys;
    IndexExpr(SourceLoc l, Expr* b) : Expr(ExprKind::Index, l), base(b) {}
    bool hasWildcard() const {
        for (Expr* k : keys)
            if (!k) return true;
        return false;
    }
};

struct CallExpr : Expr {
    std::string name;
    std::vector<Expr*> args;
    FunctionDecl* decl = nullptr; // set by pass 2: the first same-arity overload
    std::vector<FunctionDecl*> overloads; // every same-arity overload (stap chains them)
    CallExpr(SourceLoc l, std::string n) : Expr(ExprKind::Call, l), name(std::move(n)) {}
};

enum class PrintKind : uint8_t { Printf, Sprintf, Print, Println, Printd, Printdln, Sprint, Sprintln, Sprintd, Sprintdln };

struct PrintExpr : Expr {
    PrintKind printKind;
    std::string name;
    // printf/sprintf: args[0] is the format; printd*: args[0] is the delimiter.
    std::vector<Expr*> args;
    PrintExpr(SourceLoc l, PrintKind k, std::string n)
        : Expr(ExprKind::Print, l), printKind(k), name(std::move(n)) {}
    bool hasFormat() const { return printKind == PrintKind::Printf || printKind == PrintKind::Sprintf; }
    bool hasDelimiter() const {
        return printKind == PrintKind::Printd || printKind == PrintKind::Printdln ||
               printKind == PrintKind::Sprintd || printKind == PrintKind::Sprintdln;
    }
    bool returnsString() const { return printKind >= PrintKind::Sprint || printKind == PrintKind::Sprintf; }
};

enum class StatFn : uint8_t { Count, Sum, Min, Max, Avg, Variance };
const char* statFnName(StatFn f);

struct StatOpExpr : Expr {
    StatFn fn;
    Expr* stat;             // a SymbolExpr or IndexExpr naming a statistic
    Expr* shift = nullptr;  // @variance(x, shift)
    StatOpExpr(SourceLoc l, StatFn f, Expr* s) : Expr(ExprKind::StatOp, l), fn(f), stat(s) {}
};

struct HistExpr : Expr {
    bool linear;
    Expr* stat;
    std::vector<Expr*> params; // lo, hi, step for @hist_linear
    HistExpr(SourceLoc l, bool lin, Expr* s) : Expr(ExprKind::Hist, l), linear(lin), stat(s) {}
};

struct InExpr : Expr {
    IndexExpr* index; // keys in base
    InExpr(SourceLoc l, IndexExpr* i) : Expr(ExprKind::In, l), index(i) {}
};

// A suffix of a target expression: ->field, [index], or the $ / $$ pretty-printers.
struct TargetComponent {
    enum Kind : uint8_t { Field, Index, Pretty } kind;
    SourceLoc loc;
    std::string name;       // field name, or "$"/"$$" for Pretty
    Expr* index = nullptr;  // for Index
};

struct TargetExpr : Expr {
    std::string name; // "$var", "$$vars", "$return", ...
    std::vector<TargetComponent> components;
    bool addressOf = false;
    TargetExpr(SourceLoc l, std::string n) : Expr(ExprKind::Target, l), name(std::move(n)) {}
};

struct CastExpr : Expr {
    Expr* operand;
    std::string typeName;
    std::string module;
    std::vector<TargetComponent> components;
    bool addressOf = false;
    // Set by pass 2 for `&@cast(p, "T")->a.b[2]` paths that read no memory
    // (embedded members and constant indexes only): the value is
    // p + addressOffset, computable anywhere (e.g. @offsetof, @cast_sizeof).
    bool pureAddress = false;
    int64_t addressOffset = 0;
    // Set by pass 2 when the type is a user program's (DWARF), not the kernel's.
    const UserTypeTable* userTypes = nullptr;
    int userType = -1;
    CastExpr(SourceLoc l, Expr* e) : Expr(ExprKind::Cast, l), operand(e) {}
};

struct AtVarExpr : Expr {
    std::string varName;
    std::string module;
    std::vector<TargetComponent> components;
    bool addressOf = false;
    // Set by pass 2 for a user program's global (DWARF): its type and its
    // link-time address.
    const UserTypeTable* userTypes = nullptr;
    int userType = -1;
    uint64_t userAddress = 0;
    // Set by pass 2 when @var("name") is the probe's own $name (stapprobes:
    // "an alternative syntax for $varname"): read as that $variable.
    std::string contextName;
    // The library (or program) the global is in, when it is not the one the
    // probe is in: its load address is looked up in the process's mappings.
    std::string userModule;
    AtVarExpr(SourceLoc l) : Expr(ExprKind::AtVar, l) {}
};

struct AutocastExpr : Expr {
    Expr* operand;
    std::vector<TargetComponent> components;
    bool addressOf = false;
    AutocastExpr(SourceLoc l, Expr* e) : Expr(ExprKind::Autocast, l), operand(e) {}
};

// @defined(e), @entry(e), @probewrite(v), @perf("x"): one operand.
struct WrapExpr : Expr {
    int8_t value = -1; // @defined: 0/1 once pass 2 decided
    Expr* operand;
    WrapExpr(ExprKind k, SourceLoc l, Expr* e) : Expr(k, l), operand(e) {}
};

struct AtCallExpr : Expr {
    std::string name; // "@const", "@kregister", ...
    std::vector<Expr*> args;
    AtCallExpr(SourceLoc l, std::string n) : Expr(ExprKind::AtCall, l), name(std::move(n)) {}
};

struct EmbeddedExpr : Expr {
    std::string code;
    EmbeddedExpr(SourceLoc l, std::string c) : Expr(ExprKind::Embedded, l), code(std::move(c)) {}
};

// ----------------------------------------------------------------- statements

enum class StmtKind : uint8_t {
    Block, Expr, If, For, Foreach, Return, Delete, Next, Break, Continue, Try, Embedded, Null
};

struct Stmt {
    StmtKind kind;
    SourceLoc loc;
    explicit Stmt(StmtKind k, SourceLoc l) : kind(k), loc(l) {}
    virtual ~Stmt() = default;
};

struct BlockStmt : Stmt {
    std::vector<Stmt*> body;
    BlockStmt(SourceLoc l) : Stmt(StmtKind::Block, l) {}
};

struct ExprStmt : Stmt {
    Expr* expr;
    ExprStmt(SourceLoc l, Expr* e) : Stmt(StmtKind::Expr, l), expr(e) {}
};

struct IfStmt : Stmt {
    int8_t knownCond = -1; // 0/1 when pass 2 folded a constant condition (@defined)
    Expr* cond;
    Stmt* then;
    Stmt* otherwise = nullptr;
    IfStmt(SourceLoc l, Expr* c, Stmt* t) : Stmt(StmtKind::If, l), cond(c), then(t) {}
};

// for (init; cond; step) body; `while (c)` is a for with only a condition.
struct ForStmt : Stmt {
    Expr* init = nullptr;
    Expr* cond = nullptr;
    Expr* step = nullptr;
    Stmt* body = nullptr;
    bool isWhile = false;
    ForStmt(SourceLoc l) : Stmt(StmtKind::For, l) {}
};

struct ForeachStmt : Stmt {
    SymbolExpr* value = nullptr;        // v = [k] in a
    std::vector<SymbolExpr*> keys;
    Expr* array = nullptr;              // SymbolExpr, IndexExpr (slice) or HistExpr
    // Sort: 0 none; column 0 = value, 1..n = key n; direction +1 / -1.
    int sortColumn = 0;
    int sortDirection = 0;
    StatFn sortAggregate = StatFn::Count; // stats arrays: `a @sum-`
    bool explicitAggregate = false;
    Expr* limit = nullptr;
    Stmt* body = nullptr;
    ForeachStmt(SourceLoc l) : Stmt(StmtKind::Foreach, l) {}
};

struct ReturnStmt : Stmt {
    Expr* value = nullptr;
    ReturnStmt(SourceLoc l) : Stmt(StmtKind::Return, l) {}
};

struct DeleteStmt : Stmt {
    Expr* target; // SymbolExpr or IndexExpr (with wildcards)
    DeleteStmt(SourceLoc l, Expr* t) : Stmt(StmtKind::Delete, l), target(t) {}
};

struct TryStmt : Stmt {
    BlockStmt* tryBlock = nullptr;
    SymbolExpr* errorVar = nullptr;
    BlockStmt* catchBlock = nullptr;
    TryStmt(SourceLoc l) : Stmt(StmtKind::Try, l) {}
};

struct EmbeddedStmt : Stmt {
    std::string code;
    EmbeddedStmt(SourceLoc l, std::string c) : Stmt(StmtKind::Embedded, l), code(std::move(c)) {}
};

// Next, Break, Continue and Null have no payload.
struct SimpleStmt : Stmt {
    using Stmt::Stmt;
};

// --------------------------------------------------------------- declarations

struct FileAst;

// A global, a local, or a function parameter.
struct VarDecl {
    enum class Scope : uint8_t { Global, Local, Param } scope = Scope::Local;
    std::string name;
    SourceLoc loc;
    Type type = Type::Unknown;        // value type (Stats for statistics)
    std::vector<Type> keyTypes;       // non-empty for arrays
    int arity = -1;                   // key count once known; 0 = scalar; -1 unknown
    bool isPrivate = false;
    bool wrap = false;                // global a%
    int64_t maxEntries = 0;           // global a[N]
    Expr* init = nullptr;             // literal initializer (globals)
    FileAst* file = nullptr;
    bool declaredType = false;        // a parameter's :long / :string
    bool written = false;             // pass 2 usage facts (global display, warnings)
    bool read = false;
    SourceLoc typeLoc;                // where the type was first inferred
    bool isArray() const { return arity > 0; }
};

struct FunctionDecl {
    std::string name;
    SourceLoc loc;
    std::vector<VarDecl*> params;
    Type returnType = Type::Unknown;
    bool declaredReturnType = false;
    SourceLoc typeLoc;
    Stmt* body = nullptr;             // BlockStmt or EmbeddedStmt
    bool isPrivate = false;
    int64_t priority = 1;             // function f() :N
    bool hasPriority = false;
    std::vector<VarDecl*> locals;     // pass 2
    FileAst* file = nullptr;
    bool embedded() const { return body && body->kind == StmtKind::Embedded; }
};

struct ProbePointComponent {
    std::string functor;    // may contain * ** wildcards
    Expr* arg = nullptr;    // literal NumberExpr / StringExpr, or null
    SourceLoc loc;
};

struct ProbePoint {
    std::vector<ProbePointComponent> components;
    bool optional = false;   // ?
    bool sufficient = false; // ! (also optional)
    Expr* condition = nullptr; // if (expr)
    SourceLoc loc;
    std::string str() const; // "timer.ms(100)"
};

struct ProbeDecl {
    std::vector<ProbePoint*> points;
    BlockStmt* body = nullptr;
    SourceLoc loc;
    bool isPrivate = false;
    FileAst* file = nullptr;
};

struct AliasDecl {
    std::vector<ProbePoint*> names;   // the alias's own names
    std::vector<ProbePoint*> targets; // what it expands to
    bool epilogueStyle = false;       // +=
    BlockStmt* prologue = nullptr;    // `= pp {prologue}` (or the body of +=, see epilogue)
    BlockStmt* epilogue = nullptr;    // `+= pp {epilogue}` or `= pp {pro}, {epi}`
    SourceLoc loc;
    bool isPrivate = false;
    FileAst* file = nullptr;
};

struct EmbeddedDecl {
    std::string code;
    SourceLoc loc;
};

struct FileAst {
    FileId file = kNoFile;
    std::string name;
    bool isLibrary = false;
    Arena arena;
    std::vector<VarDecl*> globals;
    std::vector<FunctionDecl*> functions;
    std::vector<ProbeDecl*> probes;
    std::vector<AliasDecl*> aliases;
    std::vector<EmbeddedDecl*> embedded;
    bool privileged = false; // may contain embedded code (tapset or -g)
};

} // namespace tap
