#include "member_completion.h"

#include "token_scan.h"

#include "kernel/btf.h"
#include "user_types.h"

namespace tapide {

MemberChain memberChainBefore(std::string_view text, int end) {
    MemberChain chain;
    TokenScan scan = scanTokens(text.substr(0, size_t(std::clamp(end, 0, int(text.size())))));
    const auto& toks = scan.tokens;
    // Backwards: -> name -> name ... $variable
    int i = int(toks.size()) - 1;
    std::vector<std::string> path;
    while (i >= 1 && toks[size_t(i)].is(tap::Op::Arrow) && toks[size_t(i - 1)].kind == tap::Tok::Ident) {
        const std::string& name = toks[size_t(i - 1)].text;
        if (name[0] == '$') {
            chain.variable = name;
            chain.path.assign(path.rbegin(), path.rend());
            return chain;
        }
        if (name[0] == '@')
            break; // members may be spelt like keywords ($p->next), not like @operators
        path.push_back(name);
        i -= 2;
    }
    return chain;
}

namespace {

QString spelling(const MemberChain& chain) {
    QString s = QString::fromStdString(chain.variable);
    for (const std::string& m : chain.path)
        s += "->" + QString::fromStdString(m);
    return s;
}

CompletionItem memberItem(const std::string& name, const std::string& type, const QString& owner) {
    CompletionItem it;
    it.kind = CompletionKind::Member;
    it.name = it.insert = QString::fromStdString(name);
    it.detail = QString::fromStdString(type);
    it.label = it.name + " : " + it.detail;
    it.doc = it.detail + " " + it.name + "\nmember of " + owner;
    return it;
}

// "struct task_struct *" -> ("struct task_struct", 1)
std::pair<std::string, int> splitPointer(std::string type) {
    int stars = 0;
    while (!type.empty() && (type.back() == '*' || type.back() == ' ')) {
        stars += type.back() == '*';
        type.pop_back();
    }
    if (type.rfind("const ", 0) == 0)
        type.erase(0, 6);
    return {type, stars};
}

MemberCompletion kernelMembers(const VarInfo& variable, const MemberChain& chain) {
    using tap::kernel::Btf;
    MemberCompletion out;
    Btf* btf = Btf::vmlinux();
    if (!btf) {
        out.emptyReason = "this kernel has no BTF to read struct members from";
        return out;
    }
    auto [base, stars] = splitPointer(variable.type.toStdString());
    int32_t type = btf->findType(base);
    if (type <= 0 || stars > 1) {
        out.emptyReason = QString("%1 is a %2, not a struct or a pointer to one")
                              .arg(QString::fromStdString(chain.variable), variable.type);
        return out;
    }
    // The struct `type` points to (or is).
    auto target = [&](int32_t t, bool pointer) {
        return pointer ? t : btf->kind(t) == Btf::Kind::Pointer ? btf->pointee(t) : t;
    };
    int32_t composite = target(type, stars == 1);
    MemberChain walked{chain.variable, {}};
    auto notAStruct = [&](int32_t t) {
        Btf::Kind k = btf->kind(t);
        if (k == Btf::Kind::Struct || k == Btf::Kind::Union)
            return false;
        out.emptyReason = QString("%1 is a %2, not a struct or a pointer to one")
                              .arg(spelling(walked), QString::fromStdString(btf->declare(t)));
        return true;
    };
    for (const std::string& name : chain.path) {
        if (notAStruct(composite))
            return out;
        auto m = btf->member(btf->strip(composite), name);
        if (!m) {
            out.emptyReason = QString("%1 has no member '%2'")
                                  .arg(QString::fromStdString(btf->declare(btf->strip(composite))),
                                       QString::fromStdString(name));
            return out;
        }
        walked.path.push_back(name);
        composite = target(m->type, false);
    }
    if (notAStruct(composite))
        return out;
    int32_t st = btf->strip(composite);
    QString owner = QString::fromStdString(btf->declare(st));
    for (const tap::kernel::BtfMember& m : btf->members(st))
        out.items.push_back(memberItem(m.name, btf->declare(m.type), owner));
    return out;
}

MemberCompletion programMembers(const VarInfo& variable, const MemberChain& chain) {
    using Kind = tap::UserType::Kind;
    MemberCompletion out;
    const tap::UserTypeTable& types = *variable.userTypes;
    auto target = [&](int t) { return t >= 0 && types.at(t).kind == Kind::Pointer ? types.at(t).target : t; };
    int composite = target(variable.userType);
    MemberChain walked{chain.variable, {}};
    auto notAStruct = [&](int t) {
        if (t >= 0 && (types.at(t).kind == Kind::Struct || types.at(t).kind == Kind::Union))
            return false;
        out.emptyReason = QString("%1 is a %2, not a struct or a pointer to one")
                              .arg(spelling(walked), t >= 0 ? QString::fromStdString(types.at(t).spelling) : "void");
        return true;
    };
    for (const std::string& name : chain.path) {
        if (notAStruct(composite))
            return out;
        const tap::UserType::Member* m = types.at(composite).member(name);
        if (!m) {
            out.emptyReason = QString("%1 has no member '%2'")
                                  .arg(QString::fromStdString(types.at(composite).spelling), QString::fromStdString(name));
            return out;
        }
        walked.path.push_back(name);
        composite = target(m->type);
    }
    if (notAStruct(composite))
        return out;
    const tap::UserType& st = types.at(composite);
    QString owner = QString::fromStdString(st.spelling);
    for (const tap::UserType::Member& m : st.members)
        out.items.push_back(memberItem(m.name, m.type >= 0 ? types.at(m.type).spelling : "void", owner));
    return out;
}

} // namespace

MemberCompletion membersOf(const VarInfo& variable, const MemberChain& chain) {
    if (variable.userTypes && variable.userType >= 0)
        return programMembers(variable, chain);
    if (variable.type.isEmpty()) {
        MemberCompletion out;
        out.emptyReason = QString("the type of %1 is not known yet").arg(QString::fromStdString(chain.variable));
        return out;
    }
    return kernelMembers(variable, chain);
}

} // namespace tapide
