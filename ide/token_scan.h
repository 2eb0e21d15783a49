// The script's tokens with their byte ranges, from core's own lexer
// (tap::Lexer), plus the comments the lexer skips, found between tokens.
// Shared by highlighting, completion and signature help, so that what the
// editor understands is exactly what the compiler sees.
#pragma once

#include "token.h"

#include <string>
#include <string_view>
#include <vector>

namespace tapide {

struct ScannedToken {
    tap::Tok kind = tap::Tok::Eof;
    tap::Op op = tap::Op::None;
    tap::Kw kw = tap::Kw::None;
    int start = 0; // byte offsets into the text, [start, end)
    int end = 0;
    int line = 0; // 1-based line of start
    bool closed = true; // strings and embedded code: the closing delimiter is there
    std::string text;   // the spelling (for strings: the raw content between the quotes)

    bool is(tap::Op o) const { return kind == tap::Tok::Op && op == o; }
    bool is(tap::Kw k) const { return kind == tap::Tok::Ident && kw == k; }
    bool isName() const {
        return kind == tap::Tok::Ident && kw == tap::Kw::None && !text.empty() && text[0] != '$' &&
               text[0] != '@';
    }
};

struct ScannedComment {
    int start = 0, end = 0;
    bool doc = false;   // /** ... */
    bool block = false; // /* ... */ (else # or //)
};

struct TokenScan {
    std::vector<ScannedToken> tokens; // without Eof
    std::vector<ScannedComment> comments;
    std::vector<int> lineStarts; // byte offset of each line (index 0 = line 1)
    int lineOf(int offset) const; // 1-based
};

// Lexes `text` (a whole script) with tap::Lexer. `stopAt`, when >= 0, ends
// the scan at the first token that starts at or after that offset.
TokenScan scanTokens(std::string_view text, int stopAt = -1);

} // namespace tapide
