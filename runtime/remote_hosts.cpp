#include "remote_hosts.h"

#include "exec.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace tap::rt {

namespace {

std::string shellQuote(const std::string& word) {
    std::string out = "'";
    for (char c : word)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::vector<std::string> words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

// `index`: the host's place among the --remote options, for remote_id().
std::vector<std::string> sshCommand(const RemoteHost& host, size_t index,
                                    const std::vector<std::string>& runOptions) {
    const char* ssh = std::getenv("TSTAP_SSH");
    std::vector<std::string> argv = words(ssh && *ssh ? ssh : "ssh");
    // BatchMode: the session arrives on ssh's input, so a password prompt
    // could never be answered; it fails at once instead.
    for (const char* option :
         {"BatchMode=yes", "ConnectTimeout=15", "ServerAliveInterval=5", "ServerAliveCountMax=3"})
        argv.insert(argv.end(), {"-o", option});
    if (!host.port.empty()) argv.insert(argv.end(), {"-p", host.port});
    if (!host.user.empty()) argv.insert(argv.end(), {"-l", host.user});
    const char* tstap = std::getenv("TSTAP_REMOTE_TSTAP");
    std::string command = std::string(tstap && *tstap ? tstap : "tstap") +
                          " --run-compiled - --remote-id " + std::to_string(index) + " --remote-uri " +
                          shellQuote(host.spec);
    for (const std::string& option : runOptions)
        command += " " + shellQuote(option);
    argv.insert(argv.end(), {"--", host.host, command});
    return argv;
}

struct Stream {
    int fd = -1;
    std::string partial; // a line not yet complete
};

struct Connection {
    const RemoteHost* host = nullptr;
    size_t index = 0;
    pid_t pid = -1;
    int input = -1;
    size_t sent = 0;
    Stream out, err;
    std::string lastError; // ssh's own message names why it failed
    int status = 0;
};

void closeFd(int& fd) {
    if (fd >= 0) close(fd);
    fd = -1;
}

// Starts ssh in a process group of its own: a Ctrl-C at the terminal
// reaches tstap only, which then stops the remote sessions in order.
bool start(Connection& c, const std::vector<std::string>& argv, const sigset_t& childMask,
           std::string& error) {
    int in[2], out[2], err[2];
    if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
        error = std::string("cannot make pipes: ") + std::strerror(errno);
        return false;
    }
    std::vector<char*> args;
    for (const std::string& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    c.pid = fork();
    if (c.pid == 0) {
        setpgid(0, 0);
        sigprocmask(SIG_SETMASK, &childMask, nullptr);
        signal(SIGPIPE, SIG_DFL);
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        execvp(args[0], args.data());
        std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
        _exit(255);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (c.pid < 0) {
        error = std::string("cannot start ssh: ") + std::strerror(errno);
        close(in[1]);
        close(out[0]);
        close(err[0]);
        return false;
    }
    c.input = in[1];
    fcntl(c.input, F_SETFL, O_NONBLOCK);
    c.out.fd = out[0];
    c.err.fd = err[0];
    return true;
}

class Relay {
  public:
    explicit Relay(const RemoteRun& run) : run_(run) {}

    // A line from a host, on our stdout or stderr as it came.
    void line(Connection& c, std::string text, FILE* to) {
        if (!text.empty() && text.back() == '\r') // ssh ends its own messages with CR LF
            text.pop_back();
        if (to == stderr) c.lastError = text;
        if (run_.json && to == stdout && text.size() > 1 && text.front() == '{' &&
            text.back() == '}') {
            text.pop_back();
            text += ",\"host\":" + Output::quote(c.host->spec) + "}";
        } else if (run_.prefix) {
            text = std::to_string(c.index) + ": " + text;
        }
        text += "\n";
        std::fwrite(text.data(), 1, text.size(), to);
        std::fflush(to);
    }

    // Reads what is there; false at end of file.
    bool read(Connection& c, Stream& s, FILE* to) {
        char buf[65536];
        ssize_t n = ::read(s.fd, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
        if (n <= 0) {
            if (!s.partial.empty()) line(c, std::move(s.partial), to);
            s.partial.clear();
            return false;
        }
        s.partial.append(buf, size_t(n));
        for (size_t nl; (nl = s.partial.find('\n')) != std::string::npos;) {
            line(c, s.partial.substr(0, nl), to);
            s.partial.erase(0, nl + 1);
        }
        return true;
    }

    void failure(const Connection& c, const std::string& why) {
        std::string text =
            "ERROR: host " + std::to_string(c.index) + " (" + c.host->spec + "): " + why + "\n";
        if (!run_.json) {
            std::fwrite(text.data(), 1, text.size(), stderr);
            return;
        }
        std::string record =
            "{\"t\":\"diag\",\"severity\":\"error\",\"phase\":\"remote\",\"msg\":" +
            Output::quote(why) + ",\"text\":" + Output::quote(text) +
            ",\"host\":" + Output::quote(c.host->spec) + "}\n";
        std::fwrite(record.data(), 1, record.size(), stdout);
        std::fflush(stdout);
    }

  private:
    const RemoteRun& run_;
};

std::string failureReason(int status, const std::string& remoteTstap,
                          const std::string& lastError) {
    if (WIFSIGNALED(status))
        return std::string("ssh was ended by signal ") + std::to_string(WTERMSIG(status)) + " (" +
               strsignal(WTERMSIG(status)) + ")";
    int code = WEXITSTATUS(status);
    if (code == 255)
        return "ssh failed or the connection was lost (ssh exit status 255" +
               (lastError.empty() ? std::string() : ": " + lastError) + ")";
    if (code == 127)
        return "the host cannot run '" + remoteTstap +
               "' (install tstap there, or set TSTAP_REMOTE_TSTAP)";
    return "the session failed there (exit status " + std::to_string(code) + ")";
}

} // namespace

std::string parseRemoteHost(const std::string& spec, RemoteHost& out) {
    out = RemoteHost{};
    out.spec = spec;
    std::string rest = spec;
    if (rest.rfind("ssh://", 0) == 0)
        rest.erase(0, 6);
    else if (rest.find("://") != std::string::npos)
        return "--remote " + spec + ": only ssh:// hosts are supported";
    if (!rest.empty() && rest.back() == '/') rest.pop_back();
    if (size_t at = rest.rfind('@'); at != std::string::npos) {
        out.user = rest.substr(0, at);
        rest.erase(0, at + 1);
    }
    if (!rest.empty() && rest.front() == '[') {
        size_t close = rest.find(']');
        if (close == std::string::npos) return "--remote " + spec + ": '[' without ']'";
        out.host = rest.substr(1, close - 1);
        rest.erase(0, close + 1);
        if (!rest.empty() && rest.front() != ':')
            return "--remote " + spec + ": unexpected '" + rest + "' after the address";
        if (!rest.empty()) out.port = rest.substr(1);
    } else if (size_t colon = rest.find(':'); colon != std::string::npos) {
        out.host = rest.substr(0, colon);
        out.port = rest.substr(colon + 1);
    } else {
        out.host = rest;
    }
    if (out.host.empty()) return "--remote " + spec + ": no host name";
    if (out.host.front() == '-') return "--remote " + spec + ": a host name cannot start with '-'";
    if (!out.port.empty() && (out.port.find_first_not_of("0123456789") != std::string::npos ||
                              std::stol(out.port) < 1 || std::stol(out.port) > 65535))
        return "--remote " + spec + ": the port must be a number from 1 to 65535";
    return {};
}

int runOnRemoteHosts(const RemoteRun& run) {
    sigset_t mask, oldMask;
    sigemptyset(&mask);
    for (int s : {SIGINT, SIGTERM, SIGHUP})
        sigaddset(&mask, s);
    sigprocmask(SIG_BLOCK, &mask, &oldMask);
    int sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
    signal(SIGPIPE, SIG_IGN); // a host gone while its session is sent is seen at write()

    Relay relay(run);
    std::vector<Connection> hosts(run.hosts.size());
    const char* remoteTstap = std::getenv("TSTAP_REMOTE_TSTAP");
    bool anyFailed = false;
    for (size_t i = 0; i < hosts.size(); ++i) {
        hosts[i].host = &run.hosts[i];
        hosts[i].index = i;
        std::string error;
        if (!start(hosts[i], sshCommand(run.hosts[i], i, run.runOptions), oldMask, error)) {
            relay.failure(hosts[i], error);
            anyFailed = true;
        }
    }

    int signals = 0;
    for (;;) {
        std::vector<pollfd> fds = {{sigfd, POLLIN, 0}};
        std::vector<std::pair<Connection*, int>> owners = {{nullptr, 0}};
        for (Connection& c : hosts) {
            if (c.input >= 0 && c.sent < run.sessionTar.size()) {
                fds.push_back({c.input, POLLOUT, 0});
                owners.push_back({&c, 0});
            }
            for (int which : {1, 2}) {
                Stream& s = which == 1 ? c.out : c.err;
                if (s.fd >= 0) {
                    fds.push_back({s.fd, POLLIN, 0});
                    owners.push_back({&c, which});
                }
            }
        }
        if (fds.size() == 1) break; // every host's output has ended
        if (poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) break;
        if (fds[0].revents & POLLIN) {
            signalfd_siginfo info{};
            if (read(sigfd, &info, sizeof info) == sizeof info) {
                // The first signal stops every session (their end probes
                // run); a second one ends the connections.
                for (Connection& c : hosts) {
                    if (signals == 0)
                        closeFd(c.input);
                    else if (c.pid > 0)
                        kill(-c.pid, SIGTERM);
                }
                ++signals;
            }
        }
        for (size_t k = 1; k < fds.size(); ++k) {
            if (!fds[k].revents) continue;
            Connection& c = *owners[k].first;
            if (owners[k].second == 0) {
                ssize_t n =
                    write(c.input, run.sessionTar.data() + c.sent, run.sessionTar.size() - c.sent);
                if (n > 0)
                    c.sent += size_t(n);
                else if (errno != EAGAIN && errno != EINTR)
                    closeFd(c.input); // ssh is gone; its exit status tells why
            } else if (owners[k].second == 1 && !relay.read(c, c.out, stdout)) {
                closeFd(c.out.fd);
            } else if (owners[k].second == 2 && !relay.read(c, c.err, stderr)) {
                closeFd(c.err.fd);
            }
        }
    }
    for (Connection& c : hosts) {
        closeFd(c.input);
        if (c.pid <= 0) continue;
        while (waitpid(c.pid, &c.status, 0) < 0 && errno == EINTR) {
        }
        if (!WIFEXITED(c.status) || WEXITSTATUS(c.status) != 0) {
            relay.failure(c, failureReason(c.status,
                                           remoteTstap && *remoteTstap ? remoteTstap : "tstap",
                                           c.lastError));
            anyFailed = true;
        }
    }
    close(sigfd);
    sigprocmask(SIG_SETMASK, &oldMask, nullptr);
    return anyFailed ? 1 : 0;
}

} // namespace tap::rt
