// Strings from kernel probes that hold symbol tokens (bpf::kSymbolTokenStart:
// symname(), sprint_ubacktrace(), ... outside a print) get their text here,
// named as a print argument of the same function would be.
#pragma once

#include "symbolizer.h"

#include <string>
#include <string_view>

namespace tap::rt {

bool hasSymbolTokens(std::string_view text);
// TEXT with each token replaced by its name; at most LIMIT bytes, as a
// string in stap.
std::string expandSymbolTokens(std::string_view text, Symbolizer& symbols, size_t limit);

} // namespace tap::rt
