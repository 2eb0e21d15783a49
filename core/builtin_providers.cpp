// The probe families that need no kernel events: begin, end, error, never and
// the interval timers. They run in the user-space executor.
#include "probe_provider.h"

namespace tap {

namespace {

class SessionProvider : public ProbeProvider {
public:
    explicit SessionProvider(std::string name, std::string doc, bool takesPriority)
        : name_(std::move(name)), doc_(std::move(doc)), takesPriority_(takesPriority) {}
    std::string family() const override { return name_; }
    std::vector<ProbePattern> patterns() const override {
        std::vector<ProbePattern> p{{{{name_, ArgKind::None}}, doc_}};
        if (takesPriority_)
            p.push_back({{{name_, ArgKind::Number}}, doc_ + " (ordered by the number)"});
        return p;
    }

private:
    std::string name_, doc_;
    bool takesPriority_;
};

struct TimerUnit {
    const char* name;
    int64_t min, max;
    const char* doc;
};

// Interval limits as stap checks them.
constexpr TimerUnit kTimerUnits[] = {
    {"jiffies", 1, 1000000, "every N kernel ticks"},
    {"s", 1, 86400, "every N seconds"},
    {"sec", 1, 86400, "every N seconds"},
    {"ms", 1, 86400000, "every N milliseconds"},
    {"msec", 1, 86400000, "every N milliseconds"},
    {"us", 100, 86400000000LL, "every N microseconds"}, // stap: hrtimers >= 100us
    {"usec", 100, 86400000000LL, "every N microseconds"},
    {"ns", 100000, 86400000000000LL, "every N nanoseconds"},
    {"nsec", 100000, 86400000000000LL, "every N nanoseconds"},
    {"hz", 1, 10000, "N times a second"}, // stap: 1e9/N ns >= 100000 ns
};

class TimerProvider : public ProbeProvider {
    static bool isProfile(const ConcretePoint& p) {
        return p.components.size() >= 2 && p.components[1].functor == "profile";
    }
    static uint64_t intervalNs(const ConcretePoint& p) {
        const std::string& unit = p.components[1].functor;
        uint64_t n = p.components[1].number ? uint64_t(*p.components[1].number) : 1;
        if (unit == "s" || unit == "sec") return n * 1000000000ULL;
        if (unit == "ms" || unit == "msec") return n * 1000000ULL;
        if (unit == "us" || unit == "usec") return n * 1000ULL;
        if (unit == "hz") return 1000000000ULL / (n ? n : 1);
        if (unit == "jiffies") return n * (1000000000ULL / 250);
        return n;
    }

public:
    std::string family() const override { return "timer"; }
    std::vector<ProbePattern> patterns() const override {
        std::vector<ProbePattern> p;
        for (const TimerUnit& u : kTimerUnits) {
            p.push_back({{{"timer", ArgKind::None}, {u.name, ArgKind::Number}}, u.doc});
            if (std::string(u.name) != "hz")
                p.push_back({{{"timer", ArgKind::None},
                              {u.name, ArgKind::Number},
                              {"randomize", ArgKind::Number}},
                             std::string(u.doc) + ", randomized by up to M"});
        }
        p.push_back({{{"timer", ArgKind::None}, {"profile", ArgKind::None}},
                     "on every CPU, at every kernel tick"});
        p.push_back({{{"timer", ArgKind::None}, {"profile", ArgKind::None}, {"tick", ArgKind::None}},
                     "on every CPU, at every kernel tick"});
        return p;
    }
    std::string check(const ConcretePoint& point) const override {
        if (point.components.size() < 2 || !point.components[1].number)
            return {};
        for (const TimerUnit& u : kTimerUnits) {
            if (point.components[1].functor != u.name)
                continue;
            int64_t v = *point.components[1].number;
            if (v < u.min || v > u.max)
                return "interval value out of range (" + std::to_string(u.min) + ", " +
                       std::to_string(u.max) + ")";
            if (point.components.size() == 3) {
                int64_t r = *point.components[2].number;
                if (r < 0 || r > v)
                    return "randomization value out of range (0, " + std::to_string(v) + ")";
            }
        }
        return {};
    }
    ProbeSite site(const ConcretePoint& point) const override {
        return isProfile(point) ? ProbeSite::Kernel : ProbeSite::UserSpace;
    }
    // timer.profile samples every CPU at the kernel tick; an interval timer
    // whose handler reads task context runs on one CPU's clock event.
    AttachSpec attach(const ConcretePoint& point) const override {
        AttachSpec a;
        a.kind = AttachSpec::Kind::PerfEvent;
        a.perfType = 1;   // PERF_TYPE_SOFTWARE
        a.perfConfig = 0; // PERF_COUNT_SW_CPU_CLOCK
        if (isProfile(point)) {
            a.sampleFrequency = 0;
            a.samplePeriod = 1000000000ULL / 250; // one kernel tick at HZ=250
            return a;
        }
        a.cpu = 0;
        a.samplePeriod = intervalNs(point);
        return a;
    }
};

} // namespace

ProbeRegistry ProbeRegistry::withBuiltinProviders() {
    ProbeRegistry r;
    r.add(std::make_unique<SessionProvider>("begin", "when the session starts", true));
    r.add(std::make_unique<SessionProvider>("end", "when the session ends", true));
    r.add(std::make_unique<SessionProvider>("error", "when the session ends after an error", true));
    r.add(std::make_unique<SessionProvider>("never", "never (for checking a handler)", false));
    r.add(std::make_unique<TimerProvider>());
    r.add(makeProcfsProvider());
    return r;
}

} // namespace tap
