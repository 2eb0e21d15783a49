#include "procfs_endpoints.h"

namespace tap::rt {

namespace {

// The file the tapset's prometheus alias reads (as stap's prometheus.stp).
constexpr const char* kPrometheusFile = "__prometheus";
// The text exposition format, as Prometheus asks for it.
constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";
constexpr const char* kProcfsPrefix = "/procfs/";

} // namespace

ProcfsEndpoints::ProcfsEndpoints(const std::vector<CompiledProbe>& probes, const Limits& limits) {
    for (const CompiledProbe& p : probes) {
        if (p.family != "procfs") continue;
        const auto& components = p.point.components;
        std::string name =
            components[0].string ? *components[0].string : "command"; // stapprobes' default
        // Without .maxsize, $value holds a string as long as any other.
        Handler handler{&p, size_t(limits.maxStringLen - 1)};
        bool isWrite = false;
        for (const ConcreteComponent& c : components) {
            if (c.functor == "maxsize") handler.maxSize = size_t(*c.number);
            isWrite = isWrite || c.functor == "write";
        }
        (isWrite ? files_[name].writes : files_[name].reads).push_back(handler);
    }
}

HttpResponse ProcfsEndpoints::answer(const HttpRequest& request, Runtime& rt,
                                     const std::function<void(const CompiledProbe*)>& run) const {
    std::string name;
    bool metrics = request.path == "/metrics";
    if (metrics)
        name = kPrometheusFile;
    else if (request.path.rfind(kProcfsPrefix, 0) == 0)
        name = request.path.substr(std::string(kProcfsPrefix).size());
    auto file = files_.find(name);
    if (name.empty() || file == files_.end())
        return {404, "text/plain; charset=utf-8", "no such file: " + request.path + "\n"};
    bool reading = request.method == "GET";
    bool writing = !metrics && (request.method == "PUT" || request.method == "POST");
    const std::vector<Handler>& handlers = reading ? file->second.reads : file->second.writes;
    if ((!reading && !writing) || handlers.empty())
        return {405, "text/plain; charset=utf-8",
                request.method + " is not served for " + request.path +
                    " (the script has no such probe)\n"};
    rt.procfsValue = reading ? std::string() : request.body;
    for (const Handler& h : handlers) {
        rt.procfsValueLimit = h.maxSize;
        if (rt.procfsValue.size() > h.maxSize) rt.procfsValue.resize(h.maxSize);
        run(h.probe);
    }
    HttpResponse response;
    if (metrics) response.contentType = kPrometheusContentType;
    if (reading) response.body = std::move(rt.procfsValue);
    rt.procfsValue.clear();
    return response;
}

} // namespace tap::rt
