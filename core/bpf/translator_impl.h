// The pass-3 translator's internals, shared by its source files:
// translator.cpp (probes, statements, expressions, kernel memory) and
// translator_user.cpp (user programs' variables at uprobes). Not an API:
// translate() in translation.h is.
#pragma once

#include "translation.h"

#include "ast_printer.h"
#include "ast_walk.h"
#include "kernel/btf.h"
#include "kernel/kernel_types.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace tap::bpf::detail {


struct TranslateError {
    std::string message;
    SourceLoc loc;
};

inline int roundUpPow2(int64_t v) {
    int p = 16;
    while (p < v)
        p <<= 1;
    return p;
}

extern const char* const kFileNameHash;     // tap_file_name_hash(), in BPF C
extern const char* const kModuleBiasHelper; // tap_module_bias(), in BPF C
extern const char* const kUserUnwinder;     // tap_user_stack(), in BPF C

// A C comment of script text, which may hold "*/" (process("/lib*/libc.so.6")).
inline std::string cComment(const std::string& text) {
    std::string out = "/* ";
    for (size_t i = 0; i < text.size(); ++i) {
        out += text[i];
        if (text[i] == '*' && i + 1 < text.size() && text[i + 1] == '/')
            out += ' ';
    }
    return out + " */";
}

inline std::string cString(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += char(c);
        } else if (c >= 0x20 && c < 0x7f) {
            out += char(c);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\%03o", c);
            out += buf;
        }
    }
    return out + "\"";
}

// Where the generated code is: the leave statement differs between a probe
// program, a script function and a loop callback.
struct CodeContext {
    enum class Kind { Probe, Function, Loop } kind = Kind::Probe;
    int loopId = 0;
    const FunctionDecl* function = nullptr;
    // Enclosing try blocks of this C function: {catch label id, message slot}.
    std::vector<std::pair<int, std::string>> tries;
    // The function's version for the probe's kind of context (functionKey).
    std::string specialization;
    std::string leave() const {
        switch (kind) {
        case Kind::Probe: return "goto tap_out;";
        case Kind::Function: return "goto tap_fn_out;";
        case Kind::Loop: return "return 1;";
        }
        return "";
    }
};

class Translator {
public:
    Translator(const Program& p, const TranslateOptions& o, Translation& out)
        : program_(p), options_(o), out_(out) {}

    void run();

private:
    [[noreturn]] void error(const std::string& msg, SourceLoc loc) { throw TranslateError{msg, loc}; }

    // ---- globals and maps
    const GlobalMap& globalOf(const VarDecl* v, SourceLoc loc);
    void declareGlobals();
    std::string keyStructOf(const GlobalMap& g) { return "struct tap_key_" + g.global->name; }

    // ---- frames
    std::string localL(const VarDecl* v);
    std::string localS(const VarDecl* v);
    // Probes (and their loops) number their slots from 0 in f->l / f->s;
    // script functions take theirs from f->fl / f->fs, numbered across all
    // functions, so that no function (emitted once, called from any probe)
    // overwrites a slot of a probe or of a function that calls it.
    std::string tempL() { return (fnSlots_ ? "f->fl[" : "f->l[") + std::to_string(nextLong_++) + "]"; }
    std::string tempS() { return (fnSlots_ ? "f->fs[" : "f->s[") + std::to_string(nextString_++) + "]"; }
    bool fnSlots_ = false;
    int fnNextLong_ = 0, fnNextString_ = 0;

    // ---- expressions: C expressions (GNU statement expressions as needed)
    std::string genL(Expr* e);
    std::string genS(Expr* e);
    std::string genEffect(Expr* e);
    std::string genTarget(Expr* e);
    std::string genCast(CastExpr* c);
    std::string genMemberPath(std::string expr, int32_t type, int32_t aggregate,
                              const std::vector<TargetComponent>& components, bool addressOf);
    // User programs' variables (DWARF): registers and user memory.
    std::string genUserTarget(const TargetExpr* t, const ContextVar& var);
    // Where the library or program at `path` is loaded in the current
    // process (a BPF expression); fails the probe when it is not mapped.
    std::string moduleBias(const std::string& path, SourceLoc loc, const std::string& subject);
    int32_t kernelStructType(const char* type, const std::string& purpose, SourceLoc loc);
    bool moduleBiasUsed_ = false; // emit tap_module_bias()
    void noteUserUnwinder();
    void noteMappingTypes(const std::string& purpose, SourceLoc loc);
    bool mappingHelpersUsed_ = false; // emit tap_file_name_hash()
    bool numaSymbolsUsed_ = false;    // emit tap_addr_to_node() (kAddrToNode)
    bool userUnwinderUsed_ = false; // emit tap_user_stack()
    std::string genUserMemberPath(std::string expr, const UserTypeTable& types, int type, bool aggregate,
                                  const std::vector<TargetComponent>& components, bool addressOf);
    std::string genUserRead(const std::string& address, int64_t size, bool isSigned, SourceLoc loc,
                            const std::string& subject);
    void genUserPretty(const std::string& expr, const UserTypeTable& types, int type, int depth, std::string& fmt,
                       std::vector<std::string>& values, SourceLoc loc);
    std::string genSnprintf(const std::string& fmt, const std::vector<std::string>& values);
    std::string genVarList(const TargetExpr* t); // $$vars, $$parms, ...
    // Backtraces and symbols (translator_stack.cpp).
    bool stackUsed_ = false, noteProcesses_ = false;
    std::optional<SymbolArg> symbolArgOf(const Expr* e) const;
    bool printsSymbols(const Expr* e) const; // print_backtrace() & co.
    std::string genStackCapture(bool user);
    std::string genStackList(bool user, const std::string& levels, bool trailing);
    std::string genStackAt(bool user, const std::string& depth, SourceLoc loc, const std::string& subject);
    std::optional<std::string> genStackBuiltin(CallExpr* c);
    std::string genSymbolValue(CallExpr* c, const SymbolArg& s, bool& isString);
    std::string genSymbolPrint(CallExpr* c);
    std::string genSymbolToken(CallExpr* c, const SymbolArg& s);
    // Whether e, outside a print, is a symbol token (genSymbolToken).
    bool makesSymbolToken(const Expr* e) const;
    // usymname(uaddr()) and probefunc() in a uprobe handler: the probed
    // function, known here.
    bool probedSymbolKnown(const CallExpr* c) const {
        if (currentAttach_.kind != AttachSpec::Kind::Uprobe || currentAttach_.symbol.empty() ||
            ctx_.kind == CodeContext::Kind::Function || sharedHandler_)
            return false;
        if (c->name == "probefunc")
            return c->args.empty();
        return c->name == "usymname" && c->args.size() == 1 && c->args[0]->kind == ExprKind::Call &&
               static_cast<const CallExpr*>(c->args[0])->name == "uaddr";
    }
    std::string genProbefunc(CallExpr* c);
    std::string genProbeAddress(bool userOnly, SourceLoc loc); // addr(), uaddr()
    // $var$ of kernel values typed by BTF (translator.cpp).
    void genBtfPretty(const std::string& expr, int32_t type, bool aggregate, int depth, std::string& fmt,
                      std::vector<std::string>& values, SourceLoc loc);
    std::string userRegister(const std::string& reg, SourceLoc loc);
    // pp(), pn() and is_return() of each program, for script functions that
    // several probes call (f->probe indexes them).
    struct ProbeNames {
        std::string pp, pn;
        bool isReturn;
        std::string function; // probefunc(): a uprobe's function, kUnknownFunction otherwise
    };
    static constexpr const char* kUnknownFunction = "\x01";
    std::vector<ProbeNames> probeTable_;
    bool probeTableUsed_ = false; // only then is it emitted (it grows with the number of probes)
    size_t probeIndex(const ResolvedProbe& p) {
        bool known = currentAttach_.kind == AttachSpec::Kind::Uprobe && !currentAttach_.symbol.empty();
        probeTable_.push_back({p.point.str(), p.derivation, p.isReturn, known ? currentAttach_.symbol : kUnknownFunction});
        return probeTable_.size() - 1;
    }
    std::string probeTables() const {
        if (!probeTableUsed_)
            return {};
        size_t longest = 1;
        for (const ProbeNames& n : probeTable_)
            longest = std::max({longest, n.pp.size() + 1, n.pn.size() + 1, n.function.size() + 1});
        std::string size = std::to_string(probeTable_.size() + 1);
        std::string pp = "static const char tap_pp_table[" + size + "][" + std::to_string(longest) + "] = {";
        std::string pn = "static const char tap_pn_table[" + size + "][" + std::to_string(longest) + "] = {";
        std::string fn = "static const char tap_probefunc_table[" + size + "][" + std::to_string(longest) + "] = {";
        std::string ret = "static const char tap_is_return_table[" + size + "] = {";
        for (const ProbeNames& n : probeTable_) {
            pp += cString(n.pp) + ", ";
            pn += cString(n.pn) + ", ";
            fn += cString(n.function) + ", ";
            ret += n.isReturn ? "1, " : "0, ";
        }
        return pp + "\"\"};\n" + pn + "\"\"};\n" + fn + cString(kUnknownFunction) + "};\n" + ret + "0};\n" +
               "static __always_inline __u64 tap_probe_index(struct tap_frame *f)\n{\n\t__u64 i = f->probe;\n\treturn i < " +
               size + " ? i : 0;\n}\n\n";
    }
    // The call's frame address, which pairs a .return with its entry in
    // recursion (0 where the point has none).
    std::string frameAddress(const AttachSpec& a, SourceLoc loc) {
        return a.frameRegister.empty() ? std::string("0")
                                       : "(" + userRegister(a.frameRegister, loc) + " + " + std::to_string(a.frameOffset) + "ULL)";
    }
    // With setProbe false, the caller names the probe (f->probe) itself.
    std::string handlerStart(const ResolvedProbe& p, bool setProbe = true);
    // The handler of one hit: locals, entry values, condition, body.
    void genHandler(const ResolvedProbe& p, const std::string& restore, std::ostringstream& body, int indent);
    void resetSlots();
    void keepSlotHighWater();
    struct SyscallDispatch {
        bool isReturn = false;
        std::vector<std::pair<long, const ResolvedProbe*>> cases; // syscall number, its point's probe
        // A call the number table does not know (newer than the headers
        // tstap was built with): one case, on its own syscalls tracepoint.
        std::string ownTracepoint;
    };
    std::vector<SyscallDispatch> syscallDispatches(std::set<const ResolvedProbe*>& members);
    std::string genSyscallDispatch(const SyscallDispatch& d, ProgramSpec& spec);
    bool sharesHandler(const std::vector<const ResolvedProbe*>& points,
                       std::vector<std::pair<std::string, Type>>& variables) const;
    std::vector<std::vector<const ResolvedProbe*>> sharedUprobes(std::set<const ResolvedProbe*>& members);
    std::string genSharedUprobe(const std::vector<const ResolvedProbe*>& points, ProgramSpec& spec);
    std::string handlerTailCall(const std::string& handler);
    std::string subprogramStart() const;
    std::map<std::string, std::string> handlerPrograms_; // handler text -> the tail call into its program
    std::vector<std::string> handlerProgramTexts_;
    // The jump to each wildcard's shared handler, made once for all its programs.
    std::map<std::tuple<const ProbeDecl*, bool, std::vector<std::pair<std::string, Type>>>, std::string>
        dispatchHandlers_;
    // Generating a handler shared by several points: what differs between
    // them is read at run time (probefunc() from the probe table).
    bool sharedHandler_ = false;
    std::string genProgram(const ResolvedProbe& p, ProgramSpec& spec,
                           const std::function<std::string()>& entryRestore);
    static int histSlots(const GlobalMap& g);
    static std::string arrayOverflow(const GlobalMap& g);
    std::string zeroingHelpers() const;
    std::string genCall(CallExpr* c);
    std::string genBuiltin(CallExpr* c, const FunctionDecl* f);
    // command: system()'s, user space runs the printed text as a shell command.
    std::string genPrint(PrintExpr* p, bool command = false);
    std::string genProcMem(CallExpr* c, const std::string& what);
    std::string genAddrToNode(CallExpr* c);
    std::string genSprintf(PrintExpr* p);
    // With `wildcards`, a '*' key is left zero (genWildcardDelete()).
    std::string genKey(const GlobalMap& g, const std::vector<Expr*>& keys, SourceLoc loc, bool wildcards = false);
    void genWildcardDelete(const GlobalMap& g, const std::vector<Expr*>& keys, std::ostringstream& o,
                           const std::string& pad, SourceLoc loc);
    int wildcardDeletes_ = 0;
    std::string genArrayRead(IndexExpr* i);
    std::string genArrayWrite(IndexExpr* i, Op op, Expr* value, bool postIncDec = false, int64_t delta = 0);
    std::string genStatAdd(Expr* target, Expr* value);
    std::string genStatOp(StatOpExpr* s);
    std::string fail(const std::string& message, SourceLoc loc, const std::string& subject,
                     const std::string& value = "0");
    std::string propagate();

    // ---- statements
    void genStmt(Stmt* s, std::ostringstream& o, int indent);
    std::string returnFromLoop() const;
    void genLoop(ForStmt* f, std::ostringstream& o, int indent);

    // ---- kernel types
    void noteKernelMember(int32_t structType, const std::string& member);
    int32_t taskStructType() {
        kernel::Btf* btf = kernel::Btf::vmlinux();
        int32_t id = btf ? btf->findType("struct task_struct") : -1;
        if (id <= 0)
            error("no kernel type information (BTF) for struct task_struct", {});
        return id;
    }
    AttachSpec currentAttach_;

    uint32_t errorSite(const std::string& message, SourceLoc loc, const std::string& subject) {
        ErrorSite e;
        e.id = uint32_t(out_.errors.size());
        e.message = message;
        e.loc = loc;
        e.subject = subject;
        out_.errors.push_back(e);
        return e.id;
    }

    const Program& program_;
    const TranslateOptions& options_;
    Translation& out_;

    std::ostringstream maps_, rodata_, funcs_, types_;
    std::vector<std::string> programTexts_;
    std::map<int32_t, std::set<std::string>> kernelStructs_; // BTF id -> members read
    std::map<const VarDecl*, std::string> slots_;
    int nextLong_ = 0, nextString_ = 0;
    int maxLong_ = 1, maxString_ = 1;
    int literals_ = 0, loops_ = 0, tries_ = 0;
    std::map<std::string, std::string> literalNames_;
    // =~ and !~: each pattern's DFA is a table walk, emitted once.
    std::string genRegexMatch(BinaryExpr* b);
    std::map<std::string, std::string> regexNames_;
    // Each function emitted, by itself and the probe context it was emitted
    // for (functionKey): its C name and return slot.
    std::map<std::pair<const FunctionDecl*, std::string>, std::string> functions_;
    std::pair<const FunctionDecl*, std::string> functionKey(const FunctionDecl* f) const;
    bool readsArguments(const FunctionDecl* f, std::set<const FunctionDecl*>& seen) const;
    std::set<const FunctionDecl*> globalFunctions_; // BPF global functions (functionWithLinkage)
    // Each global function's definition and its declaration, for the parts
    // of a large file that link to the one part defining it.
    std::vector<std::pair<std::string, std::string>> globalDefinitions_;
    std::map<std::string, bool> functionUsesContext_; // by C name
    std::string functionWithLinkage(const FunctionDecl* fn, const std::string& name, const std::string& retSlot,
                                    const std::string& inner);
    std::set<const FunctionDecl*> inProgress_;
    CodeContext ctx_;
    const ResolvedProbe* probe_ = nullptr;
    // The current probe's context variables. Pass 2 lists them only for a
    // probe whose handler names one; returnval() and the *_arg() functions
    // read them too, from any function the handler calls.
    const std::vector<ContextVar>& probeContext();
    std::map<const ResolvedProbe*, std::vector<ContextVar>> listedLate_;
    // @entry(...) values (and entry-time $variables) of the current .return
    // probe: the frame slot each was copied into from the entry program.
    std::map<const Expr*, std::string> entrySlots_;
    void collectEntryValues(const ResolvedProbe& p, const AttachSpec& attach, std::vector<const Expr*>& exprs);
    std::string genEntryProgram(const ResolvedProbe& p, const AttachSpec& attach, const std::string& function,
                                std::vector<const Expr*>& exprs, std::vector<std::pair<bool, int>>& where);
    std::string genEntryRestore(const std::string& function, const std::vector<const Expr*>& exprs,
                                const std::vector<std::pair<bool, int>>& where);
    std::map<std::string, int> frameKeys_; // key struct members of the frame
};

} // namespace tap::bpf::detail
