// Fuzzy matching for completion and filters: the pattern's characters must
// appear in order in the candidate (case-insensitive); exact prefixes,
// matches at word starts (after _ . : or at a capital) and runs of
// consecutive characters score higher.
#pragma once

#include <string_view>

namespace tapide {

// -1 when `pattern` does not match `candidate`; otherwise a score, higher is
// better. An empty pattern matches everything with score 0.
int fuzzyScore(std::string_view pattern, std::string_view candidate);

} // namespace tapide
