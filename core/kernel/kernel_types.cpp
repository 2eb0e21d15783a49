#include "kernel_types.h"

#include "similar_names.h"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace tap::kernel {

ContextVar btfVariable(const Btf& btf, const std::string& name, int32_t type, int argIndex) {
    ContextVar v;
    v.name = "$" + name;
    v.type = Type::Long;
    v.cType = btf.declare(type);
    v.argIndex = argIndex;
    v.btfType = type;
    v.size = int(btf.size(type));
    v.isSigned = btf.isSigned(type);
    return v;
}

namespace {

std::string trim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.pop_back();
    size_t i = 0;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
        ++i;
    return s.substr(i);
}

} // namespace

ContextVar recordVariable(const TraceField& field, const std::string& name) {
    ContextVar v;
    v.name = "$" + name;
    v.type = Type::Long;
    v.cType = field.cType;
    v.offset = field.offset;
    v.size = field.size;
    v.isSigned = field.isSigned;
    if (field.isCharArray() || field.isDynamic()) {
        v.isString = true;
        return v;
    }
    if (field.arrayLength > 0 || field.isPointer())
        return v;
    // The C type may be narrower than the record's slot (syscall records
    // store every argument as an unsigned long).
    if (Btf* btf = Btf::vmlinux()) {
        if (int32_t id = btf->findType(trim(field.cType))) {
            Btf::Kind k = btf->kind(id);
            int64_t size = btf->size(id);
            if ((k == Btf::Kind::Int || k == Btf::Kind::Enum) && size > 0 && size < field.size &&
                (size == 1 || size == 2 || size == 4)) {
                v.size = int(size);
                v.isSigned = btf->isSigned(id);
            } else if ((k == Btf::Kind::Int || k == Btf::Kind::Enum) && size == field.size) {
                v.isSigned = btf->isSigned(id);
            }
        }
    }
    return v;
}

std::string checkBtfTarget(const Btf& btf, int32_t type, const TargetExpr& target, Type& out) {
    int32_t cur = type;
    bool bitfield = false;
    std::string path = target.name;
    for (size_t i = 0; i < target.components.size(); ++i) {
        const TargetComponent& c = target.components[i];
        if (c.kind == TargetComponent::Pretty) {
            if (i + 1 != target.components.size())
                return "pretty printing ('" + c.name + "') must end the expression";
            if (target.addressOf)
                return "cannot take the address of a pretty-printed value";
            out = Type::String;
            return {};
        }
        Btf::Kind k = btf.kind(cur);
        if (c.kind == TargetComponent::Index) {
            if (k != Btf::Kind::Pointer && k != Btf::Kind::Array)
                return "invalid access '" + path + "[...]' vs '" + btf.declare(cur) + "' (not a pointer or array)";
            int32_t elem = btf.pointee(cur);
            if (btf.kind(elem) == Btf::Kind::Void)
                return "cannot index '" + path + "': it is a 'void *'";
            if (k == Btf::Kind::Array && c.index && c.index->kind == ExprKind::Number) {
                int64_t n = static_cast<const NumberExpr*>(c.index)->value;
                int64_t len = btf.arrayLength(cur);
                if (len > 0 && (n < 0 || n >= len))
                    return "index " + std::to_string(n) + " is out of bounds for '" + path + "' (" +
                           btf.declare(cur) + ")";
            }
            cur = elem;
            bitfield = false;
            path += "[...]";
            continue;
        }
        // ->member: through one pointer, or directly into an embedded struct.
        int32_t composite = cur;
        if (k == Btf::Kind::Pointer) {
            composite = btf.pointee(cur);
            k = btf.kind(composite);
        }
        if (k != Btf::Kind::Struct && k != Btf::Kind::Union)
            return "invalid access '->" + c.name + "' vs '" + btf.declare(cur) + "' (" + path +
                   " is not a struct or union or a pointer to one)";
        int32_t st = btf.strip(composite);
        auto m = btf.member(st, c.name);
        if (!m) {
            std::vector<std::string> members;
            for (const auto& each : btf.members(st))
                members.push_back(each.name);
            return "unable to find member '" + c.name + "' for " + btf.declare(st) + similarSuffix(c.name, members);
        }
        cur = m->type;
        bitfield = m->bitfieldSize != 0;
        path += "->" + c.name;
    }
    switch (btf.kind(cur)) {
    case Btf::Kind::Int:
    case Btf::Kind::Enum:
    case Btf::Kind::Pointer:
    case Btf::Kind::Array: // an address, as in stap
        break;
    case Btf::Kind::Struct:
    case Btf::Kind::Union:
        if (!target.addressOf)
            return "'" + btf.declare(btf.strip(cur)) + "' is being accessed instead of a member (" + path +
                   "); use ->member, &" + path + " or " + path + "$";
        break;
    case Btf::Kind::Float:
        return "floating point value '" + path + "' (" + btf.declare(cur) + ") is not supported";
    case Btf::Kind::Void:
        return "'" + path + "' has type void";
    default:
        return "unsupported type '" + btf.declare(cur) + "' of '" + path + "'";
    }
    if (target.addressOf && bitfield)
        return "cannot take the address of bit-field '" + path + "'";
    if (target.addressOf && target.components.empty())
        return "cannot take the address of '" + target.name + "': it is a probe argument, not in memory";
    out = Type::Long;
    return {};
}

std::vector<std::string> castModules(const std::string& module) {
    std::vector<std::string> modules(1);
    int depth = 0;
    for (char ch : module) {
        if (ch == ':' && depth == 0) {
            modules.emplace_back();
            continue;
        }
        depth += ch == '<' ? 1 : ch == '>' && depth > 0 ? -1 : 0;
        modules.back() += ch;
    }
    return modules;
}

bool isKernelCastModule(const std::string& module) {
    return module.empty() || module == "kernel" || module.rfind("kernel<", 0) == 0;
}

int32_t castType(const Btf* btf, const std::string& typeName, const std::string& module,
                 std::string* problem) {
    auto fail = [&](const std::string& why) {
        if (problem)
            *problem = why;
        return 0;
    };
    std::string where = module.empty() ? std::string("kernel") : module;
    std::vector<std::string> modules = castModules(module);
    if (std::none_of(modules.begin(), modules.end(), isKernelCastModule))
        return fail("type definition '" + typeName + "' not found in '" + where +
                    "': only the kernel's own types (BTF) are available, not those of module '" + module +
                    "' (a program or library is named by its path, a C header as <header.h>)");
    if (!btf)
        return fail("type definition '" + typeName + "' not found in '" + where +
                    "': this kernel has no type information (/sys/kernel/btf/vmlinux)");
    std::string name = typeName;
    while (!name.empty() && name.back() == ' ')
        name.pop_back();
    int32_t id = 0;
    if (name.rfind("struct ", 0) == 0 || name.rfind("union ", 0) == 0 || name.rfind("enum ", 0) == 0)
        id = btf->findType(name);
    else if (!(id = btf->findType("struct " + name)) && !(id = btf->findType("union " + name)))
        id = btf->findType(name);
    if (!id)
        return fail("type definition '" + typeName + "' not found in '" + where + "' (kernel BTF)");
    return id;
}

std::string typeKernelTarget(const std::vector<ContextVar>& vars, const TargetExpr& target,
                             Type& type, bool allowReturn) {
    const std::string& n = target.name;
    if (n == "$$vars" || n == "$$parms" || n == "$$locals" || (n == "$$return" && allowReturn)) {
        for (const TargetComponent& c : target.components)
            if (c.kind != TargetComponent::Pretty)
                return "invalid access to '" + n + "': it is a string of all the variables";
        if (target.addressOf)
            return "cannot take the address of '" + n + "'";
        type = Type::String;
        return {};
    }
    if (n == "$$return")
        return "'$$return' is only available in .return probes";
    for (const ContextVar& v : vars) {
        if (v.name != n)
            continue;
        if (v.btfType) {
            if (Btf* btf = Btf::vmlinux())
                return checkBtfTarget(*btf, v.btfType, target, type);
        }
        // A record field or an untyped value: only the whole value.
        for (const TargetComponent& c : target.components) {
            if (c.kind == TargetComponent::Pretty) {
                type = Type::String;
                return {};
            }
            return "'" + n + "' (" + v.cType + ") has no kernel type information to access " +
                   (c.kind == TargetComponent::Index ? std::string("'[...]'") : "'->" + c.name + "'");
        }
        if (target.addressOf && v.offset < 0)
            return "cannot take the address of '" + n + "': it is a probe argument, not in memory";
        type = v.type;
        return {};
    }
    if (n == "$return")
        return allowReturn ? "'$return' is not available: the function returns void"
                           : "'$return' is only available in .return probes";
    std::string alternatives;
    for (const ContextVar& v : vars)
        alternatives += (alternatives.empty() ? "" : " ") + v.name;
    return "unable to find variable '" + n + "'" +
           (alternatives.empty() ? std::string(" (this probe point has none)")
                                 : " (alternatives: " + alternatives + ")");
}

std::string stapTypeSpelling(const std::string& cTypeIn) {
    std::string cType = trim(cTypeIn);
    if (cType.rfind("__data_loc", 0) == 0 || cType.rfind("__rel_loc", 0) == 0)
        return cType;
    std::string array;
    if (size_t b = cType.find('['); b != std::string::npos) {
        array = cType.substr(b);
        cType = trim(cType.substr(0, b));
    }
    std::vector<std::string> parts;
    size_t start = 0;
    for (;;) {
        size_t star = cType.find('*', start);
        parts.push_back(trim(cType.substr(start, star == std::string::npos ? std::string::npos : star - start)));
        if (star == std::string::npos)
            break;
        start = star + 1;
    }
    // The base type with its qualifiers after it, as stap (DWARF) prints them.
    std::string base = parts[0];
    std::string quals;
    for (bool again = true; again;) {
        again = false;
        for (const char* q : {"const ", "volatile "}) {
            if (base.rfind(q, 0) == 0) {
                base = base.substr(std::string(q).size());
                quals += " " + std::string(q).substr(0, std::string(q).size() - 1);
                again = true;
            }
        }
    }
    std::string out = base + quals;
    for (size_t i = 1; i < parts.size(); ++i) {
        out += "*";
        if (!parts[i].empty())
            out += " " + parts[i];
    }
    return out + array;
}

bool havePrivileges() {
    if (geteuid() == 0)
        return true;
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    if (syscall(SYS_capget, &header, data) != 0)
        return false;
    auto has = [&](int cap) { return (data[cap / 32].effective >> (cap % 32)) & 1; };
    const int kCapSysAdmin = 21, kCapPerfmon = 38, kCapBpf = 39;
    return has(kCapSysAdmin) || (has(kCapBpf) && has(kCapPerfmon));
}

} // namespace tap::kernel
