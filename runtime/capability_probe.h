// What this machine can trace, found by trying: each attach kind loads a
// tiny BPF program (built from raw instructions, no clang) and attaches it
// to a real event, then detaches at once. Plus what a person needs to know
// around it: kernel release and BTF, tracefs/debugfs, privileges and how a
// run would be elevated, tstap's version and cache, CPU and memory.
// `tstap --probe-capabilities [--json]` prints it; the Dashboard's System
// view shows the JSON and marks modules that need a missing capability.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace tap::rt {

struct CapabilityCheck {
    std::string name;   // tracepoint, raw_tracepoint, kprobe, ... (the manifest's names)
    bool ok = false;
    std::string detail; // what was attached, or why it failed
};

struct FilesystemState {
    bool mounted = false;
    std::string path;   // where it is mounted
    bool mountable = false; // known to the kernel (and we may mount it)
};

struct CapabilityReport {
    std::string kernelRelease, machine;
    bool btf = false;
    std::string btfDetail;
    std::vector<CapabilityCheck> attach;
    FilesystemState tracefs, debugfs;
    unsigned uid = 0, euid = 0;
    bool capBpf = false, capPerfmon = false, capSysAdmin = false;
    std::string perfEventParanoid, unprivilegedBpfDisabled;
    std::string elevation; // how the IDE would run kernel probes for this user
    std::string tstapVersion, cacheDir;
    uint64_t cacheBytes = 0, cacheFiles = 0;
    std::string cpuModel;
    unsigned cpus = 0;
    uint64_t memTotalBytes = 0, memAvailableBytes = 0;
};

// The attach kinds, each really loaded and attached (capability_probe.cpp).
std::vector<CapabilityCheck> probeAttachKinds();
// Everything (capability_report.cpp).
CapabilityReport probeCapabilities(const std::string& tstapVersion);
void printCapabilitiesText(const CapabilityReport& report, std::ostream& out);
void printCapabilitiesJson(const CapabilityReport& report, std::ostream& out);

} // namespace tap::rt
