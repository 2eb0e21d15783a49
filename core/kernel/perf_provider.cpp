// perf.sw.NAME, perf.hw.NAME, perf.hw_cache.CACHE.OP.RESULT and
// perf.type(T).config(C), each with an optional .sample(N) (every N events,
// default 1000000 as in stap) or .hz(N): a BPF program on a sampling perf
// event on every CPU. stap's event names (its perf.stp tapset).
#include "kernel/providers.h"

#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

namespace tap::kernel {

namespace {

struct NamedEvent {
    const char* group; // sw, hw, hw_cache
    const char* name;  // cpu_clock, l1d.read.access, ...
    uint64_t type, config;
};

constexpr NamedEvent kEvents[] = {
    {"hw", "cpu_cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES},
    {"hw", "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS},
    {"hw", "cache_references", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES},
    {"hw", "cache_misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES},
    {"hw", "branch_instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS},
    {"hw", "branch_misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES},
    {"hw", "bus_cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BUS_CYCLES},
    {"hw", "stalled_cycles_frontend", PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_FRONTEND},
    {"hw", "stalled_cycles_backend", PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_BACKEND},
    {"hw", "ref_cpu_cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_REF_CPU_CYCLES},
    {"sw", "cpu_clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK},
    {"sw", "task_clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK},
    {"sw", "page_faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS},
    {"sw", "context_switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES},
    {"sw", "cpu_migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS},
    {"sw", "page_faults_min", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MIN},
    {"sw", "page_faults_maj", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MAJ},
    {"sw", "alignment_faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_ALIGNMENT_FAULTS},
    {"sw", "emulation_faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_EMULATION_FAULTS},
};

struct CacheName {
    const char* name;
    uint64_t id;
};
constexpr CacheName kCaches[] = {{"l1d", 0}, {"l1i", 1}, {"ll", 2}, {"dtlb", 3}, {"itlb", 4}, {"bpu", 5}, {"node", 6}};
constexpr CacheName kCacheOps[] = {{"read", 0}, {"write", 1}, {"prefetch", 2}};
constexpr CacheName kCacheResults[] = {{"access", 0}, {"miss", 1}};

constexpr uint64_t kDefaultPeriod = 1000000;

// Does this machine count hardware events? Asked once: "" yes (or cannot
// tell without privileges), else the reason.
const std::string& hardwareProblem() {
    static std::string problem = [] {
        perf_event_attr attr{};
        attr.size = sizeof(attr);
        attr.type = PERF_TYPE_HARDWARE;
        attr.config = PERF_COUNT_HW_CPU_CYCLES;
        attr.disabled = 1;
        attr.exclude_kernel = 1;
        attr.exclude_hv = 1;
        int fd = int(syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
        if (fd >= 0) {
            close(fd);
            return std::string();
        }
        int e = errno;
        if (e == ENOENT || e == EOPNOTSUPP || e == ENODEV || e == EINVAL)
            return std::string("this machine has no hardware performance counters (perf_event_open: ") +
                   std::strerror(e) + "); use perf.sw.* events (e.g. perf.sw.cpu_clock)";
        return std::string(); // EACCES / EPERM: cannot tell without privileges
    }();
    return problem;
}

class PerfProvider : public ProbeProvider {
    struct Resolved {
        uint64_t type = 0, config = 0;
        uint64_t period = kDefaultPeriod, frequency = 0;
        bool ok = false;
    };

    static Resolved resolve(const ConcretePoint& p) {
        Resolved r;
        const auto& c = p.components;
        size_t next = 0;
        if (c.size() >= 3 && c[1].functor == "type" && c[2].functor == "config") {
            r.type = uint64_t(c[1].number.value_or(0));
            r.config = uint64_t(c[2].number.value_or(0));
            r.ok = true;
            next = 3;
        } else if (c.size() >= 3 && (c[1].functor == "sw" || c[1].functor == "hw")) {
            for (const NamedEvent& e : kEvents)
                if (c[1].functor == e.group && c[2].functor == e.name) {
                    r.type = e.type;
                    r.config = e.config;
                    r.ok = true;
                }
            next = 3;
        } else if (c.size() >= 5 && c[1].functor == "hw_cache") {
            uint64_t cache = 0, op = 0, res = 0;
            bool a = false, b = false, d = false;
            for (const CacheName& x : kCaches)
                if (c[2].functor == x.name) cache = x.id, a = true;
            for (const CacheName& x : kCacheOps)
                if (c[3].functor == x.name) op = x.id, b = true;
            for (const CacheName& x : kCacheResults)
                if (c[4].functor == x.name) res = x.id, d = true;
            r.type = PERF_TYPE_HW_CACHE;
            r.config = cache | (op << 8) | (res << 16);
            r.ok = a && b && d;
            next = 5;
        }
        if (next < c.size() && c[next].number) {
            if (c[next].functor == "sample")
                r.period = uint64_t(*c[next].number);
            else if (c[next].functor == "hz") {
                r.frequency = uint64_t(*c[next].number);
                r.period = 0;
            }
        }
        return r;
    }

    static void withRates(std::vector<ProbePattern>& out, std::vector<PatternComponent> base, const std::string& doc) {
        out.push_back({base, doc + " (every 1000000 events)"});
        auto sample = base;
        sample.push_back({"sample", ArgKind::Number});
        out.push_back({sample, doc + ", every N events"});
        auto hz = base;
        hz.push_back({"hz", ArgKind::Number});
        out.push_back({hz, doc + ", N times a second"});
    }

public:
    std::string family() const override { return "perf"; }
    std::vector<ProbePattern> patterns() const override {
        std::vector<ProbePattern> out;
        for (const NamedEvent& e : kEvents)
            withRates(out, {{"perf", ArgKind::None}, {e.group, ArgKind::None}, {e.name, ArgKind::None}},
                      std::string("perf ") + (std::string(e.group) == "sw" ? "software" : "hardware") +
                          " event " + e.name);
        for (const CacheName& c : kCaches)
            for (const CacheName& o : kCacheOps)
                for (const CacheName& r : kCacheResults) {
                    // The combinations stap names (its perf.stp).
                    bool known = o.id == 0 || (o.id == 1 && (c.id == 0 || c.id == 2 || c.id == 3 || c.id == 6)) ||
                                 (o.id == 2 && c.id <= 3);
                    if (!known)
                        continue;
                    withRates(out,
                              {{"perf", ArgKind::None}, {"hw_cache", ArgKind::None}, {c.name, ArgKind::None},
                               {o.name, ArgKind::None}, {r.name, ArgKind::None}},
                              std::string("hardware cache event ") + c.name + " " + o.name + " " + r.name);
                }
        withRates(out, {{"perf", ArgKind::None}, {"type", ArgKind::Number}, {"config", ArgKind::Number}},
                  "a perf event by type and config number");
        return out;
    }
    std::string check(const ConcretePoint& point) const override {
        Resolved r = resolve(point);
        const auto& c = point.components;
        if (!c.empty() && (c.back().functor == "sample" || c.back().functor == "hz") && c.back().number &&
            *c.back().number <= 0)
            return "invalid perf " + c.back().functor + " value " + std::to_string(*c.back().number) +
                   " (must be positive)";
        if (c.size() >= 3 && c[1].functor == "type") {
            if (c[1].number.value_or(-1) < 0 || c[1].number.value_or(0) > 0xffffffffLL)
                return "invalid perf event type " + std::to_string(c[1].number.value_or(-1));
            if (c[2].number.value_or(-1) < 0)
                return "invalid perf event config " + std::to_string(c[2].number.value_or(-1));
        }
        if (r.ok && (r.type == PERF_TYPE_HARDWARE || r.type == PERF_TYPE_HW_CACHE || r.type == PERF_TYPE_RAW))
            return hardwareProblem();
        return {};
    }
    ProbeSite site(const ConcretePoint&) const override { return ProbeSite::Kernel; }
    AttachSpec attach(const ConcretePoint& point) const override {
        Resolved r = resolve(point);
        AttachSpec a;
        a.kind = AttachSpec::Kind::PerfEvent;
        a.perfType = r.type;
        a.perfConfig = r.config;
        a.samplePeriod = r.period;
        a.sampleFrequency = r.frequency;
        a.cpu = -1;
        return a;
    }
};

} // namespace

std::unique_ptr<ProbeProvider> makePerfProvider() { return std::make_unique<PerfProvider>(); }

} // namespace tap::kernel
