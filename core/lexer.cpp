#include "lexer.h"

#include "language_words.h"

#include <cctype>

namespace tap {

namespace {

struct OpSpelling {
    const char* text;
    Op op;
};

constexpr OpSpelling kOps3[] = {
    {"<<<", Op::ShlStat}, {"<<=", Op::ShlAssign}, {">>=", Op::ShrAssign}, {">>>", Op::ShrShr}};
constexpr OpSpelling kOps2[] = {
    {"==", Op::Eq},        {"!=", Op::Ne},        {"<=", Op::Le},        {">=", Op::Ge},
    {"=~", Op::Match},     {"!~", Op::NotMatch},  {"+=", Op::AddAssign}, {"-=", Op::SubAssign},
    {"*=", Op::MulAssign}, {"/=", Op::DivAssign}, {"%=", Op::ModAssign}, {"&=", Op::AndAssign},
    {"^=", Op::XorAssign}, {"|=", Op::OrAssign},  {".=", Op::ConcatAssign},
    {"&&", Op::LogAnd},    {"||", Op::LogOr},     {"++", Op::Inc},       {"--", Op::Dec},
    {"->", Op::Arrow},     {"<<", Op::Shl},       {">>", Op::Shr},       {"%(", Op::PpOpen},
    {"%?", Op::PpThen},    {"%:", Op::PpElse},    {"%)", Op::PpClose}};
constexpr OpSpelling kOps1[] = {
    {"+", Op::Plus},     {"-", Op::Minus},    {"*", Op::Star},     {"/", Op::Slash},
    {"%", Op::Percent},  {"&", Op::Amp},      {"|", Op::Pipe},     {"^", Op::Caret},
    {"~", Op::Tilde},    {"!", Op::Bang},     {"<", Op::Lt},       {">", Op::Gt},
    {"=", Op::Assign},   {".", Op::Dot},      {",", Op::Comma},    {";", Op::Semi},
    {":", Op::Colon},    {"?", Op::Question}, {"(", Op::LParen},   {")", Op::RParen},
    {"[", Op::LBracket}, {"]", Op::RBracket}, {"{", Op::LBrace},   {"}", Op::RBrace}};

bool isIdentStart(char c) { return std::isalpha((unsigned char)c) || c == '_' || c == '$' || c == '@'; }
bool isIdentChar(char c) { return std::isalnum((unsigned char)c) || c == '_' || c == '$'; }

} // namespace

std::string_view opText(Op op) {
    for (auto& s : kOps3)
        if (s.op == op)
            return s.text;
    for (auto& s : kOps2)
        if (s.op == op)
            return s.text;
    for (auto& s : kOps1)
        if (s.op == op)
            return s.text;
    return "?";
}

Kw keywordOf(std::string_view s) {
    for (const KeywordSpelling& k : keywordSpellings())
        if (k.text == s)
            return k.kw;
    return Kw::None;
}

std::string describe(const Token& t) {
    switch (t.kind) {
    case Tok::Eof:
        return "end of input";
    case Tok::Ident:
        // As stap prints tokens: a keyword without its text, @name as an operator.
        if (t.kw != Kw::None)
            return "keyword";
        if (!t.text.empty() && t.text[0] == '@')
            return "operator '" + std::string(t.text) + "'";
        return "identifier '" + std::string(t.text) + "'";
    case Tok::Number:
        return "number '" + std::string(t.text) + "'";
    case Tok::String:
        return "string '" + std::string(t.text) + "'";
    case Tok::Op:
        return "operator '" + std::string(t.text) + "'";
    case Tok::Embedded:
        return "embedded-code";
    }
    return "token";
}

Lexer::Lexer(const SourceManager& sm, FileId file, DiagnosticSink& diags,
             const std::vector<std::string>* args)
    : sm_(sm), diags_(diags), args_(args) {
    Input in;
    in.text = sm.text(file);
    in.file = file;
    inputs_.push_back(in);
}

void Lexer::error(const std::string& msg, SourceLoc loc, const std::string& subject) {
    diags_.error(Phase::Parse, msg, loc, subject);
}

SourceLoc Lexer::locOf(const Input& in) const {
    if (in.pastedAt.valid())
        return in.pastedAt;
    return {in.file, in.line, in.col};
}

void Lexer::advance(Input& in, size_t n) {
    for (size_t i = 0; i < n && in.pos < in.text.size(); ++i) {
        if (in.text[in.pos++] == '\n') {
            ++in.line;
            in.col = 1;
        } else {
            ++in.col;
        }
    }
}

bool Lexer::skipSpaceAndComments(Input& in) {
    bool skipped = false;
    for (;;) {
        char c = peek(in);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            advance(in);
        } else if (c == '#' || (c == '/' && peek(in, 1) == '/')) {
            while (in.pos < in.text.size() && peek(in) != '\n')
                advance(in);
        } else if (c == '/' && peek(in, 1) == '*') {
            advance(in, 2);
            for (;;) {
                if (in.pos >= in.text.size())
                    break; // stap accepts a comment that runs to the end of the file
                if (peek(in) == '*' && peek(in, 1) == '/') {
                    advance(in, 2);
                    break;
                }
                advance(in);
            }
        } else {
            return skipped;
        }
        skipped = true;
    }
}

Token Lexer::next() {
    for (;;) {
        Input& in = inputs_.back();
        bool space = skipSpaceAndComments(in);
        if (in.pos >= in.text.size()) {
            if (inputs_.size() == 1) {
                Token t;
                t.kind = Tok::Eof;
                t.loc = locOf(in);
                t.spaceBefore = true;
                return t;
            }
            inputs_.pop_back();
            continue;
        }
        char c = peek(in);
        char c2 = peek(in, 1);
        if ((c == '$' || c == '@') && (std::isdigit((unsigned char)c2) || c2 == '#')) {
            SourceLoc at = locOf(in);
            bool pasted = false;
            Token t = argumentToken(in, at, pasted);
            if (pasted)
                continue;
            t.spaceBefore = space;
            return t;
        }
        Token t = lexOne(in);
        t.spaceBefore = space;
        return t;
    }
}

// $N pastes the argument's text into the token stream; @N is it as a string;
// $# and @# are the argument count.
Token Lexer::argumentToken(Input& in, SourceLoc loc, bool& pasted) {
    size_t start = in.pos;
    char sigil = peek(in);
    advance(in);
    Token t;
    t.loc = loc;
    // As stap: an argument's text is not searched for more arguments (one
    // that pasted itself twice would double at each level).
    if (in.pastedAt.valid()) {
        while (peek(in) == '#' || std::isdigit((unsigned char)peek(in)))
            advance(in);
        error("invalid nested substitution of command line arguments", in.pastedAt, "junk ''");
        t.kind = Tok::Number;
        t.text = "0";
        return t;
    }
    size_t count = args_ ? args_->size() : 0;
    if (peek(in) == '#') {
        advance(in);
        pastedTexts_.push_back(std::to_string(count));
        t.kind = sigil == '$' ? Tok::Number : Tok::String;
        t.text = pastedTexts_.back();
        return t;
    }
    size_t digitsStart = in.pos;
    while (std::isdigit((unsigned char)peek(in)))
        advance(in);
    std::string_view spelled = in.text.substr(start, in.pos - start);
    unsigned long index = std::stoul(std::string(in.text.substr(digitsStart, in.pos - digitsStart)).substr(0, 9));
    if (index < 1 || index > count) {
        if (!skipping_)
            error("command line argument out of range [1-" + std::to_string(count) + "]", loc,
                  "unknown '" + std::string(spelled) + "'");
        t.kind = sigil == '$' ? Tok::Number : Tok::String;
        t.text = sigil == '$' ? "0" : "";
        return t;
    }
    const std::string& value = (*args_)[index - 1];
    if (sigil == '@') {
        t.kind = Tok::String;
        // The token text is a raw literal: escape what would otherwise be decoded.
        std::string raw;
        for (char ch : value) {
            if (ch == '\\' || ch == '"')
                raw += '\\';
            raw += ch;
        }
        pastedTexts_.push_back(std::move(raw));
        t.text = pastedTexts_.back();
        return t;
    }
    pastedTexts_.push_back(value);
    Input sub;
    sub.text = pastedTexts_.back();
    sub.file = loc.file;
    sub.pastedAt = loc;
    inputs_.push_back(sub);
    pasted = true;
    return t;
}

Token Lexer::lexOne(Input& in) {
    Token t;
    t.loc = locOf(in);
    size_t start = in.pos;
    char c = peek(in);

    if (isIdentStart(c)) {
        advance(in);
        while (isIdentChar(peek(in)))
            advance(in);
        t.kind = Tok::Ident;
        t.text = in.text.substr(start, in.pos - start);
        t.kw = keywordOf(t.text);
        return t;
    }
    if (std::isdigit((unsigned char)c)) {
        while (std::isalnum((unsigned char)peek(in)))
            advance(in);
        t.kind = Tok::Number;
        t.text = in.text.substr(start, in.pos - start);
        return t;
    }
    if (c == '"') {
        advance(in);
        size_t contentStart = in.pos;
        for (;;) {
            if (in.pos >= in.text.size()) {
                error("Could not find matching closing quote", t.loc, "unknown '\"'");
                t.kind = Tok::String;
                t.text = in.text.substr(contentStart, in.pos - contentStart);
                return t;
            }
            char ch = peek(in);
            if (ch == '"')
                break;
            if (ch == '\n') {
                error("Could not find matching closing quote", t.loc, "unknown '\"'");
                t.kind = Tok::String;
                t.text = in.text.substr(contentStart, in.pos - contentStart);
                return t;
            }
            if (ch == '\\' && in.pos + 1 < in.text.size())
                advance(in);
            advance(in);
        }
        t.kind = Tok::String;
        t.text = in.text.substr(contentStart, in.pos - contentStart);
        advance(in); // closing quote
        return t;
    }
    if (c == '%' && peek(in, 1) == '{') {
        advance(in, 2);
        size_t contentStart = in.pos;
        for (;;) {
            if (in.pos >= in.text.size()) {
                error("Could not find matching '%}' to close embedded function block", t.loc,
                      "embedded-code");
                break;
            }
            if (peek(in) == '%' && peek(in, 1) == '}')
                break;
            advance(in);
        }
        t.kind = Tok::Embedded;
        t.text = in.text.substr(contentStart, in.pos - contentStart);
        advance(in, 2);
        return t;
    }

    std::string_view rest = in.text.substr(in.pos);
    t.kind = Tok::Op;
    // The first character rules out most operators without a comparison
    // (the lexer reads every tapset at each start).
    for (auto& s : kOps3)
        if (c == s.text[0] && rest.substr(0, 3) == s.text) {
            t.op = s.op;
            t.text = rest.substr(0, 3);
            advance(in, 3);
            return t;
        }
    for (auto& s : kOps2)
        if (c == s.text[0] && rest.substr(0, 2) == s.text) {
            t.op = s.op;
            t.text = rest.substr(0, 2);
            advance(in, 2);
            return t;
        }
    for (auto& s : kOps1)
        if (c == s.text[0]) {
            t.op = s.op;
            t.text = rest.substr(0, 1);
            advance(in);
            return t;
        }
    t.op = Op::Other;
    t.text = rest.substr(0, 1);
    advance(in);
    return t;
}

bool decodeStringLiteral(std::string_view raw, std::string& out, std::string* bad) {
    out.clear();
    out.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c != '\\' || i + 1 >= raw.size()) {
            out += c;
            continue;
        }
        char e = raw[++i];
        switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'v': out += '\v'; break;
        case '\\': out += '\\'; break;
        case '"': out += '"'; break;
        case '\'': out += '\''; break;
        case '?': out += '?'; break;
        case '\n': break; // line continuation
        case 'x': {
            int value = 0, digits = 0;
            while (digits < 2 && i + 1 < raw.size() && std::isxdigit((unsigned char)raw[i + 1])) {
                char h = raw[++i];
                value = value * 16 + (std::isdigit((unsigned char)h) ? h - '0' : (std::tolower(h) - 'a' + 10));
                ++digits;
            }
            if (digits == 0) {
                out += "\\x"; // stap passes a bare \x through
                break;
            }
            out += char(value);
            break;
        }
        default:
            if (e >= '0' && e <= '7') {
                int value = e - '0', digits = 1;
                while (digits < 3 && i + 1 < raw.size() && raw[i + 1] >= '0' && raw[i + 1] <= '7') {
                    value = value * 8 + (raw[++i] - '0');
                    ++digits;
                }
                out += char(value);
            } else {
                // stap's lexer drops the backslash of an unknown escape: "\q" is "q".
                out += e;
            }
        }
    }
    return true;
}

} // namespace tap
