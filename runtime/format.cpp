// printf formatting with the rules of stap 4.8's runtime (runtime/vsprintf.c),
// which differ from C's printf in a few places (man stap, "PRINTING"):
//   - the '#' prefix (0, 0x, 0X) is written for every value, zero included;
//   - %p is %#x of the 64-bit value ("0x1234abcd"), not zero-padded;
//   - the '0' flag pads with zeros even when a precision is given, and a
//     precision of 0 still prints the digit of a zero value;
//   - %#c escapes non-printing characters (\n, \', \\, \ooo, ...);
//   - %b writes binary bytes: precision or width 1, 2, 4 or 8 select the
//     size (default 8), and a wider field is padded with NUL bytes;
//   - a '*' precision below 0 counts as 0, a '*' width below 0 left-justifies.
#include "format.h"

#include <algorithm>
#include <cstdio>

namespace tap::rt {

namespace {

// vsprintf.c's number(): sign, alternate prefix, padding and digits.
void appendNumber(std::string& out, const FormatPiece& p, int width, int precision, int64_t value) {
    int base = 10;
    bool isSigned = false, upper = false, special = p.alternate;
    switch (p.conv) {
    case FormatPiece::Conv::Signed: isSigned = true; break;
    case FormatPiece::Conv::Unsigned: break;
    case FormatPiece::Conv::Octal: base = 8; break;
    case FormatPiece::Conv::HexLower: base = 16; break;
    case FormatPiece::Conv::HexUpper: base = 16; upper = true; break;
    case FormatPiece::Conv::Pointer: base = 16; special = true; break;
    default: break;
    }
    bool left = p.left, zero = p.zero && !p.left;
    uint64_t num = uint64_t(value);
    int size = width; // -1: no width
    char sign = 0;
    if (isSigned) {
        if (value < 0) {
            sign = '-';
            num = 0 - num;
            --size;
        } else if (p.plus) {
            sign = '+';
            --size;
        } else if (p.space) {
            sign = ' ';
            --size;
        }
    }
    const char* prefix = "";
    if (special && base == 16)
        prefix = upper ? "0X" : "0x";
    else if (special && base == 8)
        prefix = "0";
    size -= int(std::char_traits<char>::length(prefix));

    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[66];
    int n = 0;
    if (num == 0)
        tmp[n++] = '0';
    while (num != 0) {
        tmp[n++] = digits[num % unsigned(base)];
        num /= unsigned(base);
    }
    if (precision < n)
        precision = n;
    size -= precision;
    int pad = std::max(size, 0);

    if (!zero && !left)
        out.append(size_t(pad), ' ');
    if (sign)
        out += sign;
    out += prefix;
    if (zero)
        out.append(size_t(pad), '0');
    out.append(size_t(precision - n), '0');
    while (n > 0)
        out += tmp[--n];
    if (left)
        out.append(size_t(pad), ' ');
}

// vsprintf.c's _stp_vsprint_char(): one character, escaped with '#'.
void appendChar(std::string& out, const FormatPiece& p, int width, unsigned char c) {
    std::string body(1, char(c));
    bool printable = c >= 0x20 && c < 0x7f;
    if (p.alternate && (!printable || c == '\'' || c == '\\')) {
        switch (c) {
        case '\a': body = "\\a"; break;
        case '\b': body = "\\b"; break;
        case '\f': body = "\\f"; break;
        case '\n': body = "\\n"; break;
        case '\r': body = "\\r"; break;
        case '\t': body = "\\t"; break;
        case '\v': body = "\\v"; break;
        case '\'': body = "\\'"; break;
        case '\\': body = "\\\\"; break;
        default: {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\%03o", c);
            body = buf;
        }
        }
    }
    int padding = width > int(body.size()) ? width - int(body.size()) : 0;
    if (!p.left)
        out.append(size_t(padding), ' ');
    out += body;
    if (p.left)
        out.append(size_t(padding), ' ');
}

int binarySize(int n) { return n == 1 || n == 2 || n == 4 || n == 8 ? n : -1; }

// vsprintf.c's _stp_vsprint_binary(): the low bytes of the value in native
// (little-endian) order, padded with NUL bytes to the field width.
void appendBinary(std::string& out, const FormatPiece& p, int width, int precision, int64_t value) {
    precision = binarySize(precision);
    if (width < 0) {
        width = precision < 0 ? 8 : precision;
        if (precision < 0)
            precision = 8;
    } else if (precision < 0) {
        precision = binarySize(width);
        if (precision < 0)
            precision = 8;
    }
    int padding = width > precision ? width - precision : 0;
    if (!p.left)
        out.append(size_t(padding), '\0');
    uint64_t v = uint64_t(value);
    for (int i = 0; i < precision; ++i)
        out += char((v >> (8 * i)) & 0xff);
    if (p.left)
        out.append(size_t(padding), '\0');
}

void pad(std::string& out, std::string_view body, int width, bool left) {
    int padding = width > int(body.size()) ? width - int(body.size()) : 0;
    if (!left)
        out.append(size_t(padding), ' ');
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
        FormatPiece piece = p;
        if (p.widthArg) {
            int64_t w = take().number;
            if (w < 0) {
                piece.left = true;
                w = -w;
            }
            width = int(std::min<int64_t>(w, 1000000));
        }
        if (p.precisionArg)
            precision = int(std::clamp<int64_t>(take().number, 0, 1000000));
        const FormatArg& a = take();
        switch (p.conv) {
        case FormatPiece::Conv::String: {
            std::string_view s = a.text;
            if (precision >= 0 && size_t(precision) < s.size())
                s = s.substr(0, size_t(precision));
            pad(out, s, width, piece.left);
            break;
        }
        case FormatPiece::Conv::Char:
            appendChar(out, piece, width, (unsigned char)(a.number & 0xff));
            break;
        case FormatPiece::Conv::Binary:
            appendBinary(out, piece, width, precision, a.number);
            break;
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
