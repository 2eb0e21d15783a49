// The script editor: QScintilla with the SystemTap lexer, line numbers,
// brace folding and matching, auto-indent, toggle comment, and the
// diagnostics of the latest analysis shown as squiggles, margin markers,
// inline annotations and hover text.
#pragma once

#include "script_analysis.h"
#include "theme.h"

#include <Qsci/qsciscintilla.h>

#include <functional>
#include <string>

namespace tapide {

class StpLexer;

class ScriptEditor : public QsciScintilla {
    Q_OBJECT
public:
    explicit ScriptEditor(QWidget* parent = nullptr);

    // The file on disk ("" for a new document) and the name shown for it.
    QString filePath() const { return filePath_; }
    void setFilePath(const QString& path);
    QString displayName() const;
    // The name diagnostics use: the path, or "untitled-N.stp".
    QString diagnosticName() const;
    void setUntitledNumber(int n) { untitled_ = n; }

    bool loadFile(const QString& path, QString* error = nullptr);
    bool saveFile(const QString& path, QString* error = nullptr);

    // The document as UTF-8 bytes (what the compiler reads), without a copy through QString.
    std::string utf8Text() const;
    // Increases with every change of the text.
    quint64 generation() const { return generation_; }

    // Byte offset of 1-based line/column (column in bytes), clamped to the line.
    int positionAt(int line, int col) const;
    int currentPosition() const;
    void setCurrentPosition(int pos);
    // Moves the cursor to a 1-based line and byte column and shows it.
    void jumpTo(int line, int col = 1);

    void setAnalysis(const ScriptAnalysis& analysis);
    const ScriptAnalysis& analysis() const { return analysis_; }
    const QVector<ScriptDiagnostic>& diagnostics() const { return analysis_.diagnostics; }
    // Diagnostics underlined at byte offset `pos`.
    QVector<ScriptDiagnostic> diagnosticsAt(int pos) const;
    // The [start, end) byte range a diagnostic underlines.
    std::pair<int, int> diagnosticRange(const ScriptDiagnostic& d) const;
    int errorIndicator() const { return errorIndicator_; }
    int warningIndicator() const { return warningIndicator_; }

    // What the last run of this text reported at its lines (phase
    // "run-time"), shown like the analysis's diagnostics until the text
    // changes or the script runs again.
    void addRunTimeDiagnostic(const ScriptDiagnostic& diagnostic);
    void clearRunTimeDiagnostics();
    const QVector<ScriptDiagnostic>& runTimeDiagnostics() const { return runTimeDiagnostics_; }

    void setInlineDiagnostics(bool on);
    bool inlineDiagnostics() const { return inline_; }

    void applyTheme(ThemeKind theme, int fontSize);
    StpLexer* stpLexer() const { return lexer_; }

    // Hover text (HTML) for a byte offset that has no diagnostic: docs of
    // functions, aliases, $variables. Set by the completion support.
    void setHoverProvider(std::function<QString(int pos)> provider) { hoverProvider_ = std::move(provider); }
    // The tooltip text (HTML) the editor shows when the mouse rests at `pos`.
    QString hoverTextAt(int pos) const;

public slots:
    void toggleComment();

signals:
    void analysisChanged();
    void runTimeDiagnosticsChanged();
    // Ctrl+click: go to the definition of what is at byte offset `pos`.
    void definitionRequested(int pos);

protected:
    void mousePressEvent(QMouseEvent* e) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void smartIndent(int ch);
    void showHover(int pos, int x, int y);
    void updateMarginWidth();
    void applyDiagnostics();

    StpLexer* lexer_;
    QString filePath_;
    int untitled_ = 1;
    quint64 generation_ = 1;
    ScriptAnalysis analysis_;
    ScriptAnalysis lastElaborated_; // types to keep while the text does not elaborate
    QVector<ScriptDiagnostic> runTimeDiagnostics_;
    // The analysis's diagnostics and the run's, as the editor marks them.
    QVector<ScriptDiagnostic> shownDiagnostics() const;
    bool inline_ = true;
    ThemeKind theme_ = ThemeKind::Light;
    int errorIndicator_ = -1, warningIndicator_ = -1;
    int errorMarker_ = -1, warningMarker_ = -1;
    std::function<QString(int)> hoverProvider_;
};

} // namespace tapide
