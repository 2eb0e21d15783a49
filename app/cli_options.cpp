#include "cli_options.h"

#include <cstdlib>
#include <cstring>
#include <regex>

namespace tap {

const char* usageText() {
    return "Usage: tstap [options] FILE [ARGS ...]        Run script in file.\n"
           "   or: tstap [options] -                      Run script on stdin.\n"
           "   or: tstap [options] -e SCRIPT [ARGS ...]   Run given script.\n"
           "   or: tstap [options] -l PROBE               List matching probes.\n"
           "   or: tstap [options] -L PROBE               List matching probes and variables.\n"
           "   or: tstap [options] --run-compiled DIR|-   Run a compiled session.\n"
           "   or: tstap --probe-capabilities [--json]    Report what this machine can trace.\n"
           "   or: tstap --language-server                Serve editors (LSP on stdin/stdout).\n"
           "\n"
           "Options (stap-compatible):\n"
           "   --         end of translator options, script options follow\n"
           "   -h --help  show this help\n"
           "   -V --version  show version\n"
           "   -p NUM     stop after pass NUM 1-5 (1 parse, 2 elaborate, 3 translate,\n"
           "              4 compile, 5 run)\n"
           "   -v         add verbosity to all passes\n"
           "   -w         suppress warnings\n"
           "   -W         turn warnings into errors\n"
           "   -u         unoptimized translation (no dead-code elision)\n"
           "   -g         guru mode: allow embedded C\n"
           "   -I DIR     look in DIR for additional .stp tapset files\n"
           "   -D NM=VAL  set a limit, e.g. -D MAXSTRINGLEN=1024\n"
           "   -G VAR=VAL set a global variable's initial value\n"
           "   -e SCRIPT  run the given script\n"
           "   -r DIR     translate and compile (-p3, -p4) for the kernel whose facts\n"
           "              scripts/kernel-facts.sh wrote into DIR on that machine\n"
           "   -d MODULE, --ldd, --all-modules  accepted: tstap reads the symbols of\n"
           "              every module and library when it names an address\n"
           "   -o FILE    send output to FILE\n"
           "   -b         bulk (per-CPU) output\n"
           "   -c CMD     start the probes, run CMD, and exit when it finishes\n"
           "   -x PID     set target() to PID\n"
           "   -T SEC     stop after SEC seconds\n"
           "   -t         collect probe timing information (hit report)\n"
           "   -l PROBE   list probe points matching PROBE\n"
           "   -L PROBE   list probe points and their variables\n"
           "   --json     machine-readable output, one JSON object per line\n"
           "   --http [ADDR:]PORT  serve the script's procfs files at /procfs/NAME and\n"
           "              its prometheus probe at /metrics (ADDR defaults to 127.0.0.1)\n"
           "   --procfs-dir DIR  mount the script's procfs files at DIR (default\n"
           "              /run/tapstudio/PID as root; -v prints where)\n"
           "   --no-global-var-display  do not print unread globals at exit\n"
           "   --save-compiled DIR|-  compile (passes 1-4) into a session folder, or a tar\n"
           "              on stdout with -, that --run-compiled runs on another host\n"
           "   --run-compiled DIR|-  run a compiled session (a folder, or a tar on stdin\n"
           "              with -, which then stops when stdin closes) without clang or\n"
           "              tapsets; runtime options (-T -c -x -o -t --json ...) apply\n"
           "   --remote [ssh://][USER@]HOST[:PORT]  compile here, run on HOST over ssh with\n"
           "              its tstap; repeat for several hosts\n"
           "   --remote-prefix  prefix each line of output with \"N: \", N the host's index\n"
           "              among the --remote options (from 0)\n"
           "   --remote-id N, --remote-uri URI  with --run-compiled: what remote_id() and\n"
           "              remote_uri() return (--remote passes them to each host)\n"
           "   --probe-capabilities  try each attach kind (tracepoint, kprobe, uprobe, ...) and\n"
           "              report them with the kernel, privileges and tstap's cache\n"
           "\n"
           "Environment: TAPSTUDIO_TAPSETS=DIR[:DIR] adds tapset directories.\n"
           "   TSTAP_SSH=COMMAND  the ssh command --remote runs (default: ssh)\n"
           "   TSTAP_REMOTE_TSTAP=PATH  the tstap --remote runs on each host (default: tstap)\n";
}

namespace {

bool splitAssignment(const std::string& s, std::pair<std::string, std::string>& out) {
    size_t eq = s.find('=');
    if (eq == 0)
        return false;
    out.first = s.substr(0, eq);
    out.second = eq == std::string::npos ? std::string() : s.substr(eq + 1);
    return true;
}

bool parseLong(const std::string& s, long& v) {
    if (s.empty())
        return false;
    char* end = nullptr;
    v = std::strtol(s.c_str(), &end, 10);
    return *end == '\0';
}

} // namespace

std::string parseCommandLine(int argc, char** argv, CliOptions& o) {
    std::vector<std::string> positional;
    std::optional<std::string> remote;
    bool endOfOptions = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        // As stap's GNU getopt: options may follow the script and its
        // arguments (`tstap s.stp a -p2`); only `--` ends them.
        if (endOfOptions || a.empty() || a[0] != '-' || a == "-") {
            positional.push_back(a);
            continue;
        }
        if (a == "--") {
            endOfOptions = true;
            continue;
        }
        if (a.rfind("--", 0) == 0) {
            if (a == "--help") o.showHelp = true;
            else if (a == "--version") o.showVersion = true;
            else if (a == "--json") o.json = true;
            else if (a == "--no-global-var-display") o.noGlobalDisplay = true;
            else if (a == "--probe-capabilities") o.probeCapabilities = true;
            else if (a == "--ldd" || a == "--all-modules") continue; // symbols are read where needed
            else if (a == "--language-server") o.languageServer = true;
            else if (a.rfind("--compatible=", 0) == 0) o.compatible = a.substr(13);
            else if (a.rfind("--http=", 0) == 0) o.http = a.substr(7);
            else if (a == "--remote-prefix") o.remotePrefix = true;
            else if (std::optional<std::string>* valued = a == "--http"             ? &o.http
                                                          : a == "--save-compiled" ? &o.saveCompiled
                                                          : a == "--run-compiled"  ? &o.runCompiled
                                                          : a == "--remote"        ? &remote
                                                          : a == "--remote-id"     ? &o.remoteId
                                                          : a == "--remote-uri"    ? &o.remoteUri
                                                          : a == "--procfs-dir"    ? &o.procfsDir
                                                                                   : nullptr) {
                if (i + 1 >= argc) return "option '" + a + "' requires an argument";
                *valued = argv[++i];
            } else if (a.rfind("--save-compiled=", 0) == 0) o.saveCompiled = a.substr(16);
            else if (a.rfind("--run-compiled=", 0) == 0) o.runCompiled = a.substr(15);
            else if (a.rfind("--remote=", 0) == 0) remote = a.substr(9);
            else if (a.rfind("--procfs-dir=", 0) == 0) o.procfsDir = a.substr(13);
            else return "unrecognized option '" + a + "'";
            if (remote) {
                o.remotes.push_back(*remote);
                remote.reset();
            }
            continue;
        }
        // Short options, possibly clustered (-vvv, -p2, -Idir).
        for (size_t k = 1; k < a.size(); ++k) {
            char c = a[k];
            auto value = [&](std::string& v) -> bool {
                if (k + 1 < a.size()) {
                    v = a.substr(k + 1);
                } else if (i + 1 < argc) {
                    v = argv[++i];
                } else {
                    return false;
                }
                k = a.size();
                return true;
            };
            std::string v;
            // stap's (GNU getopt's) wording for an option without its value.
            const std::string missing = std::string("option requires an argument -- '") + c + "'";
            switch (c) {
            case 'h': o.showHelp = true; break;
            case 'V': o.showVersion = true; break;
            case 'v': ++o.verbose; break;
            case 'w': o.noWarnings = true; break;
            case 'W': o.warningsAsErrors = true; break;
            case 'u': o.unoptimized = true; break;
            case 'g': o.guru = true; break;
            case 'b': o.bulk = true; break;
            case 't': o.hitReport = true; break;
            case 'p': {
                long n = 0;
                if (!value(v)) return missing;
                if (!parseLong(v, n) || n < 1 || n > 5)
                    return "Invalid pass number (should be 1-5).";
                o.lastPass = int(n);
                break;
            }
            case 'I':
                if (!value(v)) return missing;
                o.includeDirs.push_back(v);
                break;
            case 'D': {
                std::pair<std::string, std::string> d;
                if (!value(v)) return missing;
                splitAssignment(v, d);
                // stap's safety pattern: an identifier, optionally =[-]word.
                static const char* pattern = "^[a-z_][a-z_0-9]*(=-?[a-z_0-9]+)?$";
                static const std::regex safe(pattern, std::regex::icase);
                if (!std::regex_match(v, safe))
                    return "Safety pattern mismatch for -D parameter ('" + v + "' vs. '" + pattern + "')";
                o.defines.push_back(d);
                break;
            }
            case 'G': {
                std::pair<std::string, std::string> d;
                if (!value(v)) return missing;
                splitAssignment(v, d);
                static const char* pattern = "^[a-z_][a-z0-9_]*=[a-z0-9_.-]+$";
                static const std::regex safe(pattern, std::regex::icase);
                if (!std::regex_match(v, safe))
                    return "Safety pattern mismatch for -G parameter ('" + v + "' vs. '" + pattern + "')";
                o.globalSets.push_back(d);
                break;
            }
            case 'e':
                if (!value(v)) return missing;
                if (o.scriptText) return "Only one script can be given on the command line.";
                o.scriptText = v;
                break;
            case 'r':
                if (!value(v)) return missing;
                o.kernelFacts = v;
                break;
            case 'd': // symbols are read where needed
                if (!value(v)) return missing;
                break;
            case 'o':
                if (!value(v)) return missing;
                o.outputFile = v;
                break;
            case 'c':
                if (!value(v)) return missing;
                o.command = v;
                break;
            case 'x': {
                long n = 0;
                if (!value(v)) return missing;
                if (!parseLong(v, n) || n <= 0) return "Invalid target process ID number.";
                o.targetPid = n;
                break;
            }
            case 'T': {
                long n = 0;
                if (!value(v)) return missing;
                if (!parseLong(v, n) || n <= 0) return "Invalid timeout interval.";
                o.timeoutSeconds = n;
                break;
            }
            case 'l':
            case 'L':
                if (!value(v)) return missing;
                o.listPattern = v;
                o.listVariables = c == 'L';
                break;
            default:
                return std::string("invalid option -- '") + c + "'";
            }
        }
    }
    if (o.showHelp || o.showVersion || o.listPattern || o.probeCapabilities || o.languageServer)
        return {};
    if (o.runCompiled) {
        if (o.scriptText || !positional.empty())
            return "--run-compiled runs the script of the compiled session: give no script (it has '" +
                   (o.scriptText ? std::string("-e") : positional[0]) + "')";
        if (o.saveCompiled || !o.remotes.empty())
            return "--run-compiled runs a session here: --save-compiled and --remote take a script";
        long id = 0;
        if (o.remoteId && (!parseLong(*o.remoteId, id) || id < 0))
            return "--remote-id takes the host's index, a number from 0";
        return {};
    }
    if (o.remoteId || o.remoteUri)
        return "--remote-id and --remote-uri go with --run-compiled (--remote passes them to each host)";
    if (o.saveCompiled && !o.remotes.empty())
        return "--save-compiled and --remote: choose one (--remote sends the compiled session itself)";
    if (o.scriptText) {
        o.scriptArgs = positional;
        return {};
    }
    if (positional.empty())
        return "A script must be specified.";
    o.scriptFile = positional[0];
    o.scriptArgs.assign(positional.begin() + 1, positional.end());
    return {};
}

} // namespace tap
