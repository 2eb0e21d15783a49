// Tokens of the SystemTap language.
#pragma once

#include "source.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace tap {

enum class Tok : uint8_t {
    Eof,
    Ident,    // identifiers, keywords, $name, @name
    Number,   // text is the literal as written
    String,   // text is the raw content between the quotes (escapes undecoded)
    Op,       // operators and punctuation; see Op
    Embedded, // %{ ... %}; text is what is between the delimiters
};

enum class Op : uint8_t {
    None,
    // three characters
    ShlStat, // <<<
    ShlAssign,
    ShrAssign,
    ShrShr, // >>> (reserved)
    // two characters
    Eq,
    Ne,
    Le,
    Ge,
    Match,    // =~
    NotMatch, // !~
    AddAssign,
    SubAssign,
    MulAssign,
    DivAssign,
    ModAssign,
    AndAssign,
    XorAssign,
    OrAssign,
    ConcatAssign, // .=
    LogAnd,
    LogOr,
    Inc,
    Dec,
    Arrow,
    Shl,
    Shr,
    PpOpen,  // %(
    PpThen,  // %?
    PpElse,  // %:
    PpClose, // %)
    // one character
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Amp,
    Pipe,
    Caret,
    Tilde,
    Bang,
    Lt,
    Gt,
    Assign,
    Dot,
    Comma,
    Semi,
    Colon,
    Question,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Other, // any other character; the parser rejects it
};

enum class Kw : uint8_t {
    None,
    Probe,
    Global,
    Private,
    Function,
    If,
    Else,
    For,
    Foreach,
    In,
    Limit,
    Return,
    Delete,
    While,
    Break,
    Continue,
    Next,
    Try,
    Catch,
    String,
    Long,
};

struct Token {
    Tok kind = Tok::Eof;
    Op op = Op::None;
    Kw kw = Kw::None;
    bool spaceBefore = false; // whitespace or a comment precedes the token
    std::string_view text;
    SourceLoc loc;

    bool is(Op o) const { return kind == Tok::Op && op == o; }
    bool is(Kw k) const { return kind == Tok::Ident && kw == k; }
    bool isIdent() const { return kind == Tok::Ident; }
    // A plain identifier: not a keyword, not $name, not @name.
    bool isName() const {
        return kind == Tok::Ident && kw == Kw::None && text[0] != '$' && text[0] != '@';
    }
};

std::string_view opText(Op op);
Kw keywordOf(std::string_view s);
// stap-style description: "identifier 'x'", "operator '('", "string \"a\"", ...
std::string describe(const Token& t);

} // namespace tap
