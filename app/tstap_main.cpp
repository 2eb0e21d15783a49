// tstap: the stap-compatible command line.
#include "ast_printer.h"
#include "cli_options.h"
#include "frontend.h"
#include "listing.h"
#include "program_printer.h"
#include "session.h"
#include "exec.h"
#include "bpf_compile.h"
#include "capability_probe.h"
#include "bpf/translation.h"
#include "command_line.h"
#include "descriptors.h"
#include "remote_hosts.h"
#include "session_transfer.h"
#include "elf/elf_binary.h"
#include "kernel/kernel_facts.h"
#include "kernel/providers.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <sstream>

namespace {

using namespace tap;

constexpr char kTstapVersion[] = "0.1";

class PassTimer {
public:
    PassTimer() { reset(); }
    void reset() {
        getrusage(RUSAGE_SELF, &start_);
        wall_ = std::chrono::steady_clock::now();
    }
    std::string text() const {
        struct rusage now {};
        getrusage(RUSAGE_SELF, &now);
        auto ms = [](const timeval& a, const timeval& b) {
            return (b.tv_sec - a.tv_sec) * 1000 + (b.tv_usec - a.tv_usec) / 1000;
        };
        long real = long(std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - wall_)
                              .count());
        std::ostringstream s;
        s << ms(start_.ru_utime, now.ru_utime) << "usr/" << ms(start_.ru_stime, now.ru_stime)
          << "sys/" << real << "real ms.";
        return s.str();
    }

private:
    struct rusage start_ {};
    std::chrono::steady_clock::time_point wall_;
};

// Text on stderr, or with --json one "diag" object per line on stdout
// (docs/protocol.md), carrying the same text.
// The program bare process.function(...) probes: -c's command (through
// $PATH, as stap) or -x's process.
std::string targetExecutable(const CliOptions& cli) {
    if (cli.command)
        return tap::rt::commandProgram(*cli.command);
    if (cli.targetPid) {
        std::error_code ec;
        auto exe = std::filesystem::read_symlink("/proc/" + std::to_string(*cli.targetPid) + "/exe", ec);
        return ec ? std::string() : exe.string();
    }
    return {};
}

void printDiagnostics(Frontend& fe, const CliOptions& cli) {
    for (const Diagnostic& d : fe.diagnostics().all()) {
        if (d.severity == Severity::Warning && cli.noWarnings)
            continue;
        std::string text = formatDiagnostic(d, fe.sources());
        if (!cli.json) {
            std::cerr << text;
            continue;
        }
        std::string obj = "{\"t\":\"diag\",\"severity\":\"";
        obj += d.severity == Severity::Warning ? "warning" : "error";
        obj += "\",\"phase\":\"";
        obj += d.phase == Phase::Parse ? "parse" : d.phase == Phase::Semantic ? "semantic" : "other";
        obj += "\"";
        if (d.loc.valid())
            obj += ",\"file\":" + rt::Output::quote(fe.sources().name(d.loc.file)) + ",\"line\":" +
                   std::to_string(d.loc.line) + ",\"col\":" + std::to_string(d.loc.col);
        obj += ",\"msg\":" + rt::Output::quote(d.message) + ",\"subject\":" + rt::Output::quote(d.subject) +
               ",\"text\":" + rt::Output::quote(text) + "}";
        std::cout << obj << "\n";
    }
}

// The language server is a Qt Core program of its own (lsp/), so that tstap
// itself stays free of Qt: it lives in ../libexec/tapstudio next to tstap,
// installed or in the build tree, and learns which tstap to run for -p3.
int runLanguageServer() {
    std::error_code ec;
    std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    std::filesystem::path server = self.parent_path() / "../libexec/tapstudio/tstap-language-server";
    std::string serverPath = server.lexically_normal().string(), selfPath = self.string();
    char* args[] = {serverPath.data(), const_cast<char*>("--tstap"), selfPath.data(), nullptr};
    execv(serverPath.c_str(), args);
    std::cerr << "tstap: cannot start the language server " << serverPath << ": " << std::strerror(errno)
              << " (it is built with the IDE, which needs Qt 6)\n";
    return 1;
}

// --save-compiled and --remote: pass 4, then the compiled session to a
// folder, to stdout as a tar, or to each remote host.
int sendCompiledSession(const CliOptions& cli, Frontend& fe, FileId script, const bpf::Translation* kernel,
                        const std::vector<rt::RemoteHost>& hosts) {
    std::string objectPath;
    if (kernel) {
        rt::BpfObject object = rt::compileBpf(*kernel);
        if (!object.error.empty()) {
            std::cerr << "ERROR: BPF compilation failed:\n" << object.error << "Pass 4: compilation failed.  [man error::pass4]\n";
            return 1;
        }
        objectPath = object.path;
    }
    rt::CompiledSession session;
    std::string error = makeCompiledSession(cli, fe.sources().name(script), std::string(fe.sources().text(script)),
                                            fe.tapsetDirs(), kernel, objectPath, session);
    std::vector<rt::TarEntry> files = rt::sessionFiles(session);
    if (error.empty() && cli.saveCompiled && *cli.saveCompiled != "-")
        error = rt::saveSession(files, *cli.saveCompiled);
    if (!error.empty()) {
        std::cerr << "tstap: " << error << "\n";
        return 1;
    }
    if (cli.saveCompiled && *cli.saveCompiled != "-")
        return 0;
    rt::RemoteRun run;
    run.sessionTar = rt::writeTar(files);
    if (cli.saveCompiled) {
        std::cout.write(run.sessionTar.data(), std::streamsize(run.sessionTar.size()));
        return std::cout.flush() ? 0 : 1;
    }
    run.hosts = hosts;
    run.json = cli.json;
    run.prefix = cli.remotePrefix;
    remoteRunOptions(cli, run.runOptions);
    std::cout.flush();
    return rt::runOnRemoteHosts(run);
}

} // namespace

int main(int argc, char** argv) {
    // A standard descriptor started closed is /dev/null: otherwise the first
    // file opened would take its number, and input.char would read it as
    // standard input (a -c command would inherit it as its own).
    // (In order, each open() takes the lowest free number: the closed one.)
    for (int fd = 0; fd <= 2; ++fd)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF && open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) < 0)
            break;
    rt::rememberInheritedDescriptors();

    CliOptions cli;
    std::string error = parseCommandLine(argc, argv, cli);
    if (!error.empty()) {
        std::cerr << "tstap: " << error << "\nTry 'tstap --help' for more information.\n";
        return 1;
    }
    if (cli.showHelp) {
        std::cout << usageText();
        return 0;
    }
    if (cli.showVersion) {
        std::cout << "TapStudio tstap " << kTstapVersion << " (SystemTap 4.8 language)\n";
        return 0;
    }
    if (cli.languageServer)
        return runLanguageServer();
    if (cli.probeCapabilities) {
        rt::CapabilityReport report = rt::probeCapabilities(kTstapVersion);
        if (cli.json)
            rt::printCapabilitiesJson(report, std::cout);
        else
            rt::printCapabilitiesText(report, std::cout);
        return 0;
    }

    ReceivedSession received;
    if (cli.runCompiled) {
        if (std::string why = received.receive(*cli.runCompiled); !why.empty()) {
            std::cerr << "tstap: --run-compiled: " << why << "\n";
            return 1;
        }
        const rt::CompiledSession& compiled = received.session;
        cli.scriptArgs = compiled.scriptArgs;
        cli.defines = compiled.defines;
        cli.globalSets = compiled.globalSets;
        cli.guru = compiled.guru;
        cli.unoptimized = compiled.unoptimized;
        cli.compatible = compiled.compatible;
        cli.includeDirs = received.tapsetDirs;
    }
    std::vector<rt::RemoteHost> remoteHosts(cli.remotes.size());
    for (size_t i = 0; i < cli.remotes.size(); ++i)
        if (std::string why = rt::parseRemoteHost(cli.remotes[i], remoteHosts[i]); !why.empty()) {
            std::cerr << "tstap: " << why << "\n";
            return 1;
        }
    if (std::vector<std::string> forwarded; !cli.remotes.empty())
        if (std::string why = remoteRunOptions(cli, forwarded); !why.empty()) {
            std::cerr << "tstap: " << why << "\n";
            return 1;
        }

    if (cli.kernelFacts) {
        if (cli.lastPass == 5 && !cli.listPattern && !cli.saveCompiled) {
            std::cerr << "tstap: -r compiles for another kernel, which cannot run here: stop at -p4 (run the "
                         "script there with the same cache to use the object)\n";
            return 1;
        }
        if (std::string why = kernel::useKernelFacts(*cli.kernelFacts); !why.empty()) {
            std::cerr << "tstap: -r: " << why << "\n";
            return 1;
        }
    }

    CompileOptions options;
    options.includeDirs = cli.includeDirs;
    options.onlyIncludeDirs = cli.runCompiled.has_value();
    options.scriptArgs = cli.scriptArgs;
    options.defines = cli.defines;
    options.globalSets = cli.globalSets;
    options.guru = cli.guru;
    options.unoptimized = cli.unoptimized;
    if (cli.compatible)
        options.target.systemtapVersion = *cli.compatible;
    options.targetExecutable = targetExecutable(cli);
    if (cli.listPattern) {
        ListingResult listed = listProbePoints(options, *cli.listPattern, cli.listVariables);
        return printListing(listed, cli.listVariables, std::cout, std::cerr);
    }
    Frontend fe(std::move(options));

    FileId script = kNoFile;
    if (cli.runCompiled) {
        script = fe.addScriptText(received.session.scriptName, received.session.scriptText);
    } else if (cli.scriptText) {
        script = fe.addScriptText("<input>", *cli.scriptText);
    } else if (*cli.scriptFile == "-") {
        std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
        script = fe.addScriptText("<input>", std::move(text));
    } else if ((script = fe.addScriptFile(*cli.scriptFile)) == kNoFile) {
        std::cerr << "tstap: cannot open script file '" << *cli.scriptFile << "'\n";
        return 1;
    }

    PassTimer timer;
    bool ok = fe.parse();
    if (cli.verbose)
        std::cerr << "Pass 1: parsed user script and " << fe.libraryFiles().size()
                  << " library scripts in " << timer.text() << "\n";
    if (!ok) {
        printDiagnostics(fe, cli);
        size_t n = fe.diagnostics().errorCount();
        std::cerr << "\n" << n << " parse error" << (n == 1 ? "" : "s") << ".\n"
                  << "Pass 1: parse failed.  [man error::pass1]\n";
        return 1;
    }
    if (cli.lastPass == 1) {
        printDiagnostics(fe, cli);
        std::cout << "# parse tree dump\n";
        for (const auto& f : fe.scriptFiles()) {
            printFile(std::cout, *f);
            std::cout << "\n"; // stap ends each file's dump with an empty line
        }
        return 0;
    }

    timer.reset();
    ok = fe.elaborate();
    if (ok && cli.warningsAsErrors && !cli.noWarnings && fe.diagnostics().warningCount() > 0) {
        fe.diagnostics().promoteWarnings();
        ok = false;
    }
    if (cli.verbose && ok)
        std::cerr << "Pass 2: analyzed script: " << fe.program().probes.size() << " probes, "
                  << fe.program().functions.size() << " functions, "
                  << fe.program().globals.size() << " globals in " << timer.text() << "\n";
    if (cli.verbose && ok)
        for (const ResolvedProbe& p : fe.program().probes)
            if (p.provider && p.provider->family() == "kernel.function")
                std::cerr << "Pass 2: " << p.point.str() << ": " << kernel::kernelFunctionMechanism(p.point) << "\n";
    printDiagnostics(fe, cli);
    if (!ok) {
        std::cerr << "Pass 2: analysis failed.  [man error::pass2]\n";
        return 1;
    }
    if (cli.lastPass == 2) {
        printProgram(std::cout, fe.program());
        return 0;
    }
    rt::SessionOptions session;
    std::string limitError = session.limits.apply(cli.defines);
    if (!limitError.empty()) {
        std::cerr << "ERROR: " << limitError << "\n";
        return 1;
    }
    // Passes 3-4 translate the kernel-side handlers; a script without any
    // has nothing for them to do.
    bool kernelProbes = false;
    for (const ResolvedProbe& p : fe.program().probes)
        kernelProbes = kernelProbes || p.site == ProbeSite::Kernel;
    if (!kernelProbes && cli.lastPass < 5) {
        std::cout << "# nothing runs in the kernel: every probe of this script runs in the "
                     "user-space executor\n";
        return 0;
    }
    bpf::Translation kernelTranslation;
    if (kernelProbes) {
        bpf::TranslateOptions topts;
        topts.maxStringLen = session.limits.maxStringLen;
        topts.maxMapEntries = session.limits.maxMapEntries;
        topts.maxAction = session.limits.maxAction;
        timer.reset();
        if (!bpf::translate(fe.program(), topts, fe.diagnostics(), kernelTranslation)) {
            printDiagnostics(fe, cli);
            std::cerr << "Pass 3: translation failed.  [man error::pass3]\n";
            return 1;
        }
        if (cli.verbose)
            std::cerr << "Pass 3: translated to BPF C (" << kernelTranslation.programs.size() << " programs) in "
                      << timer.text() << "\n";
        session.kernel = &kernelTranslation;
    }
    if (cli.lastPass == 3) {
        std::cout << kernelTranslation.source;
        return 0;
    }
    if (cli.runCompiled) {
        // The object was compiled elsewhere from the same sources; it serves
        // only a translation identical to the one it was made from.
        std::string digest = kernelProbes ? rt::programDigest(kernelTranslation) : std::string();
        if (digest != received.session.programDigest) {
            std::cerr << "ERROR: the compiled session's BPF object does not fit this host: here (kernel "
                      << kernel::kernelRelease() << ", this tstap) the script translates to another program than "
                      << "where it was compiled (kernel " << received.session.compiledOnKernel
                      << "); compile it on this host, or for its kernel with -r\n"
                      << "Pass 5: run failed.  [man error::pass5]\n";
            return 1;
        }
        received.removeFolder();
        session.compiledObject = received.objectPath;
        if (*cli.runCompiled == "-")
            session.stopFd = 0;
    }
    if (cli.lastPass == 4) {
        rt::BpfObject object = rt::compileBpf(kernelTranslation);
        if (!object.error.empty()) {
            std::cerr << "ERROR: BPF compilation failed:\n" << object.error << "Pass 4: compilation failed.  [man error::pass4]\n";
            return 1;
        }
        std::cout << object.path << "\n";
        return 0;
    }
    if (cli.saveCompiled || !remoteHosts.empty())
        return sendCompiledSession(cli, fe, script, kernelProbes ? &kernelTranslation : nullptr, remoteHosts);
    session.verbose = cli.verbose;
    session.json = cli.json;
    session.hitReport = cli.hitReport;
    session.outputFile = cli.outputFile;
    session.command = cli.command;
    session.targetPid = cli.targetPid;
    session.timeoutSeconds = cli.timeoutSeconds;
    session.http = cli.http;
    session.procfsDir = cli.procfsDir;
    session.noGlobalDisplay = cli.noGlobalDisplay;
    session.globalSets = cli.globalSets;
    // The tapset's globals behind remote_id() and remote_uri() (context.stp).
    if (cli.remoteId)
        session.globalSets.push_back({"__remote_id", *cli.remoteId});
    if (cli.remoteUri)
        session.globalSets.push_back({"__remote_uri", *cli.remoteUri});
    session.scriptName = fe.sources().name(script);
    std::cout.flush();
    return rt::runSession(fe.program(), fe.sources(), session);
}
