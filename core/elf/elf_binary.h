// What a user-space probe needs from an ELF file, read with libelf: function
// symbols, the file offset a uprobe attaches at, SDT markers
// (.note.stapsdt), PLT entries, and the paths of programs and shared
// libraries resolved as stap and the dynamic linker resolve them.
// DWARF (parameters, locals, types) is core/dwarf's job.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tap::elf {

struct Symbol {
    std::string name;
    uint64_t address = 0; // link-time virtual address
    uint64_t size = 0;
};

// One argument of an SDT marker, e.g. "-4@%edi", "8@-16(%rbp)", "4@$5",
// "8@tap_rounds(%rip)".
struct SdtArg {
    int size = 8;          // bytes, 1/2/4/8
    bool isSigned = false; // a negative size in the note
    enum class Kind : uint8_t { Register, Memory, Constant, Global } kind = Kind::Register;
    std::string reg;       // Register/Memory: the 64-bit struct pt_regs field ("di", "r8", "ip")
    int64_t value = 0;     // Memory: displacement; Constant: the number
    uint64_t address = 0;  // Global: the symbol's link-time address (plus its displacement)
    std::string text;      // as written in the note
};

struct SdtProbe {
    std::string provider, name;
    uint64_t address = 0;         // link-time address of the marker (already adjusted by .stapsdt.base)
    uint64_t semaphore = 0;       // link-time address of the semaphore, 0 when none
    uint64_t semaphoreOffset = 0; // its file offset (libbpf's ref_ctr_offset), 0 when none
    std::string argText;          // the note's argument string
    std::vector<SdtArg> args;
    std::string argError;         // why an argument could not be parsed ("" when all could)
};

// Parses one SDT argument as written in the note; `symbolAddress` resolves
// the symbol of a "%rip" operand. nullopt with `error` set when the argument
// is not one of the forms above (index registers, %ah, ...).
std::optional<SdtArg>
parseSdtArg(const std::string& text,
            const std::function<std::optional<uint64_t>(const std::string&)>& symbolAddress,
            std::string& error);

class ElfBinary {
public:
    // Opens and indexes `path`; nullptr with `error` set ("cannot open ...",
    // "... is not an ELF file").
    static std::unique_ptr<ElfBinary> open(const std::string& path, std::string& error);
    ~ElfBinary();

    const std::string& path() const { return path_; }
    bool isSharedObject() const { return sharedObject_; } // ET_DYN (PIE or library)
    // e_entry: where the process starts (_start). It is jumped to, not
    // called: what a uretprobe would take for its return address is argc.
    uint64_t entryAddress() const { return entry_; }

    // STT_FUNC / STT_GNU_IFUNC symbols with an address, from .symtab and
    // .dynsym, one per name (versioned names like "malloc@@GLIBC_2.2.5" lose
    // the version), sorted by name.
    const std::vector<Symbol>& functions() const { return functions_; }
    const Symbol* function(const std::string& name) const;
    // Any symbol (functions and objects): for SDT "%rip" operands and @var.
    std::optional<uint64_t> symbolAddress(const std::string& name) const;
    // The function containing a link-time address.
    const Symbol* functionAt(uint64_t address) const;

    // The file offset of a link-time address (through the PT_LOAD segment
    // that maps it): what uprobes attach at.
    std::optional<uint64_t> fileOffset(uint64_t address) const;
    // The inverse: the link-time address of a file offset (from a process's
    // memory map), for symbolizing the addresses of a running process.
    std::optional<uint64_t> addressOfFileOffset(uint64_t offset) const;

    const std::vector<SdtProbe>& sdtProbes() const { return sdt_; }
    // The GNU build id note's bytes ("" when there is none).
    const std::string& buildId() const { return buildId_; }
    // PLT entries: the imported function's name and its PLT stub address
    // (.plt.sec when present, else .plt), in .rela.plt order.
    const std::vector<Symbol>& pltEntries() const { return plt_; }
    // DT_NEEDED and DT_RUNPATH / DT_RPATH ($ORIGIN expanded).
    const std::vector<std::string>& needed() const { return needed_; }
    const std::vector<std::string>& runPaths() const { return runPaths_; }
    const std::string& soname() const { return soname_; }                          // DT_SONAME, or ""
    std::optional<uint64_t> dynamicAddress() const { return dynamicAddress_; } // PT_DYNAMIC's
    bool hasInterpreter() const { return hasInterpreter_; }                     // PT_INTERP: a program

private:
    ElfBinary() = default;
    std::string path_;
    bool sharedObject_ = false;
    uint64_t entry_ = 0;
    std::vector<Symbol> functions_, objects_, plt_;
    std::vector<uint32_t> byAddress_; // functions_ indices by address
    uint64_t largestSize_ = 0;
    std::vector<SdtProbe> sdt_;
    std::vector<std::string> needed_, runPaths_;
    std::string soname_;
    std::optional<uint64_t> dynamicAddress_;
    bool hasInterpreter_ = false;
    std::string buildId_;
    struct Segment {
        uint64_t vaddr, memsz, offset, filesz;
    };
    std::vector<Segment> loads_;
    friend struct ElfReader;
};

// stap's rule for process("NAME"): a name without '/' is looked up in $PATH;
// the result is the canonical absolute path of an executable regular file,
// or "" when there is none.
// A script (#!) resolves to its interpreter, which is what runs its code.
std::string resolveExecutable(const std::string& name);

// process("/lib*/libc.so.*"): the files a glob names, as stap globs them
// (canonical, each once), that are programs or libraries of this machine's
// architecture. A glob's last directory also stands for its multiarch
// subdirectory: /lib*/libc.so.6 names /lib/x86_64-linux-gnu/libc.so.6.
std::vector<std::string> executablesMatching(const std::string& pattern);

// A shared library as the dynamic linker would find it for `executable`:
// a name with '/' as is; else the executable's DT_RUNPATH/DT_RPATH,
// LD_LIBRARY_PATH, /etc/ld.so.cache, then the default directories. The
// canonical path, or "" when not found. ("libc.so.6", "libc")
std::string resolveLibrary(const std::string& name, const std::string& executable);

// The libraries the dynamic linker loads for `executable` at start-up: its
// DT_NEEDED entries and theirs, breadth first, each once, resolved.
std::vector<std::string> neededLibraries(const std::string& executable);

} // namespace tap::elf
