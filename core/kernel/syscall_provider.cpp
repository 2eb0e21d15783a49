// syscall.NAME, syscall.NAME.return, syscall.*, and the same under
// nd_syscall.: one point per system call the running kernel has a
// `syscalls:sys_enter_NAME` / `sys_exit_NAME` tracepoint for. The handler
// sees the record's fields as $variables ($return in .return) and, through
// the prologue, stap's alias variables: name, the arguments by name (paths
// and names as quoted strings: user_string_quoted($filename)), argstr (strings quoted,
// flags symbolic, modes octal, as stap formats it), and retval / retstr in
// .return. A string argument whose user memory cannot be read raises the
// error user_string() raises (the prologue reads it only when the handler
// uses it: unused alias variables are elided).
#include "kernel/kernel_types.h"
#include "kernel/providers.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <set>

namespace tap::kernel {

namespace {

struct StapArgumentName {
    enum Kind { String, Address, Number };
    const char* call;
    const char* variable;
    const char* field;
    Kind kind;
};

const StapArgumentName kStapArgumentNames[] = {
#include "syscall_stap_names.inc"
};


// stap's names for calls whose tracepoint has another name on this kernel.
constexpr std::pair<const char*, const char*> kStapNames[] = {
    {"stat", "newstat"},     {"lstat", "newlstat"}, {"fstat", "newfstat"},   {"fstatat", "newfstatat"},
    {"uname", "newuname"},   {"pread", "pread64"},  {"pwrite", "pwrite64"}, {"sendfile", "sendfile64"},
    {"mmap2", "mmap"},
};

// argstr (and extra variables) where stap formats arguments symbolically.
// The generic variables are available: string arguments by name (quoted, as in stap),
// pointers as NAME_uaddr, numbers by name, dfd_str for *dfd.
struct Formatter {
    const char* call;
    const char* extra;  // more prologue statements, or ""
    const char* argstr; // an expression
};
constexpr Formatter kFormatters[] = {
    {"open", "flags_str = _sys_open_flag_str(flags)",
     "flags & 64 ? sprintf(\"%s, %s, %#o\", filename, flags_str, mode) : sprintf(\"%s, %s\", filename, flags_str)"},
    {"openat", "flags_str = _sys_open_flag_str(flags)",
     "flags & 64 ? sprintf(\"%s, %s, %s, %#o\", dfd_str, filename, flags_str, mode) : "
     "sprintf(\"%s, %s, %s\", dfd_str, filename, flags_str)"},
    {"openat2", "how_str = _struct_open_how_str(how_uaddr, usize)",
     "sprintf(\"%s, %s, %s, %u\", dfd_str, filename, how_str, usize)"},
    {"creat", "", "sprintf(\"%s, %#o\", pathname, mode)"},
    {"mmap", "prot_str = _mprotect_prot_str(prot)\n\tflags_str = _mmap_flags(flags)",
     "sprintf(\"%p, %u, %s, %s, %d, %d\", addr, len, prot_str, flags_str, fd, off)"},
    {"mprotect", "prot_str = _mprotect_prot_str(prot)", "sprintf(\"%p, %u, %s\", start, len, prot_str)"},
    {"munmap", "", "sprintf(\"%p, %u\", addr, len)"},
    {"clone", "flags_str = __fork_flags(clone_flags)",
     "sprintf(\"%s, %p, %p, %p, %p\", flags_str, newsp, parent_tidptr_uaddr, child_tidptr_uaddr, tls)"},
    {"kill", "sig_name = _signal_name(sig)", "sprintf(\"%d, %s\", pid, sig_name)"},
    {"tkill", "sig_name = _signal_name(sig)", "sprintf(\"%d, %s\", pid, sig_name)"},
    {"tgkill", "sig_name = _signal_name(sig)", "sprintf(\"%d, %d, %s\", tgid, pid, sig_name)"},
    {"rt_sigaction", "sig_name = _signal_name(sig)",
     "sprintf(\"%s, %p, %p, %u\", sig_name, act_uaddr, oact_uaddr, sigsetsize)"},
    {"rt_sigprocmask", "how_str = _sigprocmask_how_str(how)",
     "sprintf(\"%s, %p, %p, %u\", how_str, nset_uaddr, oset_uaddr, sigsetsize)"},
    {"access", "mode_str = _access_mode_str(mode)", "sprintf(\"%s, %s\", filename, mode_str)"},
    {"faccessat", "mode_str = _access_mode_str(mode)",
     "sprintf(\"%s, %s, %s\", dfd_str, filename, mode_str)"},
    {"faccessat2", "mode_str = _access_mode_str(mode)\n\tflags_str = _at_flag_str(flags)",
     "sprintf(\"%s, %s, %s, %s\", dfd_str, filename, mode_str, flags_str)"},
    {"lseek", "whence_str = _seek_whence_str(whence)", "sprintf(\"%d, %d, %s\", fd, offset, whence_str)"},
    {"unlinkat", "flag_str = _at_flag_str(flag)", "sprintf(\"%s, %s, %s\", dfd_str, pathname, flag_str)"},
    {"newfstatat", "flag_str = _at_flag_str(flag)",
     "sprintf(\"%s, %s, %p, %s\", dfd_str, filename, statbuf_uaddr, flag_str)"},
    {"mkdir", "", "sprintf(\"%s, %#o\", pathname, mode)"},
    {"mkdirat", "", "sprintf(\"%s, %s, %#o\", dfd_str, pathname, mode)"},
    {"chmod", "", "sprintf(\"%s, %#o\", filename, mode)"},
    {"fchmod", "", "sprintf(\"%d, %#o\", fd, mode)"},
    {"fchmodat", "", "sprintf(\"%s, %s, %#o\", dfd_str, filename, mode)"},
    {"futex", "op_str = _futex_op_str(op)",
     "sprintf(\"%p, %s, %d, %p, %p, %d\", uaddr, op_str, val, utime_uaddr, uaddr2_uaddr, val3)"},
};

// Returns formatted with the stap-style hex for these calls' return values.
constexpr const char* kHexReturns[] = {"mmap", "mremap", "brk", "shmat"};

const std::set<std::string>& keywords() {
    static const std::set<std::string> k = {"probe", "global", "private", "function", "if", "else", "for",
                                            "foreach", "in", "limit", "return", "delete", "while", "break",
                                            "continue", "next", "try", "catch", "string", "long"};
    return k;
}

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A pointer to char that holds a NUL-terminated path or name.
bool isStringArgument(const TraceField& f) {
    const std::string& t = f.cType;
    if (t.find("char") == std::string::npos || std::count(t.begin(), t.end(), '*') != 1)
        return false;
    static const std::set<std::string> names = {"filename", "pathname", "path", "name", "oldname",
                                                "newname", "oldpath", "newpath", "specialfile", "special",
                                                "dev_name", "dir_name", "type", "uargs", "library",
                                                "new_root", "put_old", "uname", "_fs_name", "key",
                                                "_type", "_description", "_callout_info", "_name"};
    return names.count(f.name) || endsWith(f.name, "name") || endsWith(f.name, "path") ||
           endsWith(f.name, "filename");
}

struct Syscall {
    std::string stapName;   // the point's name: openat, stat, ...
    std::string tracepoint; // the call's tracepoint name: openat, newstat, ...
};

class SyscallProvider : public ProbeProvider {
public:
    explicit SyscallProvider(std::string family) : family_(std::move(family)) {}

    std::string family() const override { return family_; }
    std::optional<std::string> leadingFunctor() const override { return family_; }

    std::vector<ProbePattern> patterns() const override {
        std::vector<ProbePattern> out;
        for (const Syscall& s : calls()) {
            out.push_back({{{family_, ArgKind::None}, {s.stapName, ArgKind::None}},
                           "when a process enters the " + s.tracepoint + " system call"});
            out.push_back({{{family_, ArgKind::None}, {s.stapName, ArgKind::None}, {"return", ArgKind::None}},
                           "when the " + s.tracepoint + " system call returns"});
        }
        return out;
    }

    std::string check(const ConcretePoint& point) const override {
        if (!event(point))
            return Tracefs::root().empty() ? tracefsProblem()
                                           : "this kernel has no tracepoint for system call '" +
                                                 point.components[1].functor + "'";
        return {};
    }

    std::vector<ContextVar> contextVariables(const ConcretePoint& point) const override {
        std::vector<ContextVar> vars;
        auto ev = event(point);
        if (!ev)
            return vars;
        for (const TraceField& f : ev->fields) {
            if (f.name == "__syscall_nr")
                continue;
            if (isReturn(point)) {
                if (f.name == "ret")
                    vars.push_back(recordVariable(f, "return"));
            } else {
                vars.push_back(recordVariable(f, f.name));
            }
        }
        return vars;
    }

    std::string typeTarget(const ConcretePoint& point, const TargetExpr& target, Type& type) const override {
        return typeKernelTarget(contextVariables(point), target, type, isReturn(point));
    }

    std::string prologue(const ConcretePoint& point) const override {
        auto ev = event(point);
        if (!ev)
            return {};
        const std::string& call = point.components[1].functor;
        std::string tp = tracepointName(call);
        std::string text = "\tname = \"" + call + "\"\n";
        if (isReturn(point)) {
            bool hex = std::find_if(std::begin(kHexReturns), std::end(kHexReturns),
                                    [&](const char* h) { return tp == h; }) != std::end(kHexReturns);
            text += "\tretval = $return\n";
            text += std::string("\tretstr = return_str(") + (hex ? "2" : "1") + ", $return)\n";
            return text;
        }
        std::string format, args;
        auto addArg = [&](const std::string& fmt, const std::string& expr) {
            format += (format.empty() ? "" : ", ") + fmt;
            args += ", " + expr;
        };
        std::map<std::string, std::string> varOfField; // tracepoint field -> our variable
        for (const TraceField& f : ev->fields) {
            if (f.name == "__syscall_nr")
                continue;
            std::string var = f.name;
            if (keywords().count(var))
                var += "_arg";
            ContextVar cv = recordVariable(f, f.name);
            struct Remember {
                std::map<std::string, std::string>& map;
                const std::string& field;
                std::string& var;
                ~Remember() { map[field] = var; }
            } remember{varOfField, f.name, var};
            if (isStringArgument(f)) {
                if (var == "name")
                    var = "name_str";
                // Quoted, as stap's syscall aliases give path and name arguments.
                text += "\t" + var + " = user_string_quoted($" + f.name + ")\n";
                addArg("%s", var);
            } else if (f.isPointer()) {
                if (!endsWith(var, "uaddr"))
                    var += "_uaddr";
                text += "\t" + var + " = $" + f.name + "\n";
                addArg("%p", var);
            } else {
                if (var == "name")
                    var = "name_arg";
                text += "\t" + var + " = $" + f.name + "\n";
                if (endsWith(var, "dfd")) {
                    text += "\t" + var + "_str = _dfd_str(" + var + ")\n";
                    addArg("%s", var + "_str");
                } else if (var == "mode" && f.cType.find("umode_t") != std::string::npos) {
                    addArg("%#o", var);
                } else {
                    addArg(!cv.isSigned && cv.size == 8 ? "%u" : "%d", var);
                }
            }
        }
        // The names stap's aliases use where they differ from the fields
        // (syscall.wait4's `pid` is the field `upid`).
        std::set<std::string> defined;
        for (const auto& [field, var] : varOfField)
            defined.insert(var);
        for (const StapArgumentName& n : kStapArgumentNames) {
            if (call != n.call || defined.count(n.variable))
                continue;
            auto it = varOfField.find(n.field);
            if (it == varOfField.end())
                continue;
            text += "\t" + std::string(n.variable) + " = " + it->second + "\n";
            defined.insert(n.variable);
        }
        const Formatter* special = nullptr;
        for (const Formatter& fm : kFormatters)
            if (tp == fm.call)
                special = &fm;
        if (special && *special->extra)
            text += "\t" + std::string(special->extra) + "\n";
        if (special)
            text += "\targstr = " + std::string(special->argstr) + "\n";
        else if (format.empty())
            text += "\targstr = \"\"\n";
        else
            text += "\targstr = sprintf(\"" + format + "\"" + args + ")\n";
        return text;
    }

    ProbeSite site(const ConcretePoint&) const override { return ProbeSite::Kernel; }

    AttachSpec attach(const ConcretePoint& point) const override {
        AttachSpec a;
        a.kind = AttachSpec::Kind::Tracepoint;
        a.target = std::string("syscalls/") + (isReturn(point) ? "sys_exit_" : "sys_enter_") +
                   tracepointName(point.components[1].functor);
        return a;
    }

    bool isReturnProbe(const ConcretePoint& point) const override { return isReturn(point); }

    std::optional<ConcretePoint> entryPoint(const ConcretePoint& point) const override {
        if (!isReturn(point))
            return std::nullopt;
        ConcretePoint entry = point;
        entry.components.resize(2);
        return entry;
    }

private:
    static bool isReturn(const ConcretePoint& p) { return p.components.size() == 3; }

    static std::string tracepointName(const std::string& call) {
        for (const auto& [stap, tp] : kStapNames)
            if (call == stap)
                return tp;
        return call;
    }

    std::optional<TraceEvent> event(const ConcretePoint& point) const {
        if (point.components.size() < 2)
            return std::nullopt;
        std::string tp = tracepointName(point.components[1].functor);
        return tracefs().event(std::string("syscalls:") + (isReturn(point) ? "sys_exit_" : "sys_enter_") + tp);
    }

    // Every call with both an entry and an exit tracepoint, by stap's name.
    const std::vector<Syscall>& calls() const {
        std::call_once(once_, [this] {
            std::set<std::string> enter, exit;
            for (const std::string& e : tracefs().match("syscalls:sys_enter_*"))
                enter.insert(e.substr(std::string("syscalls:sys_enter_").size()));
            for (const std::string& e : tracefs().match("syscalls:sys_exit_*"))
                exit.insert(e.substr(std::string("syscalls:sys_exit_").size()));
            for (const std::string& n : enter)
                if (exit.count(n))
                    calls_.push_back({n, n});
            if (enter.empty() && Tracefs::root().empty()) {
                // tracefs is root-only: name the calls after the kernel's
                // syscall functions in BTF, so that check() can say why
                // they cannot be resolved.
                if (Btf* btf = Btf::vmlinux())
                    for (const std::string& f : btf->functionNames())
                        for (const char* prefix : {"__x64_sys_", "__arm64_sys_", "__riscv_sys_"})
                            if (f.rfind(prefix, 0) == 0 && f.size() > std::strlen(prefix))
                                calls_.push_back({f.substr(std::strlen(prefix)), f.substr(std::strlen(prefix))});
            }
            // A renamed call is stap's name only, as in stap's tapsets: under
            // both names, syscall.* ran its handler twice for each call.
            for (const auto& [stap, tp] : kStapNames)
                if (enter.count(tp) && exit.count(tp) && !enter.count(stap))
                    for (Syscall& call : calls_)
                        if (call.stapName == tp)
                            call.stapName = stap;
            std::sort(calls_.begin(), calls_.end(),
                      [](const Syscall& a, const Syscall& b) { return a.stapName < b.stapName; });
        });
        return calls_;
    }

    std::string family_;
    mutable std::once_flag once_;
    mutable std::vector<Syscall> calls_;
};

} // namespace

std::unique_ptr<ProbeProvider> makeSyscallProvider(const std::string& family) {
    return std::make_unique<SyscallProvider>(family);
}

} // namespace tap::kernel
