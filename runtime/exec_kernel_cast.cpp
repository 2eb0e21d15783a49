#include "exec_kernel_cast.h"

#include "ast.h"
#include "kernel/btf.h"
#include "kernel/kernel_types.h"

#include <cstring>

namespace tap::rt {

namespace {

[[noreturn]] void readFault(const SourceLoc& loc, int64_t address) {
    char message[80];
    std::snprintf(message, sizeof message, "kernel read fault at 0x%llx [man error::fault]",
                  (unsigned long long)address);
    throw ScriptError{message, loc, "operator '@cast'"};
}

} // namespace

int64_t KernelPathL::eval(Ctx& c) {
    int64_t v = base->eval(c);
    for (const KernelPathOp& op : ops) {
        switch (op.kind) {
        case KernelPathOp::Kind::Add:
            v = int64_t(uint64_t(v) + uint64_t(op.value));
            break;
        case KernelPathOp::Kind::AddScaled:
            v = int64_t(uint64_t(v) + uint64_t(op.index->eval(c)) * uint64_t(op.value));
            break;
        case KernelPathOp::Kind::Load: {
            if (!c.rt->readKernel)
                throw ScriptError{"reading kernel memory in a user-space probe needs a kernel probe in the script "
                                  "(its BPF object carries the reader)",
                                  loc, "operator '@cast'"};
            std::string data;
            if (!c.rt->readKernel(uint64_t(v), uint32_t(op.value), false, data))
                readFault(loc, v);
            uint64_t raw = 0;
            std::memcpy(&raw, data.data(), size_t(op.value)); // little-endian
            int bits = int(op.value) * 8;
            if (op.isSigned && bits < 64 && (raw >> (bits - 1)) & 1)
                raw |= ~uint64_t(0) << bits;
            v = int64_t(raw);
            break;
        }
        }
    }
    return v;
}

std::string kernelCastPath(const CastExpr& cast, const std::function<LNode*(Expr*)>& compileIndex,
                           std::vector<KernelPathOp>& ops) {
    using Kind = kernel::Btf::Kind;
    const kernel::Btf* btf = kernel::Btf::vmlinux();
    if (!btf)
        return "@cast to a kernel type needs the kernel's BTF (/sys/kernel/btf/vmlinux), which this kernel lacks";
    std::string problem;
    int32_t id = kernel::castType(btf, cast.typeName, cast.module, &problem);
    if (!id)
        return problem;
    int32_t aggregate = btf->strip(id), type = 0;
    if (btf->kind(aggregate) != Kind::Struct && btf->kind(aggregate) != Kind::Union)
        return "@cast to '" + cast.typeName + "' needs a struct or union type";
    std::vector<TargetComponent> components = cast.components;
    if (!components.empty() && components[0].kind == TargetComponent::Index) { // @cast(p, "T")[i]: p is a T *
        ops.push_back({KernelPathOp::Kind::AddScaled, btf->size(aggregate), compileIndex(components[0].index)});
        components.erase(components.begin());
        if (components.empty() && !cast.addressOf)
            return "'" + cast.typeName + "' is being accessed instead of a member";
    }
    for (size_t i = 0; i < components.size(); ++i) {
        const TargetComponent& c = components[i];
        bool last = i + 1 == components.size();
        if (c.kind == TargetComponent::Pretty)
            return "pretty-printing ($var$) of a kernel type cannot run in a user-space probe yet";
        if (c.kind == TargetComponent::Index) {
            int32_t element = aggregate ? 0 : btf->pointee(type);
            int64_t size = element ? btf->size(element) : 0;
            if (!element)
                return "'[...]' needs a pointer or an array";
            Kind ek = btf->kind(element);
            if ((ek == Kind::Struct || ek == Kind::Union) && size > 0) { // a struct element is its address
                ops.push_back({KernelPathOp::Kind::AddScaled, size, compileIndex(c.index)});
                aggregate = btf->strip(element);
                continue;
            }
            if (size <= 0 || size > 8)
                return "array elements of this type cannot be read yet";
            ops.push_back({KernelPathOp::Kind::AddScaled, size, compileIndex(c.index)});
            ops.push_back({KernelPathOp::Kind::Load, size, nullptr, btf->isSigned(element)});
            type = element;
            continue;
        }
        int32_t composite = aggregate;
        if (!composite) {
            if (btf->kind(type) != Kind::Pointer)
                return "'->" + c.name + "' needs a pointer to a struct";
            composite = btf->strip(btf->pointee(type));
        }
        Kind ck = btf->kind(composite);
        if (ck != Kind::Struct && ck != Kind::Union)
            return "'->" + c.name + "' needs a pointer to a struct";
        auto member = btf->member(composite, c.name);
        if (!member)
            return "unable to find member '" + c.name + "' for " + (ck == Kind::Union ? "union " : "struct ") +
                   (btf->name(composite).empty() ? "(anon)" : btf->name(composite));
        if (member->bitfieldSize)
            return "bit-field member '" + c.name + "' cannot be read yet";
        ops.push_back({KernelPathOp::Kind::Add, int64_t(member->bitOffset / 8)});
        Kind mk = btf->kind(member->type);
        aggregate = 0;
        type = member->type;
        if (mk == Kind::Struct || mk == Kind::Union)
            aggregate = btf->strip(member->type);
        else if (mk != Kind::Array && !(last && cast.addressOf))
            ops.push_back({KernelPathOp::Kind::Load, btf->size(member->type), nullptr, btf->isSigned(member->type)});
    }
    return {};
}

} // namespace tap::rt
