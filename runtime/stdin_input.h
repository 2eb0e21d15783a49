// tstap's standard input for a script's input.char / input.line probes
// (tapsets/input.stp): as stapio does, what arrives on stdin is written to
// the script's procfs("__stdin") file one character at a time. The session
// polls pollFd() with its other descriptors and reads what is there; the
// end of input stops the reading, not the session. A terminal is switched
// to non-canonical input without echo (each key arrives as it is typed)
// until the end of input or of the session.
#pragma once

#include <termios.h>

#include <string>

namespace tap::rt {

class StdinInput {
  public:
    explicit StdinInput(int fd);
    ~StdinInput();
    StdinInput(const StdinInput&) = delete;
    StdinInput& operator=(const StdinInput&) = delete;

    // -1 once the input has ended.
    int pollFd() const { return fd_; }
    // What one read returns (up to a page); empty at the end of input (or
    // on an error other than an interruption), after which pollFd() is -1.
    // Never blocks when poll() said the descriptor is ready.
    std::string read();

  private:
    void restoreTerminal();
    int fd_, terminalFd_;
    bool terminalChanged_ = false;
    termios saved_{};
};

} // namespace tap::rt
