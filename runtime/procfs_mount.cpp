#include "procfs_mount.h"

#include <unistd.h>

#include <cstdlib>

namespace tap::rt {

std::string ProcfsMount::defaultDir() {
    std::string pid = std::to_string(getpid());
    if (geteuid() == 0) return "/run/tapstudio/" + pid;
    if (const char* runtimeDir = std::getenv("XDG_RUNTIME_DIR"); runtimeDir && *runtimeDir)
        return std::string(runtimeDir) + "/tapstudio/" + pid;
    return "/tmp/tapstudio-" + std::to_string(geteuid()) + "/" + pid;
}

} // namespace tap::rt
