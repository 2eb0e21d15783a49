#include "capability_probe.h"

#include "kallsyms.h"
#include "netfilter_link.h"

#include "kernel/btf.h"
#include "uprobe_multi.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <elf.h>
#include <fcntl.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>

namespace tap::rt {

namespace {

// r0 = 0; exit: the smallest program every program type accepts.
const bpf_insn kReturnZero[] = {
    {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0},
    {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
};

// A file descriptor closed when it goes out of scope.
struct Fd {
    int fd = -1;
    explicit Fd(int f) : fd(f) {}
    ~Fd() {
        if (fd >= 0) close(fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
};

std::string errnoText(const char* what, int err) {
    return std::string(what) + ": " + std::strerror(err) + (err == EPERM || err == EACCES ? " (refused)" : "");
}

int loadProgram(bpf_prog_type type, bpf_attach_type expected = bpf_attach_type(0), uint32_t btfId = 0) {
    LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = expected, .attach_btf_id = btfId);
    int fd = bpf_prog_load(type, "tap_capability", "GPL", kReturnZero, 2, &opts);
    return fd < 0 ? -errno : fd;
}

long perfEventOpen(perf_event_attr& attr, int pid, int cpu) {
    return syscall(__NR_perf_event_open, &attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

std::string readFirstLine(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

// The tracefs folder that has the events (it may be unreadable to this user).
std::string tracefsDir() {
    for (const char* dir : {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"})
        if (access((std::string(dir) + "/events").c_str(), F_OK) == 0) return dir;
    return {};
}

// Attaches a loaded program to a perf event fd; the check's result.
CapabilityCheck attachToPerfEvent(const std::string& name, int progFd, long perfFd, const std::string& what) {
    if (perfFd < 0) return {name, false, errnoText(("perf_event_open for " + what).c_str(), errno)};
    Fd perf{int(perfFd)};
    if (ioctl(perf.fd, PERF_EVENT_IOC_SET_BPF, progFd) != 0)
        return {name, false, errnoText(("attaching to " + what).c_str(), errno)};
    return {name, true, "attached to " + what};
}

CapabilityCheck withProgram(const std::string& name, bpf_prog_type type,
                            const std::function<CapabilityCheck(int)>& attach,
                            bpf_attach_type expected = bpf_attach_type(0), uint32_t btfId = 0) {
    int fd = loadProgram(type, expected, btfId);
    if (fd < 0) return {name, false, errnoText("loading a program", -fd)};
    Fd prog(fd);
    return attach(prog.fd);
}

CapabilityCheck tracepoint() {
    std::string dir = tracefsDir();
    if (dir.empty()) {
        // Mounted but closed to this user, or not mounted at all.
        int err = access("/sys/kernel/tracing/events", F_OK) == 0 ? 0 : errno;
        if (err != ENOENT) return {"tracepoint", false, errnoText("reading /sys/kernel/tracing/events", err)};
        return {"tracepoint", false, "tracefs is not mounted (tstap mounts it as root)"};
    }
    std::string idPath = dir + "/events/sched/sched_switch/id";
    std::string id = readFirstLine(idPath);
    if (id.empty()) return {"tracepoint", false, errnoText(("reading " + idPath).c_str(), errno)};
    return withProgram("tracepoint", BPF_PROG_TYPE_TRACEPOINT, [&](int prog) {
        perf_event_attr attr{};
        attr.type = PERF_TYPE_TRACEPOINT;
        attr.size = sizeof attr;
        attr.config = std::stoull(id);
        attr.sample_period = 1;
        return attachToPerfEvent("tracepoint", prog, perfEventOpen(attr, -1, 0), "sched:sched_switch");
    });
}

CapabilityCheck rawTracepoint() {
    return withProgram("raw_tracepoint", BPF_PROG_TYPE_RAW_TRACEPOINT, [](int prog) -> CapabilityCheck {
        int link = bpf_raw_tracepoint_open("sched_switch", prog);
        if (link < 0) return {"raw_tracepoint", false, errnoText("attaching to sched_switch", errno)};
        close(link);
        return {"raw_tracepoint", true, "attached to sched_switch"};
    });
}

// kprobe and kretprobe through the kprobe PMU (what libbpf uses).
CapabilityCheck kprobe(bool isReturn) {
    std::string name = isReturn ? "kretprobe" : "kprobe";
    std::string type = readFirstLine("/sys/bus/event_source/devices/kprobe/type");
    if (type.empty()) return {name, false, "the kernel has no kprobe PMU (/sys/bus/event_source/devices/kprobe)"};
    return withProgram(name, BPF_PROG_TYPE_KPROBE, [&](int prog) {
        static const char symbol[] = "do_sys_openat2";
        perf_event_attr attr{};
        attr.type = std::stoul(type);
        attr.size = sizeof attr;
        attr.config = isReturn ? 1 : 0; // format/retprobe is config:0 on every kernel with the PMU
        attr.config1 = reinterpret_cast<uint64_t>(symbol);
        attr.sample_period = 1;
        return attachToPerfEvent(name, prog, perfEventOpen(attr, -1, 0), std::string(symbol) + " (kernel function)");
    });
}

CapabilityCheck fentry(bool isExit) {
    std::string name = isExit ? "fexit" : "fentry";
    const kernel::Btf* vmlinux = kernel::Btf::vmlinux();
    if (!vmlinux) return {name, false, "no kernel BTF (needed to name the function)"};
    int32_t id = vmlinux->findFunction("do_sys_openat2");
    if (id <= 0) return {name, false, "do_sys_openat2 is not in the kernel's BTF"};
    bpf_attach_type kind = isExit ? BPF_TRACE_FEXIT : BPF_TRACE_FENTRY;
    return withProgram(
        name, BPF_PROG_TYPE_TRACING,
        [&](int prog) -> CapabilityCheck {
            int link = bpf_raw_tracepoint_open(nullptr, prog);
            if (link < 0) return {name, false, errnoText("attaching to do_sys_openat2", errno)};
            close(link);
            return {name, true, "attached to do_sys_openat2"};
        },
        kind, uint32_t(id));
}

// The file offset of this program's entry point: an instruction a uprobe can sit on.
bool entryOffset(const std::string& path, uint64_t& offset) {
    std::ifstream in(path, std::ios::binary);
    Elf64_Ehdr eh{};
    if (!in.read(reinterpret_cast<char*>(&eh), sizeof eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
        eh.e_ident[EI_CLASS] != ELFCLASS64)
        return false;
    for (int i = 0; i < eh.e_phnum; ++i) {
        Elf64_Phdr ph{};
        in.seekg(std::streamoff(eh.e_phoff + uint64_t(i) * eh.e_phentsize));
        if (!in.read(reinterpret_cast<char*>(&ph), sizeof ph)) return false;
        if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X) && eh.e_entry >= ph.p_vaddr &&
            eh.e_entry < ph.p_vaddr + ph.p_filesz) {
            offset = eh.e_entry - ph.p_vaddr + ph.p_offset;
            return true;
        }
    }
    return false;
}

std::string selfExecutable() {
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, size_t(n)) : std::string();
}

CapabilityCheck uprobe() {
    std::string type = readFirstLine("/sys/bus/event_source/devices/uprobe/type");
    if (type.empty()) return {"uprobe", false, "the kernel has no uprobe PMU (/sys/bus/event_source/devices/uprobe)"};
    std::string exe = selfExecutable();
    uint64_t offset = 0;
    if (!entryOffset(exe, offset)) return {"uprobe", false, "cannot find an instruction to probe in " + exe};
    return withProgram("uprobe", BPF_PROG_TYPE_KPROBE, [&](int prog) {
        perf_event_attr attr{};
        attr.type = std::stoul(type);
        attr.size = sizeof attr;
        attr.config1 = reinterpret_cast<uint64_t>(exe.c_str());
        attr.config2 = offset;
        attr.sample_period = 1;
        return attachToPerfEvent("uprobe", prog, perfEventOpen(attr, getpid(), -1), "tstap's entry point");
    });
}

CapabilityCheck uprobeMulti() {
    std::string exe = selfExecutable();
    uint64_t offset = 0;
    if (!entryOffset(exe, offset)) return {"uprobe_multi", false, "cannot find an instruction to probe in " + exe};
    return withProgram(
        "uprobe_multi", BPF_PROG_TYPE_KPROBE,
        [&](int prog) -> CapabilityCheck {
            int link = attachUprobeMulti(prog, exe, {offset}, {}, {}, false, getpid());
            if (link < 0) return {"uprobe_multi", false, errnoText("creating a uprobe_multi link", -link)};
            close(link);
            return {"uprobe_multi", true, "linked to tstap's entry point"};
        },
        bpf_attach_type(kAttachUprobeMulti));
}

CapabilityCheck perfEvent() {
    return withProgram("perf_event", BPF_PROG_TYPE_PERF_EVENT, [](int prog) {
        perf_event_attr attr{};
        attr.type = PERF_TYPE_SOFTWARE;
        attr.size = sizeof attr;
        attr.config = PERF_COUNT_SW_CPU_CLOCK;
        attr.sample_freq = 10;
        attr.freq = 1;
        return attachToPerfEvent("perf_event", prog, perfEventOpen(attr, -1, 0), "the CPU clock (cpu 0)");
    });
}

// kernel.data: a hardware breakpoint on kernel memory (the kernel's first
// text byte, read or written; nothing reads it as data meanwhile).
CapabilityCheck hwBreakpoint() {
    return withProgram("hw_breakpoint", BPF_PROG_TYPE_PERF_EVENT, [](int prog) {
        uint64_t text = kernelSymbolAddress("_text");
        if (!text)
            return CapabilityCheck{"hw_breakpoint", false, "/proc/kallsyms shows no kernel address (not root?)"};
        perf_event_attr attr{};
        attr.type = PERF_TYPE_BREAKPOINT;
        attr.size = sizeof attr;
        attr.bp_type = HW_BREAKPOINT_RW;
        attr.bp_addr = text;
        attr.bp_len = HW_BREAKPOINT_LEN_4;
        attr.sample_period = 1;
        return attachToPerfEvent("hw_breakpoint", prog, perfEventOpen(attr, -1, 0), "a breakpoint on _text (cpu 0)");
    });
}

// netfilter.hook: a program at IPv4's LOCAL_IN hook. It returns NF_ACCEPT,
// so that no packet is lost while it is there.
CapabilityCheck netfilter() {
    const bpf_insn accept[] = {
        {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1},
        {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
    };
    LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = bpf_attach_type(kAttachNetfilter));
    int fd = bpf_prog_load(bpf_prog_type(kProgTypeNetfilter), "tap_capability", "GPL", accept, 2, &opts);
    if (fd < 0)
        return {"netfilter", false,
                errno == EINVAL ? "the kernel has no BPF netfilter programs (Linux 6.4+)"
                                : errnoText("loading a program", errno)};
    Fd prog(fd);
    int link = attachNetfilter(prog.fd, 2, 1, 0);
    if (link < 0) return {"netfilter", false, errnoText("linking to IPv4's LOCAL_IN hook", -link)};
    close(link);
    return {"netfilter", true, "linked to IPv4's LOCAL_IN hook"};
}

CapabilityCheck ringBuffer() {
    int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "tap_capability", 0, 0, 4096, nullptr);
    if (fd < 0) return {"ring_buffer", false, errnoText("creating a BPF ring buffer", errno)};
    close(fd);
    return {"ring_buffer", true, "created a 4 KiB BPF ring buffer"};
}

CapabilityCheck bpfLoop() {
    // libbpf's probe takes a refused load for a yes: see that a program loads first.
    int fd = loadProgram(BPF_PROG_TYPE_TRACEPOINT);
    if (fd < 0) return {"bpf_loop", false, errnoText("loading a program", -fd)};
    close(fd);
    // libbpf loads a program that calls the helper and reads the verifier's verdict.
    int r = libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_loop, nullptr);
    if (r == 1) return {"bpf_loop", true, "a tracepoint program calling bpf_loop loads"};
    if (r == 0) return {"bpf_loop", false, "the kernel has no bpf_loop helper (Linux 5.17+)"};
    return {"bpf_loop", false, errnoText("loading a program calling bpf_loop", -r)};
}

int quietLibbpf(libbpf_print_level, const char*, va_list) {
    return 0;
}

} // namespace

std::vector<CapabilityCheck> probeAttachKinds() {
    libbpf_set_print(quietLibbpf);
    return {tracepoint(), rawTracepoint(), kprobe(false), kprobe(true), fentry(false), fentry(true),
            uprobe(),     uprobeMulti(),   perfEvent(),   hwBreakpoint(), netfilter(),  ringBuffer(), bpfLoop()};
}

} // namespace tap::rt
