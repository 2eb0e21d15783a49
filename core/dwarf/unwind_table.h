// A binary's call frame information (.eh_frame) reduced to what a BPF
// program needs to unwind x86-64 user stacks without frame pointers, as
// stap unwinds them with CFI: per address range, where the canonical frame
// address is (stack or frame pointer + offset) and where the caller's frame
// pointer was saved. The return address is always at CFA - 8 on x86-64.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tap::dwarf {

struct UnwindRow {
    enum CfaRegister : uint8_t { Unknown = 0, StackPointer = 1, FramePointer = 2 };
    enum FramePointerRule : uint8_t { Same = 0, SavedAtCfa = 1, Undefined = 2 };
    uint64_t pc = 0;        // link-time address where the rule starts
    int32_t cfaOffset = 0;  // CFA = register + cfaOffset
    int16_t rbpOffset = 0;  // SavedAtCfa: the caller's rbp is at CFA + rbpOffset
    uint8_t cfaRegister = Unknown;
    uint8_t rbpRule = Same;
    bool operator==(const UnwindRow&) const = default;
};
static_assert(sizeof(UnwindRow) == 16, "the BPF program reads these rows as they are");

struct UnwindTable {
    // Sorted by pc; each rule holds up to the next row. Addresses no FDE
    // covers get an Unknown row.
    std::vector<UnwindRow> rows;
    int64_t textDelta = 0; // link-time address - file offset, in the code the rows cover
    std::string buildId;   // GNU build id (raw bytes), "" without one
};

// The rules of `path`'s .eh_frame (found through .eh_frame_hdr); no rows,
// with `error`, when the file has no usable table.
UnwindTable unwindTable(const std::string& path, std::string& error);

} // namespace tap::dwarf
