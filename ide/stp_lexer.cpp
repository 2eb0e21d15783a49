#include "stp_lexer.h"

#include <Qsci/qsciscintilla.h>

#include <algorithm>
#include <cstring>

namespace tapide {

StpLexer::StpLexer(QObject* parent) : QsciLexerCustom(parent), font_(editorFont(kDefaultFontSize)) {}

QString StpLexer::description(int style) const {
    if (style < 0 || style >= int(StpStyle::Count))
        return {};
    return QString::fromLatin1(styleName(StpStyle(style)));
}

const char* StpLexer::wordCharacters() const {
    return "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$@";
}

const char* StpLexer::blockStart(int* style) const {
    if (style)
        *style = int(StpStyle::Operator);
    return "{";
}

const char* StpLexer::blockEnd(int* style) const {
    if (style)
        *style = int(StpStyle::Operator);
    return "}";
}

QColor StpLexer::defaultColor(int style) const {
    if (style < 0 || style >= int(StpStyle::Count))
        return editorColors(theme_).text;
    return editorColors(theme_).styles[style].fore;
}

QColor StpLexer::defaultPaper(int style) const {
    const EditorColors& c = editorColors(theme_);
    if (style < 0 || style >= int(StpStyle::Count) || !c.styles[style].back.isValid())
        return c.paper;
    return c.styles[style].back;
}

QFont StpLexer::defaultFont(int style) const {
    QFont f = font_;
    if (style >= 0 && style < int(StpStyle::Count)) {
        f.setBold(editorColors(theme_).styles[style].bold);
        f.setItalic(editorColors(theme_).styles[style].italic);
    }
    return f;
}

void StpLexer::applyTheme(ThemeKind theme, const QFont& font) {
    theme_ = theme;
    font_ = font;
    setDefaultColor(editorColors(theme).text);
    setDefaultPaper(editorColors(theme).paper);
    setDefaultFont(font);
    for (int s = 0; s < int(StpStyle::Count); ++s) {
        setColor(defaultColor(s), s);
        setPaper(defaultPaper(s), s);
        setFont(defaultFont(s), s);
        setEolFill(s >= int(StpStyle::EmbeddedC) && s <= int(StpStyle::EmbeddedNumber), s);
    }
}

const Highlighting& StpLexer::highlightingFor(const char* text, int length) {
    if (!cacheValid_ || cachedText_.size() != length || std::memcmp(cachedText_.constData(), text, length) != 0) {
        cachedText_ = QByteArray(text, length);
        cache_ = highlight(std::string_view(cachedText_.constData(), size_t(length)));
        cacheValid_ = true;
    }
    return cache_;
}

void StpLexer::styleText(int start, int end) {
    QsciScintilla* ed = editor();
    if (!ed || end <= start)
        return;
    int length = int(ed->SendScintilla(QsciScintillaBase::SCI_GETLENGTH));
    const char* text =
        static_cast<const char*>(ed->SendScintillaPtrResult(QsciScintillaBase::SCI_GETCHARACTERPOINTER));
    if (!text)
        return;
    const Highlighting& h = highlightingFor(text, length);

    // Style whole lines: from the start of start's line to end.
    int firstLine = int(ed->SendScintilla(QsciScintillaBase::SCI_LINEFROMPOSITION, (unsigned long)start));
    int lastLine = int(ed->SendScintilla(QsciScintillaBase::SCI_LINEFROMPOSITION, (unsigned long)end));
    start = int(ed->SendScintilla(QsciScintillaBase::SCI_POSITIONFROMLINE, (unsigned long)firstLine));
    end = std::min(end, length);

    auto it = std::upper_bound(h.spans.begin(), h.spans.end(), start,
                               [](int pos, const StyledSpan& s) { return pos < s.start; });
    if (it != h.spans.begin())
        --it;
    startStyling(start);
    int pos = start;
    for (; it != h.spans.end() && pos < end; ++it) {
        int spanEnd = std::min(end, it->start + it->length);
        if (spanEnd > pos) {
            setStyling(spanEnd - pos, int(it->style));
            pos = spanEnd;
        }
    }
    if (pos < end)
        setStyling(end - pos, int(StpStyle::Default));

    for (int line = firstLine; line <= lastLine && line < int(h.folds.size()); ++line) {
        const LineFold& f = h.folds[line];
        int level = QsciScintillaBase::SC_FOLDLEVELBASE + f.level;
        if (f.header)
            level |= QsciScintillaBase::SC_FOLDLEVELHEADERFLAG;
        ed->SendScintilla(QsciScintillaBase::SCI_SETFOLDLEVEL, (unsigned long)line, (long)level);
    }
}

} // namespace tapide
