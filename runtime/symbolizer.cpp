#include "symbolizer.h"

#include "dwarf/dwarf_index.h"
#include "elf/elf_binary.h"

#include <algorithm>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>

namespace tap::rt {

namespace {

std::string hex(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
    return buf;
}

std::string basename(const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

} // namespace

Symbolizer::Symbolizer() = default;
Symbolizer::~Symbolizer() = default;

void Symbolizer::loadKallsyms() {
    kallsymsLoaded_ = true;
    std::ifstream in("/proc/kallsyms");
    std::string line;
    while (std::getline(in, line)) {
        // "ffffffff81000000 T _stext" or "... t name\t[module]"
        std::istringstream fields(line);
        std::string address, type, name, module;
        if (!(fields >> address >> type >> name))
            continue;
        if (type != "t" && type != "T" && type != "w" && type != "W")
            continue;
        fields >> module;
        uint64_t a = 0;
        std::from_chars(address.data(), address.data() + address.size(), a, 16);
        if (a == 0) // unprivileged readers see zeros
            continue;
        module = module.size() > 2 ? module.substr(1, module.size() - 2) : "kernel";
        kallsyms_.push_back({a, std::move(name), std::move(module)});
    }
    std::stable_sort(kallsyms_.begin(), kallsyms_.end(),
                     [](const KernelSymbol& a, const KernelSymbol& b) { return a.address < b.address; });
}

SymbolInfo Symbolizer::kernel(uint64_t address) {
    std::lock_guard lock(mutex_);
    if (!kallsymsLoaded_)
        loadKallsyms();
    SymbolInfo info;
    auto after = std::upper_bound(kallsyms_.begin(), kallsyms_.end(), address,
                                  [](uint64_t a, const KernelSymbol& s) { return a < s.address; });
    if (after == kallsyms_.begin())
        return info;
    const KernelSymbol& s = *(after - 1);
    // The next symbol bounds this one; past the last, nothing is known.
    if (after == kallsyms_.end())
        return info;
    info.name = s.name;
    info.offset = address - s.address;
    info.size = after->address - s.address;
    info.module = s.module;
    return info;
}

void Symbolizer::addCandidateProgram(const std::string& path) {
    std::lock_guard lock(mutex_);
    if (std::find(candidates_.begin(), candidates_.end(), path) != candidates_.end())
        return;
    candidates_.push_back(path);
    programsToExpand_.push_back(path);
}

void Symbolizer::addNeededLibraries() {
    for (const std::string& program : std::exchange(programsToExpand_, {}))
        for (std::string& library : elf::neededLibraries(program))
            if (std::find(candidates_.begin(), candidates_.end(), library) == candidates_.end())
                candidates_.push_back(std::move(library));
}

void Symbolizer::addCandidateProcess(int pid) {
    std::lock_guard lock(mutex_);
    for (const Mapping& m : mappings(pid, 0))
        if (!m.path.empty() && m.path[0] == '/' &&
            std::find(candidates_.begin(), candidates_.end(), m.path) == candidates_.end())
            candidates_.push_back(m.path);
}

std::string Symbolizer::pathOf(int pid, const std::string& buildId) {
    auto known = pathOfBuildId_.find(buildId);
    if (known != pathOfBuildId_.end())
        return known->second;
    addNeededLibraries();
    std::vector<std::string> files = candidates_;
    for (const Mapping& m : mappings(pid, 0))
        if (!m.path.empty() && m.path[0] == '/')
            files.push_back(m.path);
    for (const std::string& file : files)
        if (const elf::ElfBinary* elf = binary(file); elf && !elf->buildId().empty())
            pathOfBuildId_.emplace(elf->buildId(), file);
    known = pathOfBuildId_.find(buildId);
    return known != pathOfBuildId_.end() ? known->second : std::string();
}

void Symbolizer::noteModule(int pid, const std::string& buildId, uint64_t bias) {
    std::lock_guard lock(mutex_);
    lastPid_ = pid;
    std::string path = pathOf(pid, buildId);
    if (path.empty())
        return;
    std::vector<Module>& modules = modules_[pid];
    for (Module& m : modules)
        if (m.path == path) {
            m.bias = bias;
            return;
        }
    modules.push_back({path, bias});
}

const std::vector<Symbolizer::Mapping>& Symbolizer::mappings(int pid, uint64_t address) {
    auto it = maps_.find(pid);
    auto covers = [&](const std::vector<Mapping>& maps) {
        return std::any_of(maps.begin(), maps.end(), [&](const Mapping& m) { return address >= m.start && address < m.end; });
    };
    if (it != maps_.end() && (address == 0 || covers(it->second) || misses_[pid].count(address)))
        return it->second;
    // First sight, or a mapping made since (dlopen): read the map again,
    // keeping the old one when the process has gone.
    std::vector<Mapping> fresh;
    std::ifstream in("/proc/" + std::to_string(pid) + "/maps");
    std::string line;
    while (std::getline(in, line)) {
        // start-end perms offset dev inode path
        Mapping m{};
        char perms[8] = {}, dev[16] = {};
        unsigned long inode = 0;
        int pathAt = 0;
        if (std::sscanf(line.c_str(), "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %15s %lu %n", &m.start, &m.end, perms,
                        &m.offset, dev, &inode, &pathAt) < 6)
            continue;
        // Anonymous memory and [vdso] too (path "" or "[...]"): an address
        // there is known to have no file, and does not send us back here.
        if (pathAt > 0 && size_t(pathAt) < line.size())
            m.path = line.substr(size_t(pathAt));
        fresh.push_back(std::move(m));
    }
    if (!fresh.empty() || it == maps_.end())
        it = maps_.insert_or_assign(pid, std::move(fresh)).first;
    // Outside every mapping (a wrong frame of a frame-pointer walk): not
    // read again for it.
    if (address && !covers(it->second))
        misses_[pid].insert(address);
    return it->second;
}

const elf::ElfBinary* Symbolizer::binary(const std::string& path) {
    auto it = binaries_.find(path);
    if (it == binaries_.end()) {
        std::string error;
        it = binaries_.emplace(path, elf::ElfBinary::open(path, error)).first;
    }
    return it->second.get();
}

// The separate debug file of a stripped binary (libc6-dbg and the like),
// found by build id as gdb finds it.
const elf::ElfBinary* Symbolizer::debugFile(const elf::ElfBinary& elf) {
    const std::string& id = elf.buildId();
    if (id.size() < 2)
        return nullptr;
    std::string hexId;
    for (unsigned char c : id) {
        char buf[3];
        std::snprintf(buf, sizeof buf, "%02x", c);
        hexId += buf;
    }
    return binary("/usr/lib/debug/.build-id/" + hexId.substr(0, 2) + "/" + hexId.substr(2) + ".debug");
}

// The symbol at a file offset of `path` (info.module is set already).
bool Symbolizer::symbolize(const std::string& path, uint64_t fileOffset, SymbolInfo& info) {
    const elf::ElfBinary* elf = binary(path);
    std::optional<uint64_t> linkAddress = elf ? elf->addressOfFileOffset(fileOffset) : std::nullopt;
    if (!linkAddress)
        return false;
    info.moduleOffset = *linkAddress;
    info.linked = true;
    const elf::Symbol* f = elf->functionAt(*linkAddress);
    if (!f) // local functions of a stripped file: its separate debug file has them
        if (const elf::ElfBinary* debug = debugFile(*elf))
            f = debug->functionAt(*linkAddress);
    if (f) {
        info.name = f->name;
        info.offset = *linkAddress - f->address;
        info.size = f->size;
        return true;
    }
    // PLT stubs have no symbols; objdump calls them NAME@plt, as stap.
    for (const elf::Symbol& stub : elf->pltEntries())
        if (*linkAddress >= stub.address && *linkAddress < stub.address + 16) {
            info.name = stub.name + "@plt";
            info.offset = *linkAddress - stub.address;
            info.size = 16;
            return true;
        }
    return true;
}

// A user address in the files BPF saw mapped in `pid`: valid after the
// process has gone.
bool Symbolizer::fromModules(int pid, uint64_t address, SymbolInfo& info) {
    auto modules = modules_.find(pid);
    if (modules == modules_.end())
        return false;
    for (const Module& m : modules->second) {
        SymbolInfo candidate;
        candidate.module = m.path;
        if (address >= m.bias && symbolize(m.path, address - m.bias, candidate)) {
            info = candidate;
            return true;
        }
    }
    return false;
}

SymbolInfo Symbolizer::user(int pid, uint64_t address) {
    std::lock_guard lock(mutex_);
    SymbolInfo info;
    if (pid <= 0 || fromModules(pid, address, info))
        return info;
    for (const Mapping& m : mappings(pid, address)) {
        if (address < m.start || address >= m.end)
            continue;
        if (m.path.empty() || m.path[0] != '/')
            return info; // no file to name it from
        info.module = m.path;
        info.moduleOffset = address - m.start + m.offset;
        info.size = m.end - m.start;
        symbolize(m.path, address - m.start + m.offset, info);
        return info;
    }
    return info;
}

SymbolInfo Symbolizer::userAnywhere(int preferred, uint64_t address) {
    SymbolInfo info = user(preferred, address);
    if (!info.module.empty())
        return info;
    // The other processes by what BPF noted only: their maps, if they still
    // run, are not read again for every address.
    std::lock_guard lock(mutex_);
    for (const auto& [pid, modules] : modules_)
        if (pid != preferred && fromModules(pid, address, info))
            return info;
    return info;
}

bool Symbolizer::needsSourceLine(Style style) {
    return style == Style::Fuller || style == Style::File || style == Style::Line || style == Style::FileLine;
}

void Symbolizer::addSourceLine(SymbolInfo& info) {
    if (!info.linked)
        return;
    std::lock_guard lock(mutex_);
    std::string error;
    if (const dwarf::DebugInfo* debug = dwarf::DebugInfo::of(info.module, error); debug && debug->hasDwarf())
        std::tie(info.file, info.line) = debug->sourceLine(info.moduleOffset);
}

std::string Symbolizer::format(const SymbolInfo& s, uint64_t address, Style style) {
    const bool name = !s.name.empty(), module = !s.module.empty();
    const std::string offset = hex(s.offset), size = hex(s.size);
    switch (style) {
    case Style::Hex:
        return hex(address);
    case Style::Symbol:
        return name ? s.name : hex(address);
    case Style::Module:
        return module ? s.module : "<unknown>";
    case Style::Data:
        if (name)
            return s.name + "+" + offset + "/" + size + (module ? " [" + s.module + "]" : "");
        if (module)
            return hex(address) + " [" + s.module + "+" + hex(s.moduleOffset) + "/" + size + "]";
        return hex(address);
    case Style::Brief:
        return (name ? s.name + "+" + offset : hex(address)) + "\n";
    case Style::Simple:
        if (name)
            return s.name + "+" + offset + (module ? " [" + basename(s.module) + "]" : "") + "\n";
        if (module)
            return hex(address) + " [" + basename(s.module) + "+" + hex(s.moduleOffset) + "]\n";
        return hex(address) + "\n";
    case Style::Full:
        if (name)
            return " " + hex(address) + " : " + s.name + "+" + offset + "/" + size +
                   (module ? " [" + s.module + "]" : "") + "\n";
        if (module)
            return " " + hex(address) + " [" + s.module + "+" + hex(s.moduleOffset) + "/" + size + "]\n";
        return " " + hex(address) + "\n";
    case Style::Syms:
        return " " + hex(address) + " : " + format(s, address, Style::Data) + "\n";
    case Style::Fuller: {
        if (s.file.empty())
            return format(s, address, Style::Full);
        std::string at = " at " + s.file + (s.line ? ":" + std::to_string(s.line) : "");
        if (name)
            return " " + hex(address) + " : " + s.name + "+" + offset + "/" + size + at +
                   (module ? " [" + s.module + "]" : "") + "\n";
        return " " + hex(address) + " [" + s.module + "+" + hex(s.moduleOffset) + "/" + size + "]" + at + "\n";
    }
    case Style::File:
        return s.file.empty() ? hex(address) : s.file;
    case Style::Line:
        return s.line ? std::to_string(s.line) : hex(address);
    case Style::FileLine:
        if (!s.file.empty())
            return s.file + (s.line ? ":" + std::to_string(s.line) : "");
        return s.line ? "??:" + std::to_string(s.line) : hex(address);
    }
    return hex(address);
}

std::string Symbolizer::formatAddress(bool userAddress, int pid, uint64_t address, Style style) {
    if (style == Style::Hex)
        return hex(address);
    SymbolInfo info = userAddress ? user(pid, address) : kernel(address);
    if (needsSourceLine(style))
        addSourceLine(info);
    return format(info, address, style);
}

std::string Symbolizer::formatStack(bool userAddresses, int pid, std::string_view hexList, Style style, size_t limit) {
    return formatFrames(frames(userAddresses, pid, hexList), style, limit);
}

std::vector<StackFrame> Symbolizer::frames(bool userAddresses, int pid, std::string_view hexList, bool anyProcess) {
    std::vector<StackFrame> out;
    size_t at = 0;
    while (at < hexList.size()) {
        size_t end = hexList.find(' ', at);
        if (end == std::string_view::npos)
            end = hexList.size();
        std::string_view token = hexList.substr(at, end - at);
        at = end + 1;
        if (token.size() > 2 && token[0] == '0' && (token[1] == 'x' || token[1] == 'X'))
            token.remove_prefix(2);
        uint64_t address = 0;
        if (token.empty() || std::from_chars(token.data(), token.data() + token.size(), address, 16).ec != std::errc())
            continue;
        SymbolInfo info = !userAddresses ? kernel(address)
                          : anyProcess   ? userAnywhere(pid, address)
                                         : user(pid, address);
        out.push_back({address, std::move(info)});
    }
    return out;
}

std::string Symbolizer::formatFrames(const std::vector<StackFrame>& frames, Style style, size_t limit) {
    std::string out;
    for (const StackFrame& f : frames) {
        std::string line;
        if (style == Style::Hex) {
            line = hex(f.address) + ' ';
        } else {
            SymbolInfo info = f.symbol;
            if (needsSourceLine(style))
                addSourceLine(info);
            line = format(info, f.address, style);
        }
        if (out.size() + line.size() > limit)
            break;
        out += line;
    }
    return out;
}

} // namespace tap::rt
