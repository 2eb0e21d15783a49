// Small text helpers for probe-point headers as written in a script, shared
// by completion, the variable hints and go to definition.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tapide {

// The header without blanks outside string literals: "syscall.read , x" ->
// "syscall.read,x".
std::string withoutSpace(std::string_view s);

// "syscall.read, kernel.trace(\"a,b\")" -> its probe points (commas inside
// strings and parentheses do not split), each trimmed.
std::vector<std::string> splitProbePoints(std::string_view header);

} // namespace tapide
