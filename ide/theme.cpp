#include "theme.h"

#include <QApplication>
#include <QFontDatabase>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace tapide {

QString themeName(ThemeKind kind) { return kind == ThemeKind::Dark ? "dark" : "light"; }

ThemeKind themeFromName(const QString& name) {
    return name.compare("dark", Qt::CaseInsensitive) == 0 ? ThemeKind::Dark : ThemeKind::Light;
}

namespace {

void set(EditorColors& c, StpStyle s, QColor fore, bool bold = false, bool italic = false,
         QColor back = QColor()) {
    c.styles[int(s)] = {fore, back, bold, italic};
}

EditorColors makeLight() {
    EditorColors c;
    c.paper = QColor("#ffffff");
    c.text = QColor("#1f2328");
    c.marginBack = QColor("#f3f4f6");
    c.marginFore = QColor("#8b949e");
    c.foldMarginBack = QColor("#f6f7f9");
    c.caretLine = QColor("#f5f8ff");
    c.caret = QColor("#1f2328");
    c.selection = QColor("#b6d4fe");
    c.braceMatchBack = QColor("#c8e6c9");
    c.braceBadFore = QColor("#d32f2f");
    c.errorIndicator = QColor("#e0301e");
    c.warningIndicator = QColor("#c98a00");
    c.errorAnnotationBack = QColor("#fdecea");
    c.errorAnnotationFore = QColor("#a4161a");
    c.warningAnnotationBack = QColor("#fff6dc");
    c.warningAnnotationFore = QColor("#7a5200");
    c.findIndicator = QColor("#f9a825");
    QColor embeddedBack("#f6f3ea");
    set(c, StpStyle::Default, c.text);
    set(c, StpStyle::Comment, QColor("#6a737d"), false, true);
    set(c, StpStyle::BlockComment, QColor("#6a737d"), false, true);
    set(c, StpStyle::DocComment, QColor("#3f7f5f"), false, true);
    set(c, StpStyle::Keyword, QColor("#7b1fa2"), true);
    set(c, StpStyle::Identifier, c.text);
    set(c, StpStyle::Number, QColor("#0b6e99"));
    set(c, StpStyle::String, QColor("#b35900"));
    set(c, StpStyle::Operator, QColor("#444c56"));
    set(c, StpStyle::TargetVar, QColor("#00796b"), true);
    set(c, StpStyle::AtOperator, QColor("#c2185b"));
    set(c, StpStyle::Preprocessor, QColor("#8d6e00"), true);
    set(c, StpStyle::Function, QColor("#1565c0"));
    set(c, StpStyle::ProbePoint, QColor("#2e7d32"), true);
    set(c, StpStyle::EmbeddedC, QColor("#3e3e3e"), false, false, embeddedBack);
    set(c, StpStyle::EmbeddedKeyword, QColor("#0033b3"), true, false, embeddedBack);
    set(c, StpStyle::EmbeddedComment, QColor("#6a737d"), false, true, embeddedBack);
    set(c, StpStyle::EmbeddedString, QColor("#b35900"), false, false, embeddedBack);
    set(c, StpStyle::EmbeddedNumber, QColor("#0b6e99"), false, false, embeddedBack);
    set(c, StpStyle::Error, QColor("#ffffff"), true, false, QColor("#d32f2f"));
    c.consoleBack = QColor("#ffffff");
    c.consoleText = QColor("#1f2328");
    c.consoleError = QColor("#c62828");
    c.consoleWarning = QColor("#a05a00");
    c.consoleInfo = QColor("#6a737d");
    c.consoleLink = QColor("#c62828");
    return c;
}

EditorColors makeDark() {
    EditorColors c;
    c.paper = QColor("#1e1f22");
    c.text = QColor("#d4d4d4");
    c.marginBack = QColor("#25262a");
    c.marginFore = QColor("#6e7681");
    c.foldMarginBack = QColor("#222327");
    c.caretLine = QColor("#26282e");
    c.caret = QColor("#e6e6e6");
    c.selection = QColor("#264f78");
    c.braceMatchBack = QColor("#3b5a3b");
    c.braceBadFore = QColor("#ff6b6b");
    c.errorIndicator = QColor("#ff5f56");
    c.warningIndicator = QColor("#e0b040");
    c.errorAnnotationBack = QColor("#3a2224");
    c.errorAnnotationFore = QColor("#ff9b93");
    c.warningAnnotationBack = QColor("#3a3222");
    c.warningAnnotationFore = QColor("#f0cf7a");
    c.findIndicator = QColor("#b58900");
    QColor embeddedBack("#24232a");
    set(c, StpStyle::Default, c.text);
    set(c, StpStyle::Comment, QColor("#7f8c98"), false, true);
    set(c, StpStyle::BlockComment, QColor("#7f8c98"), false, true);
    set(c, StpStyle::DocComment, QColor("#6a9955"), false, true);
    set(c, StpStyle::Keyword, QColor("#c586c0"), true);
    set(c, StpStyle::Identifier, c.text);
    set(c, StpStyle::Number, QColor("#b5cea8"));
    set(c, StpStyle::String, QColor("#ce9178"));
    set(c, StpStyle::Operator, QColor("#c8c8c8"));
    set(c, StpStyle::TargetVar, QColor("#4ec9b0"), true);
    set(c, StpStyle::AtOperator, QColor("#f48fb1"));
    set(c, StpStyle::Preprocessor, QColor("#d7ba7d"), true);
    set(c, StpStyle::Function, QColor("#dcdcaa"));
    set(c, StpStyle::ProbePoint, QColor("#7fd88f"), true);
    set(c, StpStyle::EmbeddedC, QColor("#c8c8c8"), false, false, embeddedBack);
    set(c, StpStyle::EmbeddedKeyword, QColor("#569cd6"), true, false, embeddedBack);
    set(c, StpStyle::EmbeddedComment, QColor("#7f8c98"), false, true, embeddedBack);
    set(c, StpStyle::EmbeddedString, QColor("#ce9178"), false, false, embeddedBack);
    set(c, StpStyle::EmbeddedNumber, QColor("#b5cea8"), false, false, embeddedBack);
    set(c, StpStyle::Error, QColor("#ffffff"), true, false, QColor("#b71c1c"));
    c.consoleBack = QColor("#1b1c1f");
    c.consoleText = QColor("#d4d4d4");
    c.consoleError = QColor("#ff7b72");
    c.consoleWarning = QColor("#e3b341");
    c.consoleInfo = QColor("#8b949e");
    c.consoleLink = QColor("#ff7b72");
    return c;
}

} // namespace

const EditorColors& editorColors(ThemeKind kind) {
    static const EditorColors light = makeLight();
    static const EditorColors dark = makeDark();
    return kind == ThemeKind::Dark ? dark : light;
}

void applyApplicationTheme(ThemeKind kind) {
    if (QStyle* fusion = QStyleFactory::create("Fusion"))
        QApplication::setStyle(fusion);
    QPalette p;
    if (kind == ThemeKind::Dark) {
        QColor window("#2b2d31"), base("#1e1f22"), text("#dcdcdc"), disabled("#7a7a7a");
        p.setColor(QPalette::Window, window);
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::Base, base);
        p.setColor(QPalette::AlternateBase, QColor("#26282c"));
        p.setColor(QPalette::ToolTipBase, QColor("#3a3d42"));
        p.setColor(QPalette::ToolTipText, text);
        p.setColor(QPalette::PlaceholderText, disabled);
        p.setColor(QPalette::Text, text);
        p.setColor(QPalette::Button, QColor("#34363b"));
        p.setColor(QPalette::ButtonText, text);
        p.setColor(QPalette::BrightText, Qt::red);
        p.setColor(QPalette::Link, QColor("#6cb6ff"));
        p.setColor(QPalette::Highlight, QColor("#2f6fb3"));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::Light, QColor("#3c3f44"));
        p.setColor(QPalette::Midlight, QColor("#34363b"));
        p.setColor(QPalette::Mid, QColor("#26282c"));
        p.setColor(QPalette::Dark, QColor("#1a1b1e"));
        p.setColor(QPalette::Shadow, QColor("#111214"));
        for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
            p.setColor(QPalette::Disabled, role, disabled);
    } else {
        p = QApplication::style()->standardPalette();
        p.setColor(QPalette::Window, QColor("#eff0f2"));
        p.setColor(QPalette::AlternateBase, QColor("#f6f7f9"));
        p.setColor(QPalette::Highlight, QColor("#2f6fb3"));
        p.setColor(QPalette::ToolTipBase, QColor("#fffbe6"));
        p.setColor(QPalette::ToolTipText, QColor("#1f2328"));
    }
    QApplication::setPalette(p);
}

QFont editorFont(int pointSize) {
    QFont f = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (const char* family : {"DejaVu Sans Mono", "Noto Sans Mono", "Liberation Mono", "Monospace"}) {
        if (QFontDatabase::hasFamily(family)) {
            f.setFamily(family);
            break;
        }
    }
    f.setStyleHint(QFont::Monospace);
    f.setFixedPitch(true);
    f.setPointSize(pointSize > 0 ? pointSize : kDefaultFontSize);
    return f;
}

} // namespace tapide
