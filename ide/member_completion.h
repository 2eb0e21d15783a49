// Completion after `->`: the members of the struct (or union) that a
// $variable, through the members written after it, points to — from the
// kernel's BTF for kernel $variables, from the program's DWARF for a user
// program's. Plain logic, for the completion engine.
#pragma once

#include "completion_engine.h"

#include <string>
#include <string_view>
#include <vector>

namespace tapide {

// `$prev->mm->` before byte offset `end` (the start of the member being
// typed): the variable and the members between it and the last `->`.
struct MemberChain {
    std::string variable; // "$prev", "" when the text before is no such chain
    std::vector<std::string> path; // {"mm"}
};
MemberChain memberChainBefore(std::string_view text, int end);

struct MemberCompletion {
    QVector<CompletionItem> items; // every member, in declaration order
    QString emptyReason;           // why there are none ("'$x->a' is a long, not a struct")
};
// The members after `chain`, the variable described by `variable` (its
// C type, and for a program's variable its DWARF type).
MemberCompletion membersOf(const VarInfo& variable, const MemberChain& chain);

} // namespace tapide
