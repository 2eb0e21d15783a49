// The families of probe points. Each family (begin, timer, kernel.trace, ...)
// is a ProbeProvider registered in a ProbeRegistry; the elaborator resolves
// script probe points against the registry and the tapset aliases only, so new
// families are added without touching the elaborator.
#pragma once

#include "ast.h"
#include "user_types.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tap {

enum class ArgKind : uint8_t { None, Number, String };

struct PatternComponent {
    std::string functor;
    ArgKind arg = ArgKind::None;
};

// One shape a provider serves, e.g. timer.ms(NUMBER).randomize(NUMBER).
struct ProbePattern {
    std::vector<PatternComponent> components;
    std::string doc; // one line for listings and the IDE catalogue
};

// A probe point after matching: every component concrete, arguments literal.
struct ConcreteComponent {
    std::string functor;
    std::optional<int64_t> number;
    std::optional<std::string> string;
    // Tells apart points that print alike (a function's inlined copies, a
    // marker used twice); str() leaves it out, as stap prints them.
    bool hidden = false;
};

struct ConcretePoint {
    std::vector<ConcreteComponent> components;
    std::string str() const; // timer.ms(100)
};

// A context variable of a probe ($name or a tapset-style local).
struct ContextVar {
    std::string name; // "$prev", "$$parms", ...
    Type type = Type::Long;
    std::string cType; // e.g. "struct task_struct *", for -L listings and hints
    // Where the BPF program finds it (the translator's input):
    int argIndex = -1;    // tp_btf / raw_tp / fentry: ctx[argIndex] (fexit: $return is
                          // ctx[number of parameters]); kprobe: PT_REGS_PARM(argIndex + 1),
                          // kretprobe $return: PT_REGS_RC
    int32_t btfType = 0;  // its kernel BTF type (0: none)
    int offset = -1;      // tracepoint record: byte offset,
    int size = 0;         //   size (may be narrower than the record's slot: syscall
                          //   records store `int dfd` in 8 bytes; read `size` bytes),
    bool isSigned = false; //  signedness
    // Record bytes rather than a number: a char array (its address in the
    // record), or, when cType starts with "__data_loc", a u32 at `offset`
    // locating the string in the record (bits 0-15 its offset from the record
    // start, 16-31 its length). Both are Type::Long addresses, as in stap.
    bool isString = false;
    // Members read before the script's own ->field components: a variable
    // that lives inside an argument (process.syscall's $arg1 is regs->di).
    std::vector<std::string> path;
    // A user program's variable (DWARF): its type in `userTypes` (owned by
    // the binary's cached debug info, which lives as long as the process)
    // and where it is at the probe address; `locationError` says why it
    // cannot be read there ("" when it can).
    const UserTypeTable* userTypes = nullptr;
    int userType = -1;
    UserLocation userLocation;
    std::string locationError;
    bool isParameter = false; // a function parameter ($$parms), not a local
    // A global of the probed function's source file: $name reads it, but it
    // is none of $$vars, as in stap.
    bool fileScope = false;
    bool isUser() const { return userTypes != nullptr; }
};

enum class ProbeSite : uint8_t { UserSpace, Kernel };

// How the runtime attaches a kernel-site probe (the BPF program's section).
struct AttachSpec {
    enum class Kind : uint8_t {
        None,          // user-space probe
        TpBtf,         // SEC("tp_btf/NAME"): typed raw tracepoint; args are u64 ctx[i]
        Tracepoint,    // SEC("tracepoint/SYSTEM/NAME"): the tracefs record
        RawTracepoint, // SEC("raw_tp/NAME")
        PerfEvent,     // SEC("perf_event"): perfType/perfConfig, period or frequency
        Kprobe,        // SEC("kprobe/FUNC") / kretprobe
        Uprobe,        // SEC("uprobe"): binary path + offset, or uretprobe
        Fentry,        // SEC("fentry/FUNC") / SEC("fexit/FUNC") when isReturn
        TaskIter,      // SEC("iter/task"): run once over the tasks that exist (not attached)
        Netfilter,     // SEC("netfilter"): a netfilter hook; ctx is struct bpf_nf_ctx
    } kind = Kind::None;
    std::string target;       // tracepoint name, "system/name", function, binary path
    bool isReturn = false;    // kretprobe / uretprobe
    uint64_t perfType = 0, perfConfig = 0;
    uint64_t samplePeriod = 0, sampleFrequency = 0;
    uint64_t offset = 0;      // uprobe offset in the binary (file offset)
    uint64_t address = 0;     // uprobe: the link-time address probed (load bias = ip - address)
    uint64_t refCtrOffset = 0; // uprobe: file offset of an SDT semaphore, 0 for none
    bool targetOnly = false;   // uprobe: only in the -c/-x target process (bare process.function)
    // uprobe: the canonical frame address (the caller's stack pointer) is
    // frameRegister + frameOffset at this point; "" when unknown. Entry
    // values of a .return probe are keyed by it, so recursion pairs right.
    std::string frameRegister;
    int64_t frameOffset = 0;
    std::string symbol; // uprobe: the function the probe is in (probefunc(), usymname(uaddr()))
    int64_t filterPid = -1;   // process(PID) / -x filters, -1 for none
    int cpu = -1;             // perf events: one CPU, or -1 for every CPU
    int netfilterFamily = 0, netfilterHook = 0, netfilterPriority = 0; // NFPROTO_*, NF_INET_*
    // kernel.data: a hardware breakpoint (perfType PERF_TYPE_BREAKPOINT) at
    // `address`, or at the kernel symbol `target` (looked up when attached).
    uint32_t breakpointType = 0, breakpointLength = 0;
    // tp_btf: when >= 0, ctx[taskArgIndex] is a `struct task_struct *` that
    // the handler runs for instead of the current task: the task builtins
    // (pid(), tid(), ppid(), execname(), uid(), task_current(), ...) and
    // filterPid read that task. process.begin runs on sched_process_fork in the
    // parent's context and reports the child this way.
    int taskArgIndex = -1;
    // process.begin also runs once for each process that exists when the
    // session starts (stapprobes): a TaskIter program gives the handler a
    // ctx laid out as this tracepoint's, from each task.
    enum class ExistingTasks : uint8_t { None, AsForkChild, AsExec } existingTasks = ExistingTasks::None;
    std::string section() const; // the ELF section name for the generated program
};

class ProbeProvider {
public:
    virtual ~ProbeProvider() = default;
    virtual std::string family() const = 0;
    // The shapes this provider serves. A registry asks once and keeps them.
    virtual std::vector<ProbePattern> patterns() const = 0;
    // The first component of every pattern, where the provider knows it
    // without listing them: a point that starts otherwise is not asked
    // about (listing the system calls cost every start-up 7 ms).
    virtual std::optional<std::string> leadingFunctor() const { return std::nullopt; }
    // Checks a matched point (argument ranges ...); returns an error text or "".
    virtual std::string check(const ConcretePoint& point) const { return {}; }
    // The $variables a handler of this point may read.
    virtual std::vector<ContextVar> contextVariables(const ConcretePoint& point) const { return {}; }
    // The concrete points a matched point names when its arguments hold
    // wildcards (kernel.trace("sched_*")); by default the point itself.
    virtual std::vector<ConcretePoint> expand(const ConcretePoint& point) const { return {point}; }
    // Checks a $variable with its ->field / [index] components and gives its
    // type; returns an error text ("" when fine). The default accepts the
    // names contextVariables() lists, as longs (strings when pretty-printed).
    virtual std::string typeTarget(const ConcretePoint& point, const TargetExpr& target,
                                   Type& type) const;
    // A $name that is none of the point's context variables but that the
    // point can still read: a global of the probed function's source file.
    virtual std::optional<ContextVar> fileScopeVariable(const ConcretePoint& point, const std::string& name) const {
        return std::nullopt;
    }
    // Script statements run before the handler, as a tapset alias's prologue
    // would (syscall.* sets name, argstr and the arguments).
    virtual std::string prologue(const ConcretePoint& point) const { return {}; }
    virtual ProbeSite site(const ConcretePoint& point) const { return ProbeSite::UserSpace; }
    // For kernel-site points: how to attach the program that runs the handler.
    virtual AttachSpec attach(const ConcretePoint& point) const { return {}; }
    // True for .return-style points where @entry is valid.
    virtual bool isReturnProbe(const ConcretePoint& point) const { return false; }
    // For a .return point whose entry can be probed too (syscall.X.return ->
    // syscall.X): that entry point. @entry(expr) and the $variables of the
    // entry are evaluated there and handed to the return probe.
    virtual std::optional<ConcretePoint> entryPoint(const ConcretePoint& point) const { return std::nullopt; }
};

class ProbeRegistry {
public:
    void add(std::unique_ptr<ProbeProvider> provider);
    struct Match {
        const ProbeProvider* provider;
        ConcretePoint point;
    };
    // Every concrete point the pattern-with-wildcards `point` names. `error`
    // is set when a point matches a shape but fails the provider's check.
    std::vector<Match> match(const ProbePoint& point, std::string& error) const;
    const std::vector<std::unique_ptr<ProbeProvider>>& providers() const { return providers_; }
    // A provider's patterns(), asked of it once (syscall.* has ~1500).
    const std::vector<ProbePattern>& patternsOf(const ProbeProvider& provider) const;

    // begin, end, error, never, timer.*, procfs.*
    static ProbeRegistry withBuiltinProviders();

private:
    std::vector<std::unique_ptr<ProbeProvider>> providers_;
    struct PatternCache;
    std::shared_ptr<PatternCache> patternCache_;
    const std::vector<ProbePattern>& patternsOf(size_t provider) const;
    // A provider's patterns by their functors ("syscall.read.return"): a
    // point without wildcards is tried against those only.
    const std::unordered_map<std::string, std::vector<size_t>>& patternsByPath(size_t provider) const;
};

std::unique_ptr<ProbeProvider> makeProcfsProvider();

// Builtins that read the task a probe interrupted (pid(), execname(), ...):
// a timer handler that calls one runs in the kernel, on a perf clock event.
bool isTaskContextFunction(const std::string& name);

// fnmatch-style match of one probe point component name (`*` wildcards).
bool componentMatches(const std::string& pattern, const std::string& name);

} // namespace tap
