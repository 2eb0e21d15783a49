// The call frame rules of the files a session may unwind user stacks
// through, laid out as the BPF maps tap_unwind_rows and tap_unwind_modules
// hold them (core/bpf/translator_stack.cpp, kUserUnwinder).
#pragma once

#include "dwarf/unwind_table.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tap::rt {

struct UnwindModule {
    uint32_t first = 0, count = 0; // its rows in UnwindTables::rows
    int64_t textDelta = 0;         // link-time address - file offset, in its code
    uint64_t size = 0;             // the file's size: told apart from others of its name
    uint8_t buildId[20] = {};
};
static_assert(sizeof(UnwindModule) == 48, "the layout of struct tap_unwind_module");

struct UnwindTables {
    std::vector<dwarf::UnwindRow> rows;
    std::vector<std::pair<uint64_t, UnwindModule>> modules; // by bpf::mappedFileNameHash
};

// Files that cannot be read or have no usable .eh_frame are left out (their
// frames are unwound through frame pointers).
UnwindTables buildUnwindTables(const std::vector<std::string>& files);

} // namespace tap::rt
