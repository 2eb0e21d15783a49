#include "token_scan.h"

#include "diagnostics.h"
#include "lexer.h"
#include "source.h"

#include <algorithm>

namespace tapide {

int TokenScan::lineOf(int offset) const {
    auto it = std::upper_bound(lineStarts.begin(), lineStarts.end(), offset);
    return int(it - lineStarts.begin());
}

namespace {

// Comments and whitespace in [from, to): the lexer skipped them.
void scanGap(std::string_view text, int from, int to, std::vector<ScannedComment>& out) {
    int i = from;
    while (i < to) {
        char c = text[i];
        if (c == '#' || (c == '/' && i + 1 < to && text[i + 1] == '/')) {
            int start = i;
            while (i < to && text[i] != '\n')
                ++i;
            out.push_back({start, i, false, false});
        } else if (c == '/' && i + 1 < to && text[i + 1] == '*') {
            int start = i;
            bool doc = i + 2 < to && text[i + 2] == '*' && !(i + 3 < to && text[i + 3] == '/');
            i += 2;
            while (i < to && !(text[i] == '*' && i + 1 < to && text[i + 1] == '/'))
                ++i;
            i = std::min(to, i + 2);
            out.push_back({start, i, doc, true});
        } else {
            ++i;
        }
    }
}

// $1 @2 $# @#: the lexer pastes these, so their text is not in the source.
int argumentEnd(std::string_view text, int start) {
    int i = start + 1;
    if (i < int(text.size()) && text[i] == '#')
        return i + 1;
    while (i < int(text.size()) && text[i] >= '0' && text[i] <= '9')
        ++i;
    return i;
}

} // namespace

TokenScan scanTokens(std::string_view text, int stopAt) {
    TokenScan scan;
    scan.lineStarts.push_back(0);
    for (size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n')
            scan.lineStarts.push_back(int(i + 1));

    tap::SourceManager sm;
    tap::DiagnosticSink diags;
    tap::FileId id = sm.addFile("<scan>", std::string(text));
    std::string_view src = sm.text(id);
    const char* base = src.data();
    auto inSource = [&](std::string_view t) {
        return t.data() >= base && t.data() + t.size() <= base + src.size() && !t.empty();
    };
    tap::Lexer lexer(sm, id, diags, nullptr);
    int prevEnd = 0;
    int size = int(src.size());
    for (int guard = 0; guard < 10'000'000; ++guard) {
        tap::Token t = lexer.next();
        if (t.kind == tap::Tok::Eof)
            break;
        ScannedToken s;
        s.kind = t.kind;
        s.op = t.op;
        s.kw = t.kw;
        s.line = int(t.loc.line);
        int lineIndex = std::clamp(int(t.loc.line) - 1, 0, int(scan.lineStarts.size()) - 1);
        s.start = std::min(size, scan.lineStarts[lineIndex] + int(t.loc.col) - 1);
        if (stopAt >= 0 && s.start >= stopAt)
            break;
        bool pasted = !inSource(t.text) && (src[s.start] == '$' || src[s.start] == '@');
        if (pasted) {
            s.end = argumentEnd(src, s.start);
            s.text = std::string(src.substr(s.start, s.end - s.start));
        } else if (t.kind == tap::Tok::String) {
            int contentEnd = inSource(t.text) ? int(t.text.data() + t.text.size() - base) : s.start + 1;
            s.closed = contentEnd < size && src[contentEnd] == '"';
            s.end = s.closed ? contentEnd + 1 : contentEnd;
            s.text = std::string(t.text);
        } else if (t.kind == tap::Tok::Embedded) {
            int contentEnd = inSource(t.text) ? int(t.text.data() + t.text.size() - base) : s.start + 2;
            s.closed = contentEnd + 1 < size && src[contentEnd] == '%' && src[contentEnd + 1] == '}';
            s.end = s.closed ? contentEnd + 2 : contentEnd;
            s.text = std::string(t.text);
        } else {
            s.end = s.start + int(t.text.size());
            s.text = std::string(t.text);
        }
        s.end = std::clamp(s.end, s.start, size);
        if (s.start > prevEnd)
            scanGap(src, prevEnd, s.start, scan.comments);
        prevEnd = std::max(prevEnd, s.end);
        scan.tokens.push_back(std::move(s));
    }
    int gapEnd = size;
    if (stopAt >= 0)
        gapEnd = std::min(gapEnd, stopAt);
    if (gapEnd > prevEnd)
        scanGap(src, prevEnd, gapEnd, scan.comments);
    return scan;
}

} // namespace tapide
