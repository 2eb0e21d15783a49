#include "btf.h"

#include "cache_directory.h"
#include "kernel/kernel_facts.h"

#include <bpf/btf.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace tap::kernel {

// sysfs gives /sys/kernel/btf/vmlinux a 4 KiB page per system call: 1,300
// of them for 5 MB, 12 ms on an idle machine and 80 ms on a busy one, at
// every start, and once more when libbpf relocates a program. A copy (for
// this boot: the kernel's BTF is the same until the next) reads at once.
std::string vmlinuxBtfPath() {
    static const std::string path = [] {
        const std::string sysfs = "/sys/kernel/btf/vmlinux";
        std::string bootId;
        std::ifstream("/proc/sys/kernel/random/boot_id") >> bootId;
        std::error_code ec;
        uintmax_t size = fs::file_size(sysfs, ec);
        if (bootId.empty() || ec)
            return sysfs;
        std::string dir = cacheDirectory();
        std::string copy = dir + "/vmlinux-" + bootId + ".btf";
        if (fs::file_size(copy, ec) == size && !ec)
            return copy;
        fs::create_directories(dir, ec);
        std::ostringstream bytes;
        bytes << std::ifstream(sysfs, std::ios::binary).rdbuf();
        if (bytes.str().size() != size)
            return sysfs;
        // Written whole under another name first: a concurrent start never reads half a copy.
        std::string partial = copy + "." + std::to_string(getpid());
        std::ofstream(partial, std::ios::binary) << bytes.str();
        fs::rename(partial, copy, ec);
        if (ec) {
            fs::remove(partial, ec);
            return sysfs;
        }
        for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) // earlier boots' copies
            if (e.path().filename().string().starts_with("vmlinux-") && !e.path().filename().string().starts_with("vmlinux-" + bootId))
                fs::remove(e.path(), ec);
        return copy;
    }();
    return path;
}

Btf* Btf::vmlinux() {
    static Btf* instance = [] () -> Btf* {
        struct btf* b = otherKernel() ? btf__parse(kernelFile("/sys/kernel/btf/vmlinux").c_str(), nullptr)
                                      : btf__parse_raw(vmlinuxBtfPath().c_str());
        if (!b)
            return nullptr;
        return new Btf(b);
    }();
    return instance;
}

Btf::~Btf() { btf__free(btf_); }

const btf_type* Btf::tracepointPrototype(uint32_t typedefId) const {
    const btf_type* ptr = btf__type_by_id(btf_, btf__type_by_id(btf_, typedefId)->type);
    if (!ptr || !btf_is_ptr(ptr))
        return nullptr;
    const btf_type* proto = btf__type_by_id(btf_, ptr->type);
    return proto && btf_is_func_proto(proto) && btf_vlen(proto) >= 1 ? proto : nullptr;
}

std::vector<std::string> Btf::typedTracepoints() const {
    std::vector<std::string> names;
    uint32_t n = btf__type_cnt(btf_);
    for (uint32_t id = 1; id < n; ++id) {
        const btf_type* t = btf__type_by_id(btf_, id);
        if (!btf_is_typedef(t))
            continue;
        std::string_view name = btf__name_by_offset(btf_, t->name_off);
        if (name.starts_with("btf_trace_") && tracepointPrototype(id))
            names.emplace_back(name.substr(10));
    }
    std::sort(names.begin(), names.end());
    return names;
}

bool tracepointHasBtf(const std::string& name) {
    static const std::vector<std::string> names = [] {
        std::string btfPath = otherKernel() ? "" : vmlinuxBtfPath();
        bool perBoot = btfPath.ends_with(".btf");
        std::string indexPath = perBoot ? btfPath.substr(0, btfPath.size() - 4) + ".tracepoints" : "";
        std::vector<std::string> out;
        if (perBoot) {
            std::ifstream in(indexPath);
            for (std::string line; std::getline(in, line);)
                out.push_back(line);
            if (!out.empty() && out.back() == "# end") { // a whole file
                out.pop_back();
                return out;
            }
            out.clear();
        }
        Btf* btf = Btf::vmlinux();
        if (!btf)
            return out;
        out = btf->typedTracepoints();
        if (perBoot) {
            // Written whole under another name first, as the BTF copy.
            std::string partial = indexPath + "." + std::to_string(getpid());
            {
                std::ofstream file(partial);
                for (const std::string& n : out)
                    file << n << "\n";
                file << "# end\n";
            }
            std::error_code ec;
            fs::rename(partial, indexPath, ec);
            if (ec)
                fs::remove(partial, ec);
        }
        return out;
    }();
    return std::binary_search(names.begin(), names.end(), name);
}

namespace {

// The parameter types of a FUNC_PROTO after the leading `void *__data`.
std::vector<int32_t> paramTypes(const struct btf* b, const btf_type* proto) {
    std::vector<int32_t> types;
    const btf_param* p = btf_params(proto);
    for (unsigned i = 1; i < btf_vlen(proto); ++i)
        types.push_back(int32_t(p[i].type));
    return types;
}

size_t commonPrefix(const std::string& a, const std::string& b) {
    size_t n = 0;
    while (n < a.size() && n < b.size() && a[n] == b[n])
        ++n;
    return n;
}

} // namespace

int32_t Btf::find(const std::string& name, int kind) const {
    constexpr size_t kScansBeforeIndex = 16;
    std::lock_guard<std::mutex> lock(findMutex_);
    auto [it, fresh] = found_.try_emplace({name, kind}, -1);
    if (!fresh)
        return it->second;
    if (found_.size() > kScansBeforeIndex && byName_.empty()) {
        uint32_t n = btf__type_cnt(btf_);
        byName_.reserve(n);
        for (uint32_t id = 1; id < n; ++id)
            if (const btf_type* t = btf__type_by_id(btf_, id); t->name_off)
                byName_.emplace(btf__name_by_offset(btf_, t->name_off), int32_t(id));
    }
    if (byName_.empty()) {
        int32_t id = btf__find_by_name_kind(btf_, name.c_str(), uint32_t(kind));
        return it->second = id > 0 ? id : -1;
    }
    auto [first, last] = byName_.equal_range(name);
    for (auto candidate = first; candidate != last; ++candidate)
        if (int(btf_kind(btf__type_by_id(btf_, uint32_t(candidate->second)))) == kind &&
            (it->second < 0 || candidate->second < it->second))
            it->second = candidate->second; // the lowest id, as a scan finds
    return it->second;
}

std::optional<std::vector<BtfParam>> Btf::tracepointParams(const std::string& tracepoint) const {
    // tp_btf programs attach through the `btf_trace_NAME` typedef, a pointer
    // to the probe's prototype (whose parameters have no names).
    int32_t td = find(("btf_trace_" + tracepoint).c_str(), BTF_KIND_TYPEDEF);
    const btf_type* proto = td < 0 ? nullptr : tracepointPrototype(uint32_t(td));
    if (!proto)
        return std::nullopt;
    std::vector<int32_t> types = paramTypes(btf_, proto);

    // The names: from __bpf_trace_NAME (TRACE_EVENT), else from the event
    // class's __bpf_trace_CLASS with the same parameter types (DEFINE_EVENT);
    // of several such classes the one sharing the longest name prefix.
    int32_t named = -1;
    int32_t fn = find(("__bpf_trace_" + tracepoint).c_str(), BTF_KIND_FUNC);
    if (fn >= 0) {
        const btf_type* fp = btf__type_by_id(btf_, btf__type_by_id(btf_, uint32_t(fn))->type);
        if (fp && btf_is_func_proto(fp) && paramTypes(btf_, fp) == types)
            named = int32_t(btf__type_by_id(btf_, uint32_t(fn))->type);
    }
    if (named < 0) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!classesIndexed_) {
            classesIndexed_ = true;
            uint32_t n = btf__type_cnt(btf_);
            for (uint32_t id = 1; id < n; ++id) {
                const btf_type* t = btf__type_by_id(btf_, id);
                if (!btf_is_func(t))
                    continue;
                const char* name = btf__name_by_offset(btf_, t->name_off);
                if (std::strncmp(name, "__bpf_trace_", 12) != 0)
                    continue;
                const btf_type* fp = btf__type_by_id(btf_, t->type);
                if (!fp || !btf_is_func_proto(fp) || btf_vlen(fp) < 1)
                    continue;
                traceClasses_[paramTypes(btf_, fp)].push_back({name + 12, int32_t(t->type)});
            }
        }
        auto it = traceClasses_.find(types);
        if (it != traceClasses_.end()) {
            // Ties go to a class that is not an event itself (an
            // event's own __bpf_trace_NAME serves only that event).
            size_t best = 0;
            for (const auto& [cls, protoId] : it->second) {
                bool isEvent = find("btf_trace_" + cls, BTF_KIND_TYPEDEF) > 0;
                size_t score = 2 * commonPrefix(cls, tracepoint) + (isEvent ? 0 : 1);
                if (named < 0 || score > best) {
                    best = score;
                    named = protoId;
                }
            }
        }
    }
    std::vector<BtfParam> params;
    const btf_type* np = named >= 0 ? btf__type_by_id(btf_, uint32_t(named)) : nullptr;
    for (size_t i = 0; i < types.size(); ++i) {
        std::string name;
        if (np)
            name = btf__name_by_offset(btf_, btf_params(np)[i + 1].name_off);
        if (name.empty())
            name = "arg" + std::to_string(i + 1);
        params.push_back({name, types[i]});
    }
    return params;
}

std::optional<std::vector<BtfParam>> Btf::functionParams(const std::string& function,
                                                         int32_t* returnType) const {
    int32_t fn = find(function.c_str(), BTF_KIND_FUNC);
    if (fn < 0)
        return std::nullopt;
    const btf_type* proto = btf__type_by_id(btf_, btf__type_by_id(btf_, uint32_t(fn))->type);
    if (!proto || !btf_is_func_proto(proto))
        return std::nullopt;
    if (returnType)
        *returnType = int32_t(proto->type);
    std::vector<BtfParam> params;
    const btf_param* p = btf_params(proto);
    for (unsigned i = 0; i < btf_vlen(proto); ++i) {
        if (p[i].type == 0) // `...`
            break;
        std::string name = btf__name_by_offset(btf_, p[i].name_off);
        if (name.empty())
            name = "arg" + std::to_string(i + 1);
        params.push_back({name, int32_t(p[i].type)});
    }
    return params;
}

int32_t Btf::findFunction(const std::string& function) const {
    int32_t id = find(function, BTF_KIND_FUNC);
    return id < 0 ? 0 : id;
}

const std::vector<std::string>& Btf::functionNames() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!functionsIndexed_) {
        functionsIndexed_ = true;
        uint32_t n = btf__type_cnt(btf_);
        for (uint32_t id = 1; id < n; ++id) {
            const btf_type* t = btf__type_by_id(btf_, id);
            if (btf_is_func(t))
                functionNames_.push_back(btf__name_by_offset(btf_, t->name_off));
        }
        std::sort(functionNames_.begin(), functionNames_.end());
        functionNames_.erase(std::unique(functionNames_.begin(), functionNames_.end()), functionNames_.end());
    }
    return functionNames_;
}

int32_t Btf::findType(const std::string& cNameIn) const {
    std::string cName = cNameIn;
    auto strip = [&](const char* prefix) {
        size_t n = std::strlen(prefix);
        if (cName.compare(0, n, prefix) == 0) {
            cName = cName.substr(n);
            return true;
        }
        return false;
    };
    while (strip("const ") || strip("volatile "))
        ;
    int kind = -1;
    if (strip("struct "))
        kind = BTF_KIND_STRUCT;
    else if (strip("union "))
        kind = BTF_KIND_UNION;
    else if (strip("enum "))
        kind = BTF_KIND_ENUM;
    if (kind >= 0) {
        int32_t id = find(cName.c_str(), kind);
        if (id < 0 && kind == BTF_KIND_ENUM)
            id = find(cName.c_str(), BTF_KIND_ENUM64);
        return id < 0 ? 0 : id;
    }
    // C spellings of the base types as BTF (and DWARF) name them.
    static const std::pair<const char*, const char*> kSpellings[] = {
        {"unsigned", "unsigned int"},
        {"signed", "int"},
        {"signed int", "int"},
        {"long", "long int"},
        {"signed long", "long int"},
        {"long signed int", "long int"},
        {"unsigned long", "long unsigned int"},
        {"unsigned long int", "long unsigned int"},
        {"long long", "long long int"},
        {"unsigned long long", "long long unsigned int"},
        {"unsigned long long int", "long long unsigned int"},
        {"short", "short int"},
        {"unsigned short", "short unsigned int"},
        {"unsigned short int", "short unsigned int"},
        {"bool", "_Bool"},
    };
    for (const auto& [c, b] : kSpellings)
        if (cName == c) {
            cName = b;
            break;
        }
    for (int k : {BTF_KIND_TYPEDEF, BTF_KIND_INT, BTF_KIND_STRUCT, BTF_KIND_UNION, BTF_KIND_ENUM}) {
        int32_t id = find(cName.c_str(), k);
        if (id > 0)
            return id;
    }
    return 0;
}

int32_t Btf::strip(int32_t id) const {
    for (int guard = 0; guard < 64; ++guard) {
        const btf_type* t = btf__type_by_id(btf_, uint32_t(id));
        if (!t || !(btf_is_typedef(t) || btf_is_mod(t)))
            return id;
        id = int32_t(t->type);
    }
    return id;
}

Btf::Kind Btf::kind(int32_t id) const {
    if (id == 0)
        return Kind::Void;
    const btf_type* t = btf__type_by_id(btf_, uint32_t(strip(id)));
    if (!t) return Kind::Other;
    if (btf_is_int(t)) return Kind::Int;
    if (btf_is_ptr(t)) return Kind::Pointer;
    if (btf_is_array(t)) return Kind::Array;
    if (btf_is_struct(t)) return Kind::Struct;
    if (btf_is_union(t)) return Kind::Union;
    if (btf_is_any_enum(t)) return Kind::Enum;
    if (btf_is_func_proto(t) || btf_is_func(t)) return Kind::Function;
    if (btf_is_float(t)) return Kind::Float;
    if (btf_is_fwd(t)) return Kind::Struct;
    return Kind::Other;
}

int64_t Btf::size(int32_t id) const {
    int64_t s = btf__resolve_size(btf_, uint32_t(id));
    return s < 0 ? 0 : s;
}

bool Btf::isSigned(int32_t id) const {
    const btf_type* t = btf__type_by_id(btf_, uint32_t(strip(id)));
    if (t && btf_is_int(t))
        return btf_int_encoding(t) & BTF_INT_SIGNED;
    if (t && btf_is_any_enum(t))
        return true;
    return false;
}

bool Btf::isChar(int32_t id) const {
    const btf_type* t = btf__type_by_id(btf_, uint32_t(strip(id)));
    return t && btf_is_int(t) && t->size == 1;
}

int32_t Btf::pointee(int32_t id) const {
    const btf_type* t = btf__type_by_id(btf_, uint32_t(strip(id)));
    if (!t) return 0;
    if (btf_is_ptr(t)) return int32_t(t->type);
    if (btf_is_array(t)) return int32_t(btf_array(t)->type);
    return 0;
}

int64_t Btf::arrayLength(int32_t id) const {
    const btf_type* t = btf__type_by_id(btf_, uint32_t(strip(id)));
    return t && btf_is_array(t) ? btf_array(t)->nelems : 0;
}

std::string Btf::name(int32_t id) const {
    const btf_type* t = btf__type_by_id(btf_, uint32_t(id));
    return t ? btf__name_by_offset(btf_, t->name_off) : "";
}

std::string Btf::declare(int32_t id, const std::string& declarator) const {
    const btf_type* t = btf__type_by_id(btf_, uint32_t(id));
    auto join = [&](const std::string& base) { return declarator.empty() ? base : base + " " + declarator; };
    if (!t || id == 0)
        return join("void");
    std::string own = btf__name_by_offset(btf_, t->name_off);
    if (btf_is_int(t) || btf_is_float(t) || btf_is_typedef(t))
        return join(own);
    if (btf_is_struct(t) || (btf_is_fwd(t) && !btf_kflag(t)))
        return join("struct " + (own.empty() ? std::string("(anon)") : own));
    if (btf_is_union(t) || btf_is_fwd(t))
        return join("union " + (own.empty() ? std::string("(anon)") : own));
    if (btf_is_any_enum(t))
        return join("enum " + (own.empty() ? std::string("(anon)") : own));
    if (btf_is_const(t))
        return "const " + declare(int32_t(t->type), declarator);
    if (btf_is_volatile(t))
        return "volatile " + declare(int32_t(t->type), declarator);
    if (btf_is_mod(t))
        return declare(int32_t(t->type), declarator);
    if (btf_is_ptr(t)) {
        const btf_type* target = btf__type_by_id(btf_, t->type);
        if (target && (btf_is_func_proto(target)))
            return "void *" + declarator; // function pointers are addresses here
        return declare(int32_t(t->type), "*" + declarator);
    }
    if (btf_is_array(t)) {
        const struct btf_array* a = btf_array(t);
        std::string d = declarator;
        if (!d.empty() && d[0] == '*')
            d = "(" + d + ")";
        return declare(int32_t(a->type), d + "[" + std::to_string(a->nelems) + "]");
    }
    return join("void");
}

std::optional<BtfMember> Btf::member(int32_t composite, const std::string& wanted) const {
    const btf_type* t = btf__type_by_id(btf_, uint32_t(strip(composite)));
    if (!t || !btf_is_composite(t))
        return std::nullopt;
    const btf_member* m = btf_members(t);
    for (unsigned i = 0; i < btf_vlen(t); ++i) {
        std::string n = btf__name_by_offset(btf_, m[i].name_off);
        if (n == wanted)
            return BtfMember{n, int32_t(m[i].type), btf_member_bit_offset(t, i), btf_member_bitfield_size(t, i)};
        if (n.empty()) {
            if (auto inner = member(int32_t(m[i].type), wanted)) {
                inner->bitOffset += btf_member_bit_offset(t, i);
                return inner;
            }
        }
    }
    return std::nullopt;
}

std::vector<BtfMember> Btf::members(int32_t composite) const {
    std::vector<BtfMember> out;
    const btf_type* t = btf__type_by_id(btf_, uint32_t(strip(composite)));
    if (!t || !btf_is_composite(t))
        return out;
    const btf_member* m = btf_members(t);
    for (unsigned i = 0; i < btf_vlen(t); ++i) {
        std::string n = btf__name_by_offset(btf_, m[i].name_off);
        if (!n.empty()) {
            out.push_back({n, int32_t(m[i].type), btf_member_bit_offset(t, i), btf_member_bitfield_size(t, i)});
            continue;
        }
        for (BtfMember inner : members(int32_t(m[i].type))) {
            inner.bitOffset += btf_member_bit_offset(t, i);
            out.push_back(inner);
        }
    }
    return out;
}

} // namespace tap::kernel
