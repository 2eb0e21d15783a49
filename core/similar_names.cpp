#include "similar_names.h"

#include <algorithm>
#include <set>

namespace tap {

namespace {

// Edit distance where swapping two neighbouring letters costs one edit
// (optimal string alignment): "opne" is one edit from "open".
size_t editDistance(const std::string& a, const std::string& b) {
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i)
        d[i][0] = i;
    for (size_t j = 0; j <= b.size(); ++j)
        d[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i)
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

// How many edits a name of this length may be off and still be suggested.
size_t allowedEdits(size_t length) { return length < 2 ? 0 : length <= 4 ? 1 : length <= 8 ? 2 : 3; }

} // namespace

std::vector<std::string> similarNames(const std::string& word, const std::vector<std::string>& candidates,
                                      size_t max) {
    if (word.empty())
        return {};
    size_t allowed = allowedEdits(word.size());
    // (distance of the whole name, name): a whole-name match ranks before a
    // longer name that only starts like the word.
    std::set<std::pair<size_t, std::string>> ranked;
    std::set<std::string> seen;
    for (const std::string& name : candidates) {
        if (name == word || name.empty() || !seen.insert(name).second)
            continue;
        size_t whole = editDistance(word, name);
        bool close = whole <= allowed;
        if (!close && name.size() > word.size() && name[0] == word[0])
            close = editDistance(word, name.substr(0, word.size())) <= 1;
        if (close)
            ranked.insert({whole, name});
    }
    std::vector<std::string> out;
    for (const auto& [distance, name] : ranked) {
        if (out.size() == max)
            break;
        out.push_back(name);
    }
    return out;
}

std::string similarSuffix(const std::string& word, const std::vector<std::string>& candidates) {
    std::vector<std::string> names = similarNames(word, candidates);
    if (names.empty())
        return {};
    std::string out = " (similar: ";
    for (size_t i = 0; i < names.size(); ++i)
        out += (i ? ", " : "") + names[i];
    return out + ")";
}

} // namespace tap
