// The -D limits a session runs with (stap's MAXSTRINGLEN, MAXMAPENTRIES, ...).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tap::rt {

// The kernel's tick rate (CONFIG_HZ), for timer.jiffies and HZ(): not
// sysconf's 100, which is the user-space tick.
int64_t kernelHz();

struct Limits {
    int64_t maxStringLen = 512;
    int64_t maxMapEntries = 2048;
    int64_t maxAction = 1000;     // per probe handler; x10 in begin/end
    int64_t maxNesting = -1;      // -1: computed from the call graph
    int64_t maxErrors = 0;
    int64_t maxSkipped = 100;
    int64_t histElision = 2;

    // Applies -D NAME=VALUE settings; unknown names are kept for the
    // translator (they become C macros in the BPF program). Returns an error
    // text for a bad value of a known limit.
    std::string apply(const std::vector<std::pair<std::string, std::string>>& defines);
};

} // namespace tap::rt
