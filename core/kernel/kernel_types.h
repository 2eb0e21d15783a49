// Shared by the kernel probe providers: $variables typed from BTF or from a
// tracepoint record, and the checks of `$var->member[N]$` expressions that
// typeTarget() performs.
#pragma once

#include "probe_provider.h"
#include "kernel/btf.h"
#include "kernel/tracefs.h"

#include <string>
#include <vector>

namespace tap::kernel {

// A probe argument typed by BTF: ctx[argIndex] of a tp_btf / fentry program.
ContextVar btfVariable(const Btf& btf, const std::string& name, int32_t type, int argIndex);

// A field of a tracepoint record (`tracepoint/SYSTEM/NAME` programs). Scalars
// stored wider than their C type (syscall arguments are 8 bytes in the record
// whatever their type) are narrowed to the C type's size and signedness, so
// `int dfd` reads -100, not 4294967196. Char arrays and __data_loc strings
// are addresses of their bytes (isString).
ContextVar recordVariable(const TraceField& field, const std::string& name);

// Checks the member / index / pretty-print components of `target` starting
// from a value of BTF type `type`; sets `out` (Long, or String when
// pretty-printed). Returns the error text, "" when fine.
std::string checkBtfTarget(const Btf& btf, int32_t type, const TargetExpr& target, Type& out);

// The modules of an @cast's module string, in the order stap tries them:
// "kernel:</usr/include/stdio.h>" is {"kernel", "</usr/include/stdio.h>"}
// (a colon inside <...> is part of a header's path). {""} for "".
std::vector<std::string> castModules(const std::string& module);

// Does this module of an @cast name the kernel: "", "kernel" or
// "kernel<header.h>..." (headers are not needed: the types come from BTF)?
bool isKernelCastModule(const std::string& module);

// The BTF type an `@cast(p, "typeName", "module")` names: a struct, union or
// typedef of the kernel ("task_struct", "struct rq", "union futex_key").
// `module` is one that isKernelCastModule() accepts, or a list of modules
// (castModules) one of which is. Returns the type id, or 0 and sets `problem`.
int32_t castType(const Btf* btf, const std::string& typeName, const std::string& module,
                 std::string* problem);

// typeTarget() for the kernel providers: $$vars/$$parms (and $$locals,
// $$return when `allowReturn`), then each ContextVar, typed through BTF when
// it has a btfType; record fields accept only `$var$` suffixes and `&`.
std::string typeKernelTarget(const std::vector<ContextVar>& vars, const TargetExpr& target,
                             Type& type, bool allowReturn = false);

// A stap-style spelling of a C type for -L listings: "struct task_struct*",
// "char const*", "unsigned int".
std::string stapTypeSpelling(const std::string& cType);

// Is the running process able to load BPF programs (root, or CAP_BPF and
// CAP_PERFMON / CAP_SYS_ADMIN)?
bool havePrivileges();

} // namespace tap::kernel
