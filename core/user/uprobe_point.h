// A user-space probe point taken apart: which program (or library, or
// process), which kind of place (function, statement, PLT entry, SDT
// marker) and its name pattern; with the matching rules stap uses for
// "NAME@FILE:LINE" specs, and the programs' ELF and DWARF, opened once.
#pragma once

#include "dwarf/dwarf_index.h"
#include "elf/elf_binary.h"
#include "probe_provider.h"

#include <optional>
#include <string>

namespace tap::user {

enum class Kind { Function, Statement, Plt, Mark };

struct Point {
    std::string exe;     // the process's executable (resolved)
    int64_t pid = -1;    // process(PID)
    std::string library; // .library("LIB"), resolved
    Kind kind = Kind::Function;
    std::string spec;     // the function / statement / plt / mark argument
    std::string provider; // .provider("P")
    std::optional<std::string> label; // .function(...).label("L")
    bool isReturn = false, isCall = false, isInline = false;
    bool isNearest = false; // .statement(...).nearest: a line without code moves to the nearest with code
    int64_t site = -1; // the hidden .site(N) of an expanded point with several instances
    bool bare = false; // process.function(...): the -c/-x target's executable
    const std::string& binary() const { return library.empty() ? exe : library; }
};

// `targetExecutable` stands for the program of a bare process.function(...).
Point pointOf(const ConcretePoint& p, const std::string& targetExecutable);

// "NAME[@FILE[:LINE[-LINE2]]]" (LINE may be "*").
// "[::][SCOPE::]...NAME[@FILE[:LINE[-LINE2]]]" (LINE may be "*"): C++
// scopes match a function's namespaces and classes innermost first (as
// stap: "Lexer::next" is also tap::Lexer's); a leading "::" asks for the
// global scope.
struct FunctionSpec {
    std::string name, file;
    std::vector<std::string> scope; // outermost first, each a wildcard
    bool globalScope = false;
    int firstLine = 0, lastLine = 0; // 0: any
    bool anyLine = false;
};
FunctionSpec parseSpec(const std::string& spec);
bool scopeMatches(const FunctionSpec& spec, const dwarf::Function& f);
bool globMatch(const std::string& pattern, const std::string& text);
// "add@tests/workload/tap_uprog.c:34", as stap names an expanded function;
// with as much of its scope as `pattern` names ("Lexer::next@...").
std::string functionSpecOf(const dwarf::Function& f, const FunctionSpec& pattern = {});

// A program's or library's ELF and DWARF, opened once per process (the
// translator keeps pointers into them).
struct Binary {
    const elf::ElfBinary* elf = nullptr;
    const dwarf::DebugInfo* debug = nullptr; // null when unreadable; may lack DWARF
    std::string error;
    const UserTypeTable& debugTypes() const;
};
const Binary& binaryOf(const std::string& path);

uint64_t inodeOf(const std::string& path);

} // namespace tap::user
