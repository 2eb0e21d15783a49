// ProcfsMount when tstap is built without libfuse 3 (libfuse3-dev).
#include "procfs_mount.h"

namespace tap::rt {

struct ProcfsMount::State {};

std::unique_ptr<ProcfsMount> ProcfsMount::mount(const std::string&, const ProcfsFiles&, Read, Write,
                                                std::string& error) {
    error = "this tstap was built without libfuse 3 (install libfuse3-dev and rebuild)";
    return nullptr;
}

ProcfsMount::~ProcfsMount() = default;

const std::string& ProcfsMount::dir() const {
    static const std::string none;
    return none;
}

int ProcfsMount::pollFd() const {
    return -1;
}

void ProcfsMount::serve() {}

} // namespace tap::rt
