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
#include "kernel/kernel_facts.h"
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
#include <optional>
#include <set>
#include <sstream>

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
        // Another kernel's facts (tstap -r) say what it allowed in their file "attach".
        std::string attach;
        if (otherKernel())
            std::getline(std::ifstream(kernelFile("/attach")), attach);
        const char* assume = std::getenv("TAPSTUDIO_ASSUME_KERNEL_PROBES");
        if (assume || otherKernel()) {
            std::string a = assume ? assume : attach;
            bool fentry = a.find("fentry") != std::string::npos, kprobe = a.find("kprobe") != std::string::npos;
            k.fentry = fentry ? Support::Yes : Support::No;
            k.kprobe = kprobe ? Support::Yes : Support::No;
            std::string said = assume ? "TAPSTUDIO_ASSUME_KERNEL_PROBES" : "the facts of " + kernelRelease();
            k.fentryWhy = "fentry programs (" + said + ")";
            k.kprobeWhy = "kprobes (" + said + ")";
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
    {"sock_sendmsg", "sock:sock_send_length", "socket.send"},
    {"sock_recvmsg", "sock:sock_recv_length", "socket.receive"},
    {"tcp_sendmsg", "sock:sock_send_length", "socket.send"},
    {"tcp_recvmsg", "sock:sock_recv_length", "socket.receive"},
    {"udp_sendmsg", "sock:sock_send_length", "socket.send"},
    {"udp_recvmsg", "sock:sock_recv_length", "socket.receive"},
    {"__sock_create", "syscalls:sys_enter_socket", "syscall.socket"},
    {"tcp_setsockopt", "syscalls:sys_enter_setsockopt", "syscall.setsockopt"},
    {"vfs_readv", "syscalls:sys_enter_readv", "syscall.readv"},
    {"vfs_writev", "syscalls:sys_enter_writev", "syscall.writev"},
    {"vfs_open", "syscalls:sys_enter_openat", "syscall.openat"},
    {"check_kill_permission", "signal:signal_generate", "signal.send"},
    {"prepare_signal", "signal:signal_generate", "signal.send"},
    {"do_sigaction", "syscalls:sys_enter_rt_sigaction", "syscall.rt_sigaction"},
    {"sigprocmask", "syscalls:sys_enter_rt_sigprocmask", "syscall.rt_sigprocmask"},
    {"do_mmap", "syscalls:sys_enter_mmap", "syscall.mmap2"},
    {"do_vmi_munmap", "syscalls:sys_enter_munmap", "syscall.munmap"},
    {"do_mas_munmap", "syscalls:sys_enter_munmap", "syscall.munmap"},
    {"do_brk_flags", "syscalls:sys_enter_brk", "syscall.brk"},
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

// The kernel's functions as its own lists give them: text symbols from
// kallsyms (vmlinux's and each module's) by their source name, a compiler
// clone (finish_task_switch.isra.0, .constprop.N, .part.N) under the name
// of the function it was made from (a .cold part is no entry); the
// functions ftrace can trace (fentry attaches only there); the kprobe
// blacklist (kprobes refuse those).
struct KernelFunctions {
    using Symbols = std::map<std::string, std::vector<std::string>>; // name -> kallsyms symbols
    Symbols kernel;
    std::map<std::string, Symbols> modules;
    std::vector<std::string> kernelNames; // sorted
    std::map<std::string, std::vector<std::string>> moduleNames;
    std::optional<std::set<std::string>> traceable, blacklisted; // unknown when unreadable
};

std::optional<std::set<std::string>> readNames(const std::string& path, int field) {
    std::ifstream in(path);
    if (!in)
        return std::nullopt;
    std::set<std::string> names;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string word;
        for (int i = 0; i <= field && words >> word; ++i)
            if (i == field)
                names.insert(word);
    }
    return names;
}

const KernelFunctions& kernelFunctions() {
    static KernelFunctions k = [] {
        KernelFunctions out;
        std::ifstream in(kernelFile("/proc/kallsyms"));
        std::string line;
        while (std::getline(in, line)) {
            size_t a = line.find(' '), b = line.find(' ', a + 1);
            if (a == std::string::npos || b == std::string::npos)
                continue;
            char t = line[a + 1];
            if (t != 't' && t != 'T')
                continue;
            size_t tab = line.find('\t', b + 1);
            std::string symbol = line.substr(b + 1, tab == std::string::npos ? std::string::npos : tab - b - 1);
            if (symbol.find(".cold") != std::string::npos)
                continue;
            std::string name = symbol.substr(0, symbol.find('.'));
            if (tab == std::string::npos) {
                out.kernel[name].push_back(symbol);
            } else {
                std::string module = line.substr(tab + 1);
                if (module.size() > 2 && module.front() == '[')
                    module = module.substr(1, module.size() - 2);
                out.modules[module][name].push_back(symbol);
            }
        }
        // The function's own symbol first, then its clones in order.
        auto tidy = [](KernelFunctions::Symbols& symbols, std::vector<std::string>& names) {
            for (auto& [function, list] : symbols) {
                const std::string& name = function; // clang 14 cannot capture a structured binding
                std::sort(list.begin(), list.end(), [&](const std::string& x, const std::string& y) {
                    return std::make_pair(x != name, x) < std::make_pair(y != name, y);
                });
                list.erase(std::unique(list.begin(), list.end()), list.end());
                names.push_back(name);
            }
        };
        tidy(out.kernel, out.kernelNames);
        for (auto& [m, symbols] : out.modules)
            tidy(symbols, out.moduleNames[m]);
        std::string tracing = Tracefs::root();
        if (!tracing.empty())
            out.traceable = readNames(tracing + "/available_filter_functions", 0);
        out.blacklisted = readNames(kernelFile("/sys/kernel/debug/kprobes/blacklist"), 1);
        return out;
    }();
    return k;
}

struct Point {
    bool kprobeFamily = false; // kprobe.*: kprobes only, no BTF typing
    std::string module;        // module("m") / kprobe.module("m")
    std::string function;      // function("f") (without @file)
    std::string file;          // function("f@FILE"): FILE, a wildcard
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
        else if (x.functor == "function" && x.string) {
            size_t at = x.string->find('@');
            out.function = x.string->substr(0, at);
            if (at != std::string::npos)
                out.file = x.string->substr(at + 1, x.string->find(':', at) - at - 1);
        }
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

// Whether the kernel takes a kprobe on `symbol`, tried where that is
// uncertain: kprobes refuse some functions that are on no blacklist
// (__switch_to: EINVAL). "" when it does or cannot be asked here.
std::string kprobeRefusal(const std::string& symbol) {
    static std::mutex mutex;
    static std::map<std::string, std::string> tried;
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = tried.find(symbol); it != tried.end())
        return it->second;
    std::string refusal;
    std::ifstream pmu("/sys/bus/event_source/devices/kprobe/type");
    int pmuType = -1;
    if (!otherKernel() && havePrivileges() && pmu >> pmuType) {
        perf_event_attr attr{};
        attr.size = sizeof(attr);
        attr.type = uint32_t(pmuType);
        attr.config1 = reinterpret_cast<uint64_t>(symbol.c_str());
        int fd = int(syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC));
        if (fd >= 0)
            close(fd);
        else
            refusal = "the kernel refuses a kprobe on " + symbol + " (" + errnoText(errno) + ")";
    }
    return tried[symbol] = refusal;
}

bool inBtf(const std::string& function) {
    Btf* btf = Btf::vmlinux();
    return btf && std::binary_search(btf->functionNames().begin(), btf->functionNames().end(), function);
}

// How a point is probed: fentry/fexit (typed by BTF) where the kernel allows
// it on the function, else a kprobe on its symbol (or its compiler clone's),
// else, for an entry the kernel lets neither probe, the tracepoint of the
// same event when it carries the function's parameters. None says why.
struct Plan {
    AttachSpec::Kind kind = AttachSpec::Kind::None;
    std::string target;               // the symbol, address or tracepoint
    std::vector<int> tracepointArgs;  // TpBtf: the argument of each parameter
    std::vector<std::string> refused; // "fentry: ...", "kprobes: ..." for the ways not taken
};

// The tracepoint that reports what `function` does, and its argument for
// each of the function's parameters (matched by type, in order).
bool tracepointInstead(const std::string& function, Plan& plan) {
    Btf* btf = Btf::vmlinux();
    auto params = btf ? btf->functionParams(function) : std::nullopt;
    if (!params)
        return false;
    for (const Suggestion& s : kSuggestions) {
        if (function != s.function)
            continue;
        std::string name = std::string(s.tracepoint).substr(std::string(s.tracepoint).find(':') + 1);
        auto args = btf->tracepointParams(name);
        if (!args || !traceInfo(s.tracepoint))
            return false;
        std::vector<int> mapping;
        size_t next = 0;
        for (const BtfParam& param : *params) {
            while (next < args->size() && btf->strip((*args)[next].type) != btf->strip(param.type))
                ++next;
            if (next == args->size())
                return false;
            mapping.push_back(int(next++));
        }
        plan.kind = AttachSpec::Kind::TpBtf;
        plan.target = name;
        plan.tracepointArgs = std::move(mapping);
        return true;
    }
    return false;
}

// The 8-byte slots (registers) an argument takes: one, two for a struct of
// 9 to 16 bytes (sockptr_t), none for a larger one (passed in memory).
int argumentSlots(const Btf& btf, int32_t type) {
    int64_t size = btf.size(type);
    return size > 16 ? 0 : size > 8 ? 2 : 1;
}

// BPF trampolines (fentry/fexit) take at most 6 argument registers before
// Linux 6.6 (do_mmap has 8): such a function is left to kprobes.
bool tooManyArgumentsForFentry(const std::string& function) {
    Btf* btf = Btf::vmlinux();
    auto params = btf ? btf->functionParams(function) : std::nullopt;
    if (!params)
        return false;
    int slots = 0;
    for (const BtfParam& param : *params)
        slots += argumentSlots(*btf, param.type);
    return slots > 6;
}

Plan planFor(const Point& p) {
    const KernelSupport& k = kernelSupport();
    const KernelFunctions& f = kernelFunctions();
    Plan plan;
    if (p.statement && p.address) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(*p.address));
        plan.target = buf;
        if (k.kprobe != Support::No)
            plan.kind = AttachSpec::Kind::Kprobe;
        else
            plan.refused.push_back("kprobes: the kernel refuses " + k.kprobeWhy);
        return plan;
    }
    std::string function = p.statement ? p.statementSpec.substr(0, p.statementSpec.find('@')) : p.function;
    const KernelFunctions::Symbols& table = p.module.empty() ? f.kernel : [&]() -> const KernelFunctions::Symbols& {
        static const KernelFunctions::Symbols none;
        auto it = f.modules.find(p.module);
        return it == f.modules.end() ? none : it->second;
    }();
    auto symbols = table.find(function);
    bool ownSymbol = symbols != table.end() && symbols->second.front() == function;
    bool kallsymsRead = !f.kernel.empty();

    if (!p.kprobeFamily && !p.statement && p.module.empty()) {
        if (k.fentry == Support::No)
            plan.refused.push_back("fentry: the kernel refuses " + k.fentryWhy);
        else if (!inBtf(function))
            plan.refused.push_back("fentry: the kernel's BTF does not describe it");
        else if (kallsymsRead && symbols == table.end())
            plan.refused.push_back("fentry: kallsyms has no symbol " + function);
        else if (kallsymsRead && !ownSymbol)
            plan.refused.push_back("fentry: only its compiler clone " + symbols->second.front() + " exists");
        else if (f.traceable && !f.traceable->count(function))
            plan.refused.push_back("fentry: ftrace cannot trace it (notrace)");
        else if (tooManyArgumentsForFentry(function))
            plan.refused.push_back("fentry: more than 6 argument registers");
        else {
            plan.kind = AttachSpec::Kind::Fentry;
            plan.target = function;
            return plan;
        }
    }
    if (k.kprobe == Support::No) {
        plan.refused.push_back("kprobes: the kernel refuses " + k.kprobeWhy);
    } else if (symbols == table.end() && kallsymsRead) {
        plan.refused.push_back("kprobes: kallsyms has no symbol " + function);
    } else {
        std::string symbol = symbols == table.end() ? function : symbols->second.front();
        bool traceable = !f.traceable || f.traceable->count(symbol);
        std::string refusal;
        if (f.blacklisted && f.blacklisted->count(symbol)) {
            plan.refused.push_back("kprobes: " + symbol + " is on the kernel's kprobe blacklist");
        } else if (!traceable && !(refusal = kprobeRefusal(symbol)).empty()) {
            plan.refused.push_back("kprobes: " + refusal);
        } else {
            plan.kind = AttachSpec::Kind::Kprobe;
            plan.target = symbol;
            return plan;
        }
    }
    if (!p.kprobeFamily && !p.statement && !p.isReturn && p.module.empty())
        tracepointInstead(function, plan);
    return plan;
}

class KernelFunctionProvider : public ProbeProvider {
    static std::vector<std::string> functions(const Point& p) {
        const KernelFunctions& f = kernelFunctions();
        const std::vector<std::string>* names = &f.kernelNames;
        static const std::vector<std::string> none;
        if (!p.module.empty()) {
            auto it = f.moduleNames.find(p.module);
            names = it == f.moduleNames.end() ? &none : &it->second;
        } else if (names->empty() && Btf::vmlinux()) { // kallsyms unreadable: BTF names
            names = &Btf::vmlinux()->functionNames();
        }
        std::vector<std::string> out;
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
        std::string what = p.function.empty() ? p.statementSpec : p.function;
        if (k.kprobe == Support::No && (k.fentry == Support::No || p.kprobeFamily)) {
            std::string refused;
            if (k.fentry == Support::No && !p.kprobeFamily)
                refused = k.fentryWhy + " and ";
            return "this kernel refuses " + refused + k.kprobeWhy + ", which " + point.str() + " needs; " +
                   suggestionFor(what);
        }
        if (p.statement) {
            if (!p.address && p.statementSpec.find(':') != std::string::npos)
                return "kernel.statement(\"" + p.statementSpec +
                       "\") needs kernel debuginfo (DWARF line tables), which TapStudio does not read for the "
                       "kernel; probe the function instead";
            if (p.address)
                return {}; // kernel.statement(ADDR).absolute: the runtime checks guru mode
            p.function = what.substr(0, what.find('@'));
        }
        // Which file defines a function is known only to DWARF. A named
        // function is one function whatever its file; a wildcard would
        // otherwise match every function of the kernel.
        if (!p.file.empty() && p.file != "*" && p.function.find_first_of("*?[") != std::string::npos)
            return point.str() + " picks functions by their source file: that needs the kernel's debuginfo " +
                   "(DWARF), which TapStudio does not read for the kernel; name the functions instead " +
                   "(wildcards over their names work)";
        if (!p.module.empty() && !std::filesystem::exists(kernelFile("/sys/module/" + p.module)))
            return "module '" + p.module + "' is not loaded";
        std::vector<std::string> found = functions(p);
        if (found.empty())
            return "no kernel function matches \"" + p.function + "\"" +
                   (p.module.empty() ? std::string() : " in module '" + p.module + "'");
        if (p.function.find_first_of("*?[") != std::string::npos)
            return {};
        Plan plan = planFor(p);
        if (plan.kind != AttachSpec::Kind::None)
            return {};
        std::string why;
        for (const std::string& r : plan.refused)
            why += (why.empty() ? "" : "; ") + r;
        return point.str() + " cannot be probed on this kernel (" + why + "); " + suggestionFor(p.function);
    }

    std::vector<ConcretePoint> expand(const ConcretePoint& point) const override {
        Point p = parse(point);
        if (p.statement || p.function.find_first_of("*?[") == std::string::npos)
            return {point};
        // A wildcard leaves out the functions nothing can probe, as stap does.
        std::vector<ConcretePoint> out;
        for (const std::string& f : functions(p)) {
            Point one = p;
            one.function = f;
            if (planFor(one).kind == AttachSpec::Kind::None)
                continue;
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
        // kprobe.* points have no $variables in stap (no debuginfo used) but
        // the return value, a long.
        if (p.kprobeFamily && p.isReturn) {
            ContextVar r;
            r.name = "$return";
            r.cType = "long";
            r.argIndex = 0;
            r.isSigned = true;
            vars.push_back(r);
        }
        if (!btf || !p.module.empty() || p.function.empty() || p.statement || p.kprobeFamily)
            return vars;
        int32_t ret = 0;
        auto params = btf->functionParams(p.function, &ret);
        Plan plan = planFor(p);
        // A clone's arguments are not the source's (the compiler dropped or
        // reordered them): it offers none.
        if (!params || (plan.kind == AttachSpec::Kind::Kprobe && plan.target != p.function))
            return vars;
        // tcp_setsockopt's optlen is in the sixth slot (sockptr_t takes two);
        // a struct passed in memory is offered neither by fentry nor kprobes.
        int slot = 0;
        for (size_t i = 0; i < params->size(); ++i) {
            int slots = argumentSlots(*btf, (*params)[i].type);
            if (plan.kind == AttachSpec::Kind::Kprobe && slot + slots > 6)
                break; // PT_REGS_PARM1..6
            int index = plan.kind == AttachSpec::Kind::TpBtf ? plan.tracepointArgs[i] : slot;
            if (slots > 0 || plan.kind == AttachSpec::Kind::TpBtf)
                vars.push_back(btfVariable(*btf, (*params)[i].name, (*params)[i].type, index));
            slot += slots;
        }
        if (p.isReturn && ret != 0)
            vars.push_back(btfVariable(*btf, "return", ret, plan.kind == AttachSpec::Kind::Fentry ? slot : 0));
        return vars;
    }

    std::string typeTarget(const ConcretePoint& point, const TargetExpr& target, Type& type) const override {
        return typeKernelTarget(contextVariables(point), target, type, parse(point).isReturn);
    }

    ProbeSite site(const ConcretePoint&) const override { return ProbeSite::Kernel; }

    AttachSpec attach(const ConcretePoint& point) const override {
        Point p = parse(point);
        Plan plan = planFor(p);
        AttachSpec a;
        a.kind = plan.kind;
        a.isReturn = p.isReturn;
        a.target = plan.target;
        return a;
    }

    bool isReturnProbe(const ConcretePoint& point) const override { return parse(point).isReturn; }

    // @entry(...) in a .return probe is evaluated by a probe at the entry.
    std::optional<ConcretePoint> entryPoint(const ConcretePoint& point) const override {
        if (!parse(point).isReturn)
            return std::nullopt;
        ConcretePoint entry = point;
        entry.components.pop_back(); // .return is the last component
        return entry;
    }
};

} // namespace

std::unique_ptr<ProbeProvider> makeKernelFunctionProvider() { return std::make_unique<KernelFunctionProvider>(); }

std::string kernelFunctionMechanism(const ConcretePoint& point) {
    Plan plan = planFor(parse(point));
    std::string how = plan.kind == AttachSpec::Kind::Fentry ? std::string(parse(point).isReturn ? "fexit" : "fentry")
                    : plan.kind == AttachSpec::Kind::Kprobe ? std::string(parse(point).isReturn ? "kretprobe" : "kprobe") + " on " + plan.target
                    : plan.kind == AttachSpec::Kind::TpBtf  ? "tracepoint " + plan.target
                                                            : std::string("nothing");
    for (const std::string& r : plan.refused)
        how += "; " + r;
    return how;
}

// A one-line summary of what this kernel allows, for `tstap -v` and tests.
std::string kernelFunctionSupport() {
    const KernelSupport& k = kernelSupport();
    auto say = [](Support s, const std::string& why) {
        return s == Support::Yes ? std::string("yes") : s == Support::No ? "no: " + why : std::string("unknown");
    };
    return "fentry " + say(k.fentry, k.fentryWhy) + "; kprobes " + say(k.kprobe, k.kprobeWhy);
}

} // namespace tap::kernel
