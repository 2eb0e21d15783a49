// tstap's side of compiled sessions (runtime/compiled_session.h): making one
// from what passes 1-4 produced, receiving one for --run-compiled, and the
// run-time options --remote passes on to each host's tstap.
#pragma once

#include "bpf/translation.h"
#include "cli_options.h"
#include "compiled_session.h"

#include <string>
#include <vector>

namespace tap {

// `kernel`: the translation of the kernel probes (null: none) and
// `objectPath` its compiled object. Returns "" or the error.
std::string makeCompiledSession(const CliOptions& cli, const std::string& scriptName,
                                const std::string& scriptText,
                                const std::vector<std::string>& tapsetDirs,
                                const bpf::Translation* kernel, const std::string& objectPath,
                                rt::CompiledSession& out);

// A session for --run-compiled: a folder used in place, or ("-") a tar read
// from stdin into a temporary folder that goes away with this object.
class ReceivedSession {
  public:
    ReceivedSession() = default;
    ReceivedSession(const ReceivedSession&) = delete;
    ReceivedSession& operator=(const ReceivedSession&) = delete;
    ~ReceivedSession();

    std::string receive(const std::string& dirOrDash); // "" or the error
    // Once passes 1-4 have read the tapsets: removes the folder a session
    // from standard input was unpacked into, keeping program.o open
    // (objectPath becomes /proc/self/fd/N), so that a session killed with
    // SIGKILL leaves nothing behind.
    void removeFolder();

    rt::CompiledSession session;
    std::vector<std::string> tapsetDirs;
    std::string objectPath;

  private:
    std::string temporaryDir_;
    int objectFd_ = -1;
};

// The options of this command line that each remote tstap applies.
// Returns "" or why one of them cannot go with --remote.
std::string remoteRunOptions(const CliOptions& cli, std::vector<std::string>& out);

} // namespace tap
