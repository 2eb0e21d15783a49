// kernel.trace("NAME"), kernel.trace("SYSTEM:NAME"), with wildcards: every
// tracepoint of the running kernel. The variables are the tracepoint's
// TP_PROTO arguments typed by BTF (a tp_btf program), as stap gives them;
// events without BTF (syscalls:*) offer their tracefs record fields instead.
#include "kernel/kernel_types.h"
#include "kernel/providers.h"

#include <unistd.h>

#include <map>
#include <mutex>

namespace tap::kernel {

const TraceInfo* traceInfo(const std::string& event) {
    static std::mutex mutex;
    static std::map<std::string, TraceInfo> cache;
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = cache.find(event); it != cache.end())
        return &it->second;
    auto ev = tracefs().event(event);
    if (!ev)
        return nullptr;
    TraceInfo info;
    info.event = *ev;
    Btf* btf = Btf::vmlinux();
    std::optional<std::vector<BtfParam>> params;
    if (btf)
        params = btf->tracepointParams(ev->name);
    if (params) {
        info.typed = true;
        for (size_t i = 0; i < params->size(); ++i)
            info.vars.push_back(btfVariable(*btf, (*params)[i].name, (*params)[i].type, int(i)));
    } else {
        for (const TraceField& f : ev->fields)
            info.vars.push_back(recordVariable(f, f.name));
    }
    return &cache.emplace(ev->system + ":" + ev->name, std::move(info)).first->second;
}

std::string tracefsProblem() {
    if (geteuid() != 0)
        return "reading the kernel's tracepoints (/sys/kernel/tracing) needs root";
    return "this system has no tracefs (/sys/kernel/tracing cannot be mounted)";
}

std::vector<std::string> matchTracepoints(const std::string& spec) {
    std::vector<std::string> out;
    for (const std::string& e : tracefs().match(spec))
        if (e.rfind("ftrace:", 0) != 0) // ftrace's own entries are not tracepoints
            out.push_back(e);
    return out;
}

namespace {

class KernelTraceProvider : public ProbeProvider {
    static const std::string& spec(const ConcretePoint& p) {
        static const std::string none;
        return p.components.size() == 2 && p.components[1].string ? *p.components[1].string : none;
    }
    static const TraceInfo* info(const ConcretePoint& p) { return traceInfo(spec(p)); }

public:
    std::string family() const override { return "kernel.trace"; }
    std::vector<ProbePattern> patterns() const override {
        return {{{{"kernel", ArgKind::None}, {"trace", ArgKind::String}},
                 "a kernel tracepoint: \"NAME\" or \"SYSTEM:NAME\", with * wildcards"}};
    }
    std::string check(const ConcretePoint& point) const override {
        if (Tracefs::root().empty())
            return tracefsProblem();
        if (matchTracepoints(spec(point)).empty())
            return "no kernel tracepoint matches \"" + spec(point) + "\"";
        return {};
    }
    std::vector<ConcretePoint> expand(const ConcretePoint& point) const override {
        std::vector<ConcretePoint> out;
        for (const std::string& e : matchTracepoints(spec(point))) {
            ConcretePoint p = point;
            p.components[1].string = e;
            out.push_back(std::move(p));
        }
        return out;
    }
    std::vector<ContextVar> contextVariables(const ConcretePoint& point) const override {
        const TraceInfo* i = info(point);
        return i ? i->vars : std::vector<ContextVar>{};
    }
    std::string typeTarget(const ConcretePoint& point, const TargetExpr& target, Type& type) const override {
        return typeKernelTarget(contextVariables(point), target, type);
    }
    ProbeSite site(const ConcretePoint&) const override { return ProbeSite::Kernel; }
    // Without the variables' types (traceInfo), which need the kernel's BTF
    // read: a handler that names no variable does not wait for that.
    AttachSpec attach(const ConcretePoint& point) const override {
        AttachSpec a;
        auto event = tracefs().event(spec(point));
        if (!event)
            return a;
        if (tracepointHasBtf(event->name)) {
            a.kind = AttachSpec::Kind::TpBtf;
            a.target = event->name;
        } else {
            a.kind = AttachSpec::Kind::Tracepoint;
            a.target = event->system + "/" + event->name;
        }
        return a;
    }
};

} // namespace

std::unique_ptr<ProbeProvider> makeKernelTraceProvider() { return std::make_unique<KernelTraceProvider>(); }

} // namespace tap::kernel
