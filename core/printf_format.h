// printf format strings as stap defines them: parsed once at pass 2 (to check
// argument types) and again by the runtime to format output.
#pragma once

#include "ast.h"

#include <string>
#include <string_view>
#include <vector>

namespace tap {

struct FormatPiece {
    enum class Conv : uint8_t {
        Literal, // text (with %% already turned into %)
        Binary,  // %b
        Char,    // %c
        Signed,  // %d %i
        Unsigned,
        Octal,
        HexLower,
        HexUpper,
        Pointer, // %p
        String,  // %s
        Memory,  // %m
        MemoryHex, // %M
    } conv = Conv::Literal;
    std::string text; // Literal pieces
    bool left = false, plus = false, space = false, alternate = false, zero = false;
    int width = -1;     // -1 = none
    int precision = -1; // -1 = none
    bool widthArg = false, precisionArg = false; // '*'

    // Type of the value argument this directive consumes (Unknown for Literal).
    Type argType() const;
};

// Returns false with `error` set ("invalid or missing conversion specifier").
bool parseFormat(std::string_view format, std::vector<FormatPiece>& pieces, std::string& error);

} // namespace tap
