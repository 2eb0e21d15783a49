#include "session_transfer.h"

#include "bpf_compile.h"
#include "kernel/kernel_facts.h"

#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace tap {

std::string makeCompiledSession(const CliOptions& cli, const std::string& scriptName,
                                const std::string& scriptText,
                                const std::vector<std::string>& tapsetDirs,
                                const bpf::Translation* kernel, const std::string& objectPath,
                                rt::CompiledSession& out) {
    out.scriptName = scriptName;
    out.scriptText = scriptText;
    out.scriptArgs = cli.scriptArgs;
    out.defines = cli.defines;
    out.globalSets = cli.globalSets;
    out.guru = cli.guru;
    out.unoptimized = cli.unoptimized;
    out.compatible = cli.compatible;
    out.compiledOnKernel = kernel::kernelRelease();
    if (kernel) {
        out.programDigest = rt::programDigest(*kernel);
        std::ifstream object(objectPath, std::ios::binary);
        std::ostringstream bytes;
        bytes << object.rdbuf();
        if (!object) return "cannot read the compiled object " + objectPath;
        out.object = bytes.str();
    }
    return rt::addTapsetDirectories(out, tapsetDirs);
}

ReceivedSession::~ReceivedSession() {
    removeFolder();
    if (objectFd_ >= 0)
        close(objectFd_);
}

void ReceivedSession::removeFolder() {
    if (temporaryDir_.empty())
        return;
    if (!objectPath.empty() && objectFd_ < 0) {
        objectFd_ = open(objectPath.c_str(), O_RDONLY | O_CLOEXEC);
        if (objectFd_ < 0)
            return; // left for the destructor: the object is still read from the folder
        objectPath = "/proc/self/fd/" + std::to_string(objectFd_);
    }
    std::error_code ignored;
    fs::remove_all(temporaryDir_, ignored);
    temporaryDir_.clear();
}

std::string ReceivedSession::receive(const std::string& dirOrDash) {
    std::string dir = dirOrDash;
    if (dirOrDash == "-") {
        std::vector<rt::TarEntry> files;
        if (std::string error = rt::readTar(0, files); !error.empty())
            return "the compiled session on standard input: " + error;
        std::string pattern = (fs::temp_directory_path() / "tstap-session.XXXXXX").string();
        if (!mkdtemp(pattern.data()))
            return "cannot make a folder for the compiled session in " +
                   fs::temp_directory_path().string();
        temporaryDir_ = dir = pattern;
        if (std::string error = rt::saveSession(files, dir); !error.empty()) return error;
    }
    return rt::loadSession(dir, session, tapsetDirs, objectPath);
}

std::string remoteRunOptions(const CliOptions& cli, std::vector<std::string>& out) {
    if (cli.outputFile)
        return "-o cannot go with --remote: the hosts' output comes here; redirect tstap's own "
               "output";
    if (cli.http) return "--http cannot go with --remote: run tstap --http on each host";
    for (int i = 0; i < cli.verbose; ++i)
        out.push_back("-v");
    if (cli.json) out.push_back("--json");
    if (cli.hitReport) out.push_back("-t");
    if (cli.noGlobalDisplay) out.push_back("--no-global-var-display");
    if (cli.timeoutSeconds) out.insert(out.end(), {"-T", std::to_string(*cli.timeoutSeconds)});
    if (cli.command) out.insert(out.end(), {"-c", *cli.command});
    if (cli.targetPid) out.insert(out.end(), {"-x", std::to_string(*cli.targetPid)});
    if (cli.procfsDir) out.insert(out.end(), {"--procfs-dir", *cli.procfsDir}); // a folder on each host
    return {};
}

} // namespace tap
