// Addresses to symbols, as stap's backtrace and symbol functions print them:
// kernel addresses through /proc/kallsyms, user addresses through a
// process's memory map and the ELF symbols of the files it maps. BPF
// programs only capture addresses; user space names them here.
#pragma once

#include "bpf/translation.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace tap::elf {
class ElfBinary;
}

namespace tap::rt {

struct SymbolInfo {
    std::string name;   // "" when no symbol contains the address
    uint64_t offset = 0, size = 0;
    std::string module; // "kernel", a module's name, or a mapped file's path
    uint64_t moduleOffset = 0;
    bool linked = false; // moduleOffset is the file's link-time address
    std::string file;    // source file and line (addSourceLine): "" / 0 when unknown
    int line = 0;
};

// One frame of a named stack: the address and what contains it.
struct StackFrame {
    uint64_t address = 0;
    SymbolInfo symbol;
};

class Symbolizer {
public:
    using Style = bpf::SymbolArg::Style;
    Symbolizer();
    ~Symbolizer();

    SymbolInfo kernel(uint64_t address);
    SymbolInfo user(int pid, uint64_t address);
    // In an end or timer probe a user address has no process: the preferred
    // one's files first, then those of every other process stacks were
    // taken in (address space layouts are randomized, so an address seldom
    // falls in two processes' files).
    SymbolInfo userAnywhere(int preferred, uint64_t address);
    // A file of a process's user stack: its build id and where it is mapped
    // (address - file offset), as BPF saw it. Addresses are often named
    // after the process has exited, when /proc/PID/maps is gone.
    void noteModule(int pid, const std::string& buildId, uint64_t bias);
    // Files whose build ids may be noted: a probed program and the
    // libraries it needs, resolved as the dynamic linker does (the files of
    // a process that still runs are found in its map).
    void addCandidateProgram(const std::string& path);
    // Every file a running process maps (-x PID, process(PID)): libraries
    // it loaded with dlopen too.
    void addCandidateProcess(int pid);
    // Those programs and libraries (user backtraces unwind with their rules).
    std::vector<std::string> candidatePrograms() {
        std::lock_guard lock(mutex_);
        addNeededLibraries();
        return candidates_;
    }
    // The process user addresses belong to when the caller has none (an end
    // probe naming ubacktrace() strings): the last one noted.
    int lastProcess() const { return lastPid_; }

    // The styles that show a source file or line, and filling them in
    // (from DWARF: only when asked, as reading it is costly).
    static bool needsSourceLine(Style style);
    void addSourceLine(SymbolInfo& info);
    // One address in stap's format for `style` (_stp_snprint_addr).
    static std::string format(const SymbolInfo& s, uint64_t address, Style style);
    std::string formatAddress(bool user, int pid, uint64_t address, Style style);
    // A list of hex addresses ("0x1 0x2 ...", as backtrace() makes them),
    // one formatted line each; at most `limit` bytes (whole lines only).
    std::string formatStack(bool user, int pid, std::string_view hexList, Style style, size_t limit);
    // The same list named frame by frame, innermost first. `anyProcess`:
    // user addresses are looked up as userAnywhere() does (no probe context).
    std::vector<StackFrame> frames(bool user, int pid, std::string_view hexList, bool anyProcess = false);
    std::string formatFrames(const std::vector<StackFrame>& frames, Style style, size_t limit);

private:
    struct Mapping {
        uint64_t start, end, offset;
        std::string path;
    };
    struct Module {
        std::string path;
        uint64_t bias;
    };
    struct KernelSymbol {
        uint64_t address;
        std::string name, module;
    };
    void loadKallsyms();
    const std::vector<Mapping>& mappings(int pid, uint64_t address);
    const elf::ElfBinary* binary(const std::string& path);

    mutable std::mutex mutex_;
    bool kallsymsLoaded_ = false;
    std::vector<KernelSymbol> kallsyms_; // text symbols by address
    std::map<int, std::vector<Mapping>> maps_;
    std::map<int, std::set<uint64_t>> misses_; // addresses no mapping of the process holds
    std::map<int, std::vector<Module>> modules_;
    std::vector<std::string> candidates_;
    // Programs whose libraries are not yet among the candidates: reading
    // them costs milliseconds of start-up, and most sessions never ask.
    std::vector<std::string> programsToExpand_;
    void addNeededLibraries();
    std::map<std::string, std::string> pathOfBuildId_;
    std::string pathOf(int pid, const std::string& buildId);
    bool symbolize(const std::string& path, uint64_t fileOffset, SymbolInfo& info);
    bool fromModules(int pid, uint64_t address, SymbolInfo& info);
    const elf::ElfBinary* debugFile(const elf::ElfBinary& elf);
    std::map<std::string, std::unique_ptr<elf::ElfBinary>> binaries_;
    std::atomic<int> lastPid_{0};
};

} // namespace tap::rt
