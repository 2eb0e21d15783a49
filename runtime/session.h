// Pass 5 for programs whose probes all run in user space: begin probes in
// order, timers, signals, -c/-x/-T, end (or error) probes, the display of
// unread globals and the error summary.
#pragma once

#include "session_limits.h"
#include "bpf/translation.h"
#include "program.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tap::rt {

struct SessionOptions {
    Limits limits;
    std::optional<std::string> outputFile; // -o, strftime-expanded
    std::optional<std::string> command;    // -c
    std::optional<long> targetPid;         // -x
    std::optional<long> timeoutSeconds;    // -T
    bool noGlobalDisplay = false;
    std::vector<std::pair<std::string, std::string>> globalSets; // -G
    std::string scriptName;
    const bpf::Translation* kernel = nullptr; // kernel probes to load, if any
    std::string compiledObject; // the kernel probes' object, compiled elsewhere (--run-compiled)
    // End of file on this descriptor stops the session as SIGINT does: a
    // session run over ssh stops when the connection's input closes.
    int stopFd = -1;
    int verbose = 0;
    bool json = false; // --json: docs/protocol.md
    bool hitReport = false; // -t
    std::optional<std::string> http; // --http [ADDR:]PORT: serve procfs files and /metrics
    std::optional<std::string> procfsDir; // --procfs-dir DIR: mount the procfs files there
};

// Runs the session; returns the process exit status.
int runSession(const Program& program, const SourceManager& sources, const SessionOptions& options);

} // namespace tap::rt
