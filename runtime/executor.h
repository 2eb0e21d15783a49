// Pass 5 in user space: compiles an elaborated Program into executable nodes
// and runs probe handlers against a Runtime.
#pragma once

#include "exec.h"
#include "stack_json.h"
#include "program.h"

#include <memory>
#include <string>
#include <vector>

namespace tap::rt {

struct CompiledProbe {
    const ResolvedProbe* probe = nullptr;
    std::string family; // begin, end, error, never, timer
    ConcretePoint point;
    int64_t order = 0;  // begin(N) / end(N)
    StmtNode* body = nullptr;
    LNode* condition = nullptr;
    int longSlots = 0, stringSlots = 0;
    std::string pointText;
};

// A global as the end-of-session display sees it.
struct GlobalInfo {
    const VarDecl* decl = nullptr;
    enum class Kind : uint8_t { Long, String, Stat, Array } kind = Kind::Long;
    int index = 0;
    bool display = false; // written but never read
};

// A printf site, for the --json "formats" table.
struct FormatInfo {
    uint32_t id = 0;
    std::string format;
    std::vector<bool> argIsString;
    std::vector<StackArgument> stacks;
    std::string probe;
    SourceLoc loc;
};

class CompiledProgram {
public:
    ~CompiledProgram();
    // Returns null and sets `error` (with the script location) when a reached
    // construct cannot run in user space.
    static std::unique_ptr<CompiledProgram> compile(const Program& program, Runtime& rt,
                                                    std::string& error);

    const std::vector<CompiledProbe>& probes() const { return probes_; }
    const std::vector<GlobalInfo>& globals() const { return globals_; }
    const std::vector<FormatInfo>& formats() const { return formats_; }
    int maxNesting() const { return maxNesting_; }

    // Runs one handler. Errors are reported (stderr) and counted; returns
    // false if the handler ended with an error.
    bool run(const CompiledProbe& probe, Runtime& rt, int64_t actionLimit);

    // Sets a global's initial value from -G NAME=VALUE.
    std::string setGlobal(Runtime& rt, const std::string& name, const std::string& value);

    // The text of the end-of-session display of unread globals.
    std::string globalDisplay(Runtime& rt) const;

    struct Impl;

private:
    CompiledProgram();
    std::unique_ptr<Impl> impl_;
    std::vector<CompiledProbe> probes_;
    std::vector<GlobalInfo> globals_;
    std::vector<FormatInfo> formats_;
    int maxNesting_ = 10;
};

std::string formatRuntimeError(const ScriptError& e, const SourceManager& sm);

} // namespace tap::rt
