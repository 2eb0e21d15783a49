// The words of the language as the compiler knows them: keywords (the
// lexer's), the print builtins and the @ operators (the parser's). One
// table each, read by the lexer and parser themselves and by what describes
// the language to other tools (the editors' syntax files, editors/).
#pragma once

#include "ast.h"
#include "token.h"

#include <span>
#include <string_view>

namespace tap {

struct KeywordSpelling {
    std::string_view text;
    Kw kw;
};
std::span<const KeywordSpelling> keywordSpellings();

struct PrintFunction {
    std::string_view name;
    PrintKind kind;
};
// printf, sprintf, print, println, ...: parsed as PrintExpr, not as calls.
std::span<const PrintFunction> printFunctions();

// Every @name the parser takes as an operator (@count, @cast, @defined, ...).
std::span<const std::string_view> atOperators();

} // namespace tap
