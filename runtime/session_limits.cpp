#include "session_limits.h"

#include "target_info.h"

#include <cstdlib>

namespace tap::rt {

int64_t kernelHz() {
    static const int64_t hz = [] {
        int64_t v = std::atoll(TargetInfo::forRunningKernel().kernelConfig("CONFIG_HZ").c_str());
        return v > 0 ? v : int64_t(250);
    }();
    return hz;
}

std::string Limits::apply(const std::vector<std::pair<std::string, std::string>>& defines) {
    struct Known {
        const char* name;
        int64_t* value;
        int64_t min;
    };
    const Known known[] = {{"MAXSTRINGLEN", &maxStringLen, 1},   {"MAXMAPENTRIES", &maxMapEntries, 1},
                           {"MAXACTION", &maxAction, 1},         {"MAXNESTING", &maxNesting, 0},
                           {"MAXERRORS", &maxErrors, 0},         {"MAXSKIPPED", &maxSkipped, 0},
                           {"HIST_ELISION", &histElision, -1000000}};
    for (const auto& [name, text] : defines)
        for (const Known& k : known) {
            if (name != k.name)
                continue;
            char* end = nullptr;
            long long v = std::strtoll(text.c_str(), &end, 10);
            if (text.empty() || *end || v < k.min)
                return "invalid value '" + text + "' for -D " + name;
            *k.value = v;
        }
    return {};
}

} // namespace tap::rt
