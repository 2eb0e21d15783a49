#include "stdin_input.h"

#include <unistd.h>

#include <cerrno>

namespace tap::rt {

StdinInput::StdinInput(int fd) : fd_(fd), terminalFd_(fd) {
    // Only a terminal this process group owns: changing one from the
    // background would stop the session (SIGTTOU).
    if (isatty(fd_) && tcgetpgrp(fd_) == getpgrp() && tcgetattr(fd_, &saved_) == 0) {
        termios raw = saved_;
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        terminalChanged_ = tcsetattr(fd_, TCSANOW, &raw) == 0;
    }
}

StdinInput::~StdinInput() { restoreTerminal(); }

void StdinInput::restoreTerminal() {
    if (terminalChanged_)
        tcsetattr(terminalFd_, TCSANOW, &saved_);
    terminalChanged_ = false;
}

std::string StdinInput::read() {
    if (fd_ < 0)
        return {};
    char buffer[4096];
    for (;;) {
        ssize_t n = ::read(fd_, buffer, sizeof buffer);
        if (n > 0)
            return std::string(buffer, size_t(n));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) // someone else made it non-blocking and read first
            return std::string();
        break;
    }
    restoreTerminal();
    fd_ = -1;
    return {};
}

} // namespace tap::rt
