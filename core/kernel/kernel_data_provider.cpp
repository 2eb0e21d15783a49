// kernel.data(ADDRESS) and kernel.data("SYMBOL"), .write or .rw, with an
// optional .length(1|2|4|8) (stapprobes "HARDWARE BREAKPOINTS"): a BPF
// program on a hardware-breakpoint perf event on every CPU, which the
// kernel runs when the watched bytes are written (or read or written).
// A symbol is looked up in /proc/kallsyms when the probe is attached, so
// an object compiled for another kernel (-r) watches that kernel's address.

#include "kernel/providers.h"

#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>

namespace tap::kernel {

namespace {

class KernelDataProvider : public ProbeProvider {
public:
    std::string family() const override { return "kernel.data"; }
    std::vector<ProbePattern> patterns() const override {
        std::vector<ProbePattern> out;
        for (ArgKind what : {ArgKind::Number, ArgKind::String}) {
            std::string subject = what == ArgKind::Number ? "the kernel address" : "the kernel data symbol";
            for (const char* access : {"write", "rw"}) {
                std::string doc = std::string("a hardware breakpoint: when ") + subject + " is " +
                                  (std::string(access) == "rw" ? "read or written" : "written");
                out.push_back({{{"kernel", ArgKind::None}, {"data", what}, {access, ArgKind::None}}, doc});
                out.push_back({{{"kernel", ArgKind::None}, {"data", what}, {"length", ArgKind::Number},
                                {access, ArgKind::None}},
                               doc + " (LENGTH bytes: 1, 2, 4 or 8)"});
            }
        }
        return out;
    }
    std::string check(const ConcretePoint& point) const override {
        if (point.components.size() == 4) {
            int64_t length = point.components[2].number.value_or(0);
            if (length != 1 && length != 2 && length != 4 && length != 8)
                return "a hardware breakpoint watches 1, 2, 4 or 8 bytes, not " + std::to_string(length);
        }
        const ConcreteComponent& what = point.components[1];
        if (what.string && what.string->empty())
            return "kernel.data needs a symbol name or an address";
        return {};
    }
    ProbeSite site(const ConcretePoint&) const override { return ProbeSite::Kernel; }
    AttachSpec attach(const ConcretePoint& point) const override {
        AttachSpec a;
        a.kind = AttachSpec::Kind::PerfEvent;
        a.perfType = PERF_TYPE_BREAKPOINT;
        a.samplePeriod = 1;
        const ConcreteComponent& what = point.components[1];
        if (what.string)
            a.target = *what.string;
        else
            a.address = uint64_t(what.number.value_or(0));
        a.breakpointLength = point.components.size() == 4 ? uint32_t(point.components[2].number.value_or(0))
                                                          : HW_BREAKPOINT_LEN_4;
        a.breakpointType = point.components.back().functor == "rw" ? HW_BREAKPOINT_RW : HW_BREAKPOINT_W;
        return a;
    }
};

} // namespace

std::unique_ptr<ProbeProvider> makeKernelDataProvider() { return std::make_unique<KernelDataProvider>(); }

} // namespace tap::kernel
