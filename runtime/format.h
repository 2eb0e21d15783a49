// printf-style formatting with stap's directives, shared by the executor and
// (for BPF printf records) the ring-buffer reader.
#pragma once

#include "printf_format.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tap::rt {

struct FormatArg {
    int64_t number = 0;
    std::string_view text;
};

// Appends the formatted text to `out`. Returns an error text for directives
// that cannot be served (%m/%M outside the kernel), else "".
std::string formatInto(std::string& out, const std::vector<FormatPiece>& pieces,
                       const std::vector<FormatArg>& args);

} // namespace tap::rt
