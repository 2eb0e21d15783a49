// The user-space probe families (uprobes on a program's functions,
// statements, PLT entries and SDT markers) and the checks of $variables
// typed from a program's DWARF.
#pragma once

#include "probe_provider.h"

#include <memory>
#include <string>

namespace tap::user {

// `targetExecutable`: the -c/-x program that bare process.function(...) & co.
// probe (only in the target process); "" when there is none.
std::unique_ptr<ProbeProvider> makeUprobeProvider(const std::string& targetExecutable);

// Checks the ->member / [index] / $ components of `target` from a value of
// type `type` (-1: untyped long) in `types`; sets `out` to Long, or String
// when pretty-printed. Returns the error text, "" when fine.
std::string checkUserTarget(const UserTypeTable& types, int type, const TargetExpr& target, Type& out);

} // namespace tap::user
