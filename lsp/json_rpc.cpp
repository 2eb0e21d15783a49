#include "json_rpc.h"

#include <cctype>
#include <charconv>
#include <utility>

namespace taplsp {

namespace {

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower((unsigned char)a[i]) != std::tolower((unsigned char)b[i])) return false;
    return true;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

} // namespace

std::optional<std::string> MessageReader::next() {
    for (;;) {
        size_t headerEnd = buffer_.find("\r\n\r\n");
        if (headerEnd == std::string::npos) {
            if (buffer_.size() > kMaxHeaderBytes) {
                error_ =
                    "no end of header in " + std::to_string(buffer_.size()) + " bytes; dropped";
                buffer_.clear();
            }
            return std::nullopt;
        }
        std::string_view header(buffer_.data(), headerEnd);
        std::optional<size_t> length;
        std::string problem;
        while (!header.empty()) {
            size_t eol = header.find("\r\n");
            std::string_view line = header.substr(0, eol);
            header = eol == std::string_view::npos ? std::string_view() : header.substr(eol + 2);
            size_t colon = line.find(':');
            if (colon == std::string_view::npos) {
                problem = "header line without ':': '" + std::string(line) + "'";
                continue;
            }
            if (!equalsIgnoringCase(trimmed(line.substr(0, colon)), "Content-Length"))
                continue; // Content-Type and anything newer
            std::string_view value = trimmed(line.substr(colon + 1));
            size_t n = 0;
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (ec != std::errc() || end != value.data() + value.size())
                problem = "Content-Length is not a number: '" + std::string(value) + "'";
            else
                length = n;
        }
        size_t bodyStart = headerEnd + 4;
        if (!length || !problem.empty()) {
            error_ = problem.empty() ? "header without Content-Length; dropped"
                                     : problem + "; header dropped";
            buffer_.erase(0, bodyStart);
            continue;
        }
        if (buffer_.size() - bodyStart < *length) return std::nullopt;
        std::string body = buffer_.substr(bodyStart, *length);
        buffer_.erase(0, bodyStart + *length);
        return body;
    }
}

std::string MessageReader::takeError() {
    return std::exchange(error_, {});
}

std::string frameMessage(std::string_view body) {
    std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    out.append(body);
    return out;
}

} // namespace taplsp
