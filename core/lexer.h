// Pass 1a: turns source text into tokens, pasting script arguments ($1 @1 $# @#).
#pragma once

#include "diagnostics.h"
#include "token.h"

#include <deque>
#include <string>
#include <vector>

namespace tap {

class Lexer {
public:
    // `args` are the script arguments ($1 is args[0]); null means none were given.
    Lexer(const SourceManager& sm, FileId file, DiagnosticSink& diags,
          const std::vector<std::string>* args = nullptr);

    Token next();
    // While skipping an untaken %( %) branch, out-of-range $N is not an error.
    void setSkipping(bool skipping) { skipping_ = skipping; }

private:
    struct Input {
        std::string_view text;
        size_t pos = 0;
        uint32_t line = 1;
        uint32_t col = 1;
        FileId file;
        // Tokens lexed from a pasted argument are located at the $N token.
        SourceLoc pastedAt;
    };

    Token lexOne(Input& in);
    bool skipSpaceAndComments(Input& in);
    char peek(const Input& in, size_t ahead = 0) const {
        return in.pos + ahead < in.text.size() ? in.text[in.pos + ahead] : '\0';
    }
    void advance(Input& in, size_t n = 1);
    SourceLoc locOf(const Input& in) const;
    Token argumentToken(Input& in, SourceLoc loc, bool& pasted);
    void error(const std::string& msg, SourceLoc loc, const std::string& subject);

    const SourceManager& sm_;
    DiagnosticSink& diags_;
    const std::vector<std::string>* args_;
    std::vector<Input> inputs_; // back() is being read; more than one while pasting $N
    std::deque<std::string> pastedTexts_; // stable addresses for token text
    bool skipping_ = false;
};

// Decodes the escapes of a string literal's raw text; returns false (and the
// offending escape in `bad`) for an escape stap does not accept.
bool decodeStringLiteral(std::string_view raw, std::string& out, std::string* bad = nullptr);

} // namespace tap
