#include "cache_directory.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace tap {

std::string cacheDirectory() {
    if (const char* d = std::getenv("TAPSTUDIO_CACHE"))
        return d;
    if (const char* x = std::getenv("XDG_CACHE_HOME"))
        return std::string(x) + "/tapstudio";
    const char* home = std::getenv("HOME");
    return std::string(home ? home : "/tmp") + "/.cache/tapstudio";
}

std::string cacheFileName(const std::string& key) {
    auto fnv1a = [&](uint64_t h) {
        for (unsigned char c : key)
            h = (h ^ c) * 1099511628211ULL;
        return h;
    };
    char name[40];
    std::snprintf(name, sizeof name, "%016llx%016llx", (unsigned long long)fnv1a(1469598103934665603ULL),
                  (unsigned long long)fnv1a(0x9e3779b97f4a7c15ULL));
    return name;
}

} // namespace tap
