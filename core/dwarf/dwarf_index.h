// A user program's debugging information (DWARF, read with elfutils libdw):
// its functions with their source places and probe addresses, the variables
// in scope at an address with their types and locations, statements by
// source line, and types by name for @cast. One DebugInfo per binary, cached
// for the life of the process (the translator keeps pointers into it).
#pragma once

#include "user_types.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace tap::dwarf {

struct Function {
    std::string name;
    // The C++ namespaces and classes it is declared in, outermost first
    // ({"tap", "Lexer"}); empty at the global scope and in C.
    std::vector<std::string> scope;
    std::string file; // declaring source file as DWARF names it
    int line = 0;
    uint64_t lowPc = 0;   // link-time entry address
    uint64_t probePc = 0; // after the prologue: where .function probes fire
    bool inlined = false; // an inlined instance (probePc is its entry)
    uint64_t dieOffset = 0;      // the DW_TAG_subprogram / inlined_subroutine
    uint64_t frameDieOffset = 0; // the out-of-line function whose frame it runs in
    size_t parameterCount = 0;
};

struct Variable {
    std::string name;
    bool parameter = false;
    int type = -1; // in DebugInfo::types()
    std::string typeName; // as stap spells it: "char const*", "struct point*"
    UserLocation location;
    std::string locationError; // "" when `location` is valid at the address asked
};

// A C label of a function: .function("f").label("name").
struct Label {
    std::string name;
    int line = 0;
    uint64_t pc = 0; // link-time address
};

// A probe-able source line: the first is_stmt address of LINE in FUNCTION.
struct Statement {
    const Function* function = nullptr;
    std::string file;
    int line = 0;
    uint64_t pc = 0;
};

class DebugInfo {
public:
    // The cached debug info of `path` (canonical); nullptr with `error` when
    // the file cannot be read as ELF. A binary without DWARF gives an object
    // with hasDwarf() false (its ELF symbols still serve .function probes).
    static const DebugInfo* of(const std::string& path, std::string& error);
    ~DebugInfo();

    const std::string& path() const { return path_; }
    bool hasDwarf() const { return hasDwarf_; }
    // Every function with code (out-of-line definitions and inlined instances).
    const std::vector<Function>& functions() const { return functions_; }
    // The functions (and inlined copies) called `name`.
    std::vector<const Function*> functionsNamed(const std::string& name) const;
    // The out-of-line function whose code starts at `address` (an ELF
    // symbol's, e.g. libc's malloc is DWARF's __libc_malloc); null if none.
    const Function* functionStartingAt(uint64_t address) const;
    // Variables visible at `pc` in `function`: parameters first (in order),
    // then locals of the scopes containing pc.
    std::vector<Variable> variables(const Function& function, uint64_t pc) const;
    // The function's return type (-1: void) and its spelling.
    int returnType(const Function& function, std::string* typeName = nullptr) const;
    // Statements of `function` at `line` (0: every line of the function).
    std::vector<Statement> statements(const Function& function, int line) const;
    // The labels of `function` that have an address (in any of its blocks).
    std::vector<Label> labels(const Function& function) const;
    // The lines of source file `file` (as DWARF names it) that have code.
    std::set<int> linesWithCode(const std::string& file) const;
    // A global or file-static variable ("name", or "name@file.c" for the
    // static of one file): its location is a relocated address.
    std::optional<Variable> globalVariable(const std::string& name, const std::string& file = "") const;
    // A variable declared at the top level of `function`'s compile unit
    // (stap's $name finds these after the function's own scopes); an
    // extern declaration there is looked up where it is defined.
    std::optional<Variable> fileVariable(const Function& function, const std::string& name) const;
    // The canonical frame address at `pc` (from .eh_frame / .debug_frame):
    // a Memory location reg + offset, or Kind::None when unknown.
    UserLocation frameAddress(uint64_t pc) const;
    // The source file and line of a link-time address, from the line table
    // ("" and 0 when unknown): usymfileline() and the _fileline backtraces.
    std::pair<std::string, int> sourceLine(uint64_t address) const;
    // A named type: "struct point", "point_t", "int", "char *".
    int typeByName(const std::string& name) const;
    const UserTypeTable& types() const { return *types_; }

private:
    DebugInfo() = default;
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string path_;
    bool hasDwarf_ = false;
    std::vector<Function> functions_;
    std::unordered_map<uint64_t, size_t> byAddress_; // lowPc -> index in functions_ (out-of-line only)
    std::unordered_multimap<std::string, size_t> byName_;
    std::unique_ptr<UserTypeTable> types_;
};

// Does a source file pattern name `file` (as DWARF names it)? The pattern
// may match the whole name, its base name or any path suffix, with `*`
// wildcards: "tap_uprog.c" and "*/tap_uprog.c" find
// "tests/workload/tap_uprog.c". An empty pattern matches every file.
bool sourceFileMatches(const std::string& pattern, const std::string& file);

} // namespace tap::dwarf
