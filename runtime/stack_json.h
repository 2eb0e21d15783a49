// Stacks in `tstap --json` (docs/protocol.md): a printf argument that is a
// stack's text (sprint_stack(), sprint_ubacktrace(), ...) also travels as
// its frames, so that a flame graph reads frames, never the text.
#pragma once

#include "symbolizer.h"

#include <string>
#include <vector>

namespace tap::rt {

// A printf argument that prints a stack, kernel or user.
struct StackArgument {
    size_t arg = 0;
    bool user = false;
};

// Its frames in one record.
struct PrintedStack {
    size_t arg = 0;
    std::vector<StackFrame> frames;
};

// `,"stacks":[{"arg":0,"kind":"kernel"},...]` for a "formats" entry, "" when none.
std::string stackArgumentsField(const std::vector<StackArgument>& stacks);
// `,"stacks":[{"arg":0,"frames":[{"addr":"0x…","sym":"…","mod":"…"},...]},...]`
// for a "printf" record, "" when none.
std::string printedStacksField(const std::vector<PrintedStack>& stacks);

} // namespace tap::rt
