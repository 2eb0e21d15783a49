#include "elf/elf_binary.h"

#include <elf.h>
#include <fcntl.h>
#include <gelf.h>
#include <glob.h>
#include <libelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <iterator>
#include <string_view>
#include <tuple>

namespace tap::elf {

namespace fs = std::filesystem;

namespace {

// "malloc@@GLIBC_2.2.5" -> "malloc": callers name functions without versions.
std::string withoutVersion(std::string_view name) {
    return std::string(name.substr(0, name.find('@')));
}

// A default version ("@@") is what an unversioned reference binds to, so
// it wins over a hidden one ("@") of the same name.
bool isHiddenVersion(std::string_view name) {
    size_t at = name.find('@');
    return at != std::string_view::npos && name.substr(at, 2) != "@@";
}

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

std::vector<std::string> splitPathList(std::string_view list) {
    std::vector<std::string> dirs;
    size_t start = 0;
    while (true) {
        size_t colon = list.find(':', start);
        std::string_view dir = list.substr(start, colon - start);
        // As the shell and the dynamic linker: an empty element is the current directory.
        dirs.emplace_back(dir.empty() ? "." : dir);
        if (colon == std::string_view::npos)
            return dirs;
        start = colon + 1;
    }
}

std::string expandOrigin(std::string dir, const std::string& origin) {
    for (std::string_view token : {"${ORIGIN}", "$ORIGIN"}) {
        for (size_t at = dir.find(token); at != std::string::npos;
             at = dir.find(token, at + origin.size()))
            dir.replace(at, token.size(), origin);
    }
    return dir;
}

// "16", "-16", "+16", "0x10".
bool parseInteger(std::string_view text, int64_t& value) {
    bool negative = !text.empty() && text[0] == '-';
    if (!text.empty() && (text[0] == '-' || text[0] == '+'))
        text.remove_prefix(1);
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        text.remove_prefix(2);
        base = 16;
    }
    uint64_t magnitude = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), magnitude, base);
    if (ec != std::errc() || end != text.data() + text.size())
        return false;
    value = negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
    return true;
}

// x86_64 register names (any width) -> the struct pt_regs field holding
// them. The high-byte registers (%ah ...) are missing on purpose: they are
// not the low bits of their field, so truncating the field cannot read them.
std::optional<std::string> ptRegsField(std::string_view reg) {
    struct Family {
        std::string_view field;
        std::array<std::string_view, 4> names;
    };
    static constexpr Family families[] = {
        {"ax", {"rax", "eax", "ax", "al"}},       {"bx", {"rbx", "ebx", "bx", "bl"}},
        {"cx", {"rcx", "ecx", "cx", "cl"}},       {"dx", {"rdx", "edx", "dx", "dl"}},
        {"si", {"rsi", "esi", "si", "sil"}},      {"di", {"rdi", "edi", "di", "dil"}},
        {"bp", {"rbp", "ebp", "bp", "bpl"}},      {"sp", {"rsp", "esp", "sp", "spl"}},
        {"ip", {"rip", "eip", "ip", "ip"}},       {"r8", {"r8", "r8d", "r8w", "r8b"}},
        {"r9", {"r9", "r9d", "r9w", "r9b"}},      {"r10", {"r10", "r10d", "r10w", "r10b"}},
        {"r11", {"r11", "r11d", "r11w", "r11b"}}, {"r12", {"r12", "r12d", "r12w", "r12b"}},
        {"r13", {"r13", "r13d", "r13w", "r13b"}}, {"r14", {"r14", "r14d", "r14w", "r14b"}},
        {"r15", {"r15", "r15d", "r15w", "r15b"}},
    };
    for (const Family& family : families)
        if (std::find(family.names.begin(), family.names.end(), reg) != family.names.end())
            return std::string(family.field);
    return std::nullopt;
}

// The symbol and displacement of a %rip operand's displacement: "pair",
// "pair+8", "8+pair" (gcc writes both orders), "pair-8".
bool parseSymbolOffset(std::string_view text, std::string& symbol, int64_t& offset) {
    symbol.clear();
    offset = 0;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find_first_of("+-", start + 1);
        std::string_view term = text.substr(start, end - start);
        int64_t number = 0;
        if (parseInteger(term, number)) {
            offset += number;
        } else {
            if (term[0] == '+')
                term.remove_prefix(1);
            if (!symbol.empty() || term.empty() || term[0] == '-' ||
                std::isdigit(static_cast<unsigned char>(term[0])))
                return false;
            symbol = term;
        }
        start = end == std::string_view::npos ? text.size() : end;
    }
    return !symbol.empty();
}

// The identity a shared library must share with the program that loads it:
// ld.so skips libraries of another class or machine in its search.
struct ElfIdentity {
    unsigned char elfClass = 0;
    uint16_t machine = 0;
    bool operator==(const ElfIdentity&) const = default;
};

std::optional<ElfIdentity> readIdentity(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    unsigned char header[20] = {};
    if (!in.read(reinterpret_cast<char*>(header), sizeof header) ||
        std::memcmp(header, ELFMAG, SELFMAG) != 0)
        return std::nullopt;
    bool bigEndian = header[EI_DATA] == ELFDATA2MSB;
    uint16_t machine = bigEndian ? (header[18] << 8 | header[19]) : (header[19] << 8 | header[18]);
    return ElfIdentity{header[EI_CLASS], machine};
}

std::string canonicalPath(const fs::path& path) {
    std::error_code ec;
    fs::path result = fs::canonical(path, ec);
    return ec ? std::string() : result.string();
}

struct CacheEntry {
    std::string key;  // the soname, "libc.so.6"
    std::string path; // where it is
};

// /etc/ld.so.cache in glibc's "glibc-ld.so.cache1.1" format, possibly behind
// an old "ld.so-1.7.0" table (ldconfig's "compat" format). Empty when the
// file is missing or malformed: the directory search still applies.
std::vector<CacheEntry> readLdCache() {
    std::ifstream in("/etc/ld.so.cache", std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto u32 = [&](size_t at) {
        uint32_t value;
        std::memcpy(&value, data.data() + at, sizeof value);
        return value;
    };
    constexpr std::string_view oldMagic = "ld.so-1.7.0";
    constexpr std::string_view newMagic = "glibc-ld.so.cache1.1";
    constexpr size_t oldHeaderSize = 16, oldEntrySize = 12;
    constexpr size_t newHeaderSize = 48, newEntrySize = 24;

    size_t start = 0;
    if (startsWith(data, oldMagic)) {
        if (data.size() < oldHeaderSize)
            return {};
        start = oldHeaderSize + size_t(u32(12)) * oldEntrySize;
        start = (start + 7) & ~size_t(7); // the new header is 8-byte aligned
    }
    if (start > data.size() || !startsWith(std::string_view(data).substr(start), newMagic) ||
        data.size() - start < newHeaderSize)
        return {};
    size_t count = u32(start + 20);
    if (count > (data.size() - start - newHeaderSize) / newEntrySize)
        return {};
    // Keys and values are offsets from the start of the new header.
    auto string = [&](uint32_t offset) -> std::optional<std::string> {
        size_t at = start + offset;
        size_t end = at < data.size() ? data.find('\0', at) : std::string::npos;
        if (end == std::string::npos)
            return std::nullopt;
        return data.substr(at, end - at);
    };
    std::vector<CacheEntry> entries;
    for (size_t i = 0; i < count; ++i) {
        size_t entry = start + newHeaderSize + i * newEntrySize;
        uint64_t hwcap;
        std::memcpy(&hwcap, data.data() + entry + 16, sizeof hwcap);
        // Entries for glibc-hwcaps subdirectories need a CPU check ld.so
        // does; the baseline entry of the same library is always there too.
        if (hwcap != 0)
            continue;
        auto key = string(u32(entry + 4));
        auto path = string(u32(entry + 8));
        if (!key || !path)
            return {};
        entries.push_back({std::move(*key), std::move(*path)});
    }
    return entries;
}

// .gnu.version's flag for a version only explicit references bind to
// (VERSYM_HIDDEN, which <elf.h> does not define).
constexpr GElf_Versym versymHidden = 0x8000;

struct ElfFile {
    int fd = -1;
    Elf* elf = nullptr;
    ElfFile() = default;
    ElfFile(const ElfFile&) = delete;
    ElfFile& operator=(const ElfFile&) = delete;
    ~ElfFile() {
        if (elf)
            elf_end(elf);
        if (fd >= 0)
            close(fd);
    }
};

} // namespace

std::optional<SdtArg>
parseSdtArg(const std::string& text,
            const std::function<std::optional<uint64_t>(const std::string&)>& symbolAddress,
            std::string& error) {
    SdtArg arg;
    arg.text = text;
    auto unsupported = [&]() {
        error = "unsupported SDT argument '" + text + "'";
        return std::nullopt;
    };
    std::string_view operand = text;
    // "[-]SIZE@OPERAND"; notes older than the size prefix hold just OPERAND,
    // which stap reads as an unsigned 64-bit value.
    if (size_t at = operand.find('@'); at != std::string_view::npos) {
        int64_t size = 0;
        std::string_view sizeText = operand.substr(0, at);
        if (!sizeText.empty() && parseInteger(sizeText, size)) {
            if (size != 1 && size != 2 && size != 4 && size != 8 && size != -1 && size != -2 &&
                size != -4 && size != -8) {
                error = "invalid size in SDT argument '" + text + "'";
                return std::nullopt;
            }
            arg.isSigned = size < 0;
            arg.size = static_cast<int>(size < 0 ? -size : size);
            operand.remove_prefix(at + 1);
        }
    }
    if (operand.empty())
        return unsupported();

    auto registerField = [&](std::string_view reg) -> std::optional<std::string> {
        if (reg.empty() || reg[0] != '%')
            return std::nullopt;
        auto field = ptRegsField(reg.substr(1));
        if (!field)
            error =
                "unsupported register '" + std::string(reg) + "' in SDT argument '" + text + "'";
        return field;
    };

    if (operand[0] == '%') {
        auto field = registerField(operand);
        if (!field)
            return std::nullopt;
        arg.kind = SdtArg::Kind::Register;
        arg.reg = *field;
        return arg;
    }
    if (operand[0] == '$') {
        if (!parseInteger(operand.substr(1), arg.value))
            return unsupported();
        arg.kind = SdtArg::Kind::Constant;
        return arg;
    }
    size_t open = operand.find('(');
    if (operand.back() != ')' || open == std::string_view::npos)
        return unsupported();
    std::string_view base = operand.substr(open + 1, operand.size() - open - 2);
    std::string_view displacement = operand.substr(0, open);
    // Only "(%reg)": an index register or scale ("(%rax,%rbx,4)") needs
    // address arithmetic the translator does not emit.
    if (base.find(',') != std::string_view::npos || base.empty() || base[0] != '%')
        return unsupported();
    auto field = registerField(base);
    if (!field)
        return std::nullopt;
    if (displacement.empty() || parseInteger(displacement, arg.value)) {
        arg.kind = SdtArg::Kind::Memory;
        arg.reg = *field;
        return arg;
    }
    std::string symbol;
    int64_t offset = 0;
    if (*field != "ip" || !parseSymbolOffset(displacement, symbol, offset))
        return unsupported();
    auto address = symbolAddress ? symbolAddress(symbol) : std::nullopt;
    if (!address) {
        error = "unknown symbol '" + symbol + "' in SDT argument '" + text + "'";
        return std::nullopt;
    }
    arg.kind = SdtArg::Kind::Global;
    arg.address = *address + static_cast<uint64_t>(offset);
    return arg;
}

// Reads everything ElfBinary keeps out of an open libelf handle.
struct ElfReader {
    struct Section {
        std::string name;
        GElf_Shdr header;
        Elf_Scn* scn;
    };

    ElfBinary& binary;
    Elf* elf;
    GElf_Ehdr header{};
    std::vector<Section> sections;

    ElfReader(ElfBinary& binary, Elf* elf) : binary(binary), elf(elf) {}

    bool read() {
        if (!gelf_getehdr(elf, &header))
            return false;
        binary.sharedObject_ = header.e_type == ET_DYN;
        binary.entry_ = header.e_entry;
        readSections();
        readSegments();
        readSymbols();
        readDynamic();
        readSdtNotes();
        readBuildId();
        if (header.e_machine == EM_X86_64)
            readPlt();
        return true;
    }

    void readSections() {
        size_t namesIndex = 0;
        if (elf_getshdrstrndx(elf, &namesIndex) != 0)
            return;
        for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
            Section section{{}, {}, scn};
            if (!gelf_getshdr(scn, &section.header))
                continue;
            if (const char* name = elf_strptr(elf, namesIndex, section.header.sh_name))
                section.name = name;
            sections.push_back(std::move(section));
        }
    }

    const Section* section(std::string_view name) const {
        for (const Section& s : sections)
            if (s.name == name)
                return &s;
        return nullptr;
    }

    // The section's data, or null when it has none in the file (SHT_NOBITS,
    // as in a separate debug file).
    static Elf_Data* dataOf(const Section& section) {
        if (section.header.sh_type == SHT_NOBITS)
            return nullptr;
        Elf_Data* data = elf_getdata(section.scn, nullptr);
        return data && data->d_buf ? data : nullptr;
    }

    std::string stringAt(size_t stringSection, size_t offset) const {
        const char* text = elf_strptr(elf, stringSection, offset);
        return text ? text : "";
    }

    void readSegments() {
        size_t count = 0;
        if (elf_getphdrnum(elf, &count) != 0)
            return;
        for (size_t i = 0; i < count; ++i) {
            GElf_Phdr phdr;
            if (!gelf_getphdr(elf, static_cast<int>(i), &phdr))
                continue;
            if (phdr.p_type == PT_LOAD)
                binary.loads_.push_back({phdr.p_vaddr, phdr.p_memsz, phdr.p_offset, phdr.p_filesz});
            else if (phdr.p_type == PT_DYNAMIC)
                binary.dynamicAddress_ = phdr.p_vaddr;
            else if (phdr.p_type == PT_INTERP)
                binary.hasInterpreter_ = true;
        }
    }

    void readSymbols() {
        struct Candidate {
            Symbol symbol;
            int rank; // lower wins among symbols of the same name
        };
        std::vector<Candidate> functions, objects;
        const Section* versions = nullptr;
        for (const Section& s : sections)
            if (s.header.sh_type == SHT_GNU_versym)
                versions = &s;
        Elf_Data* versionData = versions ? dataOf(*versions) : nullptr;

        for (const Section& s : sections) {
            if (s.header.sh_type != SHT_SYMTAB && s.header.sh_type != SHT_DYNSYM)
                continue;
            auto [data, count] = entriesOf(s);
            for (size_t i = 0; i < count; ++i) {
                GElf_Sym sym;
                if (!gelf_getsym(data, static_cast<int>(i), &sym) || sym.st_shndx == SHN_UNDEF)
                    continue;
                int type = GELF_ST_TYPE(sym.st_info);
                bool isFunction = (type == STT_FUNC || type == STT_GNU_IFUNC) && sym.st_value != 0;
                if (!isFunction && type != STT_OBJECT)
                    continue;
                std::string name = stringAt(s.header.sh_link, sym.st_name);
                if (name.empty())
                    continue;
                // .dynsym keeps versions in .gnu.version, not in the name.
                bool hidden = isHiddenVersion(name);
                GElf_Versym version;
                if (s.header.sh_type == SHT_DYNSYM && versionData &&
                    gelf_getversym(versionData, static_cast<int>(i), &version))
                    hidden = hidden || (version & versymHidden);
                int rank = (hidden ? 2 : 0) + (GELF_ST_BIND(sym.st_info) == STB_LOCAL ? 1 : 0);
                Candidate candidate{{withoutVersion(name), sym.st_value, sym.st_size}, rank};
                (isFunction ? functions : objects).push_back(std::move(candidate));
            }
        }
        binary.functions_ = bestPerName(std::move(functions));
        // By address (by name among aliases), for functionAt().
        for (uint32_t i = 0; i < binary.functions_.size(); ++i) {
            binary.byAddress_.push_back(i);
            binary.largestSize_ = std::max(binary.largestSize_, binary.functions_[i].size);
        }
        std::stable_sort(binary.byAddress_.begin(), binary.byAddress_.end(), [&](uint32_t a, uint32_t b) {
            return binary.functions_[a].address < binary.functions_[b].address;
        });
        binary.objects_ = bestPerName(std::move(objects));
    }

    template <typename Candidate>
    static std::vector<Symbol> bestPerName(std::vector<Candidate> candidates) {
        std::stable_sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
            return std::tie(a.symbol.name, a.rank) < std::tie(b.symbol.name, b.rank);
        });
        std::vector<Symbol> symbols;
        for (Candidate& c : candidates)
            if (symbols.empty() || symbols.back().name != c.symbol.name)
                symbols.push_back(std::move(c.symbol));
        return symbols;
    }

    // A table section's data and its number of entries (0 when unreadable).
    std::pair<Elf_Data*, size_t> entriesOf(const Section& s) {
        Elf_Data* data = s.header.sh_entsize ? dataOf(s) : nullptr;
        return {data, data ? s.header.sh_size / s.header.sh_entsize : 0};
    }

    void readDynamic() {
        std::string runPath, rPath;
        for (const Section& s : sections) {
            if (s.header.sh_type != SHT_DYNAMIC)
                continue;
            auto [data, count] = entriesOf(s);
            for (size_t i = 0; i < count; ++i) {
                GElf_Dyn dyn;
                if (!gelf_getdyn(data, static_cast<int>(i), &dyn) || dyn.d_tag == DT_NULL)
                    break;
                if (dyn.d_tag == DT_NEEDED)
                    binary.needed_.push_back(stringAt(s.header.sh_link, dyn.d_un.d_val));
                else if (dyn.d_tag == DT_SONAME)
                    binary.soname_ = stringAt(s.header.sh_link, dyn.d_un.d_val);
                else if (dyn.d_tag == DT_RUNPATH)
                    runPath = stringAt(s.header.sh_link, dyn.d_un.d_val);
                else if (dyn.d_tag == DT_RPATH)
                    rPath = stringAt(s.header.sh_link, dyn.d_un.d_val);
            }
        }
        // ld.so ignores DT_RPATH when DT_RUNPATH is present.
        const std::string& list = runPath.empty() ? rPath : runPath;
        if (list.empty())
            return;
        std::string origin = fs::path(canonicalPath(binary.path_)).parent_path().string();
        for (const std::string& dir : splitPathList(list))
            binary.runPaths_.push_back(expandOrigin(dir, origin));
    }

    uint64_t readWord(const unsigned char* bytes, size_t size) const {
        uint64_t value = 0;
        bool bigEndian = header.e_ident[EI_DATA] == ELFDATA2MSB;
        for (size_t i = 0; i < size; ++i)
            value |= uint64_t(bytes[bigEndian ? i : size - 1 - i]) << (8 * (size - 1 - i));
        return value;
    }

    // The descriptions of the notes of `owner` and `type` in a note section,
    // until `visit` returns false.
    template <typename Visit>
    bool forEachNote(const Section& s, std::string_view owner, uint32_t type, Visit&& visit) {
        Elf_Data* data = s.header.sh_type == SHT_NOTE ? dataOf(s) : nullptr;
        if (!data)
            return true;
        GElf_Nhdr note;
        size_t nameOffset = 0, descOffset = 0;
        for (size_t next = 0; (next = gelf_getnote(data, next, &note, &nameOffset, &descOffset)) > 0;) {
            const char* bytes = static_cast<const char*>(data->d_buf);
            if (note.n_type == type && note.n_namesz == owner.size() + 1 &&
                std::string_view(bytes + nameOffset, owner.size()) == owner &&
                !visit(std::string_view(bytes + descOffset, note.n_descsz)))
                return false;
        }
        return true;
    }

    void readBuildId() {
        for (const Section& s : sections)
            if (!forEachNote(s, "GNU", NT_GNU_BUILD_ID, [&](std::string_view id) {
                    binary.buildId_ = id;
                    return false;
                }))
                return;
    }

    void readSdtNotes() {
        // Prelink moves sections without updating the notes; the distance
        // .stapsdt.base moved is how far every address in them moved.
        const Section* baseSection = section(".stapsdt.base");
        size_t wordSize = header.e_ident[EI_CLASS] == ELFCLASS64 ? 8 : 4;
        for (const Section& s : sections) {
            if (s.name != ".note.stapsdt")
                continue;
            forEachNote(s, "stapsdt", 3 /* NT_STAPSDT */, [&](std::string_view note) {
                if (note.size() < 3 * wordSize)
                    return true;
                auto* desc = reinterpret_cast<const unsigned char*>(note.data());
                uint64_t pc = readWord(desc, wordSize);
                uint64_t base = readWord(desc + wordSize, wordSize);
                uint64_t semaphore = readWord(desc + 2 * wordSize, wordSize);
                std::vector<std::string> strings;
                std::string_view rest = note.substr(3 * wordSize);
                while (strings.size() < 3 && !rest.empty()) {
                    size_t end = rest.find('\0');
                    strings.emplace_back(rest.substr(0, end));
                    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
                }
                strings.resize(3);

                SdtProbe probe;
                probe.provider = strings[0];
                probe.name = strings[1];
                probe.argText = strings[2];
                uint64_t moved = baseSection && base ? baseSection->header.sh_addr - base : 0;
                probe.address = pc + moved;
                if (semaphore) {
                    probe.semaphore = semaphore + moved;
                    probe.semaphoreOffset = sectionFileOffset(probe.semaphore).value_or(0);
                }
                parseArguments(probe);
                binary.sdt_.push_back(std::move(probe));
                return true;
            });
        }
    }

    // Semaphores live in .probes, a section of their own; its header gives
    // the file offset directly.
    std::optional<uint64_t> sectionFileOffset(uint64_t address) const {
        for (const Section& s : sections) {
            const GElf_Shdr& h = s.header;
            if ((h.sh_flags & SHF_ALLOC) && h.sh_type != SHT_NOBITS && address >= h.sh_addr &&
                address - h.sh_addr < h.sh_size)
                return address - h.sh_addr + h.sh_offset;
        }
        return std::nullopt;
    }

    void parseArguments(SdtProbe& probe) const {
        auto symbolAddress = [this](const std::string& name) { return binary.symbolAddress(name); };
        std::string_view rest = probe.argText;
        while (!rest.empty()) {
            size_t start = rest.find_first_not_of(' ');
            if (start == std::string_view::npos)
                break;
            rest.remove_prefix(start);
            size_t end = rest.find(' ');
            std::string text(rest.substr(0, end));
            rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
            auto arg = parseSdtArg(text, symbolAddress, probe.argError);
            if (!arg)
                return;
            probe.args.push_back(std::move(*arg));
        }
    }

    // The PLT stub of each .rela.plt entry. The stub order is not the
    // relocation order (libc puts IRELATIVE slots first), so each stub's
    // "jmp *GOT(%rip)" is decoded to find the GOT slot it belongs to, as
    // objdump does for its "<name@plt>" labels.
    void readPlt() {
        const Section* relocations = section(".rela.plt");
        const Section* stubs = section(".plt.sec");
        if (!stubs)
            stubs = section(".plt.bnd"); // MPX's second PLT, the .plt.sec of its time
        size_t firstStub = 0;
        if (!stubs) {
            stubs = section(".plt");
            firstStub = 16; // PLT0, the lazy-binding trampoline
        }
        if (!relocations || !stubs)
            return;
        auto [relocationData, count] = entriesOf(*relocations);
        Elf_Data* stubData = dataOf(*stubs);
        Elf_Scn* symbolScn = elf_getscn(elf, relocations->header.sh_link);
        GElf_Shdr symbolHeader;
        Elf_Data* symbolData = symbolScn ? elf_getdata(symbolScn, nullptr) : nullptr;
        if (!relocationData || !stubData || !symbolData || !gelf_getshdr(symbolScn, &symbolHeader))
            return;

        std::vector<std::pair<uint64_t, uint64_t>> stubOfSlot; // GOT slot -> stub address
        auto* code = static_cast<const unsigned char*>(stubData->d_buf);
        constexpr size_t stubSize = 16, jmpSize = 6; // ff 25 rel32
        for (size_t at = firstStub; at + stubSize <= stubData->d_size; at += stubSize) {
            // The jmp follows an optional endbr64 and bnd prefix.
            for (size_t i = at; i + jmpSize <= at + stubSize; ++i) {
                if (code[i] != 0xff || code[i + 1] != 0x25)
                    continue;
                int32_t displacement;
                std::memcpy(&displacement, code + i + 2, sizeof displacement);
                uint64_t next = stubs->header.sh_addr + i + jmpSize;
                stubOfSlot.emplace_back(next + displacement, stubs->header.sh_addr + at);
                break;
            }
        }

        for (size_t i = 0; i < count; ++i) {
            GElf_Rela rela;
            GElf_Sym sym;
            // IRELATIVE slots call a local resolver's result: no name to probe.
            if (!gelf_getrela(relocationData, static_cast<int>(i), &rela) ||
                GELF_R_TYPE(rela.r_info) != R_X86_64_JUMP_SLOT ||
                !gelf_getsym(symbolData, static_cast<int>(GELF_R_SYM(rela.r_info)), &sym))
                continue;
            auto stub = std::find_if(stubOfSlot.begin(), stubOfSlot.end(), [&](const auto& entry) {
                return entry.first == rela.r_offset;
            });
            std::string name = withoutVersion(stringAt(symbolHeader.sh_link, sym.st_name));
            if (stub != stubOfSlot.end() && !name.empty())
                binary.plt_.push_back({std::move(name), stub->second, stubSize});
        }
    }
};

std::unique_ptr<ElfBinary> ElfBinary::open(const std::string& path, std::string& error) {
    ElfFile file;
    file.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat info;
    if (file.fd >= 0 && fstat(file.fd, &info) == 0 && S_ISDIR(info.st_mode)) {
        close(file.fd);
        file.fd = -1;
        errno = EISDIR;
    }
    if (file.fd < 0) {
        error = "cannot open '" + path + "': " + std::strerror(errno);
        return nullptr;
    }
    elf_version(EV_CURRENT);
    file.elf = elf_begin(file.fd, ELF_C_READ_MMAP, nullptr);
    auto binary = std::unique_ptr<ElfBinary>(new ElfBinary);
    binary->path_ = path;
    ElfReader reader{*binary, file.elf};
    if (!file.elf || elf_kind(file.elf) != ELF_K_ELF || !reader.read()) {
        error = "'" + path + "' is not an ELF file";
        return nullptr;
    }
    return binary;
}

ElfBinary::~ElfBinary() = default;

const Symbol* ElfBinary::function(const std::string& name) const {
    auto it = std::lower_bound(functions_.begin(), functions_.end(), name,
                               [](const Symbol& s, const std::string& n) { return s.name < n; });
    return it != functions_.end() && it->name == name ? &*it : nullptr;
}

std::optional<uint64_t> ElfBinary::symbolAddress(const std::string& name) const {
    if (const Symbol* f = function(name))
        return f->address;
    auto it = std::lower_bound(objects_.begin(), objects_.end(), name,
                               [](const Symbol& s, const std::string& n) { return s.name < n; });
    if (it != objects_.end() && it->name == name)
        return it->address;
    return std::nullopt;
}

const Symbol* ElfBinary::functionAt(uint64_t address) const {
    // The innermost (latest-starting) function that contains the address;
    // aliases at the same address resolve to the first by name. Walks back
    // from the last function starting at or before the address, as far as
    // the largest function could reach.
    auto after = std::upper_bound(byAddress_.begin(), byAddress_.end(), address,
                                  [&](uint64_t a, uint32_t i) { return a < functions_[i].address; });
    const Symbol* best = nullptr;
    for (auto it = after; it != byAddress_.begin();) {
        const Symbol& f = functions_[*--it];
        if ((best && f.address < best->address) || address - f.address >= std::max<uint64_t>(largestSize_, 1))
            break;
        bool contains = f.size == 0 ? address == f.address : address - f.address < f.size;
        if (contains)
            best = &f; // walking back, the same address comes later by name
    }
    return best;
}

std::optional<uint64_t> ElfBinary::fileOffset(uint64_t address) const {
    for (const Segment& load : loads_)
        if (address >= load.vaddr && address - load.vaddr < load.filesz)
            return address - load.vaddr + load.offset;
    return std::nullopt;
}

std::optional<uint64_t> ElfBinary::addressOfFileOffset(uint64_t offset) const {
    for (const Segment& load : loads_)
        if (offset >= load.offset && offset - load.offset < load.filesz)
            return offset - load.offset + load.vaddr;
    return std::nullopt;
}

namespace {

// stap's rule for process("NAME") before scripts: see resolveExecutable().
std::string executableFile(const std::string& name) {
    std::error_code ec;
    auto usable = [&](const fs::path& p) {
        return fs::is_regular_file(p, ec) && access(p.c_str(), X_OK) == 0;
    };
    if (name.empty())
        return {};
    if (name.find('/') != std::string::npos) {
        // A path may also name a shared library (mode 644): its code runs
        // in every process that maps it (stapprobes).
        fs::path p = fs::absolute(name, ec);
        return usable(p) || (fs::is_regular_file(p, ec) && readIdentity(p)) ? canonicalPath(p) : std::string();
    }
    const char* path = std::getenv("PATH");
    for (const std::string& dir : splitPathList(path ? path : "/usr/local/bin:/usr/bin:/bin")) {
        fs::path p = fs::path(dir) / name;
        if (usable(p))
            return canonicalPath(p);
    }
    return {};
}

// stapprobes: "If PATH names refer to scripts, the actual interpreters
// (specified in the script in the first line after the #! characters) are
// probed."
std::string interpreterOf(const std::string& path) {
    if (readIdentity(path))
        return path;
    std::ifstream in(path);
    std::string line;
    if (!std::getline(in, line) || line.rfind("#!", 0) != 0)
        return path;
    std::istringstream words(line.substr(2));
    std::string interpreter;
    words >> interpreter;
    // "#!/usr/bin/env python3": the program env runs (stap stops at env).
    if (fs::path(interpreter).filename() == "env" && words >> interpreter)
        interpreter = executableFile(interpreter);
    std::error_code ec;
    return !interpreter.empty() && interpreter[0] == '/' && fs::is_regular_file(interpreter, ec) && readIdentity(interpreter)
               ? canonicalPath(interpreter)
               : path;
}

} // namespace

std::string resolveExecutable(const std::string& name) {
    std::string path = executableFile(name);
    return path.empty() ? path : interpreterOf(path);
}


#if defined(__x86_64__)
constexpr const char* kMultiarchTriplet = "x86_64-linux-gnu";
#elif defined(__aarch64__)
constexpr const char* kMultiarchTriplet = "aarch64-linux-gnu";
#else
constexpr const char* kMultiarchTriplet = nullptr;
#endif

std::vector<std::string> executablesMatching(const std::string& pattern) {
    std::vector<std::string> patterns{pattern};
    // Scripts name Fedora's /lib64/libc.so.6 as /lib*/libc.so.6, which
    // Debian keeps in /lib/x86_64-linux-gnu.
    if (size_t slash = pattern.rfind('/'); kMultiarchTriplet && slash != std::string::npos && slash > 0)
        patterns.push_back(pattern.substr(0, slash) + "/" + kMultiarchTriplet + pattern.substr(slash));
    auto own = readIdentity("/proc/self/exe");
    std::vector<std::string> out;
    for (const std::string& each : patterns) {
        glob_t found{};
        if (glob(each.c_str(), GLOB_NOSORT | GLOB_BRACE, nullptr, &found) == 0)
            for (size_t i = 0; i < found.gl_pathc; ++i) {
                std::string path = resolveExecutable(found.gl_pathv[i]);
                // A 32-bit libc in /lib32 matches /lib*/libc.so.6 too.
                auto identity = path.empty() ? std::nullopt : readIdentity(path);
                if (identity && (!own || *identity == *own) && std::find(out.begin(), out.end(), path) == out.end())
                    out.push_back(path);
            }
        globfree(&found);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string resolveLibrary(const std::string& name, const std::string& executable) {
    if (name.empty())
        return {};
    if (name.find('/') != std::string::npos) {
        std::error_code ec;
        return fs::is_regular_file(name, ec) ? canonicalPath(name) : std::string();
    }
    // Without a readable program the library must suit the tracer's own machine.
    auto wanted = readIdentity(executable);
    if (!wanted)
        wanted = readIdentity("/proc/self/exe");
    auto suitable = [&](const fs::path& candidate) {
        auto identity = readIdentity(candidate);
        return identity && (!wanted || *identity == *wanted);
    };

    std::vector<std::string> firstDirs;
    std::string error;
    if (auto program = ElfBinary::open(executable, error))
        firstDirs = program->runPaths();
    if (const char* libraryPath = std::getenv("LD_LIBRARY_PATH"); libraryPath && *libraryPath)
        for (std::string& dir : splitPathList(libraryPath))
            firstDirs.push_back(std::move(dir));
    const std::vector<std::string> defaultDirs = {
        "/lib64", "/usr/lib64", "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
        "/lib",   "/usr/lib"};
    const std::vector<CacheEntry> cache = readLdCache();

    // "libc" stands for "libc.so.6": any file named "libc.so*". The shortest
    // name wins, so "libfoo.so.1" comes before "libfoo.so.1.2.3".
    std::string prefix = name + (name.find(".so") == std::string::npos ? ".so" : ".");
    auto searchDir = [&](const std::string& dir, bool byPrefix) -> std::string {
        if (!byPrefix)
            return suitable(fs::path(dir) / name) ? canonicalPath(fs::path(dir) / name) : "";
        std::vector<std::string> matches;
        std::error_code ec;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            std::string file = it->path().filename().string();
            if (startsWith(file, prefix))
                matches.push_back(std::move(file));
        }
        std::sort(matches.begin(), matches.end(), [](const std::string& a, const std::string& b) {
            return std::pair(a.size(), a) < std::pair(b.size(), b);
        });
        for (const std::string& file : matches)
            if (suitable(fs::path(dir) / file))
                return canonicalPath(fs::path(dir) / file);
        return {};
    };
    auto search = [&](bool byPrefix) -> std::string {
        for (const std::string& dir : firstDirs)
            if (std::string found = searchDir(dir, byPrefix); !found.empty())
                return found;
        for (const CacheEntry& entry : cache) {
            bool matches = byPrefix ? startsWith(entry.key, prefix) : entry.key == name;
            if (matches && suitable(entry.path))
                return canonicalPath(entry.path);
        }
        for (const std::string& dir : defaultDirs)
            if (std::string found = searchDir(dir, byPrefix); !found.empty())
                return found;
        return {};
    };
    std::string found = search(false);
    return found.empty() ? search(true) : found;
}

std::vector<std::string> neededLibraries(const std::string& executable) {
    std::vector<std::string> out;
    std::vector<std::string> queue{executable};
    for (size_t next = 0; next < queue.size(); ++next) {
        std::string error;
        std::unique_ptr<ElfBinary> elf = ElfBinary::open(queue[next], error);
        if (!elf)
            continue;
        for (const std::string& name : elf->needed()) {
            std::string path = resolveLibrary(name, executable);
            if (!path.empty() && std::find(out.begin(), out.end(), path) == out.end()) {
                out.push_back(path);
                queue.push_back(path);
            }
        }
    }
    return out;
}

} // namespace tap::elf
