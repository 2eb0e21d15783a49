#include "procfs_endpoints.h"

namespace tap::rt {

namespace {

// The file the tapset's prometheus alias reads (as stap's prometheus.stp).
constexpr const char* kPrometheusFile = "__prometheus";
// The text exposition format, as Prometheus asks for it.
constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";
constexpr const char* kProcfsPrefix = "/procfs/";

} // namespace

HttpResponse ProcfsEndpoints::answer(const HttpRequest& request, Runtime& rt,
                                     const ProcfsFiles::RunProbe& run) const {
    std::string name;
    bool metrics = request.path == "/metrics";
    if (metrics)
        name = kPrometheusFile;
    else if (request.path.rfind(kProcfsPrefix, 0) == 0)
        name = request.path.substr(std::string(kProcfsPrefix).size());
    const ProcfsFile* file = name.empty() ? nullptr : files_.find(name);
    if (!file) return {404, "text/plain; charset=utf-8", "no such file: " + request.path + "\n"};
    bool reading = request.method == "GET";
    bool writing = !metrics && (request.method == "PUT" || request.method == "POST");
    if ((!reading && !writing) || (reading ? file->reads : file->writes).empty())
        return {405, "text/plain; charset=utf-8",
                request.method + " is not served for " + request.path +
                    " (the script has no such probe)\n"};
    HttpResponse response;
    if (metrics) response.contentType = kPrometheusContentType;
    if (reading)
        response.body = ProcfsFiles::read(*file, rt, run);
    else
        ProcfsFiles::write(*file, request.body, rt, run);
    return response;
}

} // namespace tap::rt
