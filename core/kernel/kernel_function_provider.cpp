// kernel.function("f")[.call|.return], kernel.statement(...),
// module("m").function("f")[.return], kprobe.function("f")[.return],
// kprobe.module("m").function("f")[.return], kprobe.statement(ADDR).absolute.
//
// These need fentry/fexit (BPF trampolines, with BTF parameter names and
// types) or kprobes. Whether the running kernel allows them is found out once,
// by loading a minimal fentry program and a minimal kprobe program and
// looking for a way to attach kprobes (the kprobe PMU or tracefs
// kprobe_events). Where neither works, check() says so and suggests the
// tracepoint or tapset alias that covers the same event. Without privileges
// nothing can be tried: the points resolve (the kernel may allow them) and
// pass 5 reports what the kernel says.
#include "kernel/kernel_types.h"
#include "kernel/providers.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>

namespace tap::kernel {

namespace {

enum class Support { Yes, No, Unknown };

struct KernelSupport {
    Support fentry = Support::Unknown, kprobe = Support::Unknown;
    std::string fentryWhy, kprobeWhy; // for No
};

std::string errnoText(int e) {
    const char* name = e == EPERM ? "EPERM" : e == EACCES ? "EACCES" : e == ENOENT ? "ENOENT"
                     : e == EINVAL ? "EINVAL" : e == EOPNOTSUPP ? "EOPNOTSUPP" : nullptr;
    return name ? std::string(name) : std::string(std::strerror(e));
}

int loadMinimal(bpf_prog_type type, const bpf_prog_load_opts* opts) {
    struct bpf_insn insns[2] = {};
    insns[0].code = BPF_ALU64 | BPF_MOV | BPF_K; // r0 = 0
    insns[1].code = BPF_JMP | BPF_EXIT;
    return bpf_prog_load(type, "tap_probe", "GPL", insns, 2, opts);
}

const KernelSupport& kernelSupport() {
    static KernelSupport s = [] {
        KernelSupport k;
        // Tests and code generation for other kernels: TAPSTUDIO_ASSUME_KERNEL_PROBES
        // = "fentry", "kprobe", "fentry,kprobe" or "none" instead of asking this kernel.
        if (const char* assume = std::getenv("TAPSTUDIO_ASSUME_KERNEL_PROBES")) {
            std::string a = assume;
            bool fentry = a.find("fentry") != std::string::npos, kprobe = a.find("kprobe") != std::string::npos;
            k.fentry = fentry ? Support::Yes : Support::No;
            k.kprobe = kprobe ? Support::Yes : Support::No;
            k.fentryWhy = "fentry programs (TAPSTUDIO_ASSUME_KERNEL_PROBES)";
            k.kprobeWhy = "kprobes (TAPSTUDIO_ASSUME_KERNEL_PROBES)";
            return k;
        }
        if (!havePrivileges())
            return k; // cannot tell
        // If not even a tracepoint program loads, BPF is off for us: cannot tell.
        int tp = loadMinimal(BPF_PROG_TYPE_TRACEPOINT, nullptr);
        if (tp < 0)
            return k;
        close(tp);

        // The attach target's id in vmlinux BTF.
        int32_t target = 0;
        if (Btf* btf = Btf::vmlinux())
            for (const char* f : {"do_exit", "vfs_read", "schedule", "do_sys_openat2"})
                if ((target = btf->findFunction(f)) > 0)
                    break;
        if (target <= 0) {
            k.fentry = Support::No;
            k.fentryWhy = "no kernel BTF to attach fentry programs to";
        } else {
            LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY,
                        .attach_btf_id = uint32_t(target));
            int fd = loadMinimal(BPF_PROG_TYPE_TRACING, &opts);
            if (fd >= 0) {
                close(fd);
                k.fentry = Support::Yes;
            } else {
                k.fentry = Support::No;
                k.fentryWhy = "fentry programs (" + errnoText(errno) + ")";
            }
        }

        int kp = loadMinimal(BPF_PROG_TYPE_KPROBE, nullptr);
        if (kp < 0) {
            k.kprobe = Support::No;
            k.kprobeWhy = "kprobe programs (" + errnoText(errno) + ")";
            return k;
        }
        close(kp);
        std::error_code ec;
        std::ifstream pmu("/sys/bus/event_source/devices/kprobe/type");
        int pmuType = -1;
        if (pmu >> pmuType) {
            perf_event_attr attr{};
            attr.size = sizeof(attr);
            attr.type = uint32_t(pmuType);
            attr.config1 = reinterpret_cast<uint64_t>("do_exit");
            int fd = int(syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC));
            if (fd >= 0) {
                close(fd);
                k.kprobe = Support::Yes;
                return k;
            }
            k.kprobe = Support::No;
            k.kprobeWhy = "kprobes (perf_event_open: " + errnoText(errno) + ")";
            return k;
        }
        std::string root = Tracefs::root();
        if (!root.empty() && std::filesystem::exists(root + "/kprobe_events", ec)) {
            k.kprobe = Support::Yes;
            return k;
        }
        k.kprobe = Support::No;
        k.kprobeWhy = "kprobes (no kprobe PMU and no kprobe_events in tracefs)";
        return k;
    }();
    return s;
}

// Tracepoints and tapset aliases that cover what common kernel functions do.
struct Suggestion {
    const char* function;
    const char* tracepoint; // "system:name"
    const char* alias;      // or ""
};
constexpr Suggestion kSuggestions[] = {
    {"__switch_to", "sched:sched_switch", "scheduler.ctxswitch"},
    {"context_switch", "sched:sched_switch", "scheduler.ctxswitch"},
    {"__schedule", "sched:sched_switch", "scheduler.ctxswitch"},
    {"schedule", "sched:sched_switch", "scheduler.ctxswitch"},
    {"finish_task_switch", "sched:sched_switch", "scheduler.ctxswitch"},
    {"do_exit", "sched:sched_process_exit", "kprocess.exit"},
    {"do_group_exit", "sched:sched_process_exit", "kprocess.exit"},
    {"release_task", "sched:sched_process_free", "kprocess.release"},
    {"kernel_clone", "sched:sched_process_fork", "kprocess.create"},
    {"_do_fork", "sched:sched_process_fork", "kprocess.create"},
    {"do_fork", "sched:sched_process_fork", "kprocess.create"},
    {"copy_process", "task:task_newtask", "kprocess.create"},
    {"wake_up_new_task", "sched:sched_wakeup_new", "scheduler.wakeup_new"},
    {"try_to_wake_up", "sched:sched_wakeup", "scheduler.wakeup"},
    {"set_task_cpu", "sched:sched_migrate_task", "scheduler.migrate"},
    {"do_execve", "sched:sched_process_exec", "kprocess.exec_complete"},
    {"do_execveat_common", "sched:sched_process_exec", "kprocess.exec_complete"},
    {"bprm_execve", "sched:sched_process_exec", "kprocess.exec_complete"},
    {"exec_binprm", "sched:sched_process_exec", "kprocess.exec_complete"},
    {"kernel_wait4", "sched:sched_process_wait", "scheduler.process_wait"},
    {"do_wait", "sched:sched_process_wait", "scheduler.process_wait"},
    {"send_signal", "signal:signal_generate", "signal.send"},
    {"__send_signal", "signal:signal_generate", "signal.send"},
    {"send_signal_locked", "signal:signal_generate", "signal.send"},
    {"__send_signal_locked", "signal:signal_generate", "signal.send"},
    {"do_send_sig_info", "signal:signal_generate", "signal.send"},
    {"get_signal", "signal:signal_deliver", "signal.handle"},
    {"handle_signal", "signal:signal_deliver", "signal.handle"},
    {"submit_bio", "block:block_bio_queue", "ioblock_trace.request"},
    {"submit_bio_noacct", "block:block_bio_queue", "ioblock_trace.request"},
    {"generic_make_request", "block:block_bio_queue", "ioblock_trace.request"},
    {"bio_endio", "block:block_bio_complete", "ioblock_trace.end"},
    {"blk_mq_start_request", "block:block_rq_issue", ""},
    {"blk_update_request", "block:block_rq_complete", ""},
    {"netif_receive_skb", "net:netif_receive_skb", "netdev.receive"},
    {"__netif_receive_skb", "net:netif_receive_skb", "netdev.receive"},
    {"__netif_receive_skb_core", "net:netif_receive_skb", "netdev.receive"},
    {"dev_queue_xmit", "net:net_dev_queue", "netdev.transmit"},
    {"__dev_queue_xmit", "net:net_dev_queue", "netdev.transmit"},
    {"dev_hard_start_xmit", "net:net_dev_start_xmit", "netdev.hard_transmit"},
    {"handle_mm_fault", "exceptions:page_fault_user", "vm.pagefault"},
    {"do_user_addr_fault", "exceptions:page_fault_user", "vm.pagefault"},
    {"exc_page_fault", "exceptions:page_fault_user", "vm.pagefault"},
    {"__kmalloc", "kmem:kmalloc", "vm.kmalloc"},
    {"kmalloc", "kmem:kmalloc", "vm.kmalloc"},
    {"__kmalloc_noprof", "kmem:kmalloc", "vm.kmalloc"},
    {"kmem_cache_alloc", "kmem:kmem_cache_alloc", "vm.kmem_cache_alloc"},
    {"kmem_cache_alloc_noprof", "kmem:kmem_cache_alloc", "vm.kmem_cache_alloc"},
    {"kfree", "kmem:kfree", "vm.kfree"},
    {"kmem_cache_free", "kmem:kmem_cache_free", "vm.kmem_cache_free"},
    {"__alloc_pages", "kmem:mm_page_alloc", "vm.pagealloc"},
    {"__alloc_pages_noprof", "kmem:mm_page_alloc", "vm.pagealloc"},
    {"__free_pages", "kmem:mm_page_free", ""},
    {"do_mmap", "syscalls:sys_enter_mmap", "syscall.mmap2"},
    {"do_munmap", "syscalls:sys_enter_munmap", "syscall.munmap"},
    {"vm_brk_flags", "syscalls:sys_enter_brk", "syscall.brk"},
    {"irq_exit", "irq:softirq_entry", ""},
    {"handle_irq_event", "irq:irq_handler_entry", "irq_handler.entry"},
    {"__do_softirq", "irq:softirq_entry", "softirq.entry"},
    {"handle_softirqs", "irq:softirq_entry", "softirq.entry"},
    {"hrtimer_start_range_ns", "timer:hrtimer_start", ""},
    {"add_timer", "timer:timer_start", ""},
    {"tcp_sendmsg", "syscalls:sys_enter_sendto", "syscall.sendto"},
    {"tcp_recvmsg", "syscalls:sys_enter_recvfrom", "syscall.recvfrom"},
    {"tcp_v4_connect", "syscalls:sys_enter_connect", "syscall.connect"},
    {"inet_csk_accept", "syscalls:sys_enter_accept4", "syscall.accept4"},
    {"tcp_retransmit_skb", "tcp:tcp_retransmit_skb", ""},
    {"tcp_set_state", "sock:inet_sock_set_state", ""},
    {"vfs_read", "syscalls:sys_enter_read", "syscall.read"},
    {"vfs_write", "syscalls:sys_enter_write", "syscall.write"},
    {"vfs_open", "syscalls:sys_enter_openat", "syscall.openat"},
    {"do_filp_open", "syscalls:sys_enter_openat", "syscall.openat"},
    {"vfs_unlink", "syscalls:sys_enter_unlinkat", "syscall.unlinkat"},
    {"vfs_fsync_range", "syscalls:sys_enter_fsync", "syscall.fsync"},
    {"filemap_fault", "exceptions:page_fault_user", "vm.pagefault"},
    {"oom_kill_process", "oom:mark_victim", ""},
    {"cpuidle_enter", "power:cpu_idle", ""},
};

// kernel.function("__x64_sys_openat") and friends: the syscall's name.
std::string syscallOf(const std::string& fn) {
    for (const char* prefix : {"__x64_sys_", "__arm64_sys_", "__ia32_sys_", "__ia32_compat_sys_", "__se_sys_",
                               "__do_sys_", "__sys_", "ksys_", "do_sys_", "sys_", "compat_sys_"}) {
        size_t n = std::strlen(prefix);
        if (fn.compare(0, n, prefix) == 0 && fn.size() > n)
            return fn.substr(n);
    }
    return {};
}

std::string suggestionFor(const std::string& fn) {
    if (fn.find_first_of("*?[") != std::string::npos)
        return "use kernel.trace(\"...\") tracepoints (tstap -l 'kernel.trace(\"*\")' lists them) or "
               "tapset aliases such as scheduler.*, syscall.*, signal.*";
    for (const Suggestion& s : kSuggestions) {
        if (fn != s.function || !traceInfo(s.tracepoint))
            continue;
        std::string tp = s.tracepoint;
        std::string text = "use kernel.trace(\"" + tp.substr(tp.find(':') + 1) + "\")";
        if (*s.alias)
            text += " or " + std::string(s.alias);
        return text;
    }
    std::string call = syscallOf(fn);
    if (!call.empty() && traceInfo("syscalls:sys_enter_" + call))
        return "use syscall." + call + " or kernel.trace(\"sys_enter_" + call + "\")";
    return "use a kernel.trace(\"...\") tracepoint (tstap -l 'kernel.trace(\"*\")' lists them)";
}

// Text symbols from /proc/kallsyms: vmlinux functions and, per module, its own.
struct Kallsyms {
    std::vector<std::string> kernel;
    std::map<std::string, std::vector<std::string>> modules;
};
const Kallsyms& kallsyms() {
    static Kallsyms k = [] {
        Kallsyms out;
        std::ifstream in("/proc/kallsyms");
        std::string addr, type, name, module;
        std::string line;
        while (std::getline(in, line)) {
            size_t a = line.find(' '), b = line.find(' ', a + 1);
            if (a == std::string::npos || b == std::string::npos)
                continue;
            char t = line[a + 1];
            if (t != 't' && t != 'T')
                continue;
            size_t tab = line.find('\t', b + 1);
            name = line.substr(b + 1, tab == std::string::npos ? std::string::npos : tab - b - 1);
            if (name.find('.') != std::string::npos) // foo.cold, foo.isra.0
                continue;
            if (tab == std::string::npos) {
                out.kernel.push_back(name);
            } else {
                module = line.substr(tab + 1);
                if (module.size() > 2 && module.front() == '[')
                    module = module.substr(1, module.size() - 2);
                out.modules[module].push_back(name);
            }
        }
        auto tidy = [](std::vector<std::string>& v) {
            std::sort(v.begin(), v.end());
            v.erase(std::unique(v.begin(), v.end()), v.end());
        };
        tidy(out.kernel);
        for (auto& [m, v] : out.modules)
            tidy(v);
        return out;
    }();
    return k;
}

struct Point {
    bool kprobeFamily = false; // kprobe.*: kprobes only, no BTF typing
    std::string module;        // module("m") / kprobe.module("m")
    std::string function;      // function("f") (without @file)
    bool statement = false;
    std::optional<int64_t> address; // statement(ADDR)
    std::string statementSpec;      // statement("...")
    bool isReturn = false;
};

Point parse(const ConcretePoint& p) {
    Point out;
    const auto& c = p.components;
    out.kprobeFamily = !c.empty() && c[0].functor == "kprobe";
    for (const ConcreteComponent& x : c) {
        if (x.functor == "module" && x.string)
            out.module = *x.string;
        else if (x.functor == "function" && x.string)
            out.function = x.string->substr(0, x.string->find('@'));
        else if (x.functor == "statement") {
            out.statement = true;
            out.address = x.number;
            if (x.string)
                out.statementSpec = *x.string;
        } else if (x.functor == "return")
            out.isReturn = true;
    }
    return out;
}

class KernelFunctionProvider : public ProbeProvider {
    // Which mechanism serves a point: fentry (typed), kprobe, or none.
    static AttachSpec::Kind mechanism(const Point& p) {
        const KernelSupport& k = kernelSupport();
        bool fentryOk = k.fentry != Support::No && !p.kprobeFamily && !p.statement && p.module.empty();
        if (fentryOk && (k.fentry == Support::Yes || k.kprobe != Support::Yes))
            return AttachSpec::Kind::Fentry;
        if (k.kprobe != Support::No)
            return AttachSpec::Kind::Kprobe;
        return AttachSpec::Kind::None;
    }

    static std::vector<std::string> functions(const Point& p, AttachSpec::Kind how) {
        std::vector<std::string> out;
        const std::vector<std::string>* names = nullptr;
        static const std::vector<std::string> none;
        if (!p.module.empty()) {
            auto it = kallsyms().modules.find(p.module);
            names = it == kallsyms().modules.end() ? &none : &it->second;
        } else if (how == AttachSpec::Kind::Fentry && Btf::vmlinux()) {
            names = &Btf::vmlinux()->functionNames();
        } else {
            names = &kallsyms().kernel;
            if (names->empty() && Btf::vmlinux()) // kallsyms unreadable: BTF names
                names = &Btf::vmlinux()->functionNames();
        }
        for (const std::string& n : *names)
            if (componentMatches(p.function, n))
                out.push_back(n);
        return out;
    }

public:
    std::string family() const override { return "kernel.function"; }
    std::vector<ProbePattern> patterns() const override {
        using P = PatternComponent;
        const P k{"kernel", ArgKind::None}, fn{"function", ArgKind::String}, ret{"return", ArgKind::None},
            call{"call", ArgKind::None}, mod{"module", ArgKind::String}, kp{"kprobe", ArgKind::None};
        return {
            {{k, fn}, "entry of a kernel function (fentry or kprobe)"},
            {{k, fn, call}, "entry of a kernel function, not inlined copies"},
            {{k, fn, ret}, "return of a kernel function ($return)"},
            {{k, {"statement", ArgKind::String}}, "a kernel statement (\"function\")"},
            {{k, {"statement", ArgKind::Number}, {"absolute", ArgKind::None}}, "a kernel address (guru mode)"},
            {{mod, fn}, "entry of a function of a kernel module"},
            {{mod, fn, call}, "entry of a function of a kernel module"},
            {{mod, fn, ret}, "return of a function of a kernel module"},
            {{kp, fn}, "a kprobe on a kernel function"},
            {{kp, fn, ret}, "a kretprobe on a kernel function"},
            {{kp, {"module", ArgKind::String}, fn}, "a kprobe on a module function"},
            {{kp, {"module", ArgKind::String}, fn, ret}, "a kretprobe on a module function"},
            {{kp, {"statement", ArgKind::Number}, {"absolute", ArgKind::None}}, "a kprobe on an address"},
        };
    }

    std::string check(const ConcretePoint& point) const override {
        Point p = parse(point);
        const KernelSupport& k = kernelSupport();
        AttachSpec::Kind how = mechanism(p);
        if (how == AttachSpec::Kind::None) {
            std::string refused;
            if (k.fentry == Support::No && !p.kprobeFamily)
                refused = k.fentryWhy;
            if (!refused.empty())
                refused += " and ";
            refused += k.kprobeWhy;
            std::string what = p.function.empty() ? p.statementSpec : p.function;
            return "this kernel refuses " + refused + ", which " + point.str() + " needs; " +
                   suggestionFor(what);
        }
        if (p.statement) {
            if (!p.address && p.statementSpec.find(':') != std::string::npos)
                return "kernel.statement(\"" + p.statementSpec +
                       "\") needs kernel debuginfo (DWARF line tables), which TapStudio does not read for the "
                       "kernel; probe the function instead";
            if (p.address && !p.kprobeFamily && point.components.size() == 3)
                return {}; // kernel.statement(ADDR).absolute: the runtime checks guru mode
            if (p.address)
                return {};
            p.function = p.statementSpec.substr(0, p.statementSpec.find('@'));
        }
        if (!p.module.empty() && !std::filesystem::exists("/sys/module/" + p.module))
            return "module '" + p.module + "' is not loaded";
        if (functions(p, how).empty())
            return "no kernel function matches \"" + p.function + "\"" +
                   (p.module.empty() ? std::string() : " in module '" + p.module + "'");
        return {};
    }

    std::vector<ConcretePoint> expand(const ConcretePoint& point) const override {
        Point p = parse(point);
        if (p.statement || p.function.find_first_of("*?[") == std::string::npos)
            return {point};
        std::vector<ConcretePoint> out;
        for (const std::string& f : functions(p, mechanism(p))) {
            ConcretePoint c = point;
            for (ConcreteComponent& x : c.components)
                if (x.functor == "function")
                    x.string = f;
            out.push_back(std::move(c));
        }
        return out;
    }

    std::vector<ContextVar> contextVariables(const ConcretePoint& point) const override {
        Point p = parse(point);
        std::vector<ContextVar> vars;
        Btf* btf = Btf::vmlinux();
        // kprobe.* points have no $variables in stap (no debuginfo used).
        if (!btf || !p.module.empty() || p.function.empty() || p.statement || p.kprobeFamily)
            return vars;
        int32_t ret = 0;
        auto params = btf->functionParams(p.function, &ret);
        if (!params)
            return vars;
        AttachSpec::Kind how = mechanism(p);
        for (size_t i = 0; i < params->size(); ++i) {
            if (how == AttachSpec::Kind::Kprobe && i >= 6)
                break; // PT_REGS_PARM1..6
            vars.push_back(btfVariable(*btf, (*params)[i].name, (*params)[i].type, int(i)));
        }
        if (p.isReturn && ret != 0) {
            ContextVar r = btfVariable(*btf, "return", ret, how == AttachSpec::Kind::Fentry ? int(params->size()) : 0);
            vars.push_back(r);
        }
        return vars;
    }

    std::string typeTarget(const ConcretePoint& point, const TargetExpr& target, Type& type) const override {
        return typeKernelTarget(contextVariables(point), target, type, parse(point).isReturn);
    }

    ProbeSite site(const ConcretePoint&) const override { return ProbeSite::Kernel; }

    AttachSpec attach(const ConcretePoint& point) const override {
        Point p = parse(point);
        AttachSpec a;
        a.kind = mechanism(p);
        a.isReturn = p.isReturn;
        if (p.statement && p.address) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(*p.address));
            a.target = buf;
        } else {
            a.target = p.statement ? p.statementSpec.substr(0, p.statementSpec.find('@')) : p.function;
        }
        return a;
    }

    bool isReturnProbe(const ConcretePoint& point) const override { return parse(point).isReturn; }
};

} // namespace

std::unique_ptr<ProbeProvider> makeKernelFunctionProvider() { return std::make_unique<KernelFunctionProvider>(); }

// A one-line summary of what this kernel allows, for `tstap -v` and tests.
std::string kernelFunctionSupport() {
    const KernelSupport& k = kernelSupport();
    auto say = [](Support s, const std::string& why) {
        return s == Support::Yes ? std::string("yes") : s == Support::No ? "no: " + why : std::string("unknown");
    };
    return "fentry " + say(k.fentry, k.fentryWhy) + "; kprobes " + say(k.kprobe, k.kprobeWhy);
}

} // namespace tap::kernel
