// Facts about the machine a script is compiled for: what %( %) conditionals test.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace tap {

struct TargetInfo {
    std::string kernelRelease;     // kernel_vr, e.g. "6.18.44-fc-v657"
    std::string kernelBaseRelease; // kernel_v, e.g. "6.18.44"
    std::string arch;              // stap's name: x86_64, i386, arm64, ...
    std::string runtime = "bpf";
    std::string systemtapVersion = "4.8"; // what scripts see as systemtap_v
    std::string privilege = "stapdev";
    bool guruMode = false;

    // CONFIG_* value of the running kernel ("y", "m", a number, a string),
    // read lazily from /proc/config.gz or /boot/config-RELEASE; empty if unset.
    std::string kernelConfig(const std::string& name) const;
    // Overrides, for tests and for compiling for another kernel.
    void setKernelConfig(std::map<std::string, std::string> config) {
        config_ = std::move(config);
    }

    static TargetInfo forRunningKernel();

private:
    mutable std::optional<std::map<std::string, std::string>> config_;
};

} // namespace tap
