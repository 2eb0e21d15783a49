#include "fuzzy_match.h"

#include <cctype>

namespace tapide {

namespace {

char lower(char c) { return char(std::tolower((unsigned char)c)); }

bool wordStart(std::string_view s, size_t i) {
    if (i == 0)
        return true;
    char p = s[i - 1], c = s[i];
    if (p == '_' || p == '.' || p == ':' || p == '"' || p == '(' || p == '$' || p == '@')
        return true;
    return std::islower((unsigned char)p) && std::isupper((unsigned char)c);
}

bool isSubsequence(std::string_view p, std::string_view c) {
    size_t j = 0;
    for (size_t i = 0; i < c.size() && j < p.size(); ++i)
        if (lower(c[i]) == lower(p[j]))
            ++j;
    return j == p.size();
}

} // namespace

int fuzzyScore(std::string_view pattern, std::string_view candidate) {
    if (pattern.empty())
        return 0;
    if (pattern.size() > candidate.size())
        return -1;
    // Exact (case-sensitive, then insensitive) prefixes first.
    bool prefix = true, iprefix = true;
    for (size_t i = 0; i < pattern.size(); ++i) {
        prefix = prefix && pattern[i] == candidate[i];
        iprefix = iprefix && lower(pattern[i]) == lower(candidate[i]);
    }
    if (prefix)
        return 10000 - int(candidate.size());
    if (iprefix)
        return 9000 - int(candidate.size());
    // A contiguous substring at a word start, then anywhere.
    for (size_t start = 1; start + pattern.size() <= candidate.size(); ++start) {
        bool ok = true;
        for (size_t i = 0; ok && i < pattern.size(); ++i)
            ok = lower(pattern[i]) == lower(candidate[start + i]);
        if (ok)
            return (wordStart(candidate, start) ? 7000 : 5000) - int(start) * 4 - int(candidate.size());
    }
    // Subsequence, greedy, preferring word starts.
    int score = 1000;
    size_t ci = 0;
    size_t lastMatch = std::string_view::npos;
    for (size_t pi = 0; pi < pattern.size(); ++pi) {
        char pc = lower(pattern[pi]);
        // Prefer the next word start that matches, if any, before the plain next match.
        size_t found = std::string_view::npos, firstAny = std::string_view::npos;
        for (size_t j = ci; j < candidate.size(); ++j) {
            if (lower(candidate[j]) != pc)
                continue;
            if (firstAny == std::string_view::npos)
                firstAny = j;
            if (wordStart(candidate, j)) {
                found = j;
                break;
            }
        }
        if (firstAny == std::string_view::npos)
            return -1;
        size_t at = firstAny;
        if (lastMatch != std::string_view::npos && firstAny == lastMatch + 1)
            at = firstAny; // keep a run going
        else if (found != std::string_view::npos &&
                 isSubsequence(pattern.substr(pi + 1), candidate.substr(found + 1)))
            at = found;
        if (wordStart(candidate, at))
            score += 40;
        if (lastMatch != std::string_view::npos && at == lastMatch + 1)
            score += 25;
        else if (lastMatch != std::string_view::npos)
            score -= int(at - lastMatch);
        lastMatch = at;
        ci = at + 1;
    }
    return score - int(candidate.size());
}

} // namespace tapide
