#include "user/user_providers.h"

namespace tap::user {

std::string checkUserTarget(const UserTypeTable& types, int type, const TargetExpr& target, Type& out) {
    int cur = type;
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
        if (cur < 0)
            return "'" + path + "' has no type information (no DWARF) to access " +
                   (c.kind == TargetComponent::Index ? std::string("'[...]'") : "'->" + c.name + "'");
        const UserType& t = types.at(cur);
        if (c.kind == TargetComponent::Index) {
            if (t.kind != UserType::Kind::Pointer && t.kind != UserType::Kind::Array)
                return "invalid access '" + path + "[...]' vs '" + t.spelling + "' (not a pointer or array)";
            if (t.target < 0)
                return "cannot index '" + path + "': it is a 'void *'";
            if (t.kind == UserType::Kind::Array && t.count > 0 && c.index && c.index->kind == ExprKind::Number) {
                int64_t n = static_cast<const NumberExpr*>(c.index)->value;
                if (n < 0 || n >= t.count)
                    return "index " + std::to_string(n) + " is out of bounds for '" + path + "' (" + t.spelling +
                           "[" + std::to_string(t.count) + "])";
            }
            cur = t.target;
            bitfield = false;
            path += "[...]";
            continue;
        }
        // ->member: through one pointer, or directly into an embedded struct.
        int composite = t.kind == UserType::Kind::Pointer ? t.target : cur;
        if (composite < 0 || (types.at(composite).kind != UserType::Kind::Struct &&
                              types.at(composite).kind != UserType::Kind::Union))
            return "invalid access '->" + c.name + "' vs '" + t.spelling + "' (" + path +
                   " is not a struct or union or a pointer to one)";
        const UserType& st = types.at(composite);
        const UserType::Member* m = st.member(c.name);
        if (!m) {
            std::string alternatives;
            for (const UserType::Member& each : st.members)
                alternatives += (alternatives.empty() ? "" : " ") + each.name;
            return "unable to find member '" + c.name + "' for " + st.spelling + " (alternatives: " + alternatives + ")";
        }
        cur = m->type;
        bitfield = m->bitSize != 0;
        path += "->" + c.name;
    }
    if (cur >= 0) {
        const UserType& t = types.at(cur);
        switch (t.kind) {
        case UserType::Kind::Base:
            if (t.size > 8)
                return "'" + path + "' (" + t.spelling + ") is wider than 64 bits";
            break;
        case UserType::Kind::Enum:
        case UserType::Kind::Pointer:
        case UserType::Kind::Array: // an address, as in stap
            break;
        case UserType::Kind::Struct:
        case UserType::Kind::Union:
            if (!target.addressOf)
                return "'" + t.spelling + "' is being accessed instead of a member (" + path + "); use ->member, &" +
                       path + " or " + path + "$";
            break;
        case UserType::Kind::Void:
            return "'" + path + "' has type void";
        case UserType::Kind::Function:
            return "'" + path + "' is a function";
        }
    }
    if (target.addressOf && bitfield)
        return "cannot take the address of bit-field '" + path + "'";
    if (target.addressOf && target.components.empty())
        return "cannot take the address of '" + target.name + "': it is a probe variable, not in memory";
    out = Type::Long;
    return {};
}

} // namespace tap::user
