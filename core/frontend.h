// Passes 1 and 2 behind one object: what tstap, the IDE's diagnostics and its
// completion all use.
#pragma once

#include "diagnostics.h"
#include "parser.h"
#include "probe_provider.h"
#include "program.h"
#include "target_info.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tap {

struct CompileOptions {
    std::vector<std::string> includeDirs;    // -I, searched before the bundled tapsets
    // Only includeDirs, neither $TAPSTUDIO_TAPSETS nor the bundled tapsets: a
    // compiled session brings the tapsets it was compiled with.
    bool onlyIncludeDirs = false;
    std::vector<std::string> scriptArgs;     // $1 ...
    std::vector<std::pair<std::string, std::string>> defines;    // -D NAME=VALUE
    std::vector<std::pair<std::string, std::string>> globalSets; // -G NAME=VALUE
    bool guru = false;             // -g
    bool unoptimized = false;      // -u: no elision
    // Which resolved probes list their context variables ($name: from BTF,
    // DWARF or tracefs, which costs milliseconds to read).
    enum class ContextVariables {
        None, // listings of names only (tstap -l): every function's DWARF would be read
        Read, // the probes whose handlers, prologues or conditions name one: what compiling needs
        All,  // every probe (tstap -L)
    };
    ContextVariables contextVariables = ContextVariables::Read;
    // The executable of -c CMD / -x PID: what bare process.function(...)
    // & co. probe (in that process only), as in stap.
    std::string targetExecutable;
    TargetInfo target = TargetInfo::forRunningKernel();
};

// The builtin providers (begin, end, timer.*, ...) and the kernel's
// (kernel.trace, syscall.*, perf.*, process.*, kernel.function, ...).
// `targetExecutable`: the -c/-x program bare process.function(...) probes.
ProbeRegistry defaultProbeRegistry(const std::string& targetExecutable = "");

class Frontend {
public:
    explicit Frontend(CompileOptions options);
    Frontend(CompileOptions options, ProbeRegistry registry);
    ~Frontend();

    FileId addScriptFile(const std::string& path); // kNoFile if unreadable
    FileId addScriptText(std::string name, std::string text);

    // Pass 1: library macros, then the script. False on errors.
    bool parse();
    // Pass 2 (runs pass 1 first if needed). False on errors.
    bool elaborate();

    SourceManager& sources() { return sources_; }
    DiagnosticSink& diagnostics() { return diags_; }
    const CompileOptions& options() const { return options_; }
    const std::vector<std::unique_ptr<FileAst>>& scriptFiles() const { return scriptFiles_; }
    const std::vector<std::unique_ptr<FileAst>>& libraryFiles() const { return libraryFiles_; }
    const Program& program() const { return *program_; }
    const ProbeRegistry& registry() const { return registry_; }
    // Tapset directories in search order.
    std::vector<std::string> tapsetDirs() const;

private:
    void loadLibrary(bool macrosOnly);

    CompileOptions options_;
    ProbeRegistry registry_;
    SourceManager sources_;
    DiagnosticSink diags_;
    MacroTable libraryMacros_;
    std::vector<FileId> scriptIds_;
    std::vector<std::unique_ptr<FileAst>> scriptFiles_;
    std::vector<std::unique_ptr<FileAst>> libraryFiles_;
    std::vector<std::unique_ptr<FileAst>> snippetFiles_; // provider prologues
    std::unique_ptr<Program> program_;
    bool macrosLoaded_ = false, libraryLoaded_ = false, parsed_ = false;
};

// Finds the bundled tapset directory (next to the binary, installed, or in
// the source tree).
std::string bundledTapsetDir();

} // namespace tap
