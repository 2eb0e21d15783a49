#include "stp_highlighter.h"

#include "token_scan.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

namespace tapide {

using tap::Kw;
using tap::Op;
using tap::Tok;

const char* styleName(StpStyle style) {
    switch (style) {
    case StpStyle::Default: return "Default";
    case StpStyle::Comment: return "Comment";
    case StpStyle::BlockComment: return "Block comment";
    case StpStyle::DocComment: return "Doc comment";
    case StpStyle::Keyword: return "Keyword";
    case StpStyle::Identifier: return "Identifier";
    case StpStyle::Number: return "Number";
    case StpStyle::String: return "String";
    case StpStyle::Operator: return "Operator";
    case StpStyle::TargetVar: return "Target variable";
    case StpStyle::AtOperator: return "@ operator";
    case StpStyle::Preprocessor: return "Preprocessor";
    case StpStyle::Function: return "Function";
    case StpStyle::ProbePoint: return "Probe point";
    case StpStyle::EmbeddedC: return "Embedded C";
    case StpStyle::EmbeddedKeyword: return "Embedded C keyword";
    case StpStyle::EmbeddedComment: return "Embedded C comment";
    case StpStyle::EmbeddedString: return "Embedded C string";
    case StpStyle::EmbeddedNumber: return "Embedded C number";
    case StpStyle::Error: return "Error";
    case StpStyle::Count: break;
    }
    return "?";
}

namespace {

class SpanWriter {
public:
    explicit SpanWriter(std::vector<StyledSpan>& out) : out_(out) {}
    // Styles [start, end); a gap since the last span becomes Default.
    void add(int start, int end, StpStyle style) {
        if (start < pos_)
            start = pos_;
        if (end <= start)
            return;
        if (start > pos_)
            push(pos_, start, StpStyle::Default);
        push(start, end, style);
        pos_ = end;
    }
    void finish(int size) {
        if (size > pos_)
            push(pos_, size, StpStyle::Default);
        pos_ = size;
    }

private:
    void push(int start, int end, StpStyle style) {
        if (!out_.empty() && out_.back().style == style && out_.back().start + out_.back().length == start)
            out_.back().length += end - start;
        else
            out_.push_back({start, end - start, style});
    }
    std::vector<StyledSpan>& out_;
    int pos_ = 0;
};

bool isCKeyword(std::string_view w) {
    static const std::set<std::string, std::less<>> k = {
        "auto",     "break",   "case",     "char",     "const",    "continue", "default",
        "do",       "double",  "else",     "enum",     "extern",   "float",    "for",
        "goto",     "if",      "inline",   "int",      "long",     "register", "return",
        "short",    "signed",  "sizeof",   "static",   "struct",   "switch",   "typedef",
        "union",    "unsigned","void",     "volatile", "while",    "bool",     "true",
        "false",    "NULL",    "u8",       "u16",      "u32",      "u64",      "s8",
        "s16",      "s32",     "s64",      "int64_t",  "uint64_t", "int32_t",  "uint32_t",
        "size_t",   "STAP_RETVALUE", "STAP_RETURN", "STAP_ARG", "CONTEXT", "THIS",
        "#include", "#define", "#if",      "#ifdef",   "#ifndef",  "#endif",   "#else"};
    return k.count(w) != 0;
}

// C inside %{ %}: comments, strings, numbers, keywords.
void highlightC(std::string_view text, int from, int to, SpanWriter& w) {
    int i = from;
    while (i < to) {
        char c = text[i];
        if (c == '/' && i + 1 < to && text[i + 1] == '*') {
            int s = i;
            i += 2;
            while (i < to && !(text[i] == '*' && i + 1 < to && text[i + 1] == '/'))
                ++i;
            i = std::min(to, i + 2);
            w.add(s, i, StpStyle::EmbeddedComment);
        } else if (c == '/' && i + 1 < to && text[i + 1] == '/') {
            int s = i;
            while (i < to && text[i] != '\n')
                ++i;
            w.add(s, i, StpStyle::EmbeddedComment);
        } else if (c == '"' || c == '\'') {
            int s = i++;
            while (i < to && text[i] != c && text[i] != '\n') {
                if (text[i] == '\\')
                    ++i;
                ++i;
            }
            i = std::min(to, i + 1);
            w.add(s, i, StpStyle::EmbeddedString);
        } else if (std::isdigit((unsigned char)c)) {
            int s = i;
            while (i < to && (std::isalnum((unsigned char)text[i]) || text[i] == '.'))
                ++i;
            w.add(s, i, StpStyle::EmbeddedNumber);
        } else if (std::isalpha((unsigned char)c) || c == '_' || c == '#') {
            int s = i++;
            while (i < to && (std::isalnum((unsigned char)text[i]) || text[i] == '_'))
                ++i;
            w.add(s, i, isCKeyword(text.substr(s, i - s)) ? StpStyle::EmbeddedKeyword : StpStyle::EmbeddedC);
        } else {
            w.add(i, i + 1, StpStyle::EmbeddedC);
            ++i;
        }
    }
}

} // namespace

Highlighting highlight(std::string_view text) {
    Highlighting h;
    TokenScan scan = scanTokens(text);
    const auto& toks = scan.tokens;
    int size = int(text.size());

    // Depth changes per line: braces, and comments / embedded code spanning lines.
    int lines = int(scan.lineStarts.size());
    std::vector<int> delta(lines + 1, 0);
    auto span = [&](int start, int end) {
        int l1 = scan.lineOf(start), l2 = scan.lineOf(std::max(start, end - 1));
        if (l2 > l1) {
            delta[l1 - 1] += 1;
            delta[l2 - 1] -= 1;
        }
    };
    for (const ScannedComment& c : scan.comments)
        if (c.block)
            span(c.start, c.end);

    SpanWriter w(h.spans);
    size_t ci = 0;
    auto flushComments = [&](int upTo) {
        while (ci < scan.comments.size() && scan.comments[ci].start < upTo) {
            const ScannedComment& c = scan.comments[ci++];
            w.add(c.start, c.end,
                  c.doc ? StpStyle::DocComment : c.block ? StpStyle::BlockComment : StpStyle::Comment);
        }
    };

    int depth = 0;        // brace depth
    int parenDepth = 0;   // within a probe header
    bool inHeader = false; // between `probe` and its `{`
    for (size_t i = 0; i < toks.size(); ++i) {
        const ScannedToken& t = toks[i];
        flushComments(t.start);
        StpStyle style = StpStyle::Default;
        switch (t.kind) {
        case Tok::Ident:
            if (t.kw != Kw::None) {
                style = StpStyle::Keyword;
                if (t.kw == Kw::Probe && depth == 0) {
                    inHeader = true;
                    parenDepth = 0;
                }
            } else if (t.text[0] == '$') {
                style = StpStyle::TargetVar;
            } else if (t.text[0] == '@') {
                style = t.text == "@define" ? StpStyle::Preprocessor : StpStyle::AtOperator;
            } else if (i > 0 && toks[i - 1].kind == Tok::Ident && toks[i - 1].text == "@define") {
                style = StpStyle::AtOperator; // the macro's name: used as @name
            } else if (inHeader && parenDepth == 0) {
                style = StpStyle::ProbePoint;
            } else if ((i + 1 < toks.size() && toks[i + 1].is(Op::LParen)) ||
                       (i > 0 && toks[i - 1].is(Kw::Function))) {
                style = StpStyle::Function;
            } else {
                style = StpStyle::Identifier;
            }
            break;
        case Tok::Number:
            style = StpStyle::Number;
            break;
        case Tok::String:
            style = StpStyle::String;
            break;
        case Tok::Embedded: {
            span(t.start, t.end);
            int contentStart = std::min(t.end, t.start + 2);
            int contentEnd = t.closed ? t.end - 2 : t.end;
            w.add(t.start, contentStart, StpStyle::Preprocessor);
            highlightC(text, contentStart, contentEnd, w);
            w.add(contentEnd, t.end, StpStyle::Preprocessor);
            continue;
        }
        case Tok::Op:
            switch (t.op) {
            case Op::PpOpen:
            case Op::PpThen:
            case Op::PpElse:
            case Op::PpClose:
                style = StpStyle::Preprocessor;
                break;
            case Op::Other:
                style = StpStyle::Error;
                break;
            case Op::LBrace:
                ++depth;
                ++delta[t.line - 1];
                inHeader = false;
                style = StpStyle::Operator;
                break;
            case Op::RBrace:
                if (depth > 0) {
                    --depth;
                    --delta[t.line - 1];
                }
                style = StpStyle::Operator;
                break;
            case Op::LParen:
                ++parenDepth;
                style = StpStyle::Operator;
                break;
            case Op::RParen:
                parenDepth = std::max(0, parenDepth - 1);
                style = StpStyle::Operator;
                break;
            default:
                style = StpStyle::Operator;
            }
            break;
        case Tok::Eof:
            break;
        }
        w.add(t.start, t.end, style);
    }
    flushComments(size + 1);
    w.finish(size);

    h.folds.resize(lines);
    int level = 0;
    for (int l = 0; l < lines; ++l) {
        int next = std::max(0, level + delta[l]);
        h.folds[l] = {level, next > level};
        level = next;
    }
    return h;
}

StpStyle styleAt(const Highlighting& h, int offset) {
    for (const StyledSpan& s : h.spans)
        if (offset >= s.start && offset < s.start + s.length)
            return s.style;
    return StpStyle::Default;
}

} // namespace tapide
