// The session's procfs("NAME") files (stapprobes PROCFS): which probes read
// and write each one, its permissions, and running them. The FUSE mount
// (procfs_mount) and the HTTP endpoint (procfs_endpoints) both serve them.
#pragma once

#include "exec.h"
#include "executor.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace tap::rt {

struct ProcfsFile {
    struct Handler {
        const CompiledProbe* probe;
        size_t maxSize;
    };
    std::vector<Handler> reads, writes;
    // stap's permissions: 0444 with read probes, 0222 with write probes,
    // less the read probe's umask and the first write probe's (without
    // .umask: 0044 for reads, 0022 for writes).
    unsigned mode = 0;
};

class ProcfsFiles {
  public:
    // Runs one probe (counting hits and errors as for any probe).
    using RunProbe = std::function<void(const CompiledProbe*)>;

    ProcfsFiles(const std::vector<CompiledProbe>& probes, const Limits& limits);
    bool empty() const { return files_.empty(); }
    const std::map<std::string, ProcfsFile>& files() const { return files_; }
    const ProcfsFile* find(const std::string& name) const;

    // The text the file's read probes leave in $value.
    static std::string read(const ProcfsFile& file, Runtime& rt, const RunProbe& run);
    // Runs the file's write probes with `text` in $value (cut to each
    // probe's size).
    static void write(const ProcfsFile& file, std::string text, Runtime& rt, const RunProbe& run);

  private:
    std::map<std::string, ProcfsFile> files_;
};

} // namespace tap::rt
