// Pass 3: the kernel-side probe handlers of a Program as one BPF C file, and
// the manifest the runtime needs to load it and to talk to it (maps, printf
// formats, error sites, attach points).
#pragma once

#include "diagnostics.h"
#include "printf_format.h"
#include "program.h"

#include <map>
#include <string>
#include <vector>

namespace tap::bpf {

struct KeyPart {
    bool isString = false;
    int offset = 0, size = 0; // in the key struct
};

// A global that kernel probes touch, and where it lives.
struct GlobalMap {
    const VarDecl* global = nullptr;
    enum class Kind : uint8_t {
        Scalar,    // a member of the shared `tap_scalars` struct
        Hash,      // an associative array: HASH (LRU_HASH when it wraps)
        Stat,      // a statistic: PERCPU_ARRAY of one tap_stat
        StatHash,  // an array of statistics: PERCPU_HASH
    } kind = Kind::Scalar;
    std::string mapName;          // C/ELF name of the map
    // Hash: the kernel only adds to the values (c[k]++, c[k] += n), so each
    // CPU adds to its own slot (PERCPU_HASH) and user space sums them.
    bool perCpuCounter = false;
    int scalarOffset = 0;         // Scalar: offset in tap_scalars
    Type valueType = Type::Long;
    int valueSize = 8;
    std::vector<KeyPart> keys;
    int keySize = 0;
    int64_t maxEntries = 0;
    // Statistics: histogram shape of the buckets kept in tap_stat.
    int histKind = 0;             // 0 none, 1 log, 2 linear
    int64_t histStart = 0, histInterval = 1;
    int histBuckets = 0;
};

// A print argument that user space computes from what the record holds:
// BPF captures addresses, and cannot read symbol tables to name them.
struct SymbolArg {
    enum class Source : uint8_t {
        None,
        KernelStack,   // the record holds a hex address list (backtrace())
        UserStack,     // ... of the user stack (ubacktrace())
        KernelAddress, // the record holds one address
        UserAddress,
        ProbeAddress,  // addr() or uaddr(): a kernel or user address (probefunc())
    } source = Source::None;
    // stap's formats: symname, symdata, modname, print_backtrace_brief,
    // sprint_backtrace, print_backtrace, print_syms lines.
    enum class Style : uint8_t {
        Hex, Symbol, Data, Module, Brief, Simple, Full, Syms,
        Fuller,   // print_backtrace_fileline: Full with " at FILE:LINE"
        File, Line, FileLine, // symfile, symline, symfileline
    } style = Style::Hex;
    bool limited = false; // a string function's result: at most MAXSTRINGLEN - 1 bytes
    bool user() const { return source == Source::UserStack || source == Source::UserAddress; }
    bool stack() const { return source == Source::KernelStack || source == Source::UserStack; }
    bool needsProcess() const { return user() || source == Source::ProbeAddress; }
};

// A symbol function's result outside a print in a kernel probe (symname(),
// sprint_ubacktrace(), ... as an array key or a value) is a token in the
// string, which user space replaces with the text when the string reaches
// it (KernelBridge::pull, a printed string): kSymbolTokenStart, the
// SymbolArg source ('A' + source) and style ('a' + style), the process in hex
// (user addresses and stacks), ':', the address in hex or the stack's hex
// list, kSymbolTokenEnd. Kernel-side string functions see the token.
constexpr char kSymbolTokenStart = '\037', kSymbolTokenEnd = '\036';

struct PrintfSite {
    uint32_t id = 0;
    PrintKind kind = PrintKind::Printf;
    std::vector<FormatPiece> pieces; // printf
    std::string format;              // printf: the format as written
    std::string delimiter;           // printd
    bool command = false;            // system(): the text is a shell command to run
    std::vector<bool> argIsString;
    int recordSize = 0;              // bytes after the record header
    std::vector<int> argOffsets;
    std::vector<SymbolArg> symbolArgs; // per argument, when any needs naming
    int pidOffset = -1;                // the process of user addresses
    // What each argument is once formatted: argIsString, but symbol
    // arguments (addresses in the record) are text.
    std::vector<bool> argIsText;
    SourceLoc loc;
    std::string probe;
};

struct ErrorSite {
    uint32_t id = 0;
    std::string message; // may contain %llx for the record's value
    SourceLoc loc;
    std::string subject;
};

struct ProgramSpec {
    std::string function;  // C function / BPF program name
    AttachSpec attach;
    const ResolvedProbe* probe = nullptr;
    std::string pointText;
    // A program that serves many points of one probe (a uprobe wildcard
    // whose handler is the same at each): it is attached at every one, with
    // the point's probe index as the BPF cookie. Empty: at `attach` only.
    struct SharedPoint {
        AttachSpec attach;
        uint64_t cookie = 0;
    };
    std::vector<SharedPoint> sharedPoints;
};

// FNV-1a of a file's name (its last path component, at most 63 bytes), as
// the generated BPF hashes a mapping's file name (tap_file_name_hash).
uint64_t mappedFileNameHash(const std::string& path);

inline constexpr const char* kKernelReader = "tap_kernel_read";
inline constexpr const char* kKernelReaderMap = "tap_kread_map";

// The last line of the C file, and of each part compiled on its own.
inline constexpr const char* kLicense = "char LICENSE[] SEC(\"license\") = \"GPL\";\n";

struct Translation {
    std::string source; // the whole C file: sharedSource, then the programs, then the licence
    // For compiling a large file in parts: the definitions every program
    // needs, and each program's text.
    std::string sharedSource;
    // sharedSource with the global functions declared, not defined: one
    // part defines them, the others link to it, so clang compiles each once.
    std::string sharedDeclarations;
    std::vector<std::string> programSources;
    std::vector<ProgramSpec> programs;
    // Programs no event runs, only the tail calls of others: entry i of
    // the tap_handlers map is the program named tailCallPrograms[i].
    std::vector<std::string> tailCallPrograms;
    // kernel_string() & co. in user-space probes: the object has the program
    // kKernelReader, which user space runs (BPF_PROG_TEST_RUN) to read
    // kernel memory, its result in the map kKernelReaderMap.
    bool kernelReader = false;
    // Some kernel string holds a symbol token (kSymbolTokenStart): pulled
    // keys are named, and kernel keys naming one thing merge.
    bool symbolTokens = false;
    std::vector<GlobalMap> globals;
    int scalarsSize = 0;
    std::vector<PrintfSite> printfs;
    std::vector<ErrorSite> errors;
    int stringSize = 512;    // TAP_STRLEN
    int ringbufSize = 1 << 22;
    const GlobalMap* find(const VarDecl* v) const {
        for (const GlobalMap& g : globals)
            if (g.global == v)
                return &g;
        return nullptr;
    }
};

struct TranslateOptions {
    int64_t maxStringLen = 512;
    int64_t maxMapEntries = 2048;
    int64_t maxAction = 1000;
};

// Translates the kernel-site probes. Constructs that cannot run in a BPF
// program are reported against the script line (returns false).
bool translate(const Program& program, const TranslateOptions& options, DiagnosticSink& diags,
               Translation& out);

} // namespace tap::bpf
