#include "compiled_session.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace tap::rt {

namespace {

constexpr char kFormatLine[] = "tapstudio-compiled-session 1";

// One value a line: backslashes and newlines escaped.
std::string escape(const std::string& value) {
    std::string out;
    for (char c : value)
        out += c == '\\' ? std::string("\\\\") : c == '\n' ? std::string("\\n") : std::string(1, c);
    return out;
}

std::string unescape(const std::string& value) {
    std::string out;
    for (size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) {
            out += value[i + 1] == 'n' ? '\n' : value[i + 1];
            ++i;
        } else {
            out += value[i];
        }
    }
    return out;
}

std::string manifestText(const CompiledSession& s, size_t tapsetDirCount) {
    std::string m = std::string(kFormatLine) + "\n";
    auto line = [&](const std::string& key, const std::string& value) {
        m += key + " " + escape(value) + "\n";
    };
    line("script", s.scriptName);
    for (const std::string& arg : s.scriptArgs)
        line("arg", arg);
    for (const auto& [name, value] : s.defines)
        line("define", name + "=" + value);
    for (const auto& [name, value] : s.globalSets)
        line("global", name + "=" + value);
    if (s.guru) line("guru", "");
    if (s.unoptimized) line("unoptimized", "");
    if (s.compatible) line("compatible", *s.compatible);
    line("kernel", s.compiledOnKernel);
    if (!s.programDigest.empty()) line("digest", s.programDigest);
    line("tapset-dirs", std::to_string(tapsetDirCount));
    return m;
}

std::pair<std::string, std::string> assignment(const std::string& text) {
    size_t eq = text.find('=');
    return {text.substr(0, eq), eq == std::string::npos ? std::string() : text.substr(eq + 1)};
}

std::string readFile(const fs::path& path, std::string& content) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return "cannot read " + path.string();
    std::ostringstream text;
    text << in.rdbuf();
    content = text.str();
    return {};
}

} // namespace

std::string addTapsetDirectories(CompiledSession& session, const std::vector<std::string>& dirs) {
    for (size_t n = 0; n < dirs.size(); ++n) {
        std::error_code ec;
        std::vector<TarEntry> found;
        for (auto it = fs::recursive_directory_iterator(dirs[n], ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            std::string ext = it->path().extension().string();
            if (!it->is_regular_file(ec) || (ext != ".stp" && ext != ".stpm")) continue;
            TarEntry entry;
            entry.path = "tapsets/" + std::to_string(n) + "/" +
                         fs::relative(it->path(), dirs[n]).generic_string();
            if (entry.path.size() > 100)
                return "the tapset file " + it->path().string() +
                       " has too long a path to send (100 bytes at most)";
            if (std::string error = readFile(it->path(), entry.content); !error.empty())
                return error;
            found.push_back(std::move(entry));
        }
        std::sort(found.begin(), found.end(),
                  [](const TarEntry& a, const TarEntry& b) { return a.path < b.path; });
        std::move(found.begin(), found.end(), std::back_inserter(session.tapsetFiles));
    }
    return {};
}

std::vector<TarEntry> sessionFiles(const CompiledSession& session) {
    size_t dirs = 0;
    for (const TarEntry& file : session.tapsetFiles)
        dirs = std::max(dirs, size_t(std::stoul(file.path.substr(8))) + 1);
    std::vector<TarEntry> files = {{"manifest", manifestText(session, dirs)},
                                   {"script.stp", session.scriptText}};
    if (!session.programDigest.empty()) files.push_back({"program.o", session.object});
    files.insert(files.end(), session.tapsetFiles.begin(), session.tapsetFiles.end());
    return files;
}

std::string saveSession(const std::vector<TarEntry>& files, const std::string& dir) {
    for (const TarEntry& file : files) {
        fs::path relative(file.path);
        if (relative.is_absolute() ||
            std::find(relative.begin(), relative.end(), "..") != relative.end())
            return "the file name '" + file.path + "' leads out of the session folder";
        fs::path path = fs::path(dir) / relative;
        std::error_code ec;
        fs::create_directories(path.parent_path(), ec);
        std::ofstream out(path, std::ios::binary);
        out << file.content;
        if (!out.flush()) return "cannot write " + path.string();
    }
    return {};
}

std::string loadSession(const std::string& dir, CompiledSession& session,
                        std::vector<std::string>& tapsetDirs, std::string& objectPath) {
    std::string manifest;
    if (std::string error = readFile(fs::path(dir) / "manifest", manifest); !error.empty())
        return error + " (not a compiled session: tstap --save-compiled writes one)";
    std::istringstream lines(manifest);
    std::string line;
    if (!std::getline(lines, line) || line != kFormatLine)
        return dir + "/manifest: not a compiled session of this tstap (it starts '" + line +
               "', expected '" + kFormatLine + "')";
    size_t dirCount = 0;
    for (int number = 2; std::getline(lines, line); ++number) {
        size_t space = line.find(' ');
        std::string key = line.substr(0, space);
        std::string value =
            space == std::string::npos ? std::string() : unescape(line.substr(space + 1));
        if (key == "script")
            session.scriptName = value;
        else if (key == "arg")
            session.scriptArgs.push_back(value);
        else if (key == "define")
            session.defines.push_back(assignment(value));
        else if (key == "global")
            session.globalSets.push_back(assignment(value));
        else if (key == "guru")
            session.guru = true;
        else if (key == "unoptimized")
            session.unoptimized = true;
        else if (key == "compatible")
            session.compatible = value;
        else if (key == "kernel")
            session.compiledOnKernel = value;
        else if (key == "digest")
            session.programDigest = value;
        else if (key == "tapset-dirs")
            dirCount = std::stoul("0" + value);
        else
            return dir + "/manifest:" + std::to_string(number) + ":1: unknown entry '" + key + "'";
    }
    if (std::string error = readFile(fs::path(dir) / "script.stp", session.scriptText);
        !error.empty())
        return error;
    for (size_t n = 0; n < dirCount; ++n)
        tapsetDirs.push_back((fs::path(dir) / "tapsets" / std::to_string(n)).string());
    objectPath.clear();
    if (!session.programDigest.empty()) {
        objectPath = (fs::path(dir) / "program.o").string();
        if (!fs::exists(objectPath))
            return "the compiled session has no program.o, though its manifest names a BPF program";
    }
    return {};
}

} // namespace tap::rt
