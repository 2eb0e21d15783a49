// stap-compatible command line of tstap.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tap {

struct CliOptions {
    int lastPass = 5;
    int verbose = 0;
    bool showHelp = false, showVersion = false;
    std::optional<std::string> scriptText; // -e
    std::optional<std::string> scriptFile; // path, or "-" for stdin
    std::vector<std::string> scriptArgs;
    std::vector<std::string> includeDirs;
    std::vector<std::pair<std::string, std::string>> defines;
    std::vector<std::pair<std::string, std::string>> globalSets;
    std::optional<std::string> compatible; // --compatible=VERSION: what systemtap_v says
    std::optional<std::string> kernelFacts; // -r DIR: compile for the kernel described there
    bool guru = false, noWarnings = false, warningsAsErrors = false, unoptimized = false;
    // Run-time options (pass 5), accepted now and used by the runtime.
    std::optional<std::string> outputFile, command, listPattern;
    bool listVariables = false;
    std::optional<long> targetPid, timeoutSeconds;
    std::optional<std::string> http; // --http [ADDR:]PORT
    std::optional<std::string> procfsDir; // --procfs-dir DIR
    bool bulk = false, json = false, hitReport = false, noGlobalDisplay = false;
    // --probe-capabilities: report what this machine can trace (text, or JSON with --json).
    bool probeCapabilities = false;
    // Compiled sessions (runtime/compiled_session.h): write one after pass 4,
    // run one without clang or tapsets, or run one on other hosts over ssh.
    std::optional<std::string> saveCompiled, runCompiled; // DIR, or "-" for a tar on stdout/stdin
    std::vector<std::string> remotes;                     // --remote [ssh://][USER@]HOST[:PORT]
    bool remotePrefix = false;                            // --remote-prefix: "N: " before each line
    // --remote-id N, --remote-uri URI: what remote_id() and remote_uri()
    // return in a session --remote started (with --run-compiled).
    std::optional<std::string> remoteId, remoteUri;
    // --language-server: speak the Language Server Protocol on stdin/stdout.
    bool languageServer = false;
};

// Parses argv; returns an error message, or "" on success.
std::string parseCommandLine(int argc, char** argv, CliOptions& out);
const char* usageText();

} // namespace tap
