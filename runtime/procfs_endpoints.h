// What the session's HTTP endpoint serves: each procfs("NAME") file at
// /procfs/NAME (GET runs its .read probes, PUT or POST its .write probes
// with the body in $value) and the prometheus alias's file at /metrics.
#pragma once

#include "exec.h"
#include "executor.h"
#include "http_server.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace tap::rt {

class ProcfsEndpoints {
  public:
    ProcfsEndpoints(const std::vector<CompiledProbe>& probes, const Limits& limits);
    bool empty() const { return files_.empty(); }
    // Runs the probes a request names through `run` (which counts hits and
    // errors as for any probe) and gives the response.
    HttpResponse answer(const HttpRequest& request, Runtime& rt,
                        const std::function<void(const CompiledProbe*)>& run) const;

  private:
    struct Handler {
        const CompiledProbe* probe;
        size_t maxSize;
    };
    struct File {
        std::vector<Handler> reads, writes;
    };
    std::map<std::string, File> files_;
};

} // namespace tap::rt
