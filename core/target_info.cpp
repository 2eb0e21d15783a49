#include "target_info.h"
#include "kernel/kernel_facts.h"

#include <sys/utsname.h>
#include <zlib.h>

#include <fstream>
#include <sstream>

namespace tap {

namespace {

std::string stapArchName(const std::string& machine) {
    if (machine == "i386" || machine == "i486" || machine == "i586" || machine == "i686")
        return "i386";
    if (machine == "aarch64")
        return "arm64";
    if (machine.rfind("arm", 0) == 0)
        return "arm";
    if (machine == "ppc64" || machine == "ppc64le")
        return "powerpc";
    if (machine == "s390x")
        return "s390";
    if (machine.rfind("riscv", 0) == 0)
        return "riscv";
    return machine;
}

std::string readGzip(const char* path) {
    gzFile f = gzopen(path, "rb");
    if (!f)
        return {};
    std::string out;
    char buf[65536];
    int n;
    while ((n = gzread(f, buf, sizeof buf)) > 0)
        out.append(buf, size_t(n));
    gzclose(f);
    return out;
}

std::map<std::string, std::string> parseConfig(const std::string& text) {
    std::map<std::string, std::string> config;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("CONFIG_", 0) != 0)
            continue;
        size_t eq = line.find('=');
        if (eq == std::string::npos)
            continue;
        std::string value = line.substr(eq + 1);
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
        config[line.substr(0, eq)] = value;
    }
    return config;
}

} // namespace

std::string TargetInfo::kernelConfig(const std::string& name) const {
    if (!config_) {
        std::string text = readGzip(kernel::kernelFile("/proc/config.gz").c_str());
        if (text.empty()) {
            std::ifstream in(kernel::kernelFile("/boot/config-" + kernelRelease));
            std::ostringstream ss;
            ss << in.rdbuf();
            text = ss.str();
        }
        config_ = parseConfig(text);
    }
    auto it = config_->find(name);
    return it == config_->end() ? std::string() : it->second;
}

TargetInfo TargetInfo::forRunningKernel() {
    TargetInfo info;
    struct utsname u {};
    if (uname(&u) == 0)
        info.arch = stapArchName(u.machine);
    info.kernelRelease = kernel::kernelRelease();
    std::string base = info.kernelRelease;
    size_t dash = base.find('-');
    if (dash != std::string::npos)
        base = base.substr(0, dash);
    info.kernelBaseRelease = base;
    return info;
}

} // namespace tap
