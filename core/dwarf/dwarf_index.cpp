#include "dwarf/dwarf_index.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>

namespace tap::dwarf {

namespace {

// x86_64 DWARF register numbers → struct pt_regs fields.
std::string registerName(unsigned regno) {
#if defined(__x86_64__)
    static const char* const names[] = {"ax", "dx", "cx", "bx", "si",  "di",  "bp",  "sp",  "r8",
                                        "r9", "r10", "r11", "r12", "r13", "r14", "r15", "ip"};
    if (regno < sizeof names / sizeof names[0])
        return names[regno];
#endif
    return {};
}

std::string opName(unsigned op) {
    char buf[32];
    snprintf(buf, sizeof buf, "DW_OP 0x%x", op);
    return buf;
}

std::string attrString(Dwarf_Die* die, unsigned name) {
    Dwarf_Attribute attr;
    const char* s = dwarf_attr_integrate(die, name, &attr) ? dwarf_formstring(&attr) : nullptr;
    return s ? s : "";
}

bool typeOf(Dwarf_Die* die, Dwarf_Die* type) {
    Dwarf_Attribute attr;
    return dwarf_attr_integrate(die, DW_AT_type, &attr) && dwarf_formref_die(&attr, type);
}

// One value on the symbolic DWARF expression stack: reg + offset.
struct Symbolic {
    std::string reg;
    int64_t offset = 0;
    bool relocated = false;
};

} // namespace

struct DebugInfo::Impl {
    int fd = -1, debugFd = -1;
    Elf* elf = nullptr;
    Elf* debugElf = nullptr;
    Dwarf* dw = nullptr;
    Dwarf_CFI* cfi = nullptr; // from the binary's .eh_frame
    std::map<Dwarf_Off, int> typeIds;
    std::mutex mutex; // libdw's lazy caches are not thread-safe

    ~Impl() {
        if (cfi)
            dwarf_cfi_end(cfi); // dwarf_getcfi_elf's: not owned by the Dwarf
        if (dw)
            dwarf_end(dw);
        if (debugElf)
            elf_end(debugElf);
        if (elf)
            elf_end(elf);
        if (debugFd >= 0)
            close(debugFd);
        if (fd >= 0)
            close(fd);
    }

    // Separate debug info installed by a -dbg/-dbgsym package, by build id.
    bool openSeparateDebug() {
        const void* id = nullptr;
        ssize_t n = dwelf_elf_gnu_build_id(elf, &id);
        if (n <= 1)
            return false;
        const auto* b = static_cast<const unsigned char*>(id);
        char hex[3];
        std::string path = "/usr/lib/debug/.build-id/";
        snprintf(hex, sizeof hex, "%02x", b[0]);
        path += std::string(hex) + "/";
        for (ssize_t i = 1; i < n; ++i) {
            snprintf(hex, sizeof hex, "%02x", b[i]);
            path += hex;
        }
        path += ".debug";
        debugFd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (debugFd < 0)
            return false;
        debugElf = elf_begin(debugFd, ELF_C_READ_MMAP, nullptr);
        dw = debugElf ? dwarf_begin_elf(debugElf, DWARF_C_READ, nullptr) : nullptr;
        return dw != nullptr;
    }

    // Converts a DWARF type DIE (typedefs and qualifiers see through) into
    // the table; -1 for void.
    int typeId(UserTypeTable& table, Dwarf_Die* die) {
        Dwarf_Die peeled;
        if (dwarf_peel_type(die, &peeled) != 0)
            return -1;
        Dwarf_Off off = dwarf_dieoffset(&peeled);
        if (auto it = typeIds.find(off); it != typeIds.end())
            return it->second;
        int id = table.add({}); // reserved first: struct point { struct point *next; }
        typeIds[off] = id;
        table.set(id, convert(table, &peeled));
        return id;
    }

    UserType convert(UserTypeTable& table, Dwarf_Die* die) {
        UserType t;
        t.name = attrString(die, DW_AT_name);
        t.spelling = spell(die);
        Dwarf_Word size = 0;
        Dwarf_Attribute attr;
        if (dwarf_attr_integrate(die, DW_AT_byte_size, &attr) && dwarf_formudata(&attr, &size) == 0)
            t.size = int64_t(size);
        Dwarf_Die target;
        switch (dwarf_tag(die)) {
        case DW_TAG_base_type: {
            t.kind = UserType::Kind::Base;
            Dwarf_Word enc = 0;
            if (dwarf_attr_integrate(die, DW_AT_encoding, &attr))
                dwarf_formudata(&attr, &enc);
            t.isSigned = enc == DW_ATE_signed || enc == DW_ATE_signed_char;
            t.isChar = (enc == DW_ATE_signed_char || enc == DW_ATE_unsigned_char) && t.size == 1;
            break;
        }
        case DW_TAG_enumeration_type:
            t.kind = UserType::Kind::Enum;
            t.isSigned = true;
            break;
        case DW_TAG_pointer_type:
        case DW_TAG_reference_type:
        case DW_TAG_rvalue_reference_type:
            t.kind = UserType::Kind::Pointer;
            t.size = 8;
            t.target = typeOf(die, &target) ? typeId(table, &target) : -1;
            break;
        case DW_TAG_structure_type:
        case DW_TAG_class_type:
        case DW_TAG_union_type: {
            t.kind = dwarf_tag(die) == DW_TAG_union_type ? UserType::Kind::Union : UserType::Kind::Struct;
            Dwarf_Die child;
            if (dwarf_child(die, &child) == 0)
                do {
                    if (dwarf_tag(&child) != DW_TAG_member)
                        continue;
                    UserType::Member m;
                    m.name = attrString(&child, DW_AT_name);
                    Dwarf_Word value = 0;
                    if (dwarf_attr(&child, DW_AT_data_member_location, &attr) && dwarf_formudata(&attr, &value) == 0)
                        m.offset = int64_t(value);
                    if (dwarf_attr(&child, DW_AT_bit_size, &attr) && dwarf_formudata(&attr, &value) == 0)
                        m.bitSize = int(value);
                    m.type = typeOf(&child, &target) ? typeId(table, &target) : -1;
                    t.members.push_back(std::move(m));
                } while (dwarf_siblingof(&child, &child) == 0);
            break;
        }
        case DW_TAG_array_type: {
            t.kind = UserType::Kind::Array;
            t.target = typeOf(die, &target) ? typeId(table, &target) : -1;
            Dwarf_Die child;
            if (dwarf_child(die, &child) == 0 && dwarf_tag(&child) == DW_TAG_subrange_type) {
                Dwarf_Word n = 0;
                if (dwarf_attr(&child, DW_AT_count, &attr) && dwarf_formudata(&attr, &n) == 0)
                    t.count = int64_t(n);
                else if (dwarf_attr(&child, DW_AT_upper_bound, &attr) && dwarf_formudata(&attr, &n) == 0)
                    t.count = int64_t(n) + 1;
            }
            if (t.target >= 0)
                t.size = t.count * table.at(t.target).size;
            break;
        }
        case DW_TAG_subroutine_type:
            t.kind = UserType::Kind::Function;
            break;
        default:
            t.kind = UserType::Kind::Void;
        }
        return t;
    }

    // stap's spelling of a type: "char const*", "struct point*", "char[]".
    // A function type's parameters as stap spells them: "(int, char*)",
    // "(void)" for none.
    std::string parameterList(Dwarf_Die* function) {
        std::string out;
        Dwarf_Die child, type;
        if (dwarf_child(function, &child) == 0)
            do {
                int tag = dwarf_tag(&child);
                if (tag == DW_TAG_formal_parameter)
                    out += (out.empty() ? "" : ", ") + (typeOf(&child, &type) ? spell(&type) : std::string("void"));
                else if (tag == DW_TAG_unspecified_parameters)
                    out += out.empty() ? "..." : ", ...";
            } while (dwarf_siblingof(&child, &child) == 0);
        return "(" + (out.empty() ? std::string("void") : out) + ")";
    }

    std::string spell(Dwarf_Die* die) {
        Dwarf_Die target, result;
        bool hasTarget = typeOf(die, &target);
        std::string name = attrString(die, DW_AT_name);
        switch (dwarf_tag(die)) {
        case DW_TAG_pointer_type:
            if (hasTarget && dwarf_tag(&target) == DW_TAG_subroutine_type)
                return (typeOf(&target, &result) ? spell(&result) : "void") + " (*) " + parameterList(&target);
            return (hasTarget ? spell(&target) : "void") + "*";
        case DW_TAG_reference_type:
            return (hasTarget ? spell(&target) : "void") + "&";
        case DW_TAG_const_type:
            return (hasTarget ? spell(&target) : "void") + " const";
        case DW_TAG_volatile_type:
            return (hasTarget ? spell(&target) : "void") + " volatile";
        case DW_TAG_restrict_type:
        case DW_TAG_atomic_type:
            return hasTarget ? spell(&target) : "void";
        case DW_TAG_array_type:
            return (hasTarget ? spell(&target) : "void") + "[]";
        case DW_TAG_structure_type:
            return "struct " + (name.empty() ? std::string("{...}") : name);
        case DW_TAG_class_type:
            return "class " + (name.empty() ? std::string("{...}") : name);
        case DW_TAG_union_type:
            return "union " + (name.empty() ? std::string("{...}") : name);
        case DW_TAG_enumeration_type:
            return "enum " + (name.empty() ? std::string("{...}") : name);
        case DW_TAG_subroutine_type:
            return (hasTarget ? spell(&target) : "void") + " " + parameterList(die);
        default:
            return name.empty() ? "void" : name;
        }
    }

    // The canonical frame address at `pc`, from the call frame information.
    std::optional<Symbolic> cfaAt(uint64_t pc, std::string& error) {
        Dwarf_Frame* frame = nullptr;
        if (!cfi || dwarf_cfi_addrframe(cfi, pc, &frame) != 0) {
            error = "no call frame information for this address";
            return std::nullopt;
        }
        Dwarf_Op* ops = nullptr;
        size_t n = 0;
        std::optional<Symbolic> cfa;
        if (dwarf_frame_cfa(frame, &ops, &n) == 0 && n == 1 && ops[0].atom == DW_OP_bregx &&
            !registerName(unsigned(ops[0].number)).empty())
            cfa = Symbolic{registerName(unsigned(ops[0].number)), int64_t(ops[0].number2), false};
        else if (n == 1 && ops[0].atom >= DW_OP_breg0 && ops[0].atom <= DW_OP_breg31)
            cfa = Symbolic{registerName(ops[0].atom - DW_OP_breg0), int64_t(ops[0].number), false};
        else
            error = "the frame address at this point is a DWARF expression this runtime does not evaluate";
        free(frame);
        return cfa;
    }

    // REG PIECE(size) REG PIECE(size) ...: an aggregate in registers. Pieces
    // in memory or of computed values are refused.
    static bool translatePieces(const Dwarf_Op* ops, size_t n, UserLocation& out, std::string& error) {
        out = {UserLocation::Kind::Pieces, "", 0, false, {}};
        for (size_t i = 0; i + 1 < n; i += 2) {
            unsigned a = ops[i].atom;
            bool isRegister = (a >= DW_OP_reg0 && a <= DW_OP_reg31) || a == DW_OP_regx;
            std::string reg = isRegister ? registerName(a == DW_OP_regx ? unsigned(ops[i].number) : a - DW_OP_reg0) : "";
            if (reg.empty() || ops[i + 1].atom != DW_OP_piece) {
                error = "it is split over several places (DW_OP_piece), not all of them registers";
                return false;
            }
            out.pieces.push_back({reg, int64_t(ops[i + 1].number)});
        }
        if (n % 2) {
            error = "it is split over several places (DW_OP_piece) in a way this runtime does not read";
            return false;
        }
        return true;
    }

    // Translates one location expression into a UserLocation. `frameBase`
    // is the enclosing function's DW_AT_frame_base, `entryPc` its entry
    // address (DW_OP_entry_value can be resolved only there).
    bool translate(Dwarf_Attribute* attr, const Dwarf_Op* ops, size_t n, uint64_t pc, Dwarf_Die* function,
                   uint64_t entryPc, UserLocation& out, std::string& error, int depth = 0) {
        std::vector<Symbolic> stack;
        bool isValue = false;
        for (size_t i = 0; i < n; ++i) {
            const Dwarf_Op& op = ops[i];
            unsigned a = op.atom;
            if (a >= DW_OP_reg0 && a <= DW_OP_reg31 || a == DW_OP_regx) {
                unsigned r = a == DW_OP_regx ? unsigned(op.number) : a - DW_OP_reg0;
                std::string reg = registerName(r);
                if (reg.empty()) {
                    error = "it is in register " + std::to_string(r) + ", which a BPF program cannot read";
                    return false;
                }
                if (i + 1 < n && ops[i + 1].atom != DW_OP_piece) {
                    error = "its location expression is too complex";
                    return false;
                }
                if (i + 1 < n && i + 2 < n)
                    return translatePieces(ops, n, out, error);
                out = {UserLocation::Kind::Register, reg, 0, false};
                return true;
            }
            if (a >= DW_OP_breg0 && a <= DW_OP_breg31 || a == DW_OP_bregx) {
                unsigned r = a == DW_OP_bregx ? unsigned(op.number) : a - DW_OP_breg0;
                std::string reg = registerName(r);
                if (reg.empty()) {
                    error = "it is relative to register " + std::to_string(r) + ", which a BPF program cannot read";
                    return false;
                }
                stack.push_back({reg, int64_t(a == DW_OP_bregx ? op.number2 : op.number), false});
            } else if (a == DW_OP_fbreg) {
                Dwarf_Attribute fb;
                Dwarf_Op* fbOps = nullptr;
                size_t fbN = 0;
                UserLocation base;
                if (depth > 0 || !dwarf_attr_integrate(function, DW_AT_frame_base, &fb) ||
                    dwarf_getlocation_addr(&fb, pc, &fbOps, &fbN, 1) != 1 ||
                    !translate(&fb, fbOps, fbN, pc, function, entryPc, base, error, depth + 1)) {
                    if (error.empty())
                        error = "the function's frame base is not known here";
                    return false;
                }
                // A frame base is an address (DW_OP_call_frame_cfa, bregN) or a
                // register holding one.
                if (base.kind == UserLocation::Kind::Memory)
                    stack.push_back({base.reg, base.offset + int64_t(op.number), false});
                else if (base.kind == UserLocation::Kind::Register)
                    stack.push_back({base.reg, int64_t(op.number), false});
                else {
                    error = "the function's frame base is not an address";
                    return false;
                }
            } else if (a == DW_OP_call_frame_cfa) {
                auto cfa = cfaAt(pc, error);
                if (!cfa)
                    return false;
                stack.push_back(*cfa);
            } else if (a == DW_OP_addr) {
                stack.push_back({"", int64_t(op.number), true});
            } else if (a >= DW_OP_lit0 && a <= DW_OP_lit31) {
                stack.push_back({"", int64_t(a - DW_OP_lit0), false});
            } else if (a == DW_OP_const1u || a == DW_OP_const2u || a == DW_OP_const4u || a == DW_OP_const8u ||
                       a == DW_OP_const1s || a == DW_OP_const2s || a == DW_OP_const4s || a == DW_OP_const8s ||
                       a == DW_OP_constu || a == DW_OP_consts) {
                stack.push_back({"", int64_t(op.number), false});
            } else if (a == DW_OP_plus_uconst && !stack.empty()) {
                stack.back().offset += int64_t(op.number);
            } else if ((a == DW_OP_plus || a == DW_OP_minus) && stack.size() >= 2 &&
                       stack.back().reg.empty() && !stack.back().relocated) {
                int64_t k = stack.back().offset;
                stack.pop_back();
                stack.back().offset += a == DW_OP_plus ? k : -k;
            } else if (a == DW_OP_stack_value) {
                isValue = true;
                if (i + 1 < n) {
                    error = "its location expression is too complex";
                    return false;
                }
            } else if (a == DW_OP_entry_value || a == DW_OP_GNU_entry_value) {
                // The value a register had on entry: known when the probe is the entry.
                Dwarf_Attribute inner;
                Dwarf_Op* innerOps = nullptr;
                size_t innerN = 0;
                if (!attr || dwarf_getlocation_attr(attr, &op, &inner) != 0 ||
                    dwarf_getlocation(&inner, &innerOps, &innerN) != 0 || innerN != 1 ||
                    !(innerOps[0].atom >= DW_OP_reg0 && innerOps[0].atom <= DW_OP_reg31)) {
                    error = "its value is the entry value of an expression this runtime does not evaluate";
                    return false;
                }
                if (pc != entryPc) {
                    error = "it is only known at the function's entry (optimized code)";
                    return false;
                }
                stack.push_back({registerName(innerOps[0].atom - DW_OP_reg0), 0, false});
                if (stack.back().reg.empty()) {
                    error = "its entry value is in a register a BPF program cannot read";
                    return false;
                }
            } else if (a == DW_OP_piece) {
                if (i + 1 < n) {
                    error = "it is split over several places (DW_OP_piece)";
                    return false;
                }
            } else if (a == DW_OP_implicit_value || a == DW_OP_GNU_implicit_pointer || a == DW_OP_implicit_pointer) {
                error = "it has no address or register (an implicit value of optimized code)";
                return false;
            } else {
                error = "its location uses " + opName(a) + ", which this runtime does not evaluate";
                return false;
            }
        }
        if (stack.size() != 1) {
            error = "its location expression is malformed";
            return false;
        }
        out = {isValue ? UserLocation::Kind::Value : UserLocation::Kind::Memory, stack[0].reg, stack[0].offset,
               stack[0].relocated};
        if (isValue && stack[0].relocated)
            out.relocated = true;
        return true;
    }

    Variable variable(UserTypeTable& table, Dwarf_Die* die, bool parameter, uint64_t pc, Dwarf_Die* frameFunction,
                      uint64_t entryPc) {
        Variable v;
        v.name = attrString(die, DW_AT_name);
        v.parameter = parameter;
        Dwarf_Die type;
        if (typeOf(die, &type)) {
            v.type = typeId(table, &type);
            v.typeName = spell(&type);
        } else {
            v.typeName = "void";
        }
        Dwarf_Attribute attr;
        Dwarf_Word constant = 0;
        if (dwarf_attr(die, DW_AT_location, &attr)) {
            Dwarf_Op* ops = nullptr;
            size_t n = 0;
            int found = dwarf_getlocation_addr(&attr, pc, &ops, &n, 1);
            if (found <= 0 || n == 0)
                v.locationError = "it is not available at this address (optimized out)";
            else
                translate(&attr, ops, n, pc, frameFunction, entryPc, v.location, v.locationError);
        } else if (dwarf_attr_integrate(die, DW_AT_const_value, &attr) && dwarf_formudata(&attr, &constant) == 0) {
            v.location = {UserLocation::Kind::Value, "", int64_t(constant), false};
        } else {
            v.locationError = "it has no location (optimized out)";
        }
        return v;
    }
};

namespace {

// Is the code of this compile unit optimized? Then, as stap does, a function
// probe sits at the entry: parameters are in their registers there (the
// DWARF location lists say so), and a later address may be an instruction
// the kernel must single-step (~10x slower than emulating a push at the
// entry). Unoptimized code gets the address after the prologue, where the
// parameters have been stored to the frame slots DWARF names. gcc records
// its -O option in DW_AT_producer; without one (clang), location lists
// betray optimization.
bool optimizedUnit(Dwarf_Die* cu) {
    std::string producer = attrString(cu, DW_AT_producer);
    if (producer.rfind("GNU AS", 0) == 0)
        return true; // assembly: no prologue to skip
    size_t at = producer.rfind(" -O"); // the last one wins, as on gcc's command line
    return at != std::string::npos && at + 3 < producer.size() && producer[at + 3] != '0' && producer[at + 3] != ' ';
}

bool hasLocationList(Dwarf_Die* function) {
    Dwarf_Die child;
    if (dwarf_child(function, &child) != 0)
        return false;
    do {
        Dwarf_Attribute attr;
        if (dwarf_tag(&child) == DW_TAG_formal_parameter && dwarf_attr(&child, DW_AT_location, &attr)) {
            unsigned form = dwarf_whatform(&attr);
            if (form == DW_FORM_sec_offset || form == DW_FORM_loclistx || form == DW_FORM_data4 || form == DW_FORM_data8)
                return true;
        }
    } while (dwarf_siblingof(&child, &child) == 0);
    return false;
}

// Where a function with code starts: DW_AT_entry_pc or DW_AT_low_pc, else
// (gcc's hot/cold split functions have only DW_AT_ranges) the start of its
// first range, the hot part, which gcc lists first.
bool codeEntry(Dwarf_Die* die, Dwarf_Addr& entry) {
    if (dwarf_entrypc(die, &entry) == 0)
        return true;
    Dwarf_Addr base = 0, start = 0, end = 0;
    if (dwarf_ranges(die, 0, &base, &start, &end) > 0) {
        entry = start;
        return true;
    }
    return false;
}

// Calls visit(child) for each child of `scope` and, depth first, of the
// lexical blocks inside it that `enter` accepts.
template <typename Enter, typename Visit>
void forEachInBlocks(Dwarf_Die* scope, Enter&& enter, Visit&& visit) {
    Dwarf_Die child;
    if (dwarf_child(scope, &child) != 0)
        return;
    do {
        if (dwarf_tag(&child) == DW_TAG_lexical_block) {
            if (enter(&child))
                forEachInBlocks(&child, enter, visit);
        } else {
            visit(&child);
        }
    } while (dwarf_siblingof(&child, &child) == 0);
}

// The DIE a definition or an inlined copy stands for: its declaration
// (DW_AT_specification) or abstract origin, followed to the end.
uint64_t declarationOf(Dwarf_Die* die) {
    Dwarf_Die at = *die, next;
    for (int hops = 0; hops < 4; ++hops) {
        Dwarf_Attribute attr;
        if ((dwarf_attr(&at, DW_AT_specification, &attr) || dwarf_attr(&at, DW_AT_abstract_origin, &attr)) &&
            dwarf_formref_die(&attr, &next))
            at = next;
        else
            break;
    }
    return dwarf_dieoffset(&at);
}

// One walk over a compile unit's tree: functions with code, and the inlined
// copies inside them (nested ones too), with their C++ scopes. Types and
// variables are not entered.
void indexUnit(Dwarf_Die* cudie, bool optimized, std::vector<Function>& functions) {
    size_t firstOfUnit = functions.size();
    // Where each function DIE inside a namespace or class is declared: a
    // member function defined outside its class takes its class's scope.
    std::unordered_map<uint64_t, std::vector<std::string>> scopeOf;
    std::vector<std::string> scope;
    auto describe = [](Dwarf_Die* die, Function& f) {
        f.name = attrString(die, DW_AT_name);
        const char* file = dwarf_decl_file(die);
        f.file = file ? file : "";
        dwarf_decl_line(die, &f.line);
        f.dieOffset = dwarf_dieoffset(die);
        Dwarf_Die child;
        if (dwarf_child(die, &child) == 0)
            do
                f.parameterCount += dwarf_tag(&child) == DW_TAG_formal_parameter;
            while (dwarf_siblingof(&child, &child) == 0);
    };
    auto walk = [&](auto&& self, Dwarf_Die* parent, uint64_t frame) -> void {
        Dwarf_Die die;
        if (dwarf_child(parent, &die) != 0)
            return;
        do {
            switch (dwarf_tag(&die)) {
            case DW_TAG_subprogram: {
                Dwarf_Addr low = 0;
                if (!scope.empty())
                    scopeOf.emplace(dwarf_dieoffset(&die), scope);
                if (codeEntry(&die, low)) {
                    Function f;
                    describe(&die, f);
                    if (f.file.empty()) {
                        // Assembly has no declaration: the source line of its entry.
                        if (Dwarf_Line* line = dwarf_getsrc_die(&die, low)) {
                            const char* src = dwarf_linesrc(line, nullptr, nullptr);
                            f.file = src ? src : "";
                            dwarf_lineno(line, &f.line);
                        }
                    }
                    f.lowPc = f.probePc = low;
                    f.frameDieOffset = f.dieOffset;
                    if (!optimized && !hasLocationList(&die)) {
                        Dwarf_Addr* bkpts = nullptr;
                        int n = dwarf_entry_breakpoints(&die, &bkpts);
                        if (n > 0)
                            f.probePc = bkpts[0];
                        free(bkpts);
                    }
                    if (!f.name.empty())
                        functions.push_back(f);
                }
                self(self, &die, dwarf_dieoffset(&die)); // inlined copies, nested functions
                break;
            }
            case DW_TAG_inlined_subroutine: {
                Dwarf_Addr entry = 0;
                Function g;
                describe(&die, g);
                if (!g.name.empty() && dwarf_entrypc(&die, &entry) == 0) {
                    g.inlined = true;
                    g.lowPc = g.probePc = entry;
                    g.frameDieOffset = frame;
                    functions.push_back(g);
                }
                self(self, &die, frame);
                break;
            }
            case DW_TAG_lexical_block:
                self(self, &die, frame);
                break;
            case DW_TAG_namespace:
            case DW_TAG_structure_type:
            case DW_TAG_class_type: {
                // Anonymous namespaces and classes (lambdas) are no scope a
                // pattern can name: their functions count as the outer one's.
                std::string name = attrString(&die, DW_AT_name);
                if (!name.empty())
                    scope.push_back(name);
                self(self, &die, frame);
                if (!name.empty())
                    scope.pop_back();
                break;
            }
            default:
                break;
            }
        } while (dwarf_siblingof(&die, &die) == 0);
    };
    walk(walk, cudie, 0);
    if (scopeOf.empty())
        return; // C, or C++ with everything global
    for (size_t i = firstOfUnit; i < functions.size(); ++i) {
        Dwarf_Die die;
        if (!dwarf_offdie(dwarf_cu_getdwarf(cudie->cu), functions[i].dieOffset, &die))
            continue;
        auto known = scopeOf.find(declarationOf(&die));
        if (known == scopeOf.end())
            known = scopeOf.find(functions[i].dieOffset);
        if (known != scopeOf.end())
            functions[i].scope = known->second;
    }
}

// Calls visit(cudie, die) for each top-level DIE of every compile unit
// until it returns true; true when one did.
template <typename Visit>
bool forEachTopLevel(Dwarf* dw, Visit&& visit) {
    Dwarf_CU* cu = nullptr;
    Dwarf_Die cudie, subdie;
    uint8_t unitType = 0;
    Dwarf_Half version = 0;
    while (dwarf_get_units(dw, cu, &cu, &version, &unitType, &cudie, &subdie) == 0) {
        Dwarf_Die child;
        if (dwarf_child(&cudie, &child) != 0)
            continue;
        do
            if (visit(cudie, child))
                return true;
        while (dwarf_siblingof(&child, &child) == 0);
    }
    return false;
}

std::mutex cacheMutex;
std::map<std::string, std::unique_ptr<DebugInfo>>& cache() {
    static std::map<std::string, std::unique_ptr<DebugInfo>> c;
    return c;
}

} // namespace

DebugInfo::~DebugInfo() = default;

std::pair<std::string, int> DebugInfo::sourceLine(uint64_t address) const {
    Dwarf_Die unit;
    if (!impl_ || !impl_->dw || !dwarf_addrdie(impl_->dw, address, &unit))
        return {};
    Dwarf_Line* line = dwarf_getsrc_die(&unit, address);
    int number = 0;
    const char* file = line ? dwarf_linesrc(line, nullptr, nullptr) : nullptr;
    if (!file || dwarf_lineno(line, &number) != 0)
        return {};
    return {file, number};
}

const DebugInfo* DebugInfo::of(const std::string& path, std::string& error) {
    std::lock_guard lock(cacheMutex);
    if (auto it = cache().find(path); it != cache().end())
        return it->second.get();
    elf_version(EV_CURRENT);
    std::unique_ptr<DebugInfo> info(new DebugInfo);
    info->path_ = path;
    info->impl_ = std::make_unique<Impl>();
    info->types_ = std::make_unique<UserTypeTable>();
    Impl& im = *info->impl_;
    im.fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (im.fd < 0) {
        error = "cannot open '" + path + "': " + std::strerror(errno);
        return nullptr;
    }
    im.elf = elf_begin(im.fd, ELF_C_READ_MMAP, nullptr);
    if (!im.elf || elf_kind(im.elf) != ELF_K_ELF) {
        error = "'" + path + "' is not an ELF file";
        return nullptr;
    }
    im.dw = dwarf_begin_elf(im.elf, DWARF_C_READ, nullptr);
    if (!im.dw)
        im.openSeparateDebug();
    im.cfi = dwarf_getcfi_elf(im.elf);
    info->hasDwarf_ = im.dw != nullptr;
    if (im.dw) {
        Dwarf_CU* cu = nullptr;
        Dwarf_Die cudie, subdie;
        uint8_t unitType = 0;
        Dwarf_Half version = 0;
        while (dwarf_get_units(im.dw, cu, &cu, &version, &unitType, &cudie, &subdie) == 0)
            indexUnit(&cudie, optimizedUnit(&cudie), info->functions_);
    }
    for (size_t i = 0; i < info->functions_.size(); ++i) {
        if (!info->functions_[i].inlined)
            info->byAddress_.emplace(info->functions_[i].lowPc, i);
        info->byName_.emplace(info->functions_[i].name, i);
    }
    const DebugInfo* result = info.get();
    cache()[path] = std::move(info);
    return result;
}

bool sourceFileMatches(const std::string& pattern, const std::string& file) {
    if (pattern.empty() || fnmatch(pattern.c_str(), file.c_str(), 0) == 0)
        return true;
    for (size_t slash = file.find('/'); slash != std::string::npos; slash = file.find('/', slash + 1))
        if (fnmatch(pattern.c_str(), file.c_str() + slash + 1, 0) == 0)
            return true;
    return false;
}

std::vector<const Function*> DebugInfo::functionsNamed(const std::string& name) const {
    std::vector<const Function*> out;
    auto [first, last] = byName_.equal_range(name);
    for (auto it = first; it != last; ++it)
        out.push_back(&functions_[it->second]);
    // In the order of functions_, as a walk over all of them would give.
    std::sort(out.begin(), out.end());
    return out;
}

const Function* DebugInfo::functionStartingAt(uint64_t address) const {
    auto it = byAddress_.find(address);
    return it == byAddress_.end() ? nullptr : &functions_[it->second];
}

std::vector<Variable> DebugInfo::variables(const Function& function, uint64_t pc) const {
    std::lock_guard lock(impl_->mutex);
    std::vector<Variable> out;
    Dwarf_Die die;
    if (!impl_->dw || !dwarf_offdie(impl_->dw, function.dieOffset, &die))
        return out;
    // The out-of-line function whose frame the variables live in: for an
    // inlined instance, the function it was inlined into.
    Dwarf_Die frameFunction = die;
    uint64_t entryPc = function.lowPc;
    if (function.inlined) {
        if (!function.frameDieOffset || !dwarf_offdie(impl_->dw, function.frameDieOffset, &frameFunction))
            frameFunction = die;
        entryPc = 0; // entry values are the caller's, not the inlined function's
    }
    std::vector<Variable> locals;
    // Parameters and locals of the function, and of the blocks containing pc.
    forEachInBlocks(
        &die, [&](Dwarf_Die* block) { return dwarf_haspc(block, pc) == 1; },
        [&](Dwarf_Die* child) {
            int tag = dwarf_tag(child);
            if (tag == DW_TAG_formal_parameter)
                out.push_back(impl_->variable(*types_, child, true, pc, &frameFunction, entryPc));
            else if (tag == DW_TAG_variable)
                locals.push_back(impl_->variable(*types_, child, false, pc, &frameFunction, entryPc));
        });
    for (Variable& v : out)
        if (v.name.empty())
            v.name = "__unnamed";
    out.insert(out.end(), locals.begin(), locals.end());
    return out;
}

int DebugInfo::returnType(const Function& function, std::string* typeName) const {
    std::lock_guard lock(impl_->mutex);
    Dwarf_Die die, type;
    if (!impl_->dw || !dwarf_offdie(impl_->dw, function.dieOffset, &die) || !typeOf(&die, &type)) {
        if (typeName)
            *typeName = "void";
        return -1;
    }
    if (typeName)
        *typeName = impl_->spell(&type);
    return impl_->typeId(*types_, &type);
}

std::vector<Statement> DebugInfo::statements(const Function& function, int line) const {
    std::lock_guard lock(impl_->mutex);
    std::vector<Statement> out;
    Dwarf_Die die, cudie;
    if (!impl_->dw || !dwarf_offdie(impl_->dw, function.dieOffset, &die) ||
        !dwarf_diecu(&die, &cudie, nullptr, nullptr))
        return out;
    Dwarf_Lines* lines = nullptr;
    size_t n = 0;
    if (dwarf_getsrclines(&cudie, &lines, &n) != 0)
        return out;
    std::map<int, Statement> byLine;
    for (size_t i = 0; i < n; ++i) {
        Dwarf_Line* l = dwarf_onesrcline(lines, i);
        Dwarf_Addr addr = 0;
        int lineNo = 0;
        bool isStmt = false, endSequence = false;
        dwarf_lineaddr(l, &addr);
        dwarf_lineno(l, &lineNo);
        dwarf_linebeginstatement(l, &isStmt);
        dwarf_lineendsequence(l, &endSequence);
        if (!isStmt || endSequence || (line && lineNo != line) || dwarf_haspc(&die, addr) != 1)
            continue;
        const char* file = dwarf_linesrc(l, nullptr, nullptr);
        if (!file || function.file != file)
            continue;
        auto it = byLine.find(lineNo);
        if (it == byLine.end() || addr < it->second.pc)
            byLine[lineNo] = {&function, file, lineNo, addr};
    }
    for (auto& [lineNo, s] : byLine)
        out.push_back(s);
    return out;
}

std::optional<Variable> DebugInfo::globalVariable(const std::string& name, const std::string& file) const {
    std::lock_guard lock(impl_->mutex);
    std::optional<Variable> found;
    if (impl_->dw)
        forEachTopLevel(impl_->dw, [&](Dwarf_Die& cudie, Dwarf_Die& die) {
            Dwarf_Attribute location;
            if (dwarf_tag(&die) != DW_TAG_variable || attrString(&die, DW_AT_name) != name ||
                !dwarf_attr(&die, DW_AT_location, &location))
                return false; // declarations (extern) have no location
            const char* declFile = dwarf_decl_file(&die);
            if (!sourceFileMatches(file, declFile ? declFile : ""))
                return false;
            found = impl_->variable(*types_, &die, false, 0, &cudie, 0);
            return true;
        });
    return found;
}

std::vector<Label> DebugInfo::labels(const Function& function) const {
    std::lock_guard lock(impl_->mutex);
    std::vector<Label> out;
    Dwarf_Die die;
    if (!impl_->dw || !dwarf_offdie(impl_->dw, function.dieOffset, &die))
        return out;
    forEachInBlocks(
        &die, [](Dwarf_Die*) { return true; },
        [&](Dwarf_Die* child) {
            Dwarf_Addr pc = 0;
            int line = 0;
            const char* name = dwarf_diename(child);
            if (dwarf_tag(child) == DW_TAG_label && name && dwarf_lowpc(child, &pc) == 0) {
                dwarf_decl_line(child, &line);
                out.push_back({name, line, pc});
            }
        });
    return out;
}

std::set<int> DebugInfo::linesWithCode(const std::string& file) const {
    std::lock_guard lock(impl_->mutex);
    std::set<int> out;
    Dwarf_CU* cu = nullptr;
    Dwarf_Die cudie, subdie;
    uint8_t unitType = 0;
    Dwarf_Half version = 0;
    while (impl_->dw && dwarf_get_units(impl_->dw, cu, &cu, &version, &unitType, &cudie, &subdie) == 0) {
        Dwarf_Lines* lines = nullptr;
        size_t n = 0;
        if (dwarf_getsrclines(&cudie, &lines, &n) != 0)
            continue;
        for (size_t i = 0; i < n; ++i) {
            Dwarf_Line* l = dwarf_onesrcline(lines, i);
            bool isStmt = false, endSequence = false;
            int lineNo = 0;
            dwarf_linebeginstatement(l, &isStmt);
            dwarf_lineendsequence(l, &endSequence);
            const char* source = dwarf_linesrc(l, nullptr, nullptr);
            if (isStmt && !endSequence && source && file == source && dwarf_lineno(l, &lineNo) == 0)
                out.insert(lineNo);
        }
    }
    return out;
}

std::optional<Variable> DebugInfo::fileVariable(const Function& function, const std::string& name) const {
    bool declaredElsewhere = false;
    {
        std::lock_guard lock(impl_->mutex);
        Dwarf_Die die, cudie, child;
        if (!impl_->dw || !dwarf_offdie(impl_->dw, function.dieOffset, &die) ||
            !dwarf_diecu(&die, &cudie, nullptr, nullptr) || dwarf_child(&cudie, &child) != 0)
            return std::nullopt;
        do {
            if (dwarf_tag(&child) != DW_TAG_variable || attrString(&child, DW_AT_name) != name)
                continue;
            Dwarf_Attribute location;
            if (dwarf_attr(&child, DW_AT_location, &location) || dwarf_attr(&child, DW_AT_const_value, &location))
                return impl_->variable(*types_, &child, false, 0, &cudie, 0);
            declaredElsewhere = true;
        } while (dwarf_siblingof(&child, &child) == 0);
    }
    return declaredElsewhere ? globalVariable(name) : std::nullopt;
}

UserLocation DebugInfo::frameAddress(uint64_t pc) const {
    std::lock_guard lock(impl_->mutex);
    std::string ignored;
    auto cfa = impl_->cfaAt(pc, ignored);
    if (!cfa)
        return {};
    return {UserLocation::Kind::Memory, cfa->reg, cfa->offset, false};
}

int DebugInfo::typeByName(const std::string& spelled) const {
    std::string name = spelled;
    while (!name.empty() && name.back() == ' ')
        name.pop_back();
    if (!name.empty() && name.back() == '*') {
        int target = typeByName(name.substr(0, name.size() - 1));
        if (target < 0 && name.substr(0, name.size() - 1).find_first_not_of(' ') != std::string::npos &&
            name.rfind("void", 0) != 0)
            return -1;
        UserType p;
        p.kind = UserType::Kind::Pointer;
        p.size = 8;
        p.target = target;
        p.spelling = (target >= 0 ? types_->at(target).spelling : std::string("void")) + "*";
        return types_->add(p);
    }
    int wantTag = 0;
    for (auto [prefix, tag] : {std::pair{"struct ", DW_TAG_structure_type}, std::pair{"union ", DW_TAG_union_type},
                               std::pair{"enum ", DW_TAG_enumeration_type}, std::pair{"class ", DW_TAG_class_type}})
        if (name.rfind(prefix, 0) == 0) {
            wantTag = tag;
            name = name.substr(strlen(prefix));
        }
    std::lock_guard lock(impl_->mutex);
    int id = -1;
    if (impl_->dw)
        forEachTopLevel(impl_->dw, [&](Dwarf_Die&, Dwarf_Die& die) {
            int tag = dwarf_tag(&die);
            // A bare name may be a typedef, a base type or a struct/union/enum tag.
            bool typeTag = wantTag ? tag == wantTag
                                   : tag == DW_TAG_typedef || tag == DW_TAG_base_type || tag == DW_TAG_structure_type ||
                                         tag == DW_TAG_union_type || tag == DW_TAG_enumeration_type;
            Dwarf_Attribute decl;
            if (!typeTag || attrString(&die, DW_AT_name) != name || dwarf_attr(&die, DW_AT_declaration, &decl))
                return false;
            id = impl_->typeId(*types_, &die);
            return true;
        });
    return id;
}

} // namespace tap::dwarf
