#include "kernel_bridge.h"

#include "symbol_tokens.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cstring>
#include <set>

namespace tap::rt {

namespace {

struct StatParts {
    int64_t count, sum, min, max;
    uint64_t sumsq;
};

// The keys of a BPF hash map. A key deleted while the walk stands on it
// sends the kernel back to the first key: the walk stops after as many steps
// as the map can hold entries twice over, so that handlers deleting keys at
// their pace cannot hold it. With `once`, keys the walk comes back to are
// left out (when several kernel keys add up to one, a key seen twice would
// count twice).
template <typename F> void forEachKey(int fd, const bpf::GlobalMap& g, bool once, F&& visit) {
    std::vector<char> key(size_t(g.keySize)), next(size_t(g.keySize));
    std::set<std::vector<char>> visited;
    void* prev = nullptr;
    for (int64_t steps = 0; steps < 2 * g.maxEntries + 16 && bpf_map_get_next_key(fd, prev, next.data()) == 0; ++steps) {
        key = next;
        prev = key.data();
        if (!once || visited.insert(key).second)
            visit(key);
    }
}

} // namespace

KernelBridge::KernelBridge(const bpf::Translation& t, const BpfLoader& loader, const CompiledProgram& program,
                           Runtime& rt)
    : translation_(t), rt_(rt) {
    ncpus_ = libbpf_num_possible_cpus();
    if (ncpus_ < 1)
        ncpus_ = 1;
    scalarsFd_ = loader.mapFd("tap_scalars_map");
    scalars_.assign(size_t(translation_.scalarsSize + 8), 0); // as the kernel created the map
    for (const bpf::GlobalMap& g : t.globals)
        for (const GlobalInfo& info : program.globals())
            if (info.decl == g.global)
                shared_.push_back({&g, &info, g.kind == bpf::GlobalMap::Kind::Scalar ? scalarsFd_ : loader.mapFd(g.mapName)});
}

std::string KernelBridge::named(std::string_view kernelString) const {
    return expandSymbolTokens(kernelString, *rt_.symbols, size_t(rt_.limits.maxStringLen - 1));
}

std::string KernelBridge::toExecutorKey(const bpf::GlobalMap& g, const char* key, bool& hadTokens) const {
    std::string out;
    hadTokens = false;
    for (const bpf::KeyPart& part : g.keys) {
        if (part.isString) {
            std::string_view text(key + part.offset, strnlen(key + part.offset, size_t(part.size)));
            if (hasSymbolTokens(text)) {
                hadTokens = true;
                appendStringKey(out, named(text));
            } else {
                appendStringKey(out, text);
            }
        } else {
            int64_t v;
            std::memcpy(&v, key + part.offset, 8);
            appendLongKey(out, v);
        }
    }
    return out;
}

std::vector<char> KernelBridge::toKernelKey(const bpf::GlobalMap& g, const std::string& key) const {
    std::vector<char> out(size_t(g.keySize), 0);
    DecodedKey d = decodeKey(key);
    for (size_t i = 0; i < g.keys.size() && i < d.isString.size(); ++i) {
        const bpf::KeyPart& part = g.keys[i];
        if (part.isString)
            std::memcpy(out.data() + part.offset, d.strings[i].data(), std::min(d.strings[i].size(), size_t(part.size - 1)));
        else
            std::memcpy(out.data() + part.offset, &d.longs[i], 8);
    }
    return out;
}

std::vector<std::vector<char>> KernelBridge::kernelKeysOf(const bpf::GlobalMap& g, const std::string& key) const {
    if (auto keys = namedKeys_.find(g.global); keys != namedKeys_.end())
        if (auto it = keys->second.find(key); it != keys->second.end())
            return it->second;
    return {toKernelKey(g, key)};
}

void KernelBridge::pull() {
    if (scalarsFd_ >= 0) {
        scalars_.assign(size_t(translation_.scalarsSize + 8), 0);
        uint32_t zero = 0;
        bpf_map_lookup_elem(scalarsFd_, &zero, scalars_.data());
    }
    for (const Shared& s : shared_) {
        const bpf::GlobalMap& g = *s.map;
        switch (g.kind) {
        case bpf::GlobalMap::Kind::Scalar:
            if (g.valueType == Type::String)
                rt_.globalStrings[size_t(s.info->index)] = named(
                    std::string_view(scalars_.data() + g.scalarOffset, strnlen(scalars_.data() + g.scalarOffset, size_t(g.valueSize))));
            else
                std::memcpy(&rt_.globalLongs[size_t(s.info->index)], scalars_.data() + g.scalarOffset, 8);
            break;
        case bpf::GlobalMap::Kind::Hash: {
            ArrayStore& a = rt_.arrays[size_t(s.info->index)];
            a.clear();
            auto& seen = arrays_[g.global];
            seen.clear();
            namedKeys_[g.global].clear();
            size_t perCpu = g.perCpuCounter ? size_t(ncpus_) : 1;
            std::vector<char> value(size_t(g.valueSize) * perCpu);
            forEachKey(s.fd, g, translation_.symbolTokens, [&](const std::vector<char>& key) {
                if (bpf_map_lookup_elem(s.fd, key.data(), value.data()) != 0)
                    return;
                if (g.perCpuCounter) {
                    int64_t total = 0;
                    for (size_t c = 0; c < perCpu; ++c) {
                        int64_t part;
                        std::memcpy(&part, value.data() + 8 * c, 8);
                        total += part;
                    }
                    std::memcpy(value.data(), &total, 8);
                }
                bool keyHadTokens = false;
                std::string k = toExecutorKey(g, key.data(), keyHadTokens);
                if (keyHadTokens)
                    namedKeys_[g.global][k].push_back(key);
                bool inserted = false;
                if (g.valueType == Type::String) {
                    std::string_view text(value.data(), strnlen(value.data(), value.size()));
                    std::string& v = a.strings.findOrInsert(k, inserted);
                    if (hasSymbolTokens(text)) {
                        v = named(text);
                        std::string padded(value.size(), '\0'); // as push() compares it
                        std::memcpy(padded.data(), v.data(), std::min(v.size(), padded.size() - 1));
                        seen[k] = padded;
                    } else {
                        v = std::string(text);
                        seen[k] = std::string(value.data(), value.size());
                    }
                } else {
                    // Addresses of one function are one name: their counts add up.
                    int64_t& v = a.longs.findOrInsert(k, inserted);
                    int64_t part;
                    std::memcpy(&part, value.data(), 8);
                    v = inserted || !translation_.symbolTokens ? part : v + part;
                    seen[k] = std::string(reinterpret_cast<const char*>(&v), 8);
                }
            });
            break;
        }
        case bpf::GlobalMap::Kind::Stat:
        case bpf::GlobalMap::Kind::StatHash: {
            size_t stride = (size_t(g.valueSize) + 7) & ~size_t(7);
            std::vector<char> values(stride * size_t(ncpus_));
            auto merge = [&](Statistic& st) {
                int64_t count = 0, sum = 0, mn = 0, mx = 0;
                __int128 sumsq = 0;
                std::vector<int64_t> hist(size_t(g.histBuckets), 0);
                for (int c = 0; c < ncpus_; ++c) {
                    StatParts p;
                    std::memcpy(&p, values.data() + stride * size_t(c), sizeof p);
                    if (!p.count)
                        continue;
                    if (!count || p.min < mn) mn = p.min;
                    if (!count || p.max > mx) mx = p.max;
                    count += p.count;
                    sum += p.sum;
                    sumsq += p.sumsq;
                    for (int b = 0; b < g.histBuckets; ++b) {
                        uint64_t v;
                        std::memcpy(&v, values.data() + stride * size_t(c) + sizeof p + size_t(b) * 8, 8);
                        hist[size_t(b)] += int64_t(v);
                    }
                }
                st.assign(count, sum, mn, mx, sumsq, std::move(hist));
                return count;
            };
            if (g.kind == bpf::GlobalMap::Kind::Stat) {
                uint32_t zero = 0;
                if (bpf_map_lookup_elem(s.fd, &zero, values.data()) == 0)
                    statCounts_[g.global][""] = merge(rt_.globalStats[size_t(s.info->index)].stat);
                break;
            }
            ArrayStore& a = rt_.arrays[size_t(s.info->index)];
            a.clear();
            auto& counts = statCounts_[g.global];
            counts.clear();
            namedKeys_[g.global].clear();
            forEachKey(s.fd, g, translation_.symbolTokens, [&](const std::vector<char>& key) {
                if (bpf_map_lookup_elem(s.fd, key.data(), values.data()) != 0)
                    return;
                bool keyHadTokens = false;
                std::string k = toExecutorKey(g, key.data(), keyHadTokens);
                bool inserted = false;
                Statistic& st = a.stats.findOrInsert(k, inserted);
                if (keyHadTokens)
                    namedKeys_[g.global][k].push_back(key);
                if (inserted || !translation_.symbolTokens) {
                    counts[k] = merge(st);
                } else { // another kernel key naming the same
                    Statistic part;
                    counts[k] += merge(part);
                    st.merge(part);
                }
            });
            break;
        }
        }
    }
}

void KernelBridge::push() {
    bool scalarsChanged = false;
    std::vector<char> scalars = scalars_;
    for (const Shared& s : shared_) {
        const bpf::GlobalMap& g = *s.map;
        switch (g.kind) {
        case bpf::GlobalMap::Kind::Scalar: {
            char* at = scalars.data() + g.scalarOffset;
            if (g.valueType == Type::String) {
                const std::string& v = rt_.globalStrings[size_t(s.info->index)];
                std::memset(at, 0, size_t(g.valueSize));
                std::memcpy(at, v.data(), std::min(v.size(), size_t(g.valueSize - 1)));
            } else {
                std::memcpy(at, &rt_.globalLongs[size_t(s.info->index)], 8);
            }
            scalarsChanged = scalarsChanged || std::memcmp(at, scalars_.data() + g.scalarOffset, size_t(g.valueSize)) != 0;
            break;
        }
        case bpf::GlobalMap::Kind::Hash: {
            ArrayStore& a = rt_.arrays[size_t(s.info->index)];
            auto& seen = arrays_[g.global];
            std::map<std::string, std::string> now;
            auto collect = [&](auto& map, auto bytes) {
                for (uint32_t slot : map.slots())
                    now[map.node(slot).key] = bytes(map.node(slot).value);
            };
            if (g.valueType == Type::String)
                collect(a.strings, [&](const std::string& v) {
                    std::string b(size_t(g.valueSize), '\0');
                    std::memcpy(b.data(), v.data(), std::min(v.size(), b.size() - 1));
                    return b;
                });
            else
                collect(a.longs, [](int64_t v) { return std::string(reinterpret_cast<const char*>(&v), 8); });
            for (const auto& [k, v] : seen)
                if (!now.count(k))
                    for (const std::vector<char>& key : kernelKeysOf(g, k))
                        bpf_map_delete_elem(s.fd, key.data());
            for (const auto& [k, v] : now) {
                auto it = seen.find(k);
                if (it != seen.end() && it->second == v)
                    continue;
                // A name that several kernel keys added up to keeps the new value in one.
                std::vector<std::vector<char>> keys = kernelKeysOf(g, k);
                for (size_t i = 1; i < keys.size(); ++i)
                    bpf_map_delete_elem(s.fd, keys[i].data());
                std::vector<char>& key = keys[0];
                if (g.perCpuCounter) {
                    // The value goes to CPU 0's slot, the others start again from 0.
                    std::vector<char> all(8 * size_t(ncpus_), 0);
                    std::memcpy(all.data(), v.data(), 8);
                    bpf_map_update_elem(s.fd, key.data(), all.data(), BPF_ANY);
                } else {
                    bpf_map_update_elem(s.fd, key.data(), v.data(), BPF_ANY);
                }
            }
            break;
        }
        case bpf::GlobalMap::Kind::Stat: {
            if (statCounts_[g.global][""] > 0 && rt_.globalStats[size_t(s.info->index)].stat.count() == 0) {
                size_t stride = (size_t(g.valueSize) + 7) & ~size_t(7);
                std::vector<char> zeros(stride * size_t(ncpus_), 0);
                uint32_t zero = 0;
                bpf_map_update_elem(s.fd, &zero, zeros.data(), BPF_ANY);
            }
            break;
        }
        case bpf::GlobalMap::Kind::StatHash: {
            ArrayStore& a = rt_.arrays[size_t(s.info->index)];
            for (const auto& [k, count] : statCounts_[g.global]) {
                Statistic* st = a.stats.find(k);
                if (!st || (st->count() == 0 && count > 0))
                    for (const std::vector<char>& key : kernelKeysOf(g, k))
                        bpf_map_delete_elem(s.fd, key.data());
            }
            break;
        }
        }
    }
    if (scalarsChanged && scalarsFd_ >= 0) {
        uint32_t zero = 0;
        bpf_map_update_elem(scalarsFd_, &zero, scalars.data(), BPF_ANY);
    }
}

} // namespace tap::rt
