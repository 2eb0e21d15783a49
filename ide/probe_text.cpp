#include "probe_text.h"

#include <cctype>

namespace tapide {

namespace {

std::string trimmed(const std::string& s) {
    size_t a = 0, b = s.size();
    while (a < b && std::isspace((unsigned char)s[a]))
        ++a;
    while (b > a && std::isspace((unsigned char)s[b - 1]))
        --b;
    return s.substr(a, b - a);
}

} // namespace

std::string withoutSpace(std::string_view s) {
    std::string out;
    bool inString = false;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '"' && (i == 0 || s[i - 1] != '\\'))
            inString = !inString;
        if (!inString && std::isspace((unsigned char)c))
            continue;
        out += c;
    }
    return out;
}

std::vector<std::string> splitProbePoints(std::string_view header) {
    std::vector<std::string> points;
    std::string cur;
    int depth = 0;
    bool inString = false;
    for (size_t i = 0; i < header.size(); ++i) {
        char c = header[i];
        if (c == '"' && (i == 0 || header[i - 1] != '\\'))
            inString = !inString;
        if (!inString && c == '(')
            ++depth;
        if (!inString && c == ')')
            --depth;
        if (!inString && depth == 0 && c == ',') {
            if (!trimmed(cur).empty())
                points.push_back(trimmed(cur));
            cur.clear();
            continue;
        }
        cur += c;
    }
    if (!trimmed(cur).empty())
        points.push_back(trimmed(cur));
    return points;
}

} // namespace tapide
