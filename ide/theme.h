// Light and dark themes: the application palette and the editor's colours
// for every highlighting style.
#pragma once

#include "stp_highlighter.h"

#include <QColor>
#include <QFont>
#include <QString>

namespace tapide {

enum class ThemeKind { Light, Dark };

QString themeName(ThemeKind kind);          // "light" / "dark"
ThemeKind themeFromName(const QString& name); // unknown names give Light

struct StyleColors {
    QColor fore;
    QColor back; // invalid: the editor paper
    bool bold = false;
    bool italic = false;
};

struct EditorColors {
    QColor paper, text;
    QColor marginBack, marginFore;
    QColor foldMarginBack;
    QColor caretLine, caret, selection;
    QColor braceMatchBack, braceBadFore;
    QColor errorIndicator, warningIndicator;
    QColor errorAnnotationBack, errorAnnotationFore;
    QColor warningAnnotationBack, warningAnnotationFore;
    QColor findIndicator;
    StyleColors styles[int(StpStyle::Count)];
    // The run console.
    QColor consoleBack, consoleText, consoleError, consoleWarning, consoleInfo, consoleLink;
};

const EditorColors& editorColors(ThemeKind kind);

// Fusion style with a palette for `kind`, for the whole application.
void applyApplicationTheme(ThemeKind kind);

// The editor font at `pointSize` (a fixed-pitch system font).
QFont editorFont(int pointSize);
constexpr int kDefaultFontSize = 10;

} // namespace tapide
