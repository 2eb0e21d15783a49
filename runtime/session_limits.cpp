#include "session_limits.h"

#include <cstdlib>

namespace tap::rt {

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
