#include "unwind_tables.h"

#include "bpf/translation.h"
#include "elf/elf_binary.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>

namespace tap::rt {

UnwindTables buildUnwindTables(const std::vector<std::string>& files) {
    UnwindTables tables;
    for (const std::string& path : files) {
        uint64_t key = bpf::mappedFileNameHash(path);
        struct stat st;
        std::string error;
        if (stat(path.c_str(), &st) != 0 ||
            std::any_of(tables.modules.begin(), tables.modules.end(), [&](const auto& m) { return m.first == key; }))
            continue; // two files of one name cannot be told apart by name: the first wins
        std::vector<dwarf::UnwindRow> rows = dwarf::unwindTable(path, error);
        std::unique_ptr<elf::ElfBinary> elf = rows.empty() ? nullptr : elf::ElfBinary::open(path, error);
        std::optional<uint64_t> offset = elf ? elf->fileOffset(rows.front().pc) : std::nullopt;
        if (!offset)
            continue;
        UnwindModule m;
        m.first = uint32_t(tables.rows.size());
        m.count = uint32_t(rows.size());
        m.textDelta = int64_t(rows.front().pc - *offset);
        m.size = uint64_t(st.st_size);
        std::memcpy(m.buildId, elf->buildId().data(), std::min<size_t>(elf->buildId().size(), sizeof m.buildId));
        tables.rows.insert(tables.rows.end(), rows.begin(), rows.end());
        tables.modules.push_back({key, m});
    }
    return tables;
}

} // namespace tap::rt
