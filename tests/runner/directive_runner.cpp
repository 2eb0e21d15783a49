// Runs script tests written as plain directive files (tests/runtime/*.test):
//
//   NAME: what the test checks          (starts a test)
//   PROG: probe begin { ... }           (one line, or the lines that follow)
//   OPTS: -D MAXACTION=10               (tstap options, shell words)
//   ARGS: a b                           (script arguments)
//   STDIN:                              (tstap's standard input: the lines that follow, each with its
//                                        newline; on one line, the text as written with \n, \t and \\
//                                        escapes and no newline added; default: /dev/null)
//   EXPECT:                             (exact stdout: the lines that follow)
//   EXPECT_REGEX: ^hello [0-9]+$        (stdout must match, multi-line ok)
//   STDERR:                             (exact stderr)
//   STDERR_CONTAINS: text               (a line of stderr must contain it)
//   STATUS: 1                           (exit status, default 0)
//   TIMEOUT: 10                         (seconds, default 10)
//   REQUIRES: root | bpf | fuse (root and /dev/fuse) | syscall:NAME (the kernel has it) | attach:KIND (tstap can attach
//             that kind here: kprobe, fentry, ... as --probe-capabilities says) |
//             !attach:KIND (it cannot) | kernel:X.Y (the running kernel is at least
//             that release) | NAME-of-a-program-on-PATH
//
// Usage: directive_runner [--define NAME=VALUE]... [--no-skip] [--only REQUIREMENT]
//                         [--compile-for DIR] [--progress] TSTAP FILE...
// --no-skip: a test whose requirement is unmet fails (where all must run).
// --progress: names each test before it runs (a run that hangs shows where).
// --only REQUIREMENT: only the tests that require it (e.g. bpf).
// --compile-for DIR: compiles each test's program for the kernel whose facts
// are in DIR (tstap -r DIR -p4) into the object cache instead of running it,
// so that running it there finds the object (tests/vm/).
// @NAME@ in PROG, OPTS, ARGS and the expected outputs is replaced by VALUE (e.g. @WORKLOAD@, the
// test workload program). Prints one line per failure with a diff, then a
// summary; exits 1 if any test failed. TAPSTUDIO_TIMEOUT_SCALE=N multiplies
// every timeout (an emulated machine is slower).
#include "command_line.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Test {
    std::string file;
    int line = 0;
    std::string name, prog, opts, args;
    std::optional<std::string> stdinText;
    bool hasExpect = false, hasStderr = false;
    std::string expect, expectRegex, stderrText;
    std::vector<std::string> stderrContains;
    int status = 0;
    int timeout = 10;
    std::vector<std::string> requires_;
};

std::vector<std::string> shellWords(const std::string& s) { return tap::rt::splitWords(s); }

bool isKeyLine(const std::string& line, std::string& key, std::string& rest) {
    size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0)
        return false;
    for (size_t i = 0; i < colon; ++i)
        if (!(std::isupper((unsigned char)line[i]) || line[i] == '_'))
            return false;
    key = line.substr(0, colon);
    rest = line.substr(colon + 1);
    if (!rest.empty() && rest[0] == ' ')
        rest = rest.substr(1);
    static const char* keys[] = {"NAME", "PROG", "OPTS", "ARGS", "EXPECT", "EXPECT_REGEX", "STDERR",
                                 "STDERR_CONTAINS", "STATUS", "TIMEOUT", "REQUIRES", "STDIN"};
    for (const char* k : keys)
        if (key == k)
            return true;
    return false;
}

// STDIN: on one line: \n, \t and \\ as in C.
std::string unescape(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 == s.size()) {
            out += s[i];
            continue;
        }
        char next = s[++i];
        out += next == 'n' ? '\n' : next == 't' ? '\t' : next;
    }
    return out;
}

std::vector<Test> parseFile(const std::string& path, std::string& error) {
    std::ifstream in(path);
    std::vector<Test> tests;
    std::string line, key, rest, blockKey;
    std::vector<std::string> block;
    int lineNo = 0;
    auto finishBlock = [&] {
        if (blockKey.empty() || tests.empty())
            return;
        // Trailing blank lines separate tests; they are not part of a block.
        while (!block.empty() && block.back().empty())
            block.pop_back();
        std::string text;
        for (const std::string& b : block)
            text += b + "\n";
        Test& t = tests.back();
        if (blockKey == "PROG") t.prog = text;
        else if (blockKey == "EXPECT") { t.expect = text; t.hasExpect = true; }
        else if (blockKey == "STDERR") { t.stderrText = text; t.hasStderr = true; }
        else if (blockKey == "EXPECT_REGEX") t.expectRegex = text;
        else if (blockKey == "STDIN") t.stdinText = text;
        blockKey.clear();
        block.clear();
    };
    while (std::getline(in, line)) {
        ++lineNo;
        if (!blockKey.empty() && !isKeyLine(line, key, rest)) {
            block.push_back(line);
            continue;
        }
        if (line.empty() || line[0] == '#')
            continue;
        if (!isKeyLine(line, key, rest)) {
            error = path + ":" + std::to_string(lineNo) + ": expected a directive (NAME:, PROG:, ...)";
            return {};
        }
        finishBlock();
        if (key == "NAME") {
            tests.emplace_back();
            tests.back().file = path;
            tests.back().line = lineNo;
            tests.back().name = rest;
            continue;
        }
        if (tests.empty()) {
            error = path + ":" + std::to_string(lineNo) + ": directive before the first NAME:";
            return {};
        }
        Test& t = tests.back();
        bool multiLine =
            key == "PROG" || key == "EXPECT" || key == "STDERR" || key == "EXPECT_REGEX" || key == "STDIN";
        if (multiLine && rest.empty()) {
            blockKey = key;
            continue;
        }
        if (key == "PROG") t.prog = rest + "\n";
        else if (key == "OPTS") t.opts = rest;
        else if (key == "ARGS") t.args = rest;
        else if (key == "EXPECT") { t.expect = rest + "\n"; t.hasExpect = true; }
        else if (key == "EXPECT_REGEX") t.expectRegex = rest;
        else if (key == "STDERR") { t.stderrText = rest + "\n"; t.hasStderr = true; }
        else if (key == "STDERR_CONTAINS") t.stderrContains.push_back(rest);
        else if (key == "STATUS") t.status = std::atoi(rest.c_str());
        else if (key == "TIMEOUT") t.timeout = std::atoi(rest.c_str());
        else if (key == "REQUIRES") t.requires_ = shellWords(rest);
        else if (key == "STDIN") t.stdinText = unescape(rest);
    }
    finishBlock();
    return tests;
}

struct Result {
    std::string out, err;
    int status = -1;
    bool timedOut = false;
};

Result run(const std::vector<std::string>& argv, int timeoutSeconds,
           const std::optional<std::string>& input = std::nullopt) {
    Result r;
    int outPipe[2], errPipe[2], inPipe[2] = {-1, -1};
    if (pipe(outPipe) || pipe(errPipe) || (input && pipe(inPipe)))
        return r;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(outPipe[1], 1);
        dup2(errPipe[1], 2);
        close(outPipe[0]);
        close(errPipe[0]);
        if (input) {
            dup2(inPipe[0], 0);
            close(inPipe[0]);
            close(inPipe[1]);
        } else {
            int devnull = open("/dev/null", O_RDONLY);
            dup2(devnull, 0);
        }
        std::vector<char*> args;
        for (const std::string& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    close(outPipe[1]);
    close(errPipe[1]);
    // The input is written as the child reads it, then closed (its end).
    size_t written = 0;
    if (input) {
        close(inPipe[0]);
        fcntl(inPipe[1], F_SETFL, O_NONBLOCK);
        signal(SIGPIPE, SIG_IGN);
    }
    timespec start{};
    clock_gettime(CLOCK_MONOTONIC, &start);
    pollfd fds[3] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}, {inPipe[1], POLLOUT, 0}};
    int open = 2;
    while (open > 0) {
        if (fds[2].fd >= 0 && written == input->size()) {
            close(fds[2].fd);
            fds[2].fd = -1;
        }
        timespec now{};
        clock_gettime(CLOCK_MONOTONIC, &now);
        long elapsedMs = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        long leftMs = timeoutSeconds * 1000L - elapsedMs;
        if (leftMs <= 0) {
            r.timedOut = true;
            kill(pid, SIGKILL);
            break;
        }
        if (poll(fds, 3, int(leftMs)) <= 0)
            continue;
        if (fds[2].fd >= 0 && fds[2].revents) {
            ssize_t n = write(fds[2].fd, input->data() + written, input->size() - written);
            if (n > 0)
                written += size_t(n);
            else if (n < 0 && errno != EAGAIN && errno != EINTR)
                written = input->size(); // the child closed its input
        }
        for (pollfd& p : fds) {
            if (&p == &fds[2] || p.fd < 0 || !(p.revents & (POLLIN | POLLHUP)))
                continue;
            char buf[65536];
            ssize_t n = read(p.fd, buf, sizeof buf);
            if (n <= 0) {
                close(p.fd);
                p.fd = -1;
                --open;
                continue;
            }
            (p.fd == outPipe[0] ? r.out : r.err).append(buf, size_t(n));
        }
    }
    for (pollfd& p : fds)
        if (p.fd >= 0)
            close(p.fd);
    int status = 0;
    waitpid(pid, &status, 0);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}

bool onPath(const std::string& prog) {
    const char* path = std::getenv("PATH");
    std::stringstream ss(path ? path : "");
    std::string dir;
    while (std::getline(ss, dir, ':'))
        if (access((dir + "/" + prog).c_str(), X_OK) == 0)
            return true;
    return false;
}

bool kernelHasSyscall(const std::string& name) {
    std::ifstream symbols("/proc/kallsyms");
    std::string address, type, symbol;
    while (symbols >> address >> type >> symbol) {
        symbols.ignore(1 << 12, '\n');
        if (symbol == "__x64_sys_" + name || symbol == "__arm64_sys_" + name || symbol == "sys_" + name)
            return true;
    }
    return false;
}

// The attach kinds `TSTAP --probe-capabilities --json` found working, asked once.
std::string attachCapabilities(const std::string& tstap) {
    static std::string report = run({tstap, "--probe-capabilities", "--json"}, 60).out;
    return report;
}

std::string unmet(const Test& t, const std::string& tstap) {
    for (const std::string& r : t.requires_) {
        if (r == "root" || r == "bpf") {
            if (geteuid() != 0)
                return "needs root";
        } else if (r == "fuse") {
            if (geteuid() != 0)
                return "needs root (to mount FUSE file systems others may read)";
            int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
            if (fd < 0)
                return std::string("needs /dev/fuse: ") + std::strerror(errno);
            close(fd);
        } else if (r.starts_with("attach:") || r.starts_with("!attach:")) {
            bool wanted = r[0] != '!';
            std::string kind = r.substr(wanted ? 7 : 8);
            bool works = attachCapabilities(tstap).find("{\"name\":\"" + kind + "\",\"ok\":true") != std::string::npos;
            if (works != wanted)
                return wanted ? "needs " + kind + " attachment, which this kernel refuses"
                              : "is about kernels refusing " + kind + " attachment, which this one allows";
        } else if (r.starts_with("kernel:")) {
            utsname u{};
            uname(&u);
            int major = 0, minor = 0, wantMajor = 0, wantMinor = 0;
            std::sscanf(u.release, "%d.%d", &major, &minor);
            std::sscanf(r.c_str() + 7, "%d.%d", &wantMajor, &wantMinor);
            if (std::make_pair(major, minor) < std::make_pair(wantMajor, wantMinor))
                return "needs Linux " + r.substr(7) + " or later";
        } else if (r.starts_with("syscall:")) {
            if (!kernelHasSyscall(r.substr(8)))
                return "needs a kernel with the " + r.substr(8) + " system call";
        } else if (!onPath(r)) {
            return "needs " + r;
        }
    }
    return {};
}

std::string showDiff(const std::string& label, const std::string& want, const std::string& got) {
    return "  --- expected " + label + "\n" + want + (want.empty() || want.back() != '\n' ? "\n" : "") +
           "  --- got\n" + got + (got.empty() || got.back() != '\n' ? "\n" : "");
}

} // namespace

std::string substitute(std::string s, const std::map<std::string, std::string>& defines) {
    for (const auto& [name, value] : defines) {
        std::string key = "@" + name + "@";
        for (size_t at = s.find(key); at != std::string::npos; at = s.find(key, at + value.size()))
            s.replace(at, key.size(), value);
    }
    return s;
}

// tstap (with options of the runner's own first) running a test's program.
std::vector<std::string> command(const Test& t, std::vector<std::string> tstap,
                                 const std::map<std::string, std::string>& defines) {
    for (const std::string& o : shellWords(substitute(t.opts, defines)))
        tstap.push_back(o);
    tstap.push_back("-e");
    tstap.push_back(substitute(t.prog, defines));
    for (const std::string& a : shellWords(substitute(t.args, defines)))
        tstap.push_back(a);
    return tstap;
}

int main(int argc, char** argv) {
    std::map<std::string, std::string> defines;
    int first = 1;
    bool noSkip = false, progress = false;
    std::string only, compileFor;
    for (;; ++first) {
        std::string option = first < argc ? argv[first] : "";
        if (option == "--no-skip") {
            noSkip = true;
        } else if (option == "--progress") {
            progress = true;
        } else if ((option == "--only" || option == "--compile-for") && first + 1 < argc) {
            (option == "--only" ? only : compileFor) = argv[++first];
        } else if (option == "--define" && first + 1 < argc) {
            std::string d = argv[++first];
            size_t eq = d.find('=');
            defines[d.substr(0, eq)] = eq == std::string::npos ? "" : d.substr(eq + 1);
        } else {
            break;
        }
    }
    if (argc - first < 2) {
        std::cerr << "usage: directive_runner [--define NAME=VALUE]... [--no-skip] [--only REQUIREMENT] "
                     "[--compile-for DIR] [--progress] TSTAP FILE...\n";
        return 2;
    }
    std::string tstap = argv[first];
    const char* scaleText = std::getenv("TAPSTUDIO_TIMEOUT_SCALE");
    int timeoutScale = scaleText ? std::max(1, std::atoi(scaleText)) : 1;
    int passed = 0, failed = 0, skipped = 0;
    for (int i = first + 1; i < argc; ++i) {
        std::string error;
        std::vector<Test> tests = parseFile(argv[i], error);
        if (!error.empty()) {
            std::cerr << error << "\n";
            return 2;
        }
        for (Test& t : tests) {
            if (!only.empty() && std::find(t.requires_.begin(), t.requires_.end(), only) == t.requires_.end())
                continue;
            if (!compileFor.empty()) {
                (run(command(t, {tstap, "-r", compileFor, "-p4"}, defines), 120).status == 0 ? passed : failed)++;
                continue;
            }
            std::string why = unmet(t, tstap);
            if (!why.empty() && noSkip) {
                ++failed;
                std::cout << "FAIL " << t.file << ":" << t.line << " " << t.name << " (" << why << ")\n";
                continue;
            }
            if (!why.empty()) {
                ++skipped;
                std::cout << "SKIP " << t.file << ":" << t.line << " " << t.name << " (" << why << ")\n";
                continue;
            }
            if (progress)
                std::cout << "RUN " << t.file << ":" << t.line << " " << t.name << std::endl;
            std::vector<std::string> cmd = command(t, {tstap}, defines);
            t.expect = substitute(t.expect, defines);
            t.expectRegex = substitute(t.expectRegex, defines);
            t.stderrText = substitute(t.stderrText, defines);
            for (std::string& c : t.stderrContains)
                c = substitute(c, defines);
            Result r = run(cmd, t.timeout * timeoutScale, t.stdinText);
            std::string problems;
            if (r.timedOut)
                problems += "  timed out after " + std::to_string(t.timeout * timeoutScale) + " s\n";
            if (r.status != t.status)
                problems += "  exit status " + std::to_string(r.status) + ", expected " +
                            std::to_string(t.status) + "\n";
            if (t.hasExpect && r.out != t.expect)
                problems += showDiff("stdout", t.expect, r.out);
            if (!t.expectRegex.empty()) {
                std::string re = t.expectRegex;
                while (!re.empty() && re.back() == '\n')
                    re.pop_back();
                if (!std::regex_search(r.out, std::regex(re, std::regex::multiline)))
                    problems += "  stdout does not match /" + re + "/\n" + showDiff("stdout", "", r.out);
            }
            if (t.hasStderr && r.err != t.stderrText)
                problems += showDiff("stderr", t.stderrText, r.err);
            else if (r.status != t.status && t.stderrContains.empty())
                problems += showDiff("stderr", "", r.err);
            for (const std::string& c : t.stderrContains)
                if (r.err.find(c) == std::string::npos)
                    problems += "  stderr lacks \"" + c + "\"\n" + showDiff("stderr", "", r.err);
            if (problems.empty()) {
                ++passed;
            } else {
                ++failed;
                std::cout << "FAIL " << t.file << ":" << t.line << " " << t.name << "\n" << problems << std::flush;
            }
        }
    }
    if (!compileFor.empty()) { // a test may be meant to fail before pass 5
        std::cout << "compiled for " << compileFor << ": " << passed << ", not compiled: " << failed << "\n";
        return 0;
    }
    std::cout << "directive tests: " << passed << " passed, " << failed << " failed, " << skipped
              << " skipped\n";
    return failed ? 1 : 0;
}
