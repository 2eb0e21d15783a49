#include "printf_format.h"

#include <cctype>

namespace tap {

Type FormatPiece::argType() const {
    switch (conv) {
    case Conv::Literal: return Type::Unknown;
    case Conv::String: return Type::String;
    default: return Type::Long;
    }
}

// As stap 4.8's print_format parser: flags, an optional width (digits or
// '*'), an optional precision ('.' then digits or '*'), an optional 'l', then
// the conversion. A conversion cut short by the end of the format is an error
// if it had a flag, width or precision, and is dropped otherwise ("%l", "%.").
// Like stap, at most ONE flag character: "%-+d" and "%+ d" are errors, and in
// "%#08x" the 0 belongs to the width (8, no zero padding).
bool parseFormat(std::string_view f, std::vector<FormatPiece>& pieces, std::string& error) {
    pieces.clear();
    std::string literal;
    auto flushLiteral = [&] {
        if (literal.empty())
            return;
        FormatPiece p;
        p.text = std::move(literal);
        pieces.push_back(std::move(p));
        literal.clear();
    };
    auto number = [&](size_t& j) {
        int v = 0;
        while (j < f.size() && std::isdigit((unsigned char)f[j])) {
            v = v * 10 + (f[j] - '0');
            if (v > 1000000) v = 1000000;
            ++j;
        }
        return v;
    };
    for (size_t i = 0; i < f.size(); ++i) {
        if (f[i] != '%') {
            literal += f[i];
            continue;
        }
        if (i + 1 < f.size() && f[i + 1] == '%') {
            literal += '%';
            ++i;
            continue;
        }
        FormatPiece p;
        size_t j = i + 1;
        if (j >= f.size()) {
            error = "invalid or missing conversion specifier";
            return false;
        }
        bool started = false; // a flag, width or precision was given
        if (j < f.size()) {
            char c = f[j];
            bool flag = true;
            if (c == '-') p.left = true;
            else if (c == '+') p.plus = true;
            else if (c == ' ') p.space = true;
            else if (c == '#') p.alternate = true;
            else if (c == '0') p.zero = true;
            else flag = false;
            if (flag) {
                ++j;
                started = true;
            }
        }
        if (j < f.size() && f[j] == '*') {
            p.widthArg = true;
            started = true;
            ++j;
        } else if (j < f.size() && std::isdigit((unsigned char)f[j])) {
            p.width = number(j);
            started = true;
        }
        if (j < f.size() && f[j] == '.') {
            ++j;
            if (j < f.size() && f[j] == '*') {
                p.precisionArg = true;
                started = true;
                ++j;
            } else if (j < f.size() && std::isdigit((unsigned char)f[j])) {
                p.precision = number(j);
                started = true;
            }
        }
        if (j < f.size() && f[j] == 'l')
            ++j;
        if (j >= f.size()) {
            if (started) {
                error = "trailing incomplete print format conversion";
                return false;
            }
            break; // "%l", "%.": nothing to convert
        }
        switch (f[j]) {
        case 'b': p.conv = FormatPiece::Conv::Binary; break;
        case 'c': p.conv = FormatPiece::Conv::Char; break;
        case 'd': case 'i': p.conv = FormatPiece::Conv::Signed; break;
        case 'u': p.conv = FormatPiece::Conv::Unsigned; break;
        case 'o': p.conv = FormatPiece::Conv::Octal; break;
        case 'x': p.conv = FormatPiece::Conv::HexLower; break;
        case 'X': p.conv = FormatPiece::Conv::HexUpper; break;
        case 'p': p.conv = FormatPiece::Conv::Pointer; break;
        case 's': p.conv = FormatPiece::Conv::String; break;
        case 'm': p.conv = FormatPiece::Conv::Memory; break;
        case 'M': p.conv = FormatPiece::Conv::MemoryHex; break;
        default:
            error = "invalid or missing conversion specifier";
            return false;
        }
        flushLiteral();
        pieces.push_back(p);
        i = j;
    }
    flushLiteral();
    return true;
}

} // namespace tap
