// The open scripts as tabs: new, open (an already open file gets focus),
// save, save as, close with an unsaved-changes prompt, tab titles marked
// with * while modified. Every editor gets its diagnostics runner and its
// completion support.
#pragma once

#include "editor_completion.h"
#include "script_analysis.h"
#include "theme.h"

#include <QTabWidget>

#include <functional>

namespace tapide {

class ScriptEditor;
class DiagnosticsRunner;
class GeneratedCodeView;

class DocumentTabs : public QTabWidget {
    Q_OBJECT
public:
    explicit DocumentTabs(EditorCompletion::SnapshotSource snapshot, QWidget* parent = nullptr);

    ScriptEditor* newDocument(const QString& text = {});
    // Opens `path` (or shows it when already open); null on error (message in `error`).
    ScriptEditor* openFile(const QString& path, bool readOnly = false, QString* error = nullptr);
    // A read-only view of a script's generated C (its own tab; one per script, reused).
    GeneratedCodeView* generatedCodeView(const QString& scriptPath);
    QList<GeneratedCodeView*> generatedCodeViews() const;
    ScriptEditor* currentEditor() const;
    QList<ScriptEditor*> editors() const;
    ScriptEditor* editorForPath(const QString& path) const;
    DiagnosticsRunner* runnerFor(ScriptEditor* editor) const;
    EditorCompletion* completionFor(ScriptEditor* editor) const;

    bool save(ScriptEditor* editor);
    bool saveAs(ScriptEditor* editor);
    // Asks about unsaved changes; false when the user cancelled.
    bool closeEditor(ScriptEditor* editor);
    bool closeAll();
    bool maybeSave(ScriptEditor* editor);

    void applyTheme(ThemeKind theme, int fontSize);
    void setInlineDiagnostics(bool on);

    // Replaceable dialogs (tests): the unsaved-changes question returns
    // QMessageBox::Save, Discard or Cancel; save-as returns a path or "".
    void setPromptHandler(std::function<int(ScriptEditor*)> h) { prompt_ = std::move(h); }
    void setSaveAsHandler(std::function<QString(ScriptEditor*)> h) { saveAsPath_ = std::move(h); }

signals:
    void currentEditorChanged(tapide::ScriptEditor* editor);
    void analysisReady(tapide::ScriptEditor* editor, const tapide::ScriptAnalysis& analysis);
    void runTimeDiagnosticsChanged(tapide::ScriptEditor* editor);
    void editorClosing(tapide::ScriptEditor* editor);
    void modificationChanged(tapide::ScriptEditor* editor, bool modified);
    void fileOpened(const QString& path);
    void fileSaved(const QString& path);
    void statusMessage(const QString& text);

private:
    void updateTabTitle(ScriptEditor* editor);
    ScriptEditor* addEditor(ScriptEditor* editor);

    EditorCompletion::SnapshotSource snapshot_;
    std::function<int(ScriptEditor*)> prompt_;
    std::function<QString(ScriptEditor*)> saveAsPath_;
    int untitledCounter_ = 0;
    ThemeKind theme_ = ThemeKind::Light;
    int fontSize_ = kDefaultFontSize;
    bool inline_ = true;
};

} // namespace tapide
