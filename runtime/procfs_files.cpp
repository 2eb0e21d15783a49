#include "procfs_files.h"

namespace tap::rt {

namespace {

constexpr unsigned kReadableBits = 0444, kWritableBits = 0222;
constexpr unsigned kDefaultReadUmask = 0044, kDefaultWriteUmask = 0022;

std::string runHandlers(const std::vector<ProcfsFile::Handler>& handlers, std::string value,
                        Runtime& rt, const ProcfsFiles::RunProbe& run) {
    rt.procfsValue = std::move(value);
    for (const ProcfsFile::Handler& h : handlers) {
        rt.procfsValueLimit = h.maxSize;
        if (rt.procfsValue.size() > h.maxSize) rt.procfsValue.resize(h.maxSize);
        run(h.probe);
    }
    return std::exchange(rt.procfsValue, std::string());
}

} // namespace

ProcfsFiles::ProcfsFiles(const std::vector<CompiledProbe>& probes, const Limits& limits) {
    struct Umasks {
        std::optional<unsigned> read, write;
    };
    std::map<std::string, Umasks> umasks;
    for (const CompiledProbe& p : probes) {
        if (p.family != "procfs") continue;
        const auto& components = p.point.components;
        std::string name =
            components[0].string ? *components[0].string : "command"; // stapprobes' default
        // Without .maxsize, $value holds a string as long as any other.
        ProcfsFile::Handler handler{&p, size_t(limits.maxStringLen - 1)};
        bool isWrite = false;
        std::optional<unsigned> umask;
        for (const ConcreteComponent& c : components) {
            if (c.functor == "maxsize") handler.maxSize = size_t(*c.number);
            if (c.functor == "umask") umask = unsigned(*c.number);
            isWrite = isWrite || c.functor == "write";
        }
        ProcfsFile& file = files_[name];
        Umasks& masks = umasks[name];
        if (isWrite) {
            file.writes.push_back(handler);
            if (!masks.write) masks.write = umask.value_or(kDefaultWriteUmask);
        } else {
            file.reads.push_back(handler);
            if (!masks.read) masks.read = umask.value_or(kDefaultReadUmask);
        }
    }
    for (auto& [name, file] : files_) {
        const Umasks& masks = umasks[name];
        unsigned bits =
            (file.reads.empty() ? 0 : kReadableBits) | (file.writes.empty() ? 0 : kWritableBits);
        file.mode = bits & ~(masks.read.value_or(0) | masks.write.value_or(0));
    }
}

const ProcfsFile* ProcfsFiles::find(const std::string& name) const {
    auto it = files_.find(name);
    return it == files_.end() ? nullptr : &it->second;
}

std::string ProcfsFiles::read(const ProcfsFile& file, Runtime& rt, const RunProbe& run) {
    return runHandlers(file.reads, std::string(), rt, run);
}

void ProcfsFiles::write(const ProcfsFile& file, std::string text, Runtime& rt,
                        const RunProbe& run) {
    runHandlers(file.writes, std::move(text), rt, run);
}

} // namespace tap::rt
