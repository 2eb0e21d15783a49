#include "btf.h"

#include <bpf/btf.h>

namespace tap::kernel {

Btf* Btf::vmlinux() {
    static Btf* instance = [] () -> Btf* {
        struct btf* b = btf__load_vmlinux_btf();
        if (!b)
            return nullptr;
        return new Btf(b);
    }();
    return instance;
}

Btf::~Btf() { btf__free(btf_); }

std::optional<std::vector<BtfParam>> Btf::tracepointParams(const std::string& tracepoint) const {
    int32_t fn = btf__find_by_name_kind(btf_, ("__bpf_trace_" + tracepoint).c_str(), BTF_KIND_FUNC);
    if (fn < 0)
        return std::nullopt;
    const btf_type* proto = btf__type_by_id(btf_, btf__type_by_id(btf_, uint32_t(fn))->type);
    if (!proto || !btf_is_func_proto(proto))
        return std::nullopt;
    std::vector<BtfParam> params;
    const btf_param* p = btf_params(proto);
    for (unsigned i = 1; i < btf_vlen(proto); ++i) // params[0] is void *__data
        params.push_back({btf__name_by_offset(btf_, p[i].name_off), int32_t(p[i].type)});
    return params;
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

} // namespace tap::kernel
