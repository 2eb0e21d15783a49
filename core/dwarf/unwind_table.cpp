#include "dwarf/unwind_table.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <gelf.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <memory>

namespace tap::dwarf {

namespace {

constexpr int kFramePointer = 6, kStackPointer = 7, kReturnAddress = 16; // x86-64 DWARF numbers

// A location "CFA + offset" (DW_CFA_offset and its kin), as libdw spells it.
bool cfaPlus(const Dwarf_Op* ops, size_t n, int64_t& offset) {
    if (n == 0 || ops[0].atom != DW_OP_call_frame_cfa)
        return false;
    if (n == 1)
        return offset = 0, true;
    if (n == 2 && ops[1].atom == DW_OP_plus_uconst)
        return offset = int64_t(ops[1].number), true;
    if (n == 3 && (ops[1].atom == DW_OP_consts || ops[1].atom == DW_OP_constu) && ops[2].atom == DW_OP_plus)
        return offset = int64_t(ops[1].number), true;
    return false;
}

UnwindRow rowOf(Dwarf_Frame* frame) {
    UnwindRow row;
    Dwarf_Op* ops = nullptr;
    size_t n = 0;
    if (dwarf_frame_cfa(frame, &ops, &n) != 0 || n != 1)
        return row;
    int reg = -1;
    int64_t offset = 0;
    if (ops[0].atom == DW_OP_bregx)
        reg = int(ops[0].number), offset = int64_t(ops[0].number2);
    else if (ops[0].atom >= DW_OP_breg0 && ops[0].atom <= DW_OP_breg31)
        reg = ops[0].atom - DW_OP_breg0, offset = int64_t(ops[0].number);
    if ((reg != kStackPointer && reg != kFramePointer) || offset != int32_t(offset))
        return row;
    Dwarf_Op mem[3];
    int64_t at = 0;
    // The return address must be where the call put it, just below the CFA.
    if (dwarf_frame_register(frame, kReturnAddress, mem, &ops, &n) != 0 || !cfaPlus(ops, n, at) || at != -8)
        return row;
    int kind = dwarf_frame_register(frame, kFramePointer, mem, &ops, &n);
    if (kind == 0 && n == 0)
        row.rbpRule = UnwindRow::Same;
    else if (kind == 1 && n == 0)
        row.rbpRule = UnwindRow::Undefined;
    else if (kind == 0 && cfaPlus(ops, n, at) && at == int16_t(at))
        row.rbpRule = UnwindRow::SavedAtCfa, row.rbpOffset = int16_t(at);
    else
        return row;
    row.cfaRegister = reg == kStackPointer ? UnwindRow::StackPointer : UnwindRow::FramePointer;
    row.cfaOffset = int32_t(offset);
    return row;
}

// The start addresses of every FDE, from .eh_frame_hdr's search table
// (the encodings every x86-64 toolchain writes: a 4-byte count and
// 4-byte offsets from the header).
std::vector<uint64_t> fdeStarts(Elf* elf, std::string& error) {
    size_t names = 0;
    elf_getshdrstrndx(elf, &names);
    for (Elf_Scn* scn = nullptr; (scn = elf_nextscn(elf, scn));) {
        GElf_Shdr header;
        const char* name = gelf_getshdr(scn, &header) ? elf_strptr(elf, names, header.sh_name) : nullptr;
        if (!name || std::strcmp(name, ".eh_frame_hdr") != 0)
            continue;
        Elf_Data* data = elf_getdata(scn, nullptr);
        auto* bytes = data ? static_cast<const unsigned char*>(data->d_buf) : nullptr;
        if (!bytes || data->d_size < 12 || bytes[0] != 1 || bytes[2] != DW_EH_PE_udata4 ||
            bytes[3] != (DW_EH_PE_datarel | DW_EH_PE_sdata4) || (bytes[1] & 0x0f) != DW_EH_PE_sdata4) {
            error = "its .eh_frame_hdr uses encodings this reader does not know";
            return {};
        }
        uint32_t count = 0;
        std::memcpy(&count, bytes + 8, 4);
        if (12 + size_t(count) * 8 > data->d_size) {
            error = "its .eh_frame_hdr is truncated";
            return {};
        }
        std::vector<uint64_t> starts;
        for (uint32_t i = 0; i < count; ++i) {
            int32_t relative = 0;
            std::memcpy(&relative, bytes + 12 + size_t(i) * 8, 4);
            starts.push_back(header.sh_addr + int64_t(relative));
        }
        return starts;
    }
    error = "it has no .eh_frame_hdr";
    return {};
}

} // namespace

UnwindTable unwindTable(const std::string& path, std::string& error) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = std::strerror(errno);
        return {};
    }
    elf_version(EV_CURRENT);
    std::unique_ptr<Elf, decltype(&elf_end)> elf(elf_begin(fd, ELF_C_READ_MMAP, nullptr), &elf_end);
    UnwindTable table;
    std::vector<UnwindRow>& rows = table.rows;
    Dwarf_CFI* cfi = elf ? dwarf_getcfi_elf(elf.get()) : nullptr;
    std::vector<uint64_t> starts = cfi ? fdeStarts(elf.get(), error) : std::vector<uint64_t>();
    if (!cfi && error.empty())
        error = "it has no call frame information";
    for (size_t i = 0; i < starts.size(); ++i) {
        uint64_t pc = starts[i], limit = i + 1 < starts.size() ? starts[i + 1] : UINT64_MAX;
        while (pc < limit) {
            Dwarf_Frame* frame = nullptr;
            if (dwarf_cfi_addrframe(cfi, pc, &frame) != 0)
                break;
            Dwarf_Addr start = 0, end = 0;
            dwarf_frame_info(frame, &start, &end, nullptr);
            UnwindRow row = rowOf(frame);
            std::free(frame);
            row.pc = pc;
            if (rows.empty() || !(UnwindRow{rows.back().pc, row.cfaOffset, row.rbpOffset, row.cfaRegister, row.rbpRule} ==
                                  rows.back()))
                rows.push_back(row);
            if (end <= pc)
                break;
            pc = end;
        }
        // Past the FDE's last row (a gap before the next FDE): no rule.
        if (pc < limit && (rows.empty() || rows.back().cfaRegister != UnwindRow::Unknown))
            rows.push_back({pc, 0, 0, UnwindRow::Unknown, UnwindRow::Same});
    }
    if (!rows.empty()) {
        size_t count = 0;
        elf_getphdrnum(elf.get(), &count);
        for (size_t i = 0; i < count; ++i) {
            GElf_Phdr ph;
            if (gelf_getphdr(elf.get(), int(i), &ph) && ph.p_type == PT_LOAD && rows.front().pc >= ph.p_vaddr &&
                rows.front().pc < ph.p_vaddr + ph.p_filesz)
                table.textDelta = int64_t(ph.p_vaddr - ph.p_offset);
        }
        const void* id = nullptr;
        if (ssize_t size = dwelf_elf_gnu_build_id(elf.get(), &id); size > 0)
            table.buildId.assign(static_cast<const char*>(id), size_t(size));
    }
    close(fd);
    return table;
}

} // namespace tap::dwarf
