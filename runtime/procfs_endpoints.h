// What the session's HTTP endpoint serves: each procfs("NAME") file at
// /procfs/NAME (GET runs its .read probes, PUT or POST its .write probes
// with the body in $value) and the prometheus alias's file at /metrics.
#pragma once

#include "http_server.h"
#include "procfs_files.h"

namespace tap::rt {

class ProcfsEndpoints {
  public:
    explicit ProcfsEndpoints(const ProcfsFiles& files) : files_(files) {}
    HttpResponse answer(const HttpRequest& request, Runtime& rt,
                        const ProcfsFiles::RunProbe& run) const;

  private:
    const ProcfsFiles& files_;
};

} // namespace tap::rt
