#include "kernel/kernel_facts.h"

#include <sys/utsname.h>

#include <filesystem>
#include <fstream>

namespace tap::kernel {

namespace {
std::string& factsDirectory() {
    static std::string dir;
    return dir;
}
} // namespace

std::string useKernelFacts(const std::string& dir) {
    std::error_code ec;
    if (!std::filesystem::exists(dir + "/release", ec))
        return "'" + dir + "' holds no kernel facts (no release file; scripts/kernel-facts.sh DIR makes them)";
    factsDirectory() = dir;
    return {};
}

bool otherKernel() { return !factsDirectory().empty(); }

std::string kernelFile(const std::string& path) { return factsDirectory() + path; }

std::string kernelRelease() {
    if (otherKernel()) {
        std::string release;
        std::ifstream(factsDirectory() + "/release") >> release;
        return release;
    }
    struct utsname u {};
    return uname(&u) == 0 ? u.release : "";
}

} // namespace tap::kernel
