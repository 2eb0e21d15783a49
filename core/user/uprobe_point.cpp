#include "user/uprobe_point.h"

#include <fnmatch.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>
#include <vector>

namespace tap::user {

namespace {

std::string exeOfPid(int64_t pid) {
    std::error_code ec;
    auto p = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec);
    return ec ? std::string() : p.string();
}

// Path resolution is asked for every time a point is looked at (thousands
// of times for function("*")): each name is resolved once per process.
std::string resolvedOnce(const std::string& name, const std::string& executable, bool library) {
    static std::mutex mutex;
    static std::map<std::tuple<std::string, std::string, bool>, std::string> resolved;
    std::lock_guard lock(mutex);
    auto key = std::make_tuple(name, executable, library);
    auto it = resolved.find(key);
    if (it == resolved.end())
        it = resolved
                 .emplace(key, library ? elf::resolveLibrary(name, executable)
                                       : elf::resolveExecutable(name))
                 .first;
    return it->second;
}

const UserTypeTable& emptyTypes() {
    static UserTypeTable t;
    return t;
}

} // namespace

Point pointOf(const ConcretePoint& p, const std::string& targetExecutable) {
    Point u;
    const auto& c = p.components;
    if (!c.empty() && !c[0].string && !c[0].number) {
        u.bare = true;
        u.exe = targetExecutable;
    } else if (!c.empty() && c[0].string)
        u.exe = resolvedOnce(*c[0].string, "", false);
    else if (!c.empty() && c[0].number) {
        u.pid = *c[0].number;
        u.exe = exeOfPid(u.pid);
    }
    for (size_t i = 1; i < c.size(); ++i) {
        const std::string& f = c[i].functor;
        std::string arg = c[i].string.value_or("");
        if (f == "library")
            u.library = resolvedOnce(arg, u.exe, true);
        else if (f == "function")
            u.kind = Kind::Function, u.spec = arg;
        else if (f == "statement")
            u.kind = Kind::Statement, u.spec = arg;
        else if (f == "plt")
            u.kind = Kind::Plt, u.spec = arg;
        else if (f == "mark")
            u.kind = Kind::Mark, u.spec = arg;
        else if (f == "provider")
            u.provider = arg;
        else if (f == "label")
            u.label = arg;
        else if (f == "return")
            u.isReturn = true;
        else if (f == "nearest")
            u.isNearest = true;
        else if (f == "call")
            u.isCall = true;
        else if (f == "inline")
            u.isInline = true;
        else if (f == "site" && c[i].number)
            u.site = *c[i].number;
    }
    return u;
}

FunctionSpec parseSpec(const std::string& spec) {
    FunctionSpec s;
    size_t at = spec.find('@');
    s.name = spec.substr(0, at);
    if (s.name.rfind("::", 0) == 0) {
        s.globalScope = true;
        s.name.erase(0, 2);
    }
    // Scopes end at "::" outside template arguments ("vector<a::b>::size").
    int depth = 0;
    for (size_t i = 0; i + 1 < s.name.size(); ++i) {
        char c = s.name[i];
        depth += c == '<' ? 1 : c == '>' ? -1 : 0;
        if (depth == 0 && c == ':' && s.name[i + 1] == ':' && s.name.compare(0, 8, "operator") != 0) {
            s.scope.push_back(s.name.substr(0, i));
            s.name.erase(0, i + 2);
            i = size_t(-1);
        }
    }
    if (at == std::string::npos) return s;
    std::string rest = spec.substr(at + 1);
    size_t colon = rest.rfind(':');
    s.file = rest.substr(0, colon);
    if (colon != std::string::npos) {
        std::string lines = rest.substr(colon + 1);
        if (lines == "*")
            s.anyLine = true;
        else {
            size_t dash = lines.find('-');
            s.firstLine = std::atoi(lines.substr(0, dash).c_str());
            s.lastLine =
                dash == std::string::npos ? s.firstLine : std::atoi(lines.substr(dash + 1).c_str());
        }
    }
    return s;
}

bool globMatch(const std::string& pattern, const std::string& text) {
    return fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

// Innermost first; one "*" past the function's outermost scope matches the
// global scope (stap lists "*::area" as "::area" too).
bool scopeMatches(const FunctionSpec& spec, const dwarf::Function& f) {
    if ((spec.globalScope && f.scope.size() != spec.scope.size()) || spec.scope.size() > f.scope.size() + 1)
        return false;
    for (size_t k = 1; k <= spec.scope.size(); ++k) {
        const std::string& part = spec.scope[spec.scope.size() - k];
        if (k > f.scope.size() ? part != "*" : !globMatch(part, f.scope[f.scope.size() - k]))
            return false;
    }
    return true;
}

std::string functionSpecOf(const dwarf::Function& f, const FunctionSpec& pattern) {
    std::string name = pattern.globalScope || pattern.scope.size() > f.scope.size() ? "::" : "";
    for (size_t k = f.scope.size() - std::min(pattern.scope.size(), f.scope.size()); k < f.scope.size(); ++k)
        name += f.scope[k] + "::";
    name += f.name;
    return f.file.empty() ? name : name + "@" + f.file + ":" + std::to_string(f.line);
}

const UserTypeTable& Binary::debugTypes() const {
    return debug ? debug->types() : emptyTypes();
}

uint64_t inodeOf(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 ? uint64_t(st.st_ino) : 0;
}

const Binary& binaryOf(const std::string& path) {
    static std::mutex mutex;
    static std::map<std::string, Binary> cache;
    static std::vector<std::unique_ptr<elf::ElfBinary>> owned;
    std::lock_guard lock(mutex);
    auto it = cache.find(path);
    if (it != cache.end()) return it->second;
    Binary b;
    if (path.empty()) {
        b.error = "no such binary";
    } else if (auto e = elf::ElfBinary::open(path, b.error)) {
        b.elf = e.get();
        owned.push_back(std::move(e));
        std::string ignored;
        b.debug = dwarf::DebugInfo::of(path, ignored);
    }
    return cache.emplace(path, b).first->second;
}

} // namespace tap::user
