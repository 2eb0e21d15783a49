#include "cache_directory.h"

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

} // namespace tap
