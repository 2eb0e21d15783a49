#include "bpf_compile.h"
#include "kernel/kernel_facts.h"

#include <bpf/libbpf.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace tap::rt {

namespace {

std::string run(const std::string& command, int& status) {
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    if (!p) {
        status = -1;
        return out;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        out.append(buf, n);
    status = pclose(p);
    return out;
}

// Identifies the compiler by the file `clang` on PATH resolves to (its
// path, size and time): an upgraded clang changes it. Asking it with
// `clang --version` cost a start-up 30 ms even when the object was cached.
std::string clangIdentity() {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    for (size_t start = 0; start <= dirs.size();) {
        size_t colon = dirs.find(':', start);
        std::string dir = dirs.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        start = colon == std::string::npos ? dirs.size() + 1 : colon + 1;
        std::error_code ec;
        fs::path clang = fs::canonical(fs::path(dir.empty() ? "." : dir) / "clang", ec);
        struct stat st {};
        if (!ec && stat(clang.c_str(), &st) == 0 && S_ISREG(st.st_mode))
            return clang.string() + "/" + std::to_string(st.st_size) + "/" + std::to_string(st.st_mtim.tv_sec);
    }
    return "no clang";
}

// Identifies the kernel's types: a compiled object's CO-RE relocations are
// resolved at load time, but the cache key still changes with the kernel.
std::string kernelIdentity() {
    struct stat st {};
    stat(kernel::kernelFile("/sys/kernel/btf/vmlinux").c_str(), &st);
    return kernel::kernelRelease() + "/" + std::to_string(st.st_size);
}

std::string machineIncludeDir() {
    struct utsname u {};
    uname(&u);
    std::string dir = std::string("/usr/include/") + u.machine + "-linux-gnu";
    return fs::is_directory(dir) ? dir : std::string();
}

std::string targetArch() {
    struct utsname u {};
    uname(&u);
    std::string m = u.machine;
    if (m == "x86_64") return "x86";
    if (m == "aarch64") return "arm64";
    if (m.rfind("ppc64", 0) == 0) return "powerpc";
    if (m == "s390x") return "s390";
    return m;
}

// Clang's time grows with the file: a large one (strace.stp's 87 programs)
// is compiled in parts at once, one per CPU, each the shared definitions and
// some of the programs, and the parts are linked into one object (maps and
// global functions are weak, so the linker keeps one of each).
std::vector<std::string> partsToCompile(const bpf::Translation& t) {
    constexpr size_t kSplitBytes = 128 * 1024;
    constexpr size_t kMostParts = 4;
    size_t cpus = std::max(1u, std::thread::hardware_concurrency());
    size_t parts = std::min({cpus, kMostParts, t.programSources.size()});
    if (t.source.size() < kSplitBytes || parts < 2)
        return {t.source};
    std::vector<size_t> order(t.programSources.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return t.programSources[a].size() > t.programSources[b].size(); });
    // Part 0 defines the global functions; clang spends about twice as long
    // on a byte of them as on a byte of a program (strace.stp).
    std::vector<size_t> cost(parts, 0);
    cost[0] = 2 * (t.sharedSource.size() - t.sharedDeclarations.size());
    std::vector<std::string> bodies(parts);
    for (size_t i : order) { // the largest programs first, each to the part with the least so far
        size_t least = size_t(std::min_element(cost.begin(), cost.end()) - cost.begin());
        bodies[least] += t.programSources[i];
        cost[least] += t.programSources[i].size();
    }
    std::vector<std::string> out;
    for (size_t i = 0; i < parts; ++i)
        out.push_back((i == 0 ? t.sharedSource : t.sharedDeclarations) + bodies[i] + bpf::kLicense);
    return out;
}

std::string linkObjects(const std::vector<std::string>& objects, const std::string& output) {
    bpf_linker* linker = bpf_linker__new(output.c_str(), nullptr);
    if (!linker)
        return std::string("cannot link the compiled parts: ") + std::strerror(errno);
    std::string error;
    for (const std::string& object : objects)
        if (bpf_linker__add_file(linker, object.c_str(), nullptr) != 0) {
            error = "cannot link " + object + ": " + std::strerror(errno);
            break;
        }
    if (error.empty() && bpf_linker__finalize(linker) != 0)
        error = std::string("cannot link the compiled parts: ") + std::strerror(errno);
    bpf_linker__free(linker);
    return error;
}

// clang's own diagnostics, without a crash report's stack dump.
std::string clangError(const std::string& out) {
    std::string brief;
    std::istringstream lines(out);
    std::string line;
    int kept = 0;
    while (std::getline(lines, line) && kept < 20) {
        if (line.find("PLEASE submit") != std::string::npos || line.rfind("Stack dump", 0) == 0)
            break;
        brief += line + "\n";
        ++kept;
    }
    if (out.empty())
        return "clang could not be run (is the clang package installed?)";
    if (brief.empty())
        return "clang crashed compiling the generated program (run tstap -p3 to see it)\n";
    return brief;
}

} // namespace

std::string programDigest(const bpf::Translation& translation) {
    return cacheFileName(translation.source + kTapstudioBpfHeader);
}

BpfObject compileBpf(const bpf::Translation& translation) {
    const std::string& source = translation.source;
    BpfObject result;
    std::string dir = cacheDirectory();
    std::error_code ec;
    fs::create_directories(dir, ec);
    std::string base = dir + "/" + cacheFileName(source + kTapstudioBpfHeader + clangIdentity() + kernelIdentity());
    result.path = base + ".o";
    if (fs::exists(result.path, ec)) {
        result.cached = true;
        return result;
    }
    // The header goes next to the source; the object is renamed into place
    // only when complete, so concurrent runs never see half a file.
    std::string work = base + "." + std::to_string(getpid());
    fs::create_directories(work, ec);
    std::ofstream(work + "/tapstudio.bpf.h") << kTapstudioBpfHeader;
    std::string includes = "-I" + work;
    std::string machine = machineIncludeDir();
    if (!machine.empty())
        includes += " -I" + machine;
    std::vector<std::string> parts = partsToCompile(translation);
    std::vector<std::string> objects, outputs(parts.size());
    std::vector<int> statuses(parts.size(), 0);
    std::vector<std::thread> compiling;
    for (size_t i = 0; i < parts.size(); ++i) {
        std::string stem = work + "/program" + (parts.size() > 1 ? std::to_string(i) : std::string());
        std::ofstream(stem + ".bpf.c") << parts[i];
        objects.push_back(stem + ".o");
        std::string cmd = "clang -O2 -g -target bpf -mcpu=v3 -D__TARGET_ARCH_" + targetArch() + " " + includes +
                          " -Wno-unused-value -Wno-unused-variable -Wno-unused-label -Wno-unused-function -c " + stem +
                          ".bpf.c -o " + stem + ".o 2>&1";
        compiling.emplace_back([&, i, cmd] { outputs[i] = run(cmd, statuses[i]); });
    }
    for (std::thread& t : compiling)
        t.join();
    for (size_t i = 0; i < parts.size() && result.error.empty(); ++i)
        if (statuses[i] != 0 || !fs::exists(objects[i], ec))
            result.error = clangError(outputs[i]);
    std::string object = work + "/program.o";
    if (result.error.empty() && parts.size() > 1)
        result.error = linkObjects(objects, object);
    if (result.error.empty()) {
        fs::rename(object, result.path, ec);
        if (ec)
            result.error = "cannot write the object cache in " + dir + ": " + ec.message();
    }
    std::error_code ignored;
    fs::remove_all(work, ignored);
    return result;
}

} // namespace tap::rt
