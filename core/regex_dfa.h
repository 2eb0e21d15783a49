// POSIX extended regular expressions compiled to a DFA, so that `=~` can
// run in a BPF program: a table walk over the string, as stap compiles its
// regexes to DFAs in C. Search semantics as regexec(3): a match anywhere.
// The input the DFA reads is BEGIN, the string's bytes, END; `^` and `$`
// are the symbols BEGIN and END, so anchors anywhere in the pattern
// ("a|^b", "(x$)") need no special case.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tap {

struct RegexDfa {
    static constexpr int kBegin = 256, kEnd = 257, kSymbols = 258;
    int classes = 0;                         // symbols with the same transitions share a class
    std::array<uint8_t, kSymbols> classOf{}; // symbol -> class
    std::vector<uint16_t> next;              // [state * classes + class]; state 0 rejects for good
    std::vector<uint8_t> accepting;          // per state; accepting states keep accepting
    uint16_t start = 1;
    size_t states() const { return accepting.size(); }
    // The reference walk (the BPF code does the same): true if the regex
    // matches somewhere in `text`.
    bool matches(std::string_view text) const;
};

// nullopt with `error` for what this compiler does not take (back
// references, word boundaries, collating elements) or a DFA larger than
// `maxStates`.
std::optional<RegexDfa> compileRegexDfa(const std::string& pattern, std::string& error, size_t maxStates = 1024);

} // namespace tap
