// process.begin / process.end, process("PATH").begin/.end,
// process(PID).begin/.end and the .thread.begin/.thread.end variants, over
// the sched_process_fork / sched_process_exec / sched_process_exit
// tracepoints (tp_btf). Filters are prologue statements (`next` when the
// event is not for this point) and AttachSpec::filterPid; .begin of a new
// process runs on the fork in the parent's context, so its task builtins
// read the child (AttachSpec::taskArgIndex).
//
//   process.begin            fork of a new process (not a thread), task = child
//   process(PID).begin       the same, for the new process PID
//   process("PATH").begin    exec of PATH (the process that now runs it)
//   (and each .begin once for every such process that exists at start-up)
//   process[...].end         exit of the process's last thread
//   process[...].thread.begin / .thread.end: each new thread / each thread exit
#include "kernel/kernel_types.h"
#include "kernel/providers.h"
#include "elf/elf_binary.h"

#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>


namespace tap::kernel {

namespace {

enum class Event { Begin, End, ThreadBegin, ThreadEnd, Syscall, SyscallReturn };

struct Shape {
    Event event = Event::Begin;
    enum class Target { Any, Path, Pid } target = Target::Any;
    std::string path;
    int64_t pid = -1;
};

Shape shapeOf(const ConcretePoint& p) {
    Shape s;
    const auto& c = p.components;
    size_t at = 1;
    if (!c.empty() && c[0].string) {
        s.target = Shape::Target::Path;
        s.path = *c[0].string;
    } else if (!c.empty() && c[0].number) {
        s.target = Shape::Target::Pid;
        s.pid = *c[0].number;
    }
    if (at < c.size() && c[at].functor == "syscall") {
        s.event = at + 1 < c.size() && c[at + 1].functor == "return" ? Event::SyscallReturn : Event::Syscall;
        return s;
    }
    bool thread = at < c.size() && c[at].functor == "thread";
    if (thread)
        ++at;
    bool end = at < c.size() && c[at].functor == "end";
    s.event = thread ? (end ? Event::ThreadEnd : Event::ThreadBegin) : (end ? Event::End : Event::Begin);
    return s;
}

class ProcessProvider : public ProbeProvider {
    // The tracepoint behind each point.
    static bool isSyscall(const Shape& s) { return s.event == Event::Syscall || s.event == Event::SyscallReturn; }
    static std::string eventName(const Shape& s) {
        if (isSyscall(s))
            return std::string("raw_syscalls:") + tracepoint(s);
        return std::string("sched:") + tracepoint(s);
    }
    static const char* tracepoint(const Shape& s) {
        if (s.event == Event::Syscall)
            return "sys_enter";
        if (s.event == Event::SyscallReturn)
            return "sys_exit";
        if (s.event == Event::End || s.event == Event::ThreadEnd)
            return "sched_process_exit";
        if (s.target == Shape::Target::Path && s.event == Event::Begin)
            return "sched_process_exec";
        return "sched_process_fork";
    }
    static bool hasVar(const TraceInfo* info, const std::string& name) {
        if (!info)
            return false;
        for (const ContextVar& v : info->vars)
            if (v.name == name)
                return true;
        return false;
    }

public:
    std::string family() const override { return "process"; }
    std::vector<ProbePattern> patterns() const override {
        std::vector<ProbePattern> out;
        struct Target {
            ArgKind arg;
            const char* what;
        };
        for (Target t : {Target{ArgKind::None, "a process"}, Target{ArgKind::String, "a process running PATH"},
                         Target{ArgKind::Number, "process PID"}}) {
            std::string what = t.what;
            out.push_back({{{"process", t.arg}, {"begin", ArgKind::None}},
                           t.arg == ArgKind::String ? "when " + what + " starts (exec)" : "when " + what + " is created"});
            out.push_back({{{"process", t.arg}, {"end", ArgKind::None}}, "when " + what + " exits"});
            out.push_back({{{"process", t.arg}, {"thread", ArgKind::None}, {"begin", ArgKind::None}},
                           "when a thread of " + what + " is created"});
            out.push_back({{{"process", t.arg}, {"thread", ArgKind::None}, {"end", ArgKind::None}},
                           "when a thread of " + what + " exits"});
            if (t.arg != ArgKind::String) {
                out.push_back({{{"process", t.arg}, {"syscall", ArgKind::None}},
                               "when " + what + " makes a system call ($syscall, $arg1..$arg6)"});
                out.push_back({{{"process", t.arg}, {"syscall", ArgKind::None}, {"return", ArgKind::None}},
                               "when a system call of " + what + " returns ($syscall, $return)"});
            }
        }
        return out;
    }
    std::string check(const ConcretePoint& point) const override {
        Shape s = shapeOf(point);
        if (s.target == Shape::Target::Path && elf::resolveExecutable(s.path).empty())
            return "cannot find executable '" + s.path + "'";
        if (s.target == Shape::Target::Pid && s.pid <= 0)
            return "invalid process id " + std::to_string(s.pid);
        const TraceInfo* info = traceInfo(eventName(s));
        if (!info)
            return Tracefs::root().empty() ? tracefsProblem() : "this kernel has no " + eventName(s) + " tracepoint";
        if (isSyscall(s) && (!info->typed || syscallArgumentRegisters().empty()))
            return "process.syscall needs the BTF-typed raw_syscalls tracepoints on x86_64";
        return {};
    }
    std::vector<ConcretePoint> expand(const ConcretePoint& point) const override {
        ConcretePoint p = point;
        if (!p.components.empty() && p.components[0].string)
            p.components[0].string = elf::resolveExecutable(*p.components[0].string);
        return {p};
    }
    // x86_64's system call argument registers, in order.
    static const std::vector<std::string>& syscallArgumentRegisters() {
        static const std::vector<std::string> x86 = {"di", "si", "dx", "r10", "r8", "r9"};
        static const std::vector<std::string> none;
#if defined(__x86_64__)
        return x86;
#else
        return none;
#endif
    }
    std::vector<ContextVar> contextVariables(const ConcretePoint& point) const override {
        Shape s = shapeOf(point);
        const TraceInfo* info = traceInfo(eventName(s));
        if (!info)
            return {};
        if (!isSyscall(s))
            return info->vars;
        // sys_enter(regs, id) / sys_exit(regs, ret): stap's $syscall, $argN, $return.
        std::vector<ContextVar> out;
        const ContextVar* regs = nullptr;
        for (const ContextVar& v : info->vars) {
            if (v.name == "$regs")
                regs = &v;
            else if (v.name == "$id" || v.name == "$ret") {
                ContextVar c = v;
                c.name = v.name == "$id" ? "$syscall" : "$return";
                c.cType = "long";
                out.push_back(c);
            }
        }
        if (regs) {
            if (s.event == Event::SyscallReturn) {
                ContextVar nr = *regs;
                nr.name = "$syscall";
                nr.cType = "long";
                nr.path = {"orig_ax"};
                out.push_back(nr);
            } else {
                const auto& names = syscallArgumentRegisters();
                for (size_t i = 0; i < names.size(); ++i) {
                    ContextVar a = *regs;
                    a.name = "$arg" + std::to_string(i + 1);
                    a.cType = "long";
                    a.path = {names[i]};
                    out.push_back(a);
                }
            }
        }
        return out;
    }
    std::string typeTarget(const ConcretePoint& point, const TargetExpr& target, Type& type) const override {
        if (isSyscall(shapeOf(point))) {
            for (const ContextVar& v : contextVariables(point))
                if (v.name == target.name) {
                    if (!target.components.empty())
                        return "'" + target.name + "' is a number; it has no members";
                    type = Type::Long;
                    return {};
                }
            return "unresolved target-symbol expression (process.syscall has $syscall, $arg1..$arg6, $return)";
        }
        return typeKernelTarget(contextVariables(point), target, type);
    }
    std::string prologue(const ConcretePoint& point) const override {
        Shape s = shapeOf(point);
        const TraceInfo* info = traceInfo(eventName(s));
        std::string text;
        if (isSyscall(s))
            // With -c or -x, process probes are restricted to the target
            // (stapprobes); its children are not followed here.
            return s.target == Shape::Target::Any ? "\tif (target() && pid() != target()) next\n" : "";
        switch (s.event) {
        case Event::Begin:
            if (s.target != Shape::Target::Path && hasVar(info, "$child"))
                text += "\tif ($child->pid != $child->tgid) next\n";
            break;
        case Event::ThreadBegin:
            if (hasVar(info, "$child"))
                text += "\tif ($child->pid == $child->tgid) next\n";
            break;
        case Event::End:
            if (hasVar(info, "$group_dead"))
                text += "\tif (!$group_dead) next\n";
            else if (hasVar(info, "$p"))
                text += "\tif ($p->pid != $p->tgid) next\n";
            break;
        case Event::ThreadEnd:
        case Event::Syscall:
        case Event::SyscallReturn:
            break;
        }
        if (s.target == Shape::Target::Path) {
            // The process's executable, by inode (and device but on btrfs,
            // whose stat() reports per-subvolume devices).
            std::string path = elf::resolveExecutable(s.path);
            struct stat st {};
            struct statfs sf {};
            if (!path.empty() && stat(path.c_str(), &st) == 0) {
                std::string task = hasVar(info, "$p") ? "$p" : hasVar(info, "$child") ? "$child" : "";
                if (s.event == Event::ThreadBegin)
                    task = "$parent";
                if (!task.empty()) {
                    std::string inode = task + "->mm->exe_file->f_inode";
                    text += "\tif (" + inode + "->i_ino != " + std::to_string(uint64_t(st.st_ino));
                    const long kBtrfsMagic = 0x9123683E;
                    if (statfs(path.c_str(), &sf) == 0 && long(sf.f_type) != kBtrfsMagic) {
                        uint64_t dev = (uint64_t(major(st.st_dev)) << 20) | uint64_t(minor(st.st_dev));
                        text += " || " + inode + "->i_sb->s_dev != " + std::to_string(dev);
                    }
                    text += ") next\n";
                }
            }
        }
        return text;
    }
    ProbeSite site(const ConcretePoint&) const override { return ProbeSite::Kernel; }
    AttachSpec attach(const ConcretePoint& point) const override {
        Shape s = shapeOf(point);
        AttachSpec a;
        a.kind = AttachSpec::Kind::TpBtf;
        a.target = tracepoint(s);
        const TraceInfo* info = traceInfo(eventName(s));
        if (info && !info->typed) {
            a.kind = AttachSpec::Kind::Tracepoint;
            a.target = eventName(s).substr(0, eventName(s).find(':')) + "/" + a.target;
        }
        if ((s.event == Event::Begin && s.target != Shape::Target::Path) || s.event == Event::ThreadBegin) {
            // The new task, in its parent's context: ctx[1] is `child`.
            if (info && info->typed)
                for (const ContextVar& v : info->vars)
                    if (v.name == "$child")
                        a.taskArgIndex = v.argIndex;
        }
        if (s.target == Shape::Target::Pid)
            a.filterPid = s.pid;
        if (s.event == Event::Begin && a.kind == AttachSpec::Kind::TpBtf)
            a.existingTasks = s.target == Shape::Target::Path ? AttachSpec::ExistingTasks::AsExec
                                                              : AttachSpec::ExistingTasks::AsForkChild;
        return a;
    }
};

} // namespace

std::unique_ptr<ProbeProvider> makeProcessProvider() { return std::make_unique<ProcessProvider>(); }

} // namespace tap::kernel
