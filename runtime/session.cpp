#include "session.h"

#include "executor.h"
#include "command_line.h"
#include "descriptors.h"
#include "http_server.h"
#include "kernel_session.h"
#include "procfs_endpoints.h"
#include "procfs_mount.h"
#include "stack_json.h"
#include "stdin_input.h"

#include "elf/elf_binary.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <cerrno>
#include <cstring>

namespace tap::rt {

namespace {

int64_t monotonicNs() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}


struct Timer {
    const CompiledProbe* probe;
    int64_t interval = 0;   // ns
    int64_t randomize = 0;  // ns
    int64_t next = 0;
};

int64_t unitNs(const std::string& unit, int64_t hz) {
    if (unit == "s" || unit == "sec") return 1000000000;
    if (unit == "ms" || unit == "msec") return 1000000;
    if (unit == "us" || unit == "usec") return 1000;
    if (unit == "ns" || unit == "nsec") return 1;
    if (unit == "jiffies") return 1000000000 / hz;
    return 0;
}

std::string expandOutputName(const std::string& name) {
    if (name.find('%') == std::string::npos)
        return name;
    time_t now = time(nullptr);
    tm local{};
    localtime_r(&now, &local);
    char buf[4096];
    size_t n = strftime(buf, sizeof buf, name.c_str(), &local);
    return n ? std::string(buf, n) : name;
}


// What arrives before end of file is not for the session: only the end counts.
bool stopRequested(int fd) {
    char discarded[4096];
    ssize_t n = read(fd, discarded, sizeof discarded);
    return n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN);
}

} // namespace

int runSession(const Program& program, const SourceManager& sources, const SessionOptions& options) {
    Runtime rt;
    rt.limits = options.limits;
    rt.sources = &sources;
    rt.scriptName = options.scriptName;
    {
        time_t now = time(nullptr);
        tm local{};
        localtime_r(&now, &local);
        rt.tzOffsetWest = -local.tm_gmtoff;
        rt.tzName = local.tm_zone ? local.tm_zone : "";
    }
    rt.out.setJson(options.json, monotonicNs());
    rt.out.event("{\"t\":\"hello\",\"version\":1,\"script\":" + Output::quote(options.scriptName) +
                 ",\"pid\":" + std::to_string(getpid()) + "}");
    FILE* outFile = nullptr;
    std::string outputPath;
    if (options.outputFile) {
        std::string path = outputPath = expandOutputName(*options.outputFile);
        outFile = std::fopen(path.c_str(), "w");
        if (!outFile) {
            rt.out.message("error", "ERROR: cannot open output file '" + path + "': " + std::strerror(errno) + "\n");
            return 1;
        }
        rt.out.setFile(outFile);
    }

    std::string error;
    std::unique_ptr<CompiledProgram> cp = CompiledProgram::compile(program, rt, error);
    if (!cp) {
        rt.out.message("error", error + "Pass 5: run failed.  [man error::pass5]\n");
        return 1;
    }
    for (const auto& [name, value] : options.globalSets) {
        std::string problem = cp->setGlobal(rt, name, value);
        if (!problem.empty()) {
            rt.out.message("error", "ERROR: " + problem + "\n");
            return 1;
        }
    }

    // The endpoint listens and the procfs files are mounted before anything
    // runs, so that a -c command can reach them and a port in use fails the
    // session at once. Their probes run as any other (runProcfsProbe is set
    // below, before the first request can be answered).
    ProcfsFiles procfsFiles(cp->probes(), rt.limits);
    ProcfsFiles::RunProbe runProcfsProbe;
    std::unique_ptr<HttpServer> http;
    if (options.http) {
        std::string problem;
        http = HttpServer::listen(*options.http, problem);
        if (!http) {
            rt.out.message("error", "ERROR: " + problem + "\nPass 5: run failed.  [man error::pass5]\n");
            return 1;
        }
        rt.out.message("info", "tstap: serving " + http->url() + "/metrics and " + http->url() + "/procfs/NAME\n");
    }
    std::unique_ptr<ProcfsMount> procfsMount;
    if (!procfsFiles.empty()) {
        std::string problem;
        procfsMount = ProcfsMount::mount(
            options.procfsDir.value_or(ProcfsMount::defaultDir()), procfsFiles,
            [&](const ProcfsFile& file) { return ProcfsFiles::read(file, rt, runProcfsProbe); },
            [&](const ProcfsFile& file, std::string text) { ProcfsFiles::write(file, std::move(text), rt, runProcfsProbe); },
            problem);
        if (!procfsMount && options.procfsDir) {
            rt.out.message("error", "ERROR: " + problem + "\nPass 5: run failed.  [man error::pass5]\n");
            return 1;
        }
        // The file behind input.char / input.line needs no mount: the
        // session writes tstap's standard input to it itself.
        bool onlyStdin = procfsFiles.files().size() == 1 && procfsFiles.find("__stdin");
        if (!procfsMount && !onlyStdin)
            rt.out.message("warning", "WARNING: procfs probes: " + problem +
                                          (http ? "\n" : "; serve their files with --http [ADDRESS:]PORT\n"));
        else if (procfsMount && options.verbose)
            rt.out.message("info", "tstap: procfs files in " + procfsMount->dir() + "\n");
    }
    ProcfsEndpoints procfsEndpoints(procfsFiles);

    // Signals arrive through a signalfd so the timer loop can wait on them.
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGHUP);
    sigaddset(&mask, SIGCHLD);
    sigset_t oldMask;
    sigprocmask(SIG_BLOCK, &mask, &oldMask);
    int sigfd = signalfd(-1, &mask, SFD_CLOEXEC);

    // -c: the command starts held at a pipe, so probes are ready before it runs.
    pid_t child = -1;
    int releaseFd = -1;
    if (options.command) {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) != 0) {
            std::perror("tstap: pipe");
            return 1;
        }
        // A command that needs no shell runs without one, so that target()
        // is its pid and the shell's own system calls are not traced. Its
        // words are made before fork: the child of a threaded process may
        // only exec.
        const std::string& cmd = *options.command;
        std::optional<std::vector<std::string>> words = commandWords(cmd);
        std::vector<char*> argv;
        if (words) {
            for (std::string& w : *words)
                argv.push_back(w.data());
            argv.push_back(nullptr);
        }
        child = fork();
        if (child == 0) {
            sigprocmask(SIG_SETMASK, &oldMask, nullptr);
            close(fds[1]);
            char go;
            if (read(fds[0], &go, 1) < 0)
                _exit(127);
            closeOwnDescriptors();
            if (options.stopFd == 0) { // standard input is the session's stop channel, not the command's
                int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
                if (null < 0 || dup2(null, 0) < 0)
                    _exit(127);
            }
            if (words) {
                execvp(argv[0], argv.data());
                std::fprintf(stderr, "ERROR: cannot run '%s': %s\n", cmd.c_str(), std::strerror(errno));
                _exit(127);
            }
            execl("/bin/sh", "sh", "-c", cmd.c_str(), (char*)nullptr);
            _exit(127);
        }
        close(fds[0]);
        releaseFd = fds[1];
        rt.target = child;
    } else if (options.targetPid) {
        rt.target = *options.targetPid;
    }

    std::vector<const CompiledProbe*> begins, ends, errorProbes;
    std::vector<Timer> timers;
    int64_t hz = 0;
    for (const CompiledProbe& p : cp->probes()) {
        if (p.family == "begin")
            begins.push_back(&p);
        else if (p.family == "end")
            ends.push_back(&p);
        else if (p.family == "error")
            errorProbes.push_back(&p);
        else if (p.family == "timer") {
            Timer t;
            t.probe = &p;
            const auto& comps = p.point.components;
            std::string unit = comps.size() > 1 ? comps[1].functor : "";
            int64_t n = comps.size() > 1 && comps[1].number ? *comps[1].number : 1;
            if (unit == "hz") {
                t.interval = 1000000000 / std::max<int64_t>(n, 1);
            } else {
                if (unit == "jiffies" && !hz)
                    hz = kernelHz();
                int64_t u = unitNs(unit, hz ? hz : 250);
                t.interval = n * u;
                if (comps.size() > 2 && comps[2].number)
                    t.randomize = *comps[2].number * u;
            }
            timers.push_back(t);
        }
    }
    auto byOrder = [](const CompiledProbe* a, const CompiledProbe* b) { return a->order < b->order; };
    std::stable_sort(begins.begin(), begins.end(), byOrder);
    std::stable_sort(ends.begin(), ends.end(), byOrder);
    std::stable_sort(errorProbes.begin(), errorProbes.end(), byOrder);

    // Kernel probes are attached before the begin probes run, so that what
    // begin sets up is in place when the first event arrives.
    std::unique_ptr<KernelSession> kernel;
    if (options.kernel) {
        std::string problem;
        // The -c program's addresses are named after it exits (backtraces).
        if (options.command)
            if (std::string program = commandProgram(*options.command); !program.empty())
                rt.symbols->addCandidateProgram(program);
        if (options.targetPid)
            rt.symbols->addCandidateProcess(int(*options.targetPid));
        kernel = KernelSession::start(*options.kernel, options.compiledObject, rt, *cp, rt.target, options.verbose, options.hitReport, problem);
        if (!kernel) {
            rt.out.message("error", "ERROR: " + problem + "\nPass 5: run failed.  [man error::pass5]\n");
            rt.out.event("{\"t\":\"stopped\",\"reason\":\"error\",\"exit_code\":1,\"errors\":1,\"skipped\":0,\"drops\":0}");
            if (child > 0) {
                kill(child, SIGKILL);
                waitpid(child, nullptr, 0);
            }
            sigprocmask(SIG_SETMASK, &oldMask, nullptr);
            close(sigfd);
            return 1;
        }
    }

    bool failed = false;
    // -t: hits and handler cost per probe, for the hit report at the end.
    struct Hits {
        int64_t count = 0, minNs = INT64_MAX, maxNs = 0, totalNs = 0;
    };
    std::map<const CompiledProbe*, Hits> hits;
    auto runProbe = [&](const CompiledProbe* p, int64_t actions) {
        if (kernel)
            kernel->pull();
        int64_t t0 = options.hitReport ? monotonicNs() : 0;
        try {
            cp->run(*p, rt, actions);
        } catch (const AbortSession&) {
            // abort() (tapset logging.stp) sets the session to STOPPING like
            // exit() but ends the current handler at once; end probes run.
            rt.exitRequested = true;
        }
        if (options.hitReport) {
            int64_t d = monotonicNs() - t0;
            Hits& h = hits[p];
            ++h.count;
            h.totalNs += d;
            h.minNs = std::min(h.minNs, d);
            h.maxNs = std::max(h.maxNs, d);
        }
        if (kernel)
            kernel->push();
        if (rt.errors > rt.limits.maxErrors)
            failed = true;
    };
    auto stopping = [&] { return rt.exitRequested || failed; };
    runProcfsProbe = [&](const CompiledProbe* p) { runProbe(p, rt.limits.maxAction); };

    if (rt.out.json()) {
        // Every printf site of the program, user-space and kernel.
        std::string formats = "{\"t\":\"formats\",\"formats\":[";
        bool first = true;
        auto add = [&](uint32_t id, const std::string& fmt, const std::vector<bool>& isString, const std::string& probe,
                       SourceLoc loc, const std::vector<StackArgument>& stacks) {
            formats += std::string(first ? "" : ",") + "{\"id\":" + std::to_string(id) + ",\"fmt\":" + Output::quote(fmt) +
                       ",\"args\":[";
            for (size_t i = 0; i < isString.size(); ++i)
                formats += std::string(i ? "," : "") + (isString[i] ? "\"string\"" : "\"long\"");
            formats += "]" + stackArgumentsField(stacks) + ",\"probe\":" + Output::quote(probe);
            if (loc.valid())
                formats += ",\"file\":" + Output::quote(sources.name(loc.file)) + ",\"line\":" + std::to_string(loc.line);
            formats += "}";
            first = false;
        };
        for (const FormatInfo& f : cp->formats())
            add(f.id, f.format, f.argIsString, f.probe, f.loc, f.stacks);
        if (options.kernel)
            for (const bpf::PrintfSite& site : options.kernel->printfs)
                if (site.kind == PrintKind::Printf) {
                    std::string fmt;
                    for (const FormatPiece& piece : site.pieces)
                        fmt += piece.conv == FormatPiece::Conv::Literal ? piece.text : "%?";
                    std::vector<StackArgument> stacks;
                    for (size_t i = 0; i < site.symbolArgs.size(); ++i)
                        if (site.symbolArgs[i].stack() && site.symbolArgs[i].limited)
                            stacks.push_back({i, site.symbolArgs[i].user()});
                    add(kKernelFormatBase + site.id, site.format.empty() ? fmt : site.format, site.argIsText, site.probe,
                        site.loc, stacks);
                }
        rt.out.event(formats + "]}");
        rt.out.event("{\"t\":\"started\",\"probes\":" + std::to_string(cp->probes().size() + (kernel ? kernel->attached() : 0)) +
                     "}");
    }

    const int64_t beginEndActions = rt.limits.maxAction * 10;
    for (const CompiledProbe* p : begins) {
        if (stopping())
            break;
        runProbe(p, beginEndActions);
    }
    // process.begin for the processes that already run (stapprobes: "called
    // once from the context of each preexisting process, at startup").
    if (kernel && !stopping()) {
        std::string problem;
        if (!kernel->runTaskIterators(problem))
            rt.out.message("warning", "WARNING: " + problem + "\n");
    }
    if (releaseFd >= 0) {
        rt.out.flush(); // what begin printed comes before the command's output
        if (write(releaseFd, "g", 1) < 0) {
        }
        close(releaseFd);
    }

    int64_t start = monotonicNs();
    int64_t deadline = options.timeoutSeconds ? start + *options.timeoutSeconds * 1000000000LL : INT64_MAX;
    for (Timer& t : timers)
        t.next = start + t.interval;
    bool childRunning = child > 0;
    int stopFd = options.stopFd;
    // input.char / input.line (tapsets/input.stp): tstap's standard input
    // goes to procfs("__stdin").write, a character at a time, as stapio
    // sends it. Not when standard input is how the session is stopped
    // (--run-compiled -), and only for a script with such a probe.
    const ProcfsFile* stdinFile = procfsFiles.find("__stdin");
    std::unique_ptr<StdinInput> input;
    if (stdinFile && !stdinFile->writes.empty() && stopFd != 0 && !stopping())
        input = std::make_unique<StdinInput>(0);
    bool childFailed = false;
    std::string stopReason = "exit";
    while (!stopping()) {
        int64_t now = monotonicNs();
        if (now >= deadline) {
            stopReason = "timeout";
            break;
        }
        int64_t wake = deadline;
        for (const Timer& t : timers)
            wake = std::min(wake, t.next);
        if (wake > now) {
            rt.out.flush();
            int64_t waitMs = wake == INT64_MAX ? -1 : (wake - now + 999999) / 1000000;
            std::vector<pollfd> pfds = {{sigfd, POLLIN, 0},
                                        {kernel ? kernel->pollFd() : -1, POLLIN, 0},
                                        {stopFd, POLLIN, 0},
                                        {procfsMount ? procfsMount->pollFd() : -1, POLLIN, 0},
                                        {input ? input->pollFd() : -1, POLLIN, 0}};
            if (http)
                http->addPollFds(pfds);
            int n = poll(pfds.data(), pfds.size(), waitMs > INT32_MAX ? INT32_MAX : int(waitMs));
            if (n > 0 && pfds[3].revents) // POLLERR too: unmounted from outside
                procfsMount->serve();
            if (n > 0 && pfds[4].revents) // POLLHUP too: the end of input
                for (char ch : input->read()) {
                    if (stopping())
                        break; // exit() in a handler: the rest is not read by anyone
                    ProcfsFiles::write(*stdinFile, std::string(1, ch), rt, runProcfsProbe);
                }
            if (n > 0 && http)
                http->serve(pfds, [&](const HttpRequest& request) {
                    return procfsEndpoints.answer(request, rt, runProcfsProbe);
                });
            if (n > 0 && kernel && (pfds[1].revents & POLLIN)) {
                kernel->consume();
                if (rt.errors > rt.limits.maxErrors)
                    failed = true;
            }
            if (n > 0 && pfds[2].revents && stopRequested(stopFd)) {
                stopFd = -1;
                stopReason = "signal";
                break;
            }
            if (n > 0 && (pfds[0].revents & POLLIN)) {
                signalfd_siginfo info{};
                if (read(sigfd, &info, sizeof info) == sizeof info) {
                    if (info.ssi_signo == SIGCHLD) {
                        int status = 0;
                        if (childRunning && waitpid(child, &status, WNOHANG) == child) {
                            childRunning = false;
                            stopReason = "target-exited";
                            // As staprun reports a -c command that failed.
                            if (WIFSIGNALED(status)) {
                                rt.out.message("warning", "WARNING: Child process exited with signal " +
                                                              std::to_string(WTERMSIG(status)) + " (" +
                                                              strsignal(WTERMSIG(status)) + ")\n");
                                childFailed = true;
                            } else if (WIFEXITED(status) && WEXITSTATUS(status)) {
                                rt.out.message("warning", "WARNING: Child process exited with status " +
                                                              std::to_string(WEXITSTATUS(status)) + "\n");
                                childFailed = true;
                            }
                            break;
                        }
                        continue;
                    }
                    stopReason = "signal";
                    break; // SIGINT, SIGTERM, SIGHUP: run the end probes
                }
            }
            continue;
        }
        for (Timer& t : timers) {
            if (t.next > now || stopping())
                continue;
            runProbe(t.probe, rt.limits.maxAction);
            int64_t jitter = 0;
            if (t.randomize > 0)
                jitter = int64_t(rt.random() % uint64_t(2 * t.randomize + 1)) - t.randomize;
            t.next = std::max(t.next + t.interval + jitter, now + 1);
        }
    }

    // As stap's, procfs probes run only while the session runs: readers see
    // the files gone before the end probes run.
    procfsMount.reset();
    input.reset(); // the terminal as it was
    if (kernel) {
        rt.out.flush(); // what ran so far is shown without waiting for the kernel's handlers to drain
        kernel->stop();
        if (rt.errors > rt.limits.maxErrors)
            failed = true;
    }
    // End probes in sequence order; the display of unread globals is stap's
    // synthetic end probe of sequence 0, after the script's own end(0)
    // probes. An error (beyond MAXERRORS) skips the remaining end probes;
    // error probes run when the session ends in error.
    bool displayed = options.noGlobalDisplay;
    for (const CompiledProbe* p : ends) {
        if (failed)
            break;
        if (!displayed && p->order > 0) {
            rt.out.write(cp->globalDisplay(rt));
            displayed = true;
        }
        runProbe(p, beginEndActions);
    }
    if (!displayed && !failed)
        rt.out.write(cp->globalDisplay(rt));
    if (failed)
        for (const CompiledProbe* p : errorProbes)
            runProbe(p, beginEndActions);
    rt.out.flush();
    if (childRunning) {
        kill(child, SIGTERM);
        waitpid(child, nullptr, 0);
    }
    if (options.hitReport) {
        // stap's "probe hit report", with nanoseconds where stap counts cycles;
        // BPF run-time statistics give an average only.
        std::string report = "----- probe hit report: \n";
        auto where = [&](const ResolvedProbe* p) {
            return p && p->loc.valid() ? formatLocation(p->loc, sources) : std::string("?");
        };
        int index = 0;
        for (const CompiledProbe& p : cp->probes()) {
            auto it = hits.find(&p);
            if (it == hits.end())
                continue;
            const Hits& h = it->second;
            report += p.pointText + ", (" + where(p.probe) + "), hits: " + std::to_string(h.count) + ", ns: " +
                      std::to_string(h.minNs) + "min/" + std::to_string(h.totalNs / h.count) + "avg/" +
                      std::to_string(h.maxNs) + "max, from: " + p.probe->derivation + ", index: " + std::to_string(index++) + "\n";
        }
        if (kernel)
            for (const auto& k : kernel->hitCounts()) {
                if (!k.hits)
                    continue;
                report += k.spec->pointText + ", (" + where(k.spec->probe) + "), hits: " + std::to_string(k.hits) +
                          ", ns: -min/" + std::to_string(k.runNs / k.hits) + "avg/-max, from: " + k.spec->probe->derivation +
                          ", index: " + std::to_string(index++) + "\n";
            }
        rt.out.message("info", report);
    }
    uint64_t drops = kernel ? kernel->drops() : 0;
    if (kernel)
        rt.skipped += kernel->skipped();
    if (drops > 0) {
        rt.out.message("warning", "WARNING: " + std::to_string(drops) +
                                      " kernel output records were dropped (the ring buffer was full)\n");
        rt.out.event("{\"t\":\"drops\",\"count\":" + std::to_string(drops) + "}");
    }
    if (rt.errors > 0 || rt.skipped > 0)
        rt.out.message("warning", "WARNING: Number of errors: " + std::to_string(rt.errors) +
                                      ", skipped probes: " + std::to_string(rt.skipped) + "\n");
    rt.out.flush();
    if (rt.out.writeErrno() != 0) {
        std::string text = "ERROR: the output " + (outputPath.empty() ? std::string("(stdout)") : "file '" + outputPath + "'") +
                           " is incomplete: " + std::strerror(rt.out.writeErrno()) + "; " +
                           std::to_string(rt.out.lostBytes()) + " bytes were not written\n";
        std::fwrite(text.data(), 1, text.size(), stderr);
    }
    int status = failed || rt.errors > 0 || childFailed || rt.out.writeErrno() != 0 ? 1 : 0;
    rt.out.event("{\"t\":\"stopped\",\"reason\":\"" + std::string(failed ? "error" : stopReason) +
                 "\",\"exit_code\":" + std::to_string(status) + ",\"errors\":" + std::to_string(rt.errors) +
                 ",\"skipped\":" + std::to_string(rt.skipped) + ",\"drops\":" + std::to_string(drops) + "}");
    if (outFile)
        std::fclose(outFile);
    sigprocmask(SIG_SETMASK, &oldMask, nullptr);
    close(sigfd);
    // staprun exits 1 whenever an ERROR was reported or the -c command failed.
    return status;
}

} // namespace tap::rt
