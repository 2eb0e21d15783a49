// A compiled session: everything another machine's tstap needs to run a
// script without clang and without tapsets of its own (tstap
// --save-compiled / --run-compiled / --remote). A folder, or the same
// files as a tar stream:
//   manifest        the compile options, the digest of the BPF C program
//   script.stp      the user's script
//   tapsets/N/...   the tapset directories it was compiled with, in order
//   program.o       the CO-RE BPF object (when the script has kernel probes)
// The receiving tstap runs passes 1-3 again from these files, against its
// own kernel, to rebuild the user-space program and the map layout, and
// loads program.o only when its translation has the same digest.
#pragma once

#include "tar_archive.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tap::rt {

struct CompiledSession {
    std::string scriptName; // as the user named it, for messages
    std::string scriptText;
    std::vector<std::string> scriptArgs;
    std::vector<std::pair<std::string, std::string>> defines;    // -D
    std::vector<std::pair<std::string, std::string>> globalSets; // -G
    bool guru = false, unoptimized = false;
    std::optional<std::string> compatible;
    std::string compiledOnKernel;      // the release the program was translated for
    std::string programDigest;         // empty: no kernel probes, no object
    std::string object;                // program.o's bytes
    std::vector<TarEntry> tapsetFiles; // "tapsets/N/RELATIVE"
};

// Adds every .stp/.stpm file of `dirs` (in search order) as tapsets/N/...
// Returns "" or why a file could not be taken.
std::string addTapsetDirectories(CompiledSession& session, const std::vector<std::string>& dirs);

std::vector<TarEntry> sessionFiles(const CompiledSession& session);

// Writes the files into `dir` (created if missing). Returns "" or the error.
std::string saveSession(const std::vector<TarEntry>& files, const std::string& dir);

// Reads a folder saveSession wrote. `tapsetDirs` receives its tapset
// directories and `objectPath` its program.o (empty without one), ready to
// use in place. Returns "" or what is wrong.
std::string loadSession(const std::string& dir, CompiledSession& session,
                        std::vector<std::string>& tapsetDirs, std::string& objectPath);

} // namespace tap::rt
