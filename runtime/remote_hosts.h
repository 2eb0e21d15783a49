// tstap --remote: one compiled session run on several hosts at once, each
// through `ssh HOST tstap --run-compiled -` with the session streamed as a
// tar on ssh's input. The input then stays open: closing it (Ctrl-C here)
// stops the remote session, whose end probes run and print as usual.
#pragma once

#include <string>
#include <vector>

namespace tap::rt {

struct RemoteHost {
    std::string spec; // as the user wrote it
    std::string user, host, port;
};

// Parses [ssh://][USER@]HOST[:PORT] (HOST may be [IPv6]). Returns "" or the error.
std::string parseRemoteHost(const std::string& spec, RemoteHost& out);

struct RemoteRun {
    std::vector<RemoteHost> hosts;
    std::string sessionTar;
    std::vector<std::string> runOptions; // for each host's tstap, after --run-compiled -
    bool json = false;                   // records get a "host" field
    bool prefix = false;                 // --remote-prefix: "N: " before each line
};

// Runs until every host has finished; returns 0 when all succeeded. A host
// that fails (ssh, its kernel, its tstap) is reported as that host's error
// and the others go on.
int runOnRemoteHosts(const RemoteRun& run);

} // namespace tap::rt
