// The system around the attach kinds (kernel, BTF, filesystems, privileges,
// tstap's cache, CPU, memory) and the report as text or JSON.
#include "capability_probe.h"

#include "bpf_compile.h"
#include "exec.h"

#include <bpf/btf.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace tap::rt {

namespace {

std::string firstLine(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

// Where a filesystem type is mounted (/proc/mounts), "" when it is not.
std::string mountPoint(const std::string& fsType) {
    std::ifstream in("/proc/mounts");
    std::string device, dir, type, rest;
    while (in >> device >> dir >> type && std::getline(in, rest))
        if (type == fsType) return dir;
    return {};
}

bool kernelKnowsFilesystem(const std::string& fsType) {
    std::ifstream in("/proc/filesystems");
    std::string line;
    while (std::getline(in, line))
        if (line.size() >= fsType.size() && line.compare(line.size() - fsType.size(), fsType.size(), fsType) == 0)
            return true;
    return false;
}

FilesystemState filesystem(const std::string& fsType) {
    FilesystemState s;
    s.path = mountPoint(fsType);
    s.mounted = !s.path.empty();
    s.mountable = kernelKnowsFilesystem(fsType);
    return s;
}

uint64_t effectiveCapabilities() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("CapEff:", 0) == 0) return std::strtoull(line.c_str() + 7, nullptr, 16);
    return 0;
}

bool onPath(const char* program) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':'))
        if (!dir.empty() && access((dir + "/" + program).c_str(), X_OK) == 0) return true;
    return false;
}

// As the IDE's run client decides (runclient/run_session.cpp commandFor).
std::string elevation(const CapabilityReport& r) {
    if (r.euid == 0) return "not needed: running as root";
    if (r.capBpf && r.capPerfmon) return "not needed: CAP_BPF and CAP_PERFMON are effective";
    bool display = std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY");
    if (onPath("pkexec") && display) return "pkexec (asks for a password in a dialog)";
    if (onPath("sudo")) return "sudo -n (needs a NOPASSWD rule for tstap)";
    return "none available: run tapstudio as root, or give tstap CAP_BPF and CAP_PERFMON";
}

void cacheSize(CapabilityReport& r) {
    std::error_code ec;
    r.cacheDir = cacheDirectory();
    for (auto it = std::filesystem::recursive_directory_iterator(r.cacheDir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec)) {
            r.cacheBytes += it->file_size(ec);
            ++r.cacheFiles;
        }
    }
}

void cpuAndMemory(CapabilityReport& r) {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line))
        if (line.rfind("model name", 0) == 0 && r.cpuModel.empty()) r.cpuModel = line.substr(line.find(':') + 2);
    r.cpus = unsigned(sysconf(_SC_NPROCESSORS_ONLN));
    std::ifstream meminfo("/proc/meminfo");
    std::string key;
    uint64_t kb = 0;
    while (meminfo >> key >> kb && std::getline(meminfo, line)) {
        if (key == "MemTotal:") r.memTotalBytes = kb * 1024;
        if (key == "MemAvailable:") r.memAvailableBytes = kb * 1024;
    }
}

std::string bytesText(uint64_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        ++u;
    }
    std::ostringstream s;
    s.precision(u == 0 ? 0 : 1);
    s << std::fixed << v << " " << units[u];
    return s.str();
}

std::string yesNo(bool b) {
    return b ? "yes" : "no";
}

std::string fsText(const FilesystemState& s, const std::string& howToMount) {
    if (s.mounted) return "mounted on " + s.path;
    return s.mountable ? "not mounted (the kernel has it: " + howToMount + ")" : "not available in this kernel";
}

} // namespace

CapabilityReport probeCapabilities(const std::string& tstapVersion) {
    CapabilityReport r;
    utsname u{};
    if (uname(&u) == 0) {
        r.kernelRelease = u.release;
        r.machine = u.machine;
    }
    if (btf* vmlinux = btf__load_vmlinux_btf()) {
        r.btf = true;
        r.btfDetail = "/sys/kernel/btf/vmlinux, " + std::to_string(btf__type_cnt(vmlinux)) + " types";
        btf__free(vmlinux);
    } else {
        r.btfDetail = "no kernel BTF (/sys/kernel/btf/vmlinux): $variables of kernel events cannot be typed";
    }
    r.attach = probeAttachKinds();
    r.tracefs = filesystem("tracefs");
    r.debugfs = filesystem("debugfs");
    r.uid = getuid();
    r.euid = geteuid();
    uint64_t caps = effectiveCapabilities();
    r.capSysAdmin = caps >> 21 & 1;
    r.capPerfmon = caps >> 38 & 1;
    r.capBpf = caps >> 39 & 1;
    r.perfEventParanoid = firstLine("/proc/sys/kernel/perf_event_paranoid");
    r.unprivilegedBpfDisabled = firstLine("/proc/sys/kernel/unprivileged_bpf_disabled");
    r.elevation = elevation(r);
    r.tstapVersion = tstapVersion;
    cacheSize(r);
    cpuAndMemory(r);
    return r;
}

void printCapabilitiesText(const CapabilityReport& r, std::ostream& out) {
    out << "Kernel:       " << r.kernelRelease << " (" << r.machine << ")\n"
        << "BTF:          " << (r.btf ? "yes, " : "") << r.btfDetail << "\n"
        << "Attach kinds (each loaded and attached for real):\n";
    for (const CapabilityCheck& c : r.attach)
        out << "  " << (c.ok ? "yes " : "no  ") << c.name << std::string(c.name.size() < 15 ? 15 - c.name.size() : 1, ' ')
            << c.detail << "\n";
    out << "tracefs:      " << fsText(r.tracefs, "tstap mounts it itself as root") << "\n"
        << "debugfs:      " << fsText(r.debugfs, "mount -t debugfs none /sys/kernel/debug") << "\n"
        << "User:         uid " << r.uid << ", euid " << r.euid << "; CAP_BPF " << yesNo(r.capBpf)
        << ", CAP_PERFMON " << yesNo(r.capPerfmon) << ", CAP_SYS_ADMIN " << yesNo(r.capSysAdmin) << "\n"
        << "Sysctls:      perf_event_paranoid " << r.perfEventParanoid << ", unprivileged_bpf_disabled "
        << r.unprivilegedBpfDisabled << "\n"
        << "Elevation:    " << r.elevation << "\n"
        << "tstap:        " << r.tstapVersion << "; cache " << r.cacheDir << ": " << bytesText(r.cacheBytes) << " in "
        << r.cacheFiles << " files\n"
        << "CPU:          " << r.cpus << " x " << r.cpuModel << "\n"
        << "Memory:       " << bytesText(r.memTotalBytes) << " total, " << bytesText(r.memAvailableBytes)
        << " available\n";
}

void printCapabilitiesJson(const CapabilityReport& r, std::ostream& out) {
    auto q = [](const std::string& s) { return Output::quote(s); };
    auto b = [](bool v) { return v ? "true" : "false"; };
    auto fs = [&](const FilesystemState& s) {
        return std::string("{\"mounted\":") + b(s.mounted) + ",\"path\":" + q(s.path) + ",\"mountable\":" +
               b(s.mountable) + "}";
    };
    out << "{\"t\":\"capabilities\",\"version\":1,\"kernel\":{\"release\":" << q(r.kernelRelease)
        << ",\"machine\":" << q(r.machine) << ",\"btf\":" << b(r.btf) << ",\"btfDetail\":" << q(r.btfDetail)
        << "},\"attach\":[";
    for (size_t i = 0; i < r.attach.size(); ++i)
        out << (i ? "," : "") << "{\"name\":" << q(r.attach[i].name) << ",\"ok\":" << b(r.attach[i].ok)
            << ",\"detail\":" << q(r.attach[i].detail) << "}";
    out << "],\"filesystems\":{\"tracefs\":" << fs(r.tracefs) << ",\"debugfs\":" << fs(r.debugfs) << "}"
        << ",\"privileges\":{\"uid\":" << r.uid << ",\"euid\":" << r.euid << ",\"capBpf\":" << b(r.capBpf)
        << ",\"capPerfmon\":" << b(r.capPerfmon) << ",\"capSysAdmin\":" << b(r.capSysAdmin)
        << ",\"perfEventParanoid\":" << q(r.perfEventParanoid)
        << ",\"unprivilegedBpfDisabled\":" << q(r.unprivilegedBpfDisabled) << ",\"elevation\":" << q(r.elevation)
        << "},\"tstap\":{\"version\":" << q(r.tstapVersion) << ",\"cacheDir\":" << q(r.cacheDir)
        << ",\"cacheBytes\":" << r.cacheBytes << ",\"cacheFiles\":" << r.cacheFiles << "}"
        << ",\"cpu\":{\"model\":" << q(r.cpuModel) << ",\"count\":" << r.cpus << "}"
        << ",\"memory\":{\"totalBytes\":" << r.memTotalBytes << ",\"availableBytes\":" << r.memAvailableBytes
        << "}}\n";
}

} // namespace tap::rt
