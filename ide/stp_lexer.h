// The QScintilla lexer for SystemTap scripts: a thin adapter that applies
// the styles and fold levels computed by highlight() (core's tokenizer).
#pragma once

#include "stp_highlighter.h"
#include "theme.h"

#include <Qsci/qscilexercustom.h>

#include <QByteArray>

namespace tapide {

class StpLexer : public QsciLexerCustom {
    Q_OBJECT
public:
    explicit StpLexer(QObject* parent = nullptr);

    const char* language() const override { return "SystemTap"; }
    QString description(int style) const override;
    void styleText(int start, int end) override;
    const char* wordCharacters() const override;
    const char* blockStart(int* style = nullptr) const override;
    const char* blockEnd(int* style = nullptr) const override;
    int braceStyle() const override { return int(StpStyle::Operator); }
    QColor defaultColor(int style) const override;
    QColor defaultPaper(int style) const override;
    QFont defaultFont(int style) const override;

    void applyTheme(ThemeKind theme, const QFont& font);
    ThemeKind theme() const { return theme_; }

    // The highlighting of the text last styled (recomputed when the text changes).
    const Highlighting& highlighting() const { return cache_; }

private:
    const Highlighting& highlightingFor(const char* text, int length);

    ThemeKind theme_ = ThemeKind::Light;
    QFont font_;
    QByteArray cachedText_;
    Highlighting cache_;
    bool cacheValid_ = false;
};

} // namespace tapide
