#include "format.h"

#include <cstdio>

namespace tap::rt {

namespace {

void appendNumber(std::string& out, const FormatPiece& p, int width, int precision, int64_t v) {
    std::string spec = "%";
    if (p.left) spec += '-';
    if (p.plus) spec += '+';
    if (p.space) spec += ' ';
    if (p.alternate) spec += '#';
    if (p.zero) spec += '0';
    if (width >= 0) spec += std::to_string(width);
    if (precision >= 0) spec += "." + std::to_string(precision);
    switch (p.conv) {
    case FormatPiece::Conv::Signed: spec += "lld"; break;
    case FormatPiece::Conv::Unsigned: spec += "llu"; break;
    case FormatPiece::Conv::Octal: spec += "llo"; break;
    case FormatPiece::Conv::HexLower: spec += "llx"; break;
    case FormatPiece::Conv::HexUpper: spec += "llX"; break;
    default: break;
    }
    int n = std::snprintf(nullptr, 0, spec.c_str(), (long long)v);
    if (n <= 0)
        return;
    size_t at = out.size();
    out.resize(at + size_t(n) + 1);
    std::snprintf(out.data() + at, size_t(n) + 1, spec.c_str(), (long long)v);
    out.resize(at + size_t(n));
}

void pad(std::string& out, const std::string& body, int width, bool left, char fill = ' ') {
    int padding = width > int(body.size()) ? width - int(body.size()) : 0;
    if (!left)
        out.append(size_t(padding), fill);
    out += body;
    if (left)
        out.append(size_t(padding), ' ');
}

} // namespace

std::string formatInto(std::string& out, const std::vector<FormatPiece>& pieces,
                       const std::vector<FormatArg>& args) {
    size_t next = 0;
    auto take = [&]() -> const FormatArg& {
        static const FormatArg none;
        return next < args.size() ? args[next++] : none;
    };
    for (const FormatPiece& p : pieces) {
        if (p.conv == FormatPiece::Conv::Literal) {
            out += p.text;
            continue;
        }
        int width = p.width, precision = p.precision;
        if (p.widthArg)
            width = int(take().number);
        if (p.precisionArg)
            precision = int(take().number);
        FormatPiece piece = p;
        if (width < 0 && p.widthArg) {
            piece.left = true;
            width = -width;
        }
        const FormatArg& a = take();
        switch (p.conv) {
        case FormatPiece::Conv::String: {
            std::string_view s = a.text;
            if (precision >= 0 && size_t(precision) < s.size())
                s = s.substr(0, size_t(precision));
            pad(out, std::string(s), width, piece.left);
            break;
        }
        case FormatPiece::Conv::Char:
            pad(out, std::string(1, char(a.number & 0xff)), width, piece.left);
            break;
        case FormatPiece::Conv::Pointer: {
            char buf[32];
            std::snprintf(buf, sizeof buf, "0x%016llx", (unsigned long long)a.number);
            pad(out, buf, width, piece.left);
            break;
        }
        case FormatPiece::Conv::Binary: {
            int bytes = width == 1 || width == 2 || width == 4 || width == 8 ? width : 8;
            uint64_t v = uint64_t(a.number);
            for (int i = 0; i < bytes; ++i)
                out += char((v >> (8 * i)) & 0xff);
            break;
        }
        case FormatPiece::Conv::Memory:
        case FormatPiece::Conv::MemoryHex:
            return "%m and %M read kernel memory and cannot be used in user-space probes";
        default:
            appendNumber(out, piece, width, precision, a.number);
            break;
        }
    }
    return {};
}

} // namespace tap::rt
