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
        for (; j < f.size(); ++j) {
            char c = f[j];
            if (c == '-') p.left = true;
            else if (c == '+') p.plus = true;
            else if (c == ' ') p.space = true;
            else if (c == '#') p.alternate = true;
            else if (c == '0') p.zero = true;
            else break;
        }
        if (j < f.size() && f[j] == '*') {
            p.widthArg = true;
            ++j;
        } else {
            int w = -1;
            while (j < f.size() && std::isdigit((unsigned char)f[j])) {
                w = (w < 0 ? 0 : w) * 10 + (f[j] - '0');
                if (w > 1000000) w = 1000000;
                ++j;
            }
            p.width = w;
        }
        if (j < f.size() && f[j] == '.') {
            ++j;
            if (j < f.size() && f[j] == '*') {
                p.precisionArg = true;
                ++j;
            } else {
                int prec = 0;
                while (j < f.size() && std::isdigit((unsigned char)f[j])) {
                    prec = prec * 10 + (f[j] - '0');
                    if (prec > 1000000) prec = 1000000;
                    ++j;
                }
                p.precision = prec;
            }
        }
        if (j < f.size() && f[j] == 'l')
            ++j;
        if (j >= f.size()) {
            error = "invalid or missing conversion specifier";
            return false;
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
