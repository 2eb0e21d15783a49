#include "script_editor.h"

#include "icons.h"
#include "stp_lexer.h"

#include <Qsci/qscistyle.h>

#include <QFile>
#include <QFileInfo>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QSaveFile>
#include <QToolTip>

#include <algorithm>
#include <map>

namespace tapide {

namespace {

constexpr int kMarginNumbers = 0;
constexpr int kMarginSymbols = 1;
constexpr int kMarginFold = 2;

QString escapeHtml(const QString& s) { return s.toHtmlEscaped(); }

} // namespace

ScriptEditor::ScriptEditor(QWidget* parent) : QsciScintilla(parent), lexer_(new StpLexer(this)) {
    setUtf8(true);
    setEolMode(EolUnix);
    setLexer(lexer_);
    setIndentationsUseTabs(false);
    setTabWidth(4);
    setIndentationWidth(4);
    setAutoIndent(true);
    setBackspaceUnindents(true);
    setIndentationGuides(true);
    setCaretLineVisible(true);
    setBraceMatching(SloppyBraceMatch);
    setFolding(BoxedTreeFoldStyle, kMarginFold);
    setMarginType(kMarginNumbers, NumberMargin);
    setMarginLineNumbers(kMarginNumbers, true);
    setMarginType(kMarginSymbols, SymbolMargin);
    setMarginWidth(kMarginSymbols, 18);
    setMarginSensitivity(kMarginSymbols, false);
    setScrollWidthTracking(true);
    setScrollWidth(1);
    setAnnotationDisplay(AnnotationIndented);
    // Ctrl+L selects the line (as VS Code) instead of Scintilla's line cut,
    // which deleted it for users of other editors.
    SendScintilla(SCI_CLEARCMDKEY, (unsigned long)('L' + (SCMOD_CTRL << 16)));
    setCallTipsStyle(CallTipsNone); // signature help is ours (editor_completion)
    setAutoCompletionSource(AcsNone);
    SendScintilla(SCI_SETMOUSEDWELLTIME, 500);
    // $var and @name are words (double-click selects them whole).
    SendScintilla(SCI_SETWORDCHARS, 0UL, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$@");
    SendScintilla(SCI_SETMULTIPLESELECTION, 1);
    SendScintilla(SCI_SETADDITIONALSELECTIONTYPING, 1);

    errorIndicator_ = indicatorDefine(SquiggleLowIndicator);
    warningIndicator_ = indicatorDefine(SquiggleLowIndicator);
    SendScintilla(SCI_INDICSETUNDER, errorIndicator_, 1L);
    SendScintilla(SCI_INDICSETUNDER, warningIndicator_, 1L);
    errorMarker_ = markerDefine(icons::error().pixmap(14, 14));
    warningMarker_ = markerDefine(icons::warning().pixmap(14, 14));
    setMarginMarkerMask(kMarginSymbols, (1 << errorMarker_) | (1 << warningMarker_));
    setMarginMarkerMask(kMarginNumbers, 0);

    // QScintilla keeps the previous line's indentation; braces are ours (smartIndent),
    // decided on styled text so that braces in strings and comments do not count.
    lexer_->setAutoIndentStyle(QsciScintilla::AiMaintain);
    connect(this, &QsciScintillaBase::SCN_CHARADDED, this, &ScriptEditor::smartIndent);
    connect(this, &QsciScintilla::textChanged, this, [this] {
        ++generation_;
        clearRunTimeDiagnostics(); // their lines were the text that ran
    });
    connect(this, &QsciScintilla::linesChanged, this, &ScriptEditor::updateMarginWidth);
    connect(this, &QsciScintillaBase::SCN_DWELLSTART, this, &ScriptEditor::showHover);
    connect(this, &QsciScintillaBase::SCN_DWELLEND, this, [] { QToolTip::hideText(); });
    applyTheme(ThemeKind::Light, kDefaultFontSize);
    updateMarginWidth();
}

void ScriptEditor::setFilePath(const QString& path) { filePath_ = path; }

void ScriptEditor::mousePressEvent(QMouseEvent* e) {
    if (e->button() == Qt::LeftButton && (e->modifiers() & Qt::ControlModifier)) {
        QPoint p = e->position().toPoint();
        long pos = SendScintilla(SCI_POSITIONFROMPOINTCLOSE, (unsigned long)p.x(), long(p.y()));
        if (pos >= 0) {
            SendScintilla(SCI_GOTOPOS, (unsigned long)pos);
            emit definitionRequested(int(pos));
            e->accept();
            return;
        }
    }
    QsciScintilla::mousePressEvent(e);
}

QString ScriptEditor::displayName() const {
    if (filePath_.isEmpty())
        return QString("untitled-%1.stp").arg(untitled_);
    return QFileInfo(filePath_).fileName();
}

QString ScriptEditor::diagnosticName() const { return filePath_.isEmpty() ? displayName() : filePath_; }

bool ScriptEditor::loadFile(const QString& path, QString* error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = f.errorString();
        return false;
    }
    QByteArray bytes = f.readAll();
    // The bytes as they are: through a QString, bytes that are not UTF-8
    // would become U+FFFD and be saved so.
    SendScintilla(SCI_CLEARALL);
    SendScintilla(SCI_APPENDTEXT, (unsigned long)bytes.size(), bytes.constData());
    setModified(false);
    SendScintilla(SCI_EMPTYUNDOBUFFER);
    setFilePath(QFileInfo(path).absoluteFilePath());
    setCursorPosition(0, 0);
    return true;
}

bool ScriptEditor::saveFile(const QString& path, QString* error) {
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        if (error)
            *error = f.errorString();
        return false;
    }
    std::string text = utf8Text();
    f.write(text.data(), qint64(text.size()));
    if (!f.commit()) {
        if (error)
            *error = f.errorString();
        return false;
    }
    setFilePath(QFileInfo(path).absoluteFilePath());
    setModified(false);
    return true;
}

std::string ScriptEditor::utf8Text() const {
    long length = SendScintilla(SCI_GETLENGTH);
    auto* p = static_cast<const char*>(SendScintillaPtrResult(SCI_GETCHARACTERPOINTER));
    return p ? std::string(p, size_t(length)) : std::string();
}

int ScriptEditor::positionAt(int line, int col) const {
    int lines = int(SendScintilla(SCI_GETLINECOUNT));
    line = std::clamp(line, 1, std::max(1, lines));
    long start = SendScintilla(SCI_POSITIONFROMLINE, (unsigned long)(line - 1));
    long end = SendScintilla(SCI_GETLINEENDPOSITION, (unsigned long)(line - 1));
    return int(std::clamp(start + std::max(0, col - 1), start, end));
}

int ScriptEditor::currentPosition() const { return int(SendScintilla(SCI_GETCURRENTPOS)); }

void ScriptEditor::setCurrentPosition(int pos) {
    SendScintilla(SCI_GOTOPOS, (unsigned long)pos);
}

void ScriptEditor::jumpTo(int line, int col) {
    int pos = positionAt(line, col);
    SendScintilla(SCI_ENSUREVISIBLEENFORCEPOLICY, (unsigned long)(line - 1));
    SendScintilla(SCI_GOTOPOS, (unsigned long)pos);
    SendScintilla(SCI_SCROLLCARET);
    setFocus();
}

std::pair<int, int> ScriptEditor::diagnosticRange(const ScriptDiagnostic& d) const {
    int length = int(SendScintilla(SCI_GETLENGTH));
    int pos = positionAt(d.line, d.col);
    int lineEnd = int(SendScintilla(SCI_GETLINEENDPOSITION, (unsigned long)(std::max(1, d.line) - 1)));
    std::string text = utf8Text();
    // The subject names what is wrong: "operator '}'", "identifier 'x'".
    int first = d.subject.indexOf('\''), last = d.subject.lastIndexOf('\'');
    if (first >= 0 && last > first + 1) {
        std::string what = d.subject.mid(first + 1, last - first - 1).toStdString();
        if (text.compare(size_t(std::min(pos, length)), what.size(), what) == 0)
            return {pos, pos + int(what.size())};
    }
    if (pos < lineEnd) {
        int end = int(SendScintilla(SCI_WORDENDPOSITION, (unsigned long)pos, 1L));
        if (end > pos)
            return {pos, end};
        return {pos, pos + 1};
    }
    // At the end of a line (e.g. "end of input"): mark the last character before it.
    int lineStart = int(SendScintilla(SCI_POSITIONFROMLINE, (unsigned long)(std::max(1, d.line) - 1)));
    if (pos > lineStart)
        return {pos - 1, pos};
    return {pos, std::min(length, pos + 1)};
}

void ScriptEditor::setAnalysis(const ScriptAnalysis& analysis) {
    analysis_ = analysis;
    if (analysis.elaborated) {
        lastElaborated_ = analysis;
    } else if (lastElaborated_.elaborated) {
        // While the script is broken, completion keeps what the last good pass 2 knew.
        auto fill = [](QVector<VarInfo>& into, const QVector<VarInfo>& from) {
            for (const VarInfo& old : from) {
                bool found = false;
                for (VarInfo& v : into)
                    if (v.name == old.name) {
                        found = true;
                        if (v.type.isEmpty())
                            v.type = old.type;
                    }
                if (!found)
                    into.push_back(old);
            }
        };
        for (VarInfo& g : analysis_.globals)
            for (const VarInfo& old : lastElaborated_.globals)
                if (g.name == old.name && g.type.isEmpty())
                    g.type = old.type;
        for (ScopeInfo& s : analysis_.scopes)
            for (const ScopeInfo& old : lastElaborated_.scopes)
                if (s.kind == old.kind && s.name == old.name) {
                    fill(s.context, old.context);
                    fill(s.locals, old.locals);
                    fill(s.aliasLocals, old.aliasLocals);
                    if (s.returnType.isEmpty())
                        s.returnType = old.returnType;
                    if (!s.kernel)
                        s.kernel = old.kernel;
                }
    }
    applyDiagnostics();
    emit analysisChanged();
}

void ScriptEditor::addRunTimeDiagnostic(const ScriptDiagnostic& diagnostic) {
    runTimeDiagnostics_.push_back(diagnostic);
    applyDiagnostics();
    emit runTimeDiagnosticsChanged();
}

void ScriptEditor::clearRunTimeDiagnostics() {
    if (runTimeDiagnostics_.isEmpty())
        return;
    runTimeDiagnostics_.clear();
    applyDiagnostics();
    emit runTimeDiagnosticsChanged();
}

QVector<ScriptDiagnostic> ScriptEditor::shownDiagnostics() const { return analysis_.diagnostics + runTimeDiagnostics_; }

void ScriptEditor::applyDiagnostics() {
    int length = int(SendScintilla(SCI_GETLENGTH));
    for (int ind : {errorIndicator_, warningIndicator_}) {
        SendScintilla(SCI_SETINDICATORCURRENT, (unsigned long)ind);
        SendScintilla(SCI_INDICATORCLEARRANGE, 0UL, long(length));
    }
    markerDeleteAll(errorMarker_);
    markerDeleteAll(warningMarker_);
    clearAnnotations();
    const EditorColors& colors = editorColors(theme_);
    std::map<int, QStringList> errorsByLine, warningsByLine;
    for (const ScriptDiagnostic& d : shownDiagnostics()) {
        if (!d.inScript || d.line <= 0)
            continue;
        auto [start, end] = diagnosticRange(d);
        SendScintilla(SCI_SETINDICATORCURRENT, (unsigned long)(d.error ? errorIndicator_ : warningIndicator_));
        SendScintilla(SCI_INDICATORFILLRANGE, (unsigned long)start, long(std::max(1, end - start)));
        markerAdd(d.line - 1, d.error ? errorMarker_ : warningMarker_);
        (d.error ? errorsByLine : warningsByLine)[d.line - 1] << d.annotation();
    }
    if (!inline_)
        return;
    QFont small = editorFont(std::max(7, lexer_->defaultFont(0).pointSize() - 1));
    small.setItalic(true);
    // Fixed style numbers, above the lexer's and Scintilla's predefined
    // ones: QsciStyle(-1) takes a new number from a global pool on every
    // call, which ran into the lexer's styles and drew stale pixels.
    constexpr int kErrorAnnotationStyle = 250, kWarningAnnotationStyle = 251;
    QsciStyle errorStyle(kErrorAnnotationStyle, "error annotation", colors.errorAnnotationFore,
                         colors.errorAnnotationBack, small);
    QsciStyle warningStyle(kWarningAnnotationStyle, "warning annotation", colors.warningAnnotationFore,
                           colors.warningAnnotationBack, small);
    for (auto& [line, messages] : errorsByLine) {
        QStringList all = messages;
        if (warningsByLine.count(line))
            all << warningsByLine[line];
        annotate(line, all.join("\n"), errorStyle);
    }
    for (auto& [line, messages] : warningsByLine)
        if (!errorsByLine.count(line))
            annotate(line, messages.join("\n"), warningStyle);
}

QVector<ScriptDiagnostic> ScriptEditor::diagnosticsAt(int pos) const {
    QVector<ScriptDiagnostic> out;
    for (const ScriptDiagnostic& d : shownDiagnostics()) {
        if (!d.inScript || d.line <= 0)
            continue;
        auto [start, end] = diagnosticRange(d);
        if (pos >= start && pos < std::max(end, start + 1))
            out.push_back(d);
    }
    return out;
}

void ScriptEditor::setInlineDiagnostics(bool on) {
    inline_ = on;
    applyDiagnostics();
}

void ScriptEditor::applyTheme(ThemeKind theme, int fontSize) {
    theme_ = theme;
    const EditorColors& c = editorColors(theme);
    QFont font = editorFont(fontSize);
    lexer_->applyTheme(theme, font);
    setPaper(c.paper);
    setColor(c.text);
    setCaretForegroundColor(c.caret);
    setCaretLineBackgroundColor(c.caretLine);
    setSelectionBackgroundColor(c.selection);
    setMarginsBackgroundColor(c.marginBack);
    setMarginsForegroundColor(c.marginFore);
    setMarginsFont(font);
    setFoldMarginColors(c.foldMarginBack, c.foldMarginBack);
    setMatchedBraceBackgroundColor(c.braceMatchBack);
    setMatchedBraceForegroundColor(c.text);
    setUnmatchedBraceForegroundColor(c.braceBadFore);
    setIndentationGuidesForegroundColor(c.marginFore);
    setIndentationGuidesBackgroundColor(c.paper);
    setIndicatorForegroundColor(c.errorIndicator, errorIndicator_);
    setIndicatorForegroundColor(c.warningIndicator, warningIndicator_);
    setCallTipsBackgroundColor(theme == ThemeKind::Dark ? QColor("#2d2f34") : QColor("#fffbe6"));
    setCallTipsForegroundColor(c.text);
    setCallTipsHighlightColor(theme == ThemeKind::Dark ? QColor("#6cb6ff") : QColor("#0b57d0"));
    for (unsigned long mark = SC_MARKNUM_FOLDEREND; mark <= SC_MARKNUM_FOLDEROPEN; ++mark) {
        SendScintilla(SCI_MARKERSETFORE, mark, c.foldMarginBack);
        SendScintilla(SCI_MARKERSETBACK, mark, c.marginFore);
    }
    updateMarginWidth();
    applyDiagnostics();
    recolor();
}

void ScriptEditor::updateMarginWidth() {
    int digits = QString::number(std::max(1, lines())).size();
    setMarginWidth(kMarginNumbers, QString(std::max(3, digits) + 1, '9'));
}

QString ScriptEditor::hoverTextAt(int pos) const {
    QVector<ScriptDiagnostic> here = diagnosticsAt(pos);
    if (!here.isEmpty()) {
        QStringList parts;
        for (const ScriptDiagnostic& d : here)
            parts << "<pre style='margin:0'>" + escapeHtml(d.text.trimmed()) + "</pre>";
        return parts.join("<hr>");
    }
    if (hoverProvider_)
        return hoverProvider_(pos);
    return {};
}

void ScriptEditor::showHover(int pos, int x, int y) {
    if (pos < 0)
        return;
    QString text = hoverTextAt(pos);
    if (text.isEmpty())
        return;
    QToolTip::showText(viewport()->mapToGlobal(QPoint(x, y + 12)), text, viewport());
}

void ScriptEditor::smartIndent(int ch) {
    if (!autoIndent() || isReadOnly())
        return;
    int pos = currentPosition();
    int line = int(SendScintilla(SCI_LINEFROMPOSITION, (unsigned long)pos));
    auto isBrace = [this](long at, char brace) {
        return at >= 0 && char(SendScintilla(SCI_GETCHARAT, (unsigned long)at)) == brace &&
               SendScintilla(SCI_GETSTYLEAT, (unsigned long)at) == long(StpStyle::Operator);
    };
    if ((ch == '\n' || ch == '\r') && line > 0) {
        long prevStart = SendScintilla(SCI_POSITIONFROMLINE, (unsigned long)(line - 1));
        SendScintilla(SCI_COLOURISE, (unsigned long)prevStart, long(pos));
        long prevEnd = SendScintilla(SCI_GETLINEENDPOSITION, (unsigned long)(line - 1));
        long last = prevEnd - 1;
        while (last >= prevStart && (char(SendScintilla(SCI_GETCHARAT, (unsigned long)last)) == ' ' ||
                                     char(SendScintilla(SCI_GETCHARAT, (unsigned long)last)) == '\t'))
            --last;
        if (!isBrace(last, '{'))
            return;
        int base = indentation(line - 1);
        setIndentation(line, base + indentationWidth());
        long caret = SendScintilla(SCI_GETLINEINDENTPOSITION, (unsigned long)line);
        // Enter between braces: the closing brace goes to a line of its own.
        if (char(SendScintilla(SCI_GETCHARAT, (unsigned long)caret)) == '}') {
            QByteArray text = "\n" + QByteArray(base, ' ');
            SendScintilla(SCI_INSERTTEXT, (uintptr_t)caret, text.constData());
        }
        SendScintilla(SCI_GOTOPOS, (unsigned long)caret);
    } else if (ch == '}') {
        long lineStart = SendScintilla(SCI_POSITIONFROMLINE, (unsigned long)line);
        for (long p = lineStart; p < pos - 1; ++p) {
            char c = char(SendScintilla(SCI_GETCHARAT, (unsigned long)p));
            if (c != ' ' && c != '\t')
                return; // not the first thing on its line
        }
        SendScintilla(SCI_COLOURISE, 0UL, long(pos));
        long open = SendScintilla(SCI_BRACEMATCH, (unsigned long)(pos - 1), 0L);
        if (open < 0)
            return;
        int openLine = int(SendScintilla(SCI_LINEFROMPOSITION, (unsigned long)open));
        setIndentation(line, indentation(openLine));
        SendScintilla(SCI_GOTOPOS, (unsigned long)SendScintilla(SCI_GETLINEINDENTPOSITION, (unsigned long)line) + 1);
    }
}

void ScriptEditor::toggleComment() {
    int lineFrom, indexFrom, lineTo, indexTo;
    getSelection(&lineFrom, &indexFrom, &lineTo, &indexTo);
    if (lineFrom < 0) {
        int line, index;
        getCursorPosition(&line, &index);
        lineFrom = lineTo = line;
    } else if (indexTo == 0 && lineTo > lineFrom) {
        --lineTo; // a selection ending at a line start does not include that line
    }
    auto lineText = [this](int l) { return text(l); };
    bool allCommented = true, any = false;
    for (int l = lineFrom; l <= lineTo; ++l) {
        QString t = lineText(l).trimmed();
        if (t.isEmpty())
            continue;
        any = true;
        if (!t.startsWith("//") && !t.startsWith("#"))
            allCommented = false;
    }
    if (!any)
        return;
    int indent = INT_MAX;
    for (int l = lineFrom; l <= lineTo; ++l)
        if (!lineText(l).trimmed().isEmpty())
            indent = std::min(indent, indentation(l));
    beginUndoAction();
    for (int l = lineFrom; l <= lineTo; ++l) {
        QString t = lineText(l);
        if (t.trimmed().isEmpty())
            continue;
        long lineStart = SendScintilla(SCI_POSITIONFROMLINE, (unsigned long)l);
        if (allCommented) {
            int i = 0;
            while (i < t.size() && (t[i] == ' ' || t[i] == '\t'))
                ++i;
            int len = t.mid(i).startsWith("//") ? 2 : 1;
            if (i + len < t.size() && t[i + len] == ' ')
                ++len;
            // Leading whitespace is ASCII, so character index i is byte offset i.
            SendScintilla(SCI_DELETERANGE, (unsigned long)(lineStart + i), long(len));
        } else {
            long at = SendScintilla(SCI_FINDCOLUMN, (unsigned long)l, long(indent));
            SendScintilla(SCI_INSERTTEXT, (unsigned long)at, "// ");
            (void)lineStart;
        }
    }
    endUndoAction();
}

void ScriptEditor::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_L && event->modifiers() == Qt::ControlModifier) {
        int line, index;
        getCursorPosition(&line, &index);
        setSelection(line, 0, line + 1, 0);
        return;
    }
    QsciScintilla::keyPressEvent(event);
}

} // namespace tapide
