#include "symbol_tokens.h"

#include "bpf/translation.h"

#include <cstdlib>

namespace tap::rt {

namespace {

using bpf::SymbolArg;

// One token's text: "SSpid:payload" between the markers.
std::string nameToken(std::string_view token, Symbolizer& symbols, size_t limit) {
    size_t colon = token.find(':');
    if (token.size() < 3 || colon == std::string_view::npos)
        return std::string(token);
    SymbolArg s;
    s.source = SymbolArg::Source(token[0] - 'A');
    s.style = SymbolArg::Style(token[1] - 'a');
    int pid = int(std::strtoll(std::string(token.substr(2, colon - 2)).c_str(), nullptr, 16));
    std::string_view payload = token.substr(colon + 1);
    std::string text;
    if (s.stack()) {
        text = symbols.formatStack(s.user(), pid, payload, s.style, limit);
    } else {
        uint64_t address = std::strtoull(std::string(payload).c_str(), nullptr, 16);
        // A probe's own address is the kernel's when in its (upper) half.
        bool user = s.source == SymbolArg::Source::ProbeAddress ? int64_t(address) >= 0 : s.user();
        text = symbols.formatAddress(user, pid, address, s.style);
    }
    if (text.size() > limit)
        text.resize(limit);
    return text;
}

} // namespace

bool hasSymbolTokens(std::string_view text) {
    return text.find(bpf::kSymbolTokenStart) != std::string_view::npos;
}

std::string expandSymbolTokens(std::string_view text, Symbolizer& symbols, size_t limit) {
    std::string out;
    size_t at = 0;
    for (;;) {
        size_t start = text.find(bpf::kSymbolTokenStart, at);
        size_t end = start == std::string_view::npos ? start : text.find(bpf::kSymbolTokenEnd, start);
        if (end == std::string_view::npos) {
            out += text.substr(at);
            if (out.size() > limit)
                out.resize(limit);
            return out;
        }
        out += text.substr(at, start - at);
        out += nameToken(text.substr(start + 1, end - start - 1), symbols, limit);
        at = end + 1;
    }
}

} // namespace tap::rt
