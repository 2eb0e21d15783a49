#include "unwind_tables.h"

#include "bpf/translation.h"

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
        dwarf::UnwindTable table = dwarf::unwindTable(path, error);
        if (table.rows.empty())
            continue;
        UnwindModule m;
        m.first = uint32_t(tables.rows.size());
        m.count = uint32_t(table.rows.size());
        m.textDelta = table.textDelta;
        m.size = uint64_t(st.st_size);
        std::memcpy(m.buildId, table.buildId.data(), std::min(table.buildId.size(), sizeof m.buildId));
        tables.rows.insert(tables.rows.end(), table.rows.begin(), table.rows.end());
        tables.modules.push_back({key, m});
    }
    return tables;
}

} // namespace tap::rt
