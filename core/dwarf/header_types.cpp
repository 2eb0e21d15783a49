#include "header_types.h"

#include "cache_directory.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

extern char** environ;

namespace tap::dwarf {

namespace fs = std::filesystem;

namespace {

// The first of cc, gcc and clang on PATH, and what identifies its version
// (the file it resolves to, its size and time): "" when there is none.
std::pair<std::string, std::string> findCompiler() {
    const char* path = std::getenv("PATH");
    for (const char* name : {"cc", "gcc", "clang"}) {
        std::stringstream dirs(path ? path : "/usr/bin:/bin");
        std::string dir;
        while (std::getline(dirs, dir, ':')) {
            std::error_code ec;
            fs::path file = fs::canonical(fs::path(dir.empty() ? "." : dir) / name, ec);
            struct stat st {};
            if (!ec && stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(file.c_str(), X_OK) == 0)
                return {file.string(), file.string() + "/" + std::to_string(st.st_size) + "/" +
                                           std::to_string(st.st_mtim.tv_sec)};
        }
    }
    return {};
}

// Runs argv; its standard output and error together in `output`. The exit
// status, or -1 when it could not be started.
int run(const std::vector<std::string>& argv, std::string& output) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    std::vector<char*> args;
    for (const std::string& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    int spawned = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (spawned == 0) {
        char buffer[4096];
        for (;;) {
            ssize_t n = read(fds[0], buffer, sizeof buffer);
            if (n > 0)
                output.append(buffer, size_t(n));
            else if (n == 0 || errno != EINTR)
                break;
        }
    }
    close(fds[0]);
    if (spawned != 0) {
        errno = spawned;
        return -1;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

// The files a make rule of `cc -MD` lists after its target, but the source.
std::vector<std::string> dependencies(const std::string& depFile, const std::string& source) {
    std::ifstream in(depFile);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> files;
    size_t colon = text.find(": ");
    if (colon == std::string::npos)
        return files;
    std::string word;
    for (size_t i = colon + 2; i <= text.size(); ++i) {
        char ch = i < text.size() ? text[i] : ' ';
        if (ch == '\\' && i + 1 < text.size() && text[i + 1] == ' ') { // an escaped space
            word += ' ';
            ++i;
        } else if (ch == '\\' && i + 1 < text.size() && text[i + 1] == '\n') {
            ++i;
        } else if (std::isspace(static_cast<unsigned char>(ch))) {
            if (!word.empty() && fs::path(word).filename() != source)
                files.push_back(word);
            word.clear();
        } else {
            word += ch;
        }
    }
    return files;
}

// A cached object is current when every file it included is still there and
// none has changed since it was made.
bool current(const std::string& object, const std::string& depFile, const std::string& source) {
    struct stat made {};
    if (stat(object.c_str(), &made) != 0)
        return false;
    std::vector<std::string> files = dependencies(depFile, source);
    if (files.empty())
        return false;
    for (const std::string& f : files) {
        struct stat st {};
        if (stat(f.c_str(), &st) != 0 || st.st_mtim.tv_sec > made.st_mtim.tv_sec ||
            (st.st_mtim.tv_sec == made.st_mtim.tv_sec && st.st_mtim.tv_nsec > made.st_mtim.tv_nsec))
            return false;
    }
    return true;
}

// The compiler's first error, without the place in the generated source
// (which only includes the headers): "nosuch.h: No such file or directory"
// (gcc), "'nosuch.h' file not found" (clang); an error inside a header keeps
// its file:line:column.
std::string firstError(const std::string& output, const std::string& source) {
    std::stringstream lines(output);
    std::string line;
    while (std::getline(lines, line)) {
        size_t at = line.find("error: ");
        if (at == std::string::npos)
            continue;
        std::string where = line.substr(0, at);
        size_t kind = where.rfind(' ');
        std::string message = line.substr(at + 7);
        where = kind == std::string::npos ? std::string() : where.substr(0, kind); // drop "fatal"
        while (!where.empty() && (where.back() == ' ' || where.back() == ':'))
            where.pop_back();
        if (where.rfind(source, 0) == 0 || where.empty() || where == "<command-line>" || where == "<built-in>")
            return message;
        return where + ": " + message;
    }
    // No "error:" line (a crash, a linker's message): its last line.
    std::string last;
    for (std::stringstream again(output); std::getline(again, line);)
        if (!line.empty())
            last = line;
    return last.empty() ? "the compiler failed without a message" : last;
}

std::string compile(const std::string& module, const std::vector<std::string>& headers, std::string& error) {
    auto [compiler, identity] = findCompiler();
    if (compiler.empty()) {
        error = "cannot compile " + module + ": no C compiler (cc, gcc or clang) on PATH";
        return {};
    }
    std::string dir = cacheDirectory() + "/headers";
    std::error_code ec;
    fs::create_directories(dir, ec);
    std::string base = dir + "/" + cacheFileName(identity + "\n" + module);
    // The source has a name of its own, which tells it apart from the
    // headers in the dependency list.
    const std::string source = "tapstudio-header-types.c";
    if (current(base + ".so", base + ".d", source))
        return base + ".so";
    // Made in a folder of its own and renamed into place when complete, so
    // that concurrent sessions never see half a file.
    std::string work = base + "." + std::to_string(getpid()) + ".tmp";
    fs::create_directories(work, ec);
    {
        std::ofstream out(work + "/" + source);
        for (const std::string& h : headers)
            out << "#include <" << h << ">\n";
    }
    std::string output;
    // A shared object, not a relocatable one: its DWARF needs no relocation
    // to be read. Unused types are kept: nothing uses any of them.
    int status = run({compiler, "-shared", "-nostdlib", "-g", "-w", "-fno-eliminate-unused-debug-types", "-o",
                      work + "/types.so", "-MD", "-MF", work + "/types.d", work + "/" + source},
                     output);
    std::string object;
    if (status == 0) {
        fs::rename(work + "/types.d", base + ".d", ec);
        if (!ec)
            fs::rename(work + "/types.so", base + ".so", ec);
        if (!ec)
            object = base + ".so";
        else
            error = "cannot compile " + module + ": cannot keep the object in " + dir + ": " + ec.message();
    } else if (status < 0) {
        error = "cannot compile " + module + ": cannot run " + compiler + ": " + std::strerror(errno);
    } else {
        error = "cannot compile " + module + ": " + firstError(output, work + "/" + source);
    }
    fs::remove_all(work, ec);
    return object;
}

} // namespace

std::vector<std::string> moduleHeaders(const std::string& module) {
    std::vector<std::string> headers;
    size_t i = 0;
    while (i < module.size()) {
        if (module[i] != '<')
            return {};
        size_t close = module.find('>', i + 1);
        if (close == std::string::npos || close == i + 1)
            return {};
        std::string header = module.substr(i + 1, close - i - 1);
        if (header.find('<') != std::string::npos)
            return {};
        headers.push_back(header);
        i = close + 1;
    }
    return headers;
}

std::string compileHeaderTypes(const std::string& module, std::string& error) {
    std::vector<std::string> headers = moduleHeaders(module);
    error.clear();
    if (headers.empty()) {
        error = "'" + module + "' names no header (write it as <header.h>)";
        return {};
    }
    return compile(module, headers, error);
}

std::string headerTypesObject(const std::string& module, std::string& error) {
    static std::mutex mutex;
    static std::map<std::string, std::pair<std::string, std::string>> made; // module -> object, error
    std::lock_guard lock(mutex);
    if (auto it = made.find(module); it != made.end()) {
        error = it->second.second;
        return it->second.first;
    }
    std::string object = compileHeaderTypes(module, error);
    made[module] = {object, error};
    return object;
}

} // namespace tap::dwarf
