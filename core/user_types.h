// C types and variable locations of a user program, as pass 2 hands them to
// the BPF translator: plain data read from DWARF by core/dwarf, so the
// translator needs no libdw.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace tap {

struct UserType {
    enum class Kind : uint8_t { Void, Base, Pointer, Struct, Union, Array, Enum, Function } kind = Kind::Void;
    std::string name;     // "int", "point" (of struct point), typedef names resolved away
    std::string spelling; // as stap prints it: "struct point", "long int", "char*"
    int64_t size = 0;     // bytes (pointers 8)
    bool isSigned = false;
    bool isChar = false;  // char, signed char, unsigned char: arrays/pointers of it are strings
    int target = -1;      // Pointer / Array: element type id (-1: void)
    int64_t count = 0;    // Array: number of elements (0 when unknown)
    struct Member {
        std::string name;
        int type = -1;
        int64_t offset = 0; // bytes
        int bitSize = 0;    // bit-fields: width, else 0
    };
    std::vector<Member> members; // Struct / Union
    const Member* member(const std::string& memberName) const {
        for (const Member& m : members)
            if (m.name == memberName)
                return &m;
        return nullptr;
    }
};

// The types of one binary, filled lazily; ids never change and references
// stay valid (a deque), so readers keep them while others are added.
class UserTypeTable {
public:
    const UserType& at(int id) const {
        std::lock_guard lock(mutex_);
        return types_.at(size_t(id));
    }
    int add(UserType type) {
        std::lock_guard lock(mutex_);
        types_.push_back(std::move(type));
        return int(types_.size() - 1);
    }
    void set(int id, UserType type) {
        std::lock_guard lock(mutex_);
        types_.at(size_t(id)) = std::move(type);
    }

private:
    mutable std::mutex mutex_;
    std::deque<UserType> types_;
};

// Where a user variable's value is at the probe address, in terms of the
// interrupted task's registers (struct pt_regs field names):
//   Register  the value is register `reg`
//   Memory    the value is stored at address reg + offset (no reg: offset
//             alone); when `relocated`, the address is a link-time one and
//             the load bias of the binary is added
//   Value     the value itself is reg + offset (a computed value)
//   Pieces    a small aggregate held in several registers (DW_OP_piece):
//             bytes [0, size of the first piece) in its register, the next
//             ones in the next piece's, and so on
struct UserLocation {
    enum class Kind : uint8_t { None, Register, Memory, Value, Pieces } kind = Kind::None;
    std::string reg;
    int64_t offset = 0;
    bool relocated = false;
    struct Piece {
        std::string reg;
        int64_t size = 0; // bytes
    };
    std::vector<Piece> pieces;
    // relocated: the library or program whose load address it is relative
    // to, when not the one the probe is in ("" for that one).
    std::string module;
};

} // namespace tap
