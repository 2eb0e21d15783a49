// Splitting a command line into words like a shell (quotes, backslashes; no
// expansion): -c commands run without a shell, and the test runner's OPTS.
#pragma once

#include <string>
#include <vector>

namespace tap::rt {

std::vector<std::string> splitWords(const std::string& s);

} // namespace tap::rt
