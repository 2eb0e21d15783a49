#include "bpf_loader.h"

#include "descriptors.h"
#include "kallsyms.h"
#include "netfilter_link.h"
#include "unwind_tables.h"

#include "uprobe_multi.h"

#include <bpf/bpf.h>
#include <numeric>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <regex>
#include <thread>

namespace tap::rt {

namespace {

// The kernel cannot place a uprobe on some instructions (ENOTSUPP, which
// strerror does not know); that refuses one point, not a whole wildcard.
constexpr int kUprobeInstructionRefused = 524;

std::string attachErrorText(int err) {
    return err == kUprobeInstructionRefused ? "the kernel cannot place a uprobe on the instruction there (error 524)"
                                            : std::strerror(err);
}

std::string hex(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%llx", (unsigned long long)v);
    return buf;
}

std::vector<int> onlineCpus() {
    std::vector<int> cpus;
    std::ifstream in("/sys/devices/system/cpu/online");
    std::string spec;
    std::getline(in, spec);
    size_t pos = 0;
    while (pos < spec.size()) {
        size_t comma = spec.find(',', pos);
        std::string part = spec.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        size_t dash = part.find('-');
        int lo = std::atoi(part.c_str()), hi = dash == std::string::npos ? lo : std::atoi(part.c_str() + dash + 1);
        for (int c = lo; c <= hi; ++c)
            cpus.push_back(c);
        if (comma == std::string::npos)
            break;
        pos = comma + 1;
    }
    if (cpus.empty())
        cpus.push_back(0);
    return cpus;
}

int libbpfQuiet(enum libbpf_print_level level, const char* fmt, va_list args) {
    if (level == LIBBPF_WARN && std::getenv("TAPSTUDIO_LIBBPF_DEBUG"))
        return vfprintf(stderr, fmt, args);
    return 0;
}

int64_t realtimeOffsetNs() {
    timespec rt{}, boot{};
    clock_gettime(CLOCK_REALTIME, &rt);
    clock_gettime(CLOCK_BOOTTIME, &boot);
    return (int64_t(rt.tv_sec) - boot.tv_sec) * 1000000000LL + (rt.tv_nsec - boot.tv_nsec);
}

} // namespace

std::string bpfUnavailableReason() {
    if (geteuid() == 0)
        return {};
    // Effective capabilities from /proc: CAP_PERFMON is bit 38, CAP_BPF 39.
    std::ifstream status("/proc/self/status");
    std::string line;
    uint64_t effective = 0;
    while (std::getline(status, line))
        if (line.rfind("CapEff:", 0) == 0)
            effective = std::strtoull(line.c_str() + 7, nullptr, 16);
    bool ok = (effective >> 38 & 1) && (effective >> 39 & 1);
    return ok ? std::string()
              : "kernel probes need root or the capabilities CAP_BPF and CAP_PERFMON; "
                "run tstap with sudo (scripts with only begin/end/timer probes run without them)";
}

BpfLoader::~BpfLoader() {
    if (links_.size() + multiLinkFds_.size() < kBackgroundRelease || !releaseInBackground())
        detach();
    if (statsFd_ >= 0)
        close(statsFd_);
    if (ring_)
        ring_buffer__free(ring_);
    if (object_)
        bpf_object__close(object_);
}

// The verifier writes its log as it walks the programs: with a log, loading
// strace.stp's programs took 2.4 s of kernel time, without one 0.5 s. So the
// object loads without a log, and again with one only to explain a refusal
// (`refused`: its errno).
bpf_object* BpfLoader::openAndLoad(const std::string& objectPath, bool withLog, std::optional<UnwindTables>& unwind,
                                   int& refused, std::string& error) {
    static char logBuffer[4 << 20];
    logBuffer[0] = 0;
    LIBBPF_OPTS(bpf_object_open_opts, opts);
    if (withLog) {
        opts.kernel_log_buf = logBuffer;
        opts.kernel_log_size = sizeof logBuffer;
        opts.kernel_log_level = 1;
    }
    bpf_object* object = bpf_object__open_file(objectPath.c_str(), &opts);
    if (!object) {
        error = "cannot open BPF object " + objectPath + ": " + std::strerror(errno);
        return nullptr;
    }
    if (useUprobeMulti_)
        for (const bpf::ProgramSpec& spec : translation_.programs)
            if (spec.attach.kind == AttachSpec::Kind::Uprobe)
                if (bpf_program* prog = bpf_object__find_program_by_name(object, spec.function.c_str()))
                    bpf_program__set_expected_attach_type(prog, bpf_attach_type(kAttachUprobeMulti));
    for (const bpf::ProgramSpec& spec : translation_.programs)
        if (spec.attach.kind == AttachSpec::Kind::Netfilter)
            if (bpf_program* prog = bpf_object__find_program_by_name(object, spec.function.c_str())) {
                bpf_program__set_type(prog, bpf_prog_type(kProgTypeNetfilter));
                bpf_program__set_expected_attach_type(prog, bpf_attach_type(kAttachNetfilter));
            }
    // User backtraces: the rules' map is as long as the files' rules.
    if (bpf_map* unwindRows = bpf_object__find_map_by_name(object, "tap_unwind_rows")) {
        if (!unwind)
            unwind = buildUnwindTables(unwindFiles_ ? unwindFiles_() : std::vector<std::string>{});
        bpf_map__set_max_entries(unwindRows, uint32_t(std::max<size_t>(unwind->rows.size(), 1)));
    }
    refused = bpf_object__load(object) != 0 ? errno : 0;
    log_ = logBuffer;
    if (!refused)
        return object;
    bpf_object__close(object);
    return nullptr;
}

// Why the verifier refused a program: the script line its code came from
// (the generated C carries "/* line N */" markers, which the log quotes) and
// its reason, the last line before its summary.
std::string BpfLoader::refusal(int err) const {
    std::string out = "the kernel refused the BPF program (" + std::string(std::strerror(err)) + ")";
    std::string lastLine;
    std::regex marker("/\\* line ([0-9]+) \\*/");
    for (auto it = std::sregex_iterator(log_.begin(), log_.end(), marker); it != std::sregex_iterator(); ++it)
        lastLine = (*it)[1];
    if (!lastLine.empty())
        out += " at script line " + lastLine;
    std::string head = log_.substr(0, log_.find("processed "));
    size_t last = head.find_last_not_of('\n');
    if (last != std::string::npos) {
        size_t start = head.rfind('\n', last);
        start = start == std::string::npos ? 0 : start + 1;
        out += ": " + head.substr(start, last - start + 1);
    }
    if (err == EPERM)
        out += " (EPERM: this kernel does not allow this kind of program)";
    return out + "\n(run with -v to see the verifier log)";
}

bool BpfLoader::load(const std::string& objectPath, int64_t target, bool keepLog, std::string& error) {
    target_ = target;
    libbpf_set_print(libbpfQuiet);
    // Uprobes as uprobe_multi links where the kernel has them (fast to
    // attach and detach); decided before loading, with the attach type.
    useUprobeMulti_ = uprobeMultiSupported() && std::getenv("TAPSTUDIO_PERF_UPROBES") == nullptr;
    std::optional<UnwindTables> unwind;
    int refused = 0;
    object_ = openAndLoad(objectPath, keepLog, unwind, refused, error);
    if (!object_ && refused && !keepLog)
        object_ = openAndLoad(objectPath, true, unwind, refused, error);
    if (!object_) {
        if (refused)
            error = refusal(refused);
        return false;
    }
    bpf_map* unwindRows = bpf_object__find_map_by_name(object_, "tap_unwind_rows");
    if (unwindRows) {
        // In batches: a program and its libraries have hundreds of
        // thousands of rules (Qt's: 760,000), one syscall each took 0.6 s.
        int rows = bpf_map__fd(unwindRows), modules = mapFd("tap_unwind_modules");
        std::vector<uint32_t> indexes(unwind->rows.size());
        std::iota(indexes.begin(), indexes.end(), 0u);
        for (size_t done = 0; done < indexes.size();) {
            uint32_t chunk = uint32_t(std::min<size_t>(indexes.size() - done, 65536)), count = chunk;
            if (bpf_map_update_batch(rows, &indexes[done], &unwind->rows[done], &count, nullptr) != 0)
                for (uint32_t i = 0; i < chunk; ++i) // kernels without batches for arrays
                    bpf_map_update_elem(rows, &indexes[done + i], &unwind->rows[done + i], BPF_ANY);
            done += chunk;
        }
        for (const auto& [key, module] : unwind->modules)
            bpf_map_update_elem(modules, &key, &module, BPF_ANY);
    }
    // The shared handlers of system-call wildcards, which their programs jump to.
    for (uint32_t i = 0; i < translation_.tailCallPrograms.size(); ++i) {
        const std::string& name = translation_.tailCallPrograms[i];
        bpf_program* prog = bpf_object__find_program_by_name(object_, name.c_str());
        int fd = prog ? bpf_program__fd(prog) : -1;
        if (fd < 0 || bpf_map_update_elem(mapFd("tap_handlers"), &i, &fd, BPF_ANY) != 0) {
            error = "cannot enter the handler program " + name + " in its jump table: " + std::strerror(errno);
            return false;
        }
    }
    if (int fd = mapFd("tap_config_map"); fd >= 0) {
        struct {
            int64_t target, realtimeOffset;
            uint32_t ncpus, pad;
            int64_t stpPid;
        } config{target, realtimeOffsetNs(), uint32_t(libbpf_num_possible_cpus()), 0, int64_t(getpid())};
        uint32_t zero = 0;
        bpf_map_update_elem(fd, &zero, &config, BPF_ANY);
    }
    ring_ = ring_buffer__new(mapFd("tap_events"), &BpfLoader::onRecord, this, nullptr);
    if (!ring_) {
        error = "cannot open the BPF ring buffer";
        return false;
    }
    return true;
}

bool BpfLoader::readKernel(uint64_t address, uint32_t bytes, bool string, std::string& data) {
    bpf_program* prog = object_ ? bpf_object__find_program_by_name(object_, bpf::kKernelReader) : nullptr;
    int map = mapFd(bpf::kKernelReaderMap);
    if (!prog || map < 0)
        return false;
    uint64_t args[3] = {address, bytes, string ? 1u : 0u};
    LIBBPF_OPTS(bpf_test_run_opts, run, .ctx_in = args, .ctx_size_in = sizeof args);
    std::vector<char> value(sizeof(int64_t) + size_t(translation_.stringSize));
    uint32_t zero = 0;
    if (bpf_prog_test_run_opts(bpf_program__fd(prog), &run) != 0 || bpf_map_lookup_elem(map, &zero, value.data()) != 0)
        return false;
    int64_t result;
    std::memcpy(&result, value.data(), sizeof result);
    if (result < 0)
        return false;
    const char* bytesRead = value.data() + sizeof result;
    data = string ? std::string(bytesRead, strnlen(bytesRead, size_t(translation_.stringSize)))
                  : std::string(bytesRead, bytes);
    return true;
}

// The kernel's facts about a loaded program.
bool BpfLoader::programInfo(const bpf::ProgramSpec& spec, bpf_prog_info& info) const {
    bpf_program* prog = object_ ? bpf_object__find_program_by_name(object_, spec.function.c_str()) : nullptr;
    info = {};
    uint32_t len = sizeof info;
    return prog && bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len) == 0;
}

std::vector<BpfLoader::HitCount> BpfLoader::hitCounts() const {
    std::vector<HitCount> out;
    bpf_prog_info info;
    for (const bpf::ProgramSpec& spec : translation_.programs)
        if (programInfo(spec, info))
            out.push_back({&spec, info.run_cnt, info.run_time_ns});
    return out;
}

std::vector<BpfLoader::VerifierCost> BpfLoader::verifierCosts() const {
    std::vector<VerifierCost> out;
    bpf_prog_info info;
    for (const bpf::ProgramSpec& spec : translation_.programs)
        if (programInfo(spec, info) && info.verified_insns)
            out.push_back({&spec, info.verified_insns});
    return out;
}

bool BpfLoader::attach(bool runStats, std::string& error) {
    // Run counts and times for -t. Not free: the kernel then reads the clock
    // twice around every program run (tens of ns per event).
    if (runStats)
        statsFd_ = bpf_enable_stats(BPF_STATS_RUN_TIME);
    for (const bpf::ProgramSpec& spec : translation_.programs) {
        bpf_program* prog = bpf_object__find_program_by_name(object_, spec.function.c_str());
        if (!prog) {
            error = "internal error: program " + spec.function + " missing from the object";
            detach();
            return false;
        }
        const AttachSpec& a = spec.attach;
        if (a.kind == AttachSpec::Kind::TaskIter)
            continue; // runs once, from runTaskIterators()
        std::vector<bpf_link*> made;
        if (a.kind == AttachSpec::Kind::PerfEvent) {
            std::vector<int> cpus = a.cpu >= 0 ? std::vector<int>{a.cpu} : onlineCpus();
            uint64_t breakpointAddress = 0;
            if (a.perfType == PERF_TYPE_BREAKPOINT) {
                breakpointAddress = a.target.empty() ? a.address : kernelSymbolAddress(a.target);
                if (!breakpointAddress) {
                    error = "cannot attach " + spec.pointText + ": no kernel symbol '" + a.target +
                            "' in /proc/kallsyms (data symbols are there when the kernel has CONFIG_KALLSYMS_ALL)";
                    detach();
                    return false;
                }
            }
            for (int cpu : cpus) {
                perf_event_attr attr{};
                attr.size = sizeof attr;
                attr.type = uint32_t(a.perfType);
                attr.config = a.perfConfig;
                if (a.perfType == PERF_TYPE_BREAKPOINT) {
                    attr.bp_type = a.breakpointType;
                    attr.bp_len = a.breakpointLength;
                    attr.bp_addr = breakpointAddress;
                }
                if (a.sampleFrequency) {
                    attr.freq = 1;
                    attr.sample_freq = a.sampleFrequency;
                } else {
                    attr.sample_period = a.samplePeriod ? a.samplePeriod : 1;
                }
                int fd = int(syscall(__NR_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC));
                if (fd < 0 && a.perfType == PERF_TYPE_BREAKPOINT) {
                    error = "cannot attach " + spec.pointText + " on CPU " + std::to_string(cpu) +
                            ": this kernel refuses the hardware breakpoint (perf_event_open: " + std::strerror(errno) +
                            (errno == ENOSPC ? "; every debug register is in use" : "") +
                            "; some hypervisors give guests none)";
                    detach();
                    return false;
                }
                if (fd < 0) {
                    error = "cannot open a perf event for " + spec.pointText + " on CPU " + std::to_string(cpu) + ": " +
                            std::strerror(errno);
                    detach();
                    return false;
                }
                perfFds_.push_back(fd);
                bpf_link* link = bpf_program__attach_perf_event(prog, fd);
                if (!link) {
                    error = "cannot attach " + spec.pointText + ": " + std::strerror(errno);
                    detach();
                    return false;
                }
                links_.push_back(link);
            }
            continue;
        }
        if (a.kind == AttachSpec::Kind::Netfilter) {
            // The kernel gives a hook's priority to one BPF program: another
            // probe of this session or of another session (or one still
            // being released) takes the next free one.
            int fd = -EBUSY;
            for (int p = a.netfilterPriority; fd == -EBUSY && p < a.netfilterPriority + 256; ++p)
                fd = attachNetfilter(bpf_program__fd(prog), a.netfilterFamily, a.netfilterHook, p);
            if (fd < 0) {
                error = "cannot attach " + spec.pointText + ": " + std::strerror(-fd) +
                        (-fd == EBUSY ? " (other BPF programs hold the 256 netfilter priorities from there)" : "");
                detach();
                return false;
            }
            multiLinkFds_.push_back(fd);
            continue;
        }
        bpf_link* link = nullptr;
        if (a.kind == AttachSpec::Kind::Uprobe) {
            pid_t pid = a.filterPid >= 0 ? pid_t(a.filterPid) : a.targetOnly && target_ > 0 ? pid_t(target_) : -1;
            if (!spec.sharedPoints.empty()) {
                if (!attachSharedUprobe(spec, prog, pid, error)) {
                    detach();
                    return false;
                }
                continue;
            }
            if (useUprobeMulti_) {
                int fd = attachUprobeMulti(bpf_program__fd(prog), a.target, {a.offset},
                                           a.refCtrOffset ? std::vector<uint64_t>{a.refCtrOffset} : std::vector<uint64_t>{},
                                           {}, a.isReturn, pid);
                if (fd >= 0) {
                    multiLinkFds_.push_back(fd);
                    continue;
                }
                errno = -fd;
            } else {
                LIBBPF_OPTS(bpf_uprobe_opts, uo, .ref_ctr_offset = size_t(a.refCtrOffset), .retprobe = a.isReturn);
                link = bpf_program__attach_uprobe_opts(prog, pid, a.target.c_str(), size_t(a.offset), &uo);
            }
        } else {
            link = bpf_program__attach(prog);
        }
        if (!link) {
            int err = errno;
            error = "cannot attach " + spec.pointText + ": " + attachErrorText(err);
            if ((err == EPERM || err == EACCES) &&
                (a.kind == AttachSpec::Kind::Kprobe || a.kind == AttachSpec::Kind::Fentry))
                error += " (this kernel refuses it; kprobes and fentry are not available here)";
            else if (a.kind == AttachSpec::Kind::Uprobe)
                error += " (uprobe at offset 0x" + hex(a.offset) + " of " + a.target + ")";
            detach();
            return false;
        }
        links_.push_back(link);
    }
    return true;
}

// A program shared by the points of a uprobe wildcard: one uprobe_multi
// link for them all, or a perf-event uprobe each; the cookie tells the
// program which point fired. Points whose instruction the kernel cannot
// probe are left out with a warning, as stap goes on without the probes it
// cannot register.
bool BpfLoader::attachSharedUprobe(const bpf::ProgramSpec& spec, bpf_program* prog, int pid, std::string& error) {
    const AttachSpec& a = spec.attach;
    const std::vector<bpf::ProgramSpec::SharedPoint>& points = spec.sharedPoints;
    std::vector<size_t> refused;
    int failure = 0;
    if (useUprobeMulti_) {
        bool semaphores = std::any_of(points.begin(), points.end(),
                                      [](const bpf::ProgramSpec::SharedPoint& p) { return p.attach.refCtrOffset; });
        // One refused point fails the whole link: halves are tried until the
        // refused points stand alone.
        auto attachRange = [&](auto& self, size_t begin, size_t end) -> void {
            std::vector<uint64_t> offsets, refCtrOffsets, cookies;
            for (size_t i = begin; i < end; ++i) {
                offsets.push_back(points[i].attach.offset);
                if (semaphores)
                    refCtrOffsets.push_back(points[i].attach.refCtrOffset);
                cookies.push_back(points[i].cookie);
            }
            int fd = attachUprobeMulti(bpf_program__fd(prog), a.target, offsets, refCtrOffsets, cookies, a.isReturn, pid);
            if (fd >= 0) {
                multiLinkFds_.push_back(fd);
            } else if (-fd != kUprobeInstructionRefused || end - begin == 1) {
                failure = failure ? failure : -fd;
                for (size_t i = begin; i < end; ++i)
                    refused.push_back(i);
            } else {
                self(self, begin, begin + (end - begin) / 2);
                self(self, begin + (end - begin) / 2, end);
            }
        };
        attachRange(attachRange, 0, points.size());
    } else {
        for (size_t i = 0; i < points.size(); ++i) {
            const bpf::ProgramSpec::SharedPoint& p = points[i];
            LIBBPF_OPTS(bpf_uprobe_opts, uo, .ref_ctr_offset = size_t(p.attach.refCtrOffset), .bpf_cookie = p.cookie,
                        .retprobe = a.isReturn);
            bpf_link* link = bpf_program__attach_uprobe_opts(prog, pid, a.target.c_str(), size_t(p.attach.offset), &uo);
            if (link) {
                links_.push_back(link);
                continue;
            }
            failure = failure ? failure : errno;
            refused.push_back(i);
            if (errno != kUprobeInstructionRefused)
                break;
        }
    }
    if (refused.empty())
        return true;
    std::string reason = attachErrorText(failure);
    if (failure != kUprobeInstructionRefused || refused.size() == points.size()) {
        error = "cannot attach " + spec.pointText + ": " + reason + " (uprobe at offset 0x" +
                hex(points[refused.front()].attach.offset) + " of " + a.target + ")";
        return false;
    }
    std::string names;
    for (size_t k = 0; k < refused.size() && k < 10; ++k)
        names += (k ? ", " : "") + points[refused[k]].attach.symbol;
    if (refused.size() > 10)
        names += ", ...";
    warnings_.push_back(std::to_string(refused.size()) + " of " + std::to_string(points.size()) + " points in " +
                        a.target + " left out: " + reason + ": " + names);
    return true;
}

bool BpfLoader::runTaskIterators(std::string& error) {
    for (const bpf::ProgramSpec& spec : translation_.programs) {
        if (spec.attach.kind != AttachSpec::Kind::TaskIter)
            continue;
        bpf_program* prog = bpf_object__find_program_by_name(object_, spec.function.c_str());
        bpf_link* link = prog ? bpf_program__attach_iter(prog, nullptr) : nullptr;
        int fd = link ? bpf_iter_create(bpf_link__fd(link)) : -1;
        if (fd < 0) {
            error = "cannot run " + spec.pointText + " for the processes that exist: " + std::strerror(errno);
            bpf_link__destroy(link);
            return false;
        }
        // Reading runs the program over every task (it writes nothing).
        char buffer[256];
        while (read(fd, buffer, sizeof buffer) > 0) {
        }
        close(fd);
        bpf_link__destroy(link);
    }
    return true;
}

// The kernel releases tracepoint and perf-event links one at a time, each
// after a grace period (syscall.*: 369 links, 11 s). At the end of a session
// the programs already return at once (the stop flag), so a child process
// takes the links over and releases them while tstap exits. Only
// async-signal-safe calls in the child: the parent may have threads. The
// perf events libbpf opens for tracefs tracepoints and perf uprobes stay
// with the parent until it exits: their BPF links hold them, so closing
// them there releases nothing.
bool BpfLoader::releaseInBackground() {
    std::vector<int> fds = multiLinkFds_;
    for (bpf_link* l : links_)
        fds.push_back(bpf_link__fd(l));
    fds.insert(fds.end(), perfFds_.begin(), perfFds_.end());
    std::sort(fds.begin(), fds.end());
    fds.erase(std::unique(fds.begin(), fds.end()), fds.end());
    pid_t child = fork();
    if (child < 0)
        return false;
    if (child == 0) {
        int devnull = open("/dev/null", O_RDWR);
        for (int stdio = 0; stdio < 3; ++stdio)
            dup2(devnull, stdio); // whoever reads tstap's output sees its end now
        setsid();
        closeAllDescriptorsExcept(fds); // then the links themselves
        for (int fd : fds)
            close(fd);
        _exit(0);
    }
    for (bpf_link* l : links_) {
        bpf_link__disconnect(l); // the child releases it
        bpf_link__destroy(l);
    }
    for (int fd : fds)
        close(fd);
    links_.clear();
    multiLinkFds_.clear();
    perfFds_.clear();
    return true;
}

void BpfLoader::detach() {
    // Each link's release waits for an RCU grace period: tens of ms for a
    // tracepoint, over a second for a uprobe here (tasks-trace RCU). One
    // after another, syscall.* took half a minute and 100 uprobes 10 s.
    // Released from many threads at once, the waits overlap.
    const size_t n = links_.size() + multiLinkFds_.size();
    auto release = [this](size_t i) {
        if (i < links_.size())
            bpf_link__destroy(links_[i]);
        else
            close(multiLinkFds_[i - links_.size()]);
    };
    const size_t workers = n < 4 ? 1 : std::min<size_t>(256, n);
    if (workers <= 1) {
        for (size_t i = 0; i < n; ++i)
            release(i);
    } else {
        std::vector<std::thread> pool;
        for (size_t w = 0; w < workers; ++w)
            pool.emplace_back([&release, w, workers, n] {
                for (size_t i = w; i < n; i += workers)
                    release(i);
            });
        for (std::thread& t : pool)
            t.join();
    }
    links_.clear();
    multiLinkFds_.clear();
    for (int fd : perfFds_)
        close(fd);
    perfFds_.clear();
}

int BpfLoader::pollFd() const { return ring_ ? ring_buffer__epoll_fd(ring_) : -1; }

void BpfLoader::consume() {
    if (ring_)
        ring_buffer__consume(ring_);
}

int BpfLoader::onRecord(void* self, void* data, size_t size) {
    return static_cast<BpfLoader*>(self)->record(static_cast<const char*>(data), size);
}

int BpfLoader::record(const char* data, size_t size) {
    if (size < 8)
        return 0;
    uint32_t kind, id;
    std::memcpy(&kind, data, 4);
    std::memcpy(&id, data + 4, 4);
    const char* payload = data + 8;
    size_t payloadSize = size - 8;
    switch (kind) {
    case 1: // TAP_REC_PRINTF
        if (id < translation_.printfs.size() && handlers_.printf)
            handlers_.printf(translation_.printfs[id], payload, payloadSize);
        break;
    case 2: // TAP_REC_ERROR
        if (id < translation_.errors.size() && handlers_.error) {
            const bpf::ErrorSite& site = translation_.errors[id];
            int64_t value = 0;
            std::string text;
            if (site.message.empty())
                text = std::string(payload, strnlen(payload, payloadSize));
            else if (payloadSize >= 8)
                std::memcpy(&value, payload, 8);
            handlers_.error(site, value, text);
        }
        break;
    case 3: // TAP_REC_EXIT
        if (handlers_.exit)
            handlers_.exit();
        break;
    case 4: // TAP_REC_MODULE: bias, then the 20-byte build id
        if (handlers_.module && payloadSize >= 28) {
            uint64_t bias;
            std::memcpy(&bias, payload, 8);
            handlers_.module(int(id), std::string(payload + 8, 20), bias);
        }
        break;
    }
    return 0;
}

// struct tap_state of runtime/bpf/tapstudio.bpf.h.
struct BpfLoader::State {
    uint64_t drops = 0, stop = 0, skipped = 0;
};

BpfLoader::State BpfLoader::state() const {
    State state;
    uint32_t zero = 0;
    if (int fd = mapFd("tap_state_map"); fd >= 0)
        bpf_map_lookup_elem(fd, &zero, &state);
    return state;
}

uint64_t BpfLoader::drops() const { return state().drops; }

uint64_t BpfLoader::skipped() const { return state().skipped; }

void BpfLoader::requestStop() {
    int fd = mapFd("tap_state_map");
    if (fd < 0)
        return;
    uint32_t zero = 0;
    State state = this->state();
    state.stop = 1;
    bpf_map_update_elem(fd, &zero, &state, BPF_ANY);
}

int BpfLoader::mapFd(const std::string& name) const {
    if (!object_)
        return -1;
    bpf_map* m = bpf_object__find_map_by_name(object_, name.c_str());
    return m ? bpf_map__fd(m) : -1;
}

} // namespace tap::rt
