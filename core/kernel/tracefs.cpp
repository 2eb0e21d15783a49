#include "tracefs.h"
#include "kernel/kernel_facts.h"

#include <fnmatch.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace tap::kernel {

Tracefs& tracefs() {
    static Tracefs instance;
    return instance;
}

std::string Tracefs::root() {
    static std::string found = [] {
        std::error_code ec;
        for (const char* dir : {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"})
            if (fs::exists(kernelFile(dir) + "/events", ec))
                return kernelFile(dir);
        if (otherKernel())
            return std::string();
        if (geteuid() == 0 && fs::is_directory("/sys/kernel/tracing", ec) &&
            mount("nodev", "/sys/kernel/tracing", "tracefs", 0, nullptr) == 0)
            return std::string("/sys/kernel/tracing");
        return std::string();
    }();
    return found;
}

const std::vector<std::string>& Tracefs::events() {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    if (events_)
        return *events_;
    events_.emplace();
    std::string base = root();
    if (base.empty())
        return *events_;
    std::error_code ec;
    for (auto& sys : fs::directory_iterator(base + "/events", ec)) {
        if (!sys.is_directory(ec))
            continue;
        std::string system = sys.path().filename().string();
        for (auto& ev : fs::directory_iterator(sys.path(), ec)) {
            if (!ev.is_directory(ec))
                continue;
            std::string name = ev.path().filename().string();
            events_->push_back(system + ":" + name);
            auto [it, fresh] = byName_.emplace(name, system + ":" + name);
            if (!fresh)
                it->second.clear();
        }
    }
    std::sort(events_->begin(), events_->end());
    return *events_;
}

namespace {

// "field:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;"
bool parseField(const std::string& line, TraceField& f) {
    size_t start = line.find("field:");
    if (start == std::string::npos)
        return false;
    size_t semi = line.find(';', start);
    std::string decl = line.substr(start + 6, semi - start - 6);
    auto value = [&](const char* key) {
        size_t at = line.find(key);
        return at == std::string::npos ? 0 : std::atoi(line.c_str() + at + std::strlen(key));
    };
    f.offset = value("offset:");
    f.size = value("size:");
    f.isSigned = value("signed:") != 0;
    // Dynamic arrays: "__data_loc char[] filename" (a u32: length << 16 |
    // offset of the bytes in the record; __rel_loc: offset from the field's end).
    if (decl.rfind("__data_loc ", 0) == 0 || decl.rfind("__rel_loc ", 0) == 0) {
        size_t nameStart = decl.find_last_of(" *]");
        f.name = decl.substr(nameStart + 1);
        std::string type = decl.substr(0, nameStart + 1);
        while (!type.empty() && type.back() == ' ')
            type.pop_back();
        f.cType = type;
        return !f.name.empty();
    }
    // The name is the last identifier, before an optional [N].
    std::string d = decl;
    size_t bracket = d.find('[');
    if (bracket != std::string::npos) {
        std::string len = d.substr(bracket + 1, d.find(']', bracket) - bracket - 1);
        f.arrayLength = std::atoi(len.c_str());
        d = d.substr(0, bracket);
    }
    size_t nameStart = d.find_last_of(" *");
    f.name = d.substr(nameStart + 1);
    std::string type = d.substr(0, nameStart + 1);
    while (!type.empty() && type.back() == ' ')
        type.pop_back();
    if (bracket != std::string::npos)
        type += "[" + std::to_string(f.arrayLength) + "]";
    f.cType = type;
    return !f.name.empty();
}

} // namespace

std::optional<TraceEvent> Tracefs::event(const std::string& spec) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    std::string full = spec;
    if (full.find(':') == std::string::npos) {
        events();
        auto it = byName_.find(full);
        if (it == byName_.end() || it->second.empty())
            return std::nullopt;
        full = it->second;
    }
    if (auto it = parsed_.find(full); it != parsed_.end())
        return it->second;
    size_t colon = full.find(':');
    TraceEvent ev;
    ev.system = full.substr(0, colon);
    ev.name = full.substr(colon + 1);
    std::ifstream in(root() + "/events/" + ev.system + "/" + ev.name + "/format");
    if (!in)
        return std::nullopt;
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("ID:", 0) == 0)
            ev.id = std::atoi(line.c_str() + 3);
        TraceField f;
        if (parseField(line, f) && f.name.rfind("common_", 0) != 0)
            ev.fields.push_back(f);
    }
    parsed_[full] = ev;
    return ev;
}

std::vector<std::string> Tracefs::match(const std::string& glob) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    std::vector<std::string> out;
    bool qualified = glob.find(':') != std::string::npos;
    if (glob.find_first_of("*?[\\") == std::string::npos) {
        // No wildcards: a lookup, not a scan; SYSTEM:NAME without listing
        // the 2,000 events (a start-up's largest cost after BTF).
        if (qualified) {
            size_t colon = glob.find(':');
            std::error_code ec;
            if (fs::exists(root() + "/events/" + glob.substr(0, colon) + "/" + glob.substr(colon + 1) + "/format", ec))
                out.push_back(glob);
            return out;
        }
        events();
        auto it = byName_.find(glob);
        if (it == byName_.end())
            return out;
        if (!it->second.empty()) {
            out.push_back(it->second);
            return out;
        }
    }
    for (const std::string& e : events()) {
        std::string name = e.substr(e.find(':') + 1);
        if (fnmatch(glob.c_str(), qualified ? e.c_str() : name.c_str(), 0) == 0)
            out.push_back(e);
    }
    return out;
}

} // namespace tap::kernel
