// "Did you mean": the known names closest to a misspelt one, for the
// "(similar: ...)" that stap adds to unknown probe points and functions.
#pragma once

#include <string>
#include <vector>

namespace tap {

// Up to `max` of `candidates` that look like a misspelling of `word` (a
// letter wrong, missing, extra or two swapped; also a longer name that
// starts that way), closest first. Duplicates and `word` itself are left out.
std::vector<std::string> similarNames(const std::string& word, const std::vector<std::string>& candidates,
                                      size_t max = 5);

// " (similar: open, openat)" or "" when there is none, as stap prints it.
std::string similarSuffix(const std::string& word, const std::vector<std::string>& candidates);

} // namespace tap
