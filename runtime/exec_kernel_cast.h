// @cast(p, "T")->a->b[i] on a kernel type in a user-space probe: the member
// path is resolved against the kernel's BTF when the probe is compiled, and
// its loads go through the kernel session's reader (Runtime::readKernel), as
// kernel_long() & co. do. Members that are arrays or structs are their
// address, as in stap.
#pragma once

#include "exec.h"

#include <functional>
#include <string>
#include <vector>

namespace tap {
struct CastExpr;
struct Expr;
} // namespace tap

namespace tap::rt {

struct KernelPathOp {
    enum class Kind { Add, AddScaled, Load } kind;
    int64_t value = 0;       // Add: the bytes; AddScaled: the element size; Load: the size
    LNode* index = nullptr;  // AddScaled
    bool isSigned = false;   // Load
};

struct KernelPathL : LNode {
    LNode* base = nullptr;
    std::vector<KernelPathOp> ops;
    int64_t eval(Ctx& c) override;
};

// The operations of `cast`'s components; an error's text when the path does
// not name a readable kernel value.
std::string kernelCastPath(const CastExpr& cast, const std::function<LNode*(Expr*)>& compileIndex,
                           std::vector<KernelPathOp>& ops);

} // namespace tap::rt
