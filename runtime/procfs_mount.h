// The session's procfs files as a FUSE file system (libfuse 3), as stap
// makes them under /proc/systemtap/MODULE: reading a file runs its .read
// probes, writing runs its .write probes, permissions as stap's. Requests are
// answered by the session's own loop (poll pollFd(), then serve()), so the
// probes run on the thread that runs every other user-space probe. The
// destructor unmounts. Built without libfuse 3, mount() says so.
#pragma once

#include "procfs_files.h"

#include <functional>
#include <memory>
#include <string>

namespace tap::rt {

class ProcfsMount {
  public:
    using Read = std::function<std::string(const ProcfsFile&)>;
    using Write = std::function<void(const ProcfsFile&, std::string)>;

    // Where a session's files go unless --procfs-dir says: /run/tapstudio/PID
    // for root, $XDG_RUNTIME_DIR/tapstudio/PID (or /tmp/tapstudio-UID/PID)
    // for others.
    static std::string defaultDir();
    // Mounts `files` at `dir` (made when missing and then removed at
    // unmount); null with `error` set when it cannot.
    static std::unique_ptr<ProcfsMount> mount(const std::string& dir, const ProcfsFiles& files,
                                              Read read, Write write, std::string& error);
    ~ProcfsMount();
    ProcfsMount(const ProcfsMount&) = delete;
    ProcfsMount& operator=(const ProcfsMount&) = delete;

    const std::string& dir() const;
    // -1 once the file system is gone (unmounted from outside).
    int pollFd() const;
    // Answers the request waiting on pollFd().
    void serve();

    struct State;

  private:
    explicit ProcfsMount(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

} // namespace tap::rt
