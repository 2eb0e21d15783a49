// The IDE perspective: the script editor tabs with a find bar (or a welcome
// page when nothing is open), and the docks Probe catalogue, Functions,
// Problems and Console. Owns the background catalogue indexing and runs.
#pragma once

#include "definition_finder.h"
#include "perspective.h"
#include "run_session.h"
#include "script_analysis.h"

#include <functional>
#include <optional>

#include <QPointer>

class QStackedWidget;

namespace tapide {

class CatalogueIndexer;
class DocumentTabs;
class FindBar;
class FunctionsDock;
class GeneratedCodeView;
class ProbeCatalogueDock;
class ProblemsDock;
class RunConsole;
class RunDock;
class ScriptEditor;
class VariableHintsDock;
class WorkspaceDock;

class IdePerspective : public Perspective {
    Q_OBJECT
public:
    explicit IdePerspective(QWidget* parent = nullptr);
    ~IdePerspective() override;

    QIcon icon() const override;
    void applyTheme(ThemeKind theme, int fontSize) override;

    DocumentTabs* documents() const { return documents_; }
    ProblemsDock* problems() const { return problems_; }
    RunDock* console() const { return console_; }
    ProbeCatalogueDock* catalogue() const { return catalogue_; }
    FunctionsDock* functions() const { return functions_; }
    VariableHintsDock* hints() const { return hints_; }
    WorkspaceDock* workspace() const { return workspace_; }
    CatalogueIndexer* indexer() const { return indexer_; }
    FindBar* findBar() const { return findBar_; }
    ScriptEditor* currentEditor() const;
    bool showingWelcome() const;

    // Dock sizes for a first start (without a saved layout), once the window has its size.
    void applyDefaultLayout();
    // Starts indexing tapsets, tracepoints and probe points in the background.
    void startIndexing();

    ScriptEditor* newDocument();
    ScriptEditor* openFile(const QString& path, bool readOnly = false);
    void openDialog();
    bool save();
    bool saveAs();
    bool closeCurrent();
    bool closeAll(); // false when the user cancelled
    void find();
    void replace();
    void toggleComment();
    void complete();
    void setInlineDiagnostics(bool on);
    // Inserts a probe skeleton at the top level near the cursor.
    void insertProbe(const QString& skeleton);
    ScriptEditor* openExample(const QString& path);
    // Inserts an expression where one can stand near the cursor, leaving the
    // cursor `cursorBack` characters before its end.
    void insertCode(const QString& text, int cursorBack = 0);

    // Go to definition (F12 / Ctrl+click) of what is at `pos` of `editor`
    // (default: the cursor of the current editor). Returns what was found.
    DefinitionTarget goToDefinition(ScriptEditor* editor = nullptr, int pos = -1);
    // Keyboard navigation: a line of the current editor; the next (or
    // previous) problem after the cursor, wrapping; back to where the last
    // jump (go to definition) started; the next or previous tab.
    void goToLine(int line);
    void goToProblem(int direction);
    void goBack();
    void switchTab(int direction);
    void focusProblems();
    void focusConsole();
    static size_t visibleTracepoints(const CatalogueSnapshot& snap);
    static size_t visibleFunctions(const CatalogueSnapshot& snap);

    // Opens a folder in the Workspace view (File > Open Folder…).
    void openFolderDialog();
    void openFolder(const QString& path);

    // Run > Run Configuration…: the dialog for the current script; false when cancelled.
    bool editRunConfiguration();
    // Run > Show Generated Code: pass 3 of the current script in a read-only C tab.
    GeneratedCodeView* showGeneratedCode();

    // Saves the current script and runs it with tstap (F5) and its run configuration.
    RunConsole* run();
    // Saves the current script and calls `run` with the options a run of it
    // would use (at once, or after a pass 2 decided about privileges).
    void prepareRun(std::function<void(const taprun::RunOptions&)> run);
    void stop();
    bool anyRunning() const;

    // Jumps to a location reported by tstap or the Problems view.
    void showLocation(const QString& file, int line, int col, ScriptEditor* preferred = nullptr);

signals:
    void statusMessage(const QString& text, int timeoutMs);
    void indexProgress(const QString& text, int step, int steps, bool done);
    void currentEditorChanged(tapide::ScriptEditor* editor);
    void cursorInfo(const QString& text);
    void runningChanged(bool anyRunning);
    void fileOpened(const QString& path);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void buildWelcome();
    void updateCentral();
    void wireEditor(ScriptEditor* editor);
    RunConsole* launch(const QString& path, bool needsPrivileges);
    taprun::RunOptions runOptions(const QString& path, bool needsPrivileges) const;
    // Whether the script has kernel probes (they need privileges), from the
    // editor's current diagnostics; nullopt when those are not current.
    std::optional<bool> knownKernelProbes(ScriptEditor* e) const;
    // The same from a fresh pass 2 off the UI thread; `then` gets the answer.
    void analyseThen(ScriptEditor* e, const QString& path, std::function<void(bool)> then);

    DocumentTabs* documents_;
    FindBar* findBar_;
    QStackedWidget* stack_;
    QWidget* welcome_ = nullptr;
    ProblemsDock* problems_;
    RunDock* console_;
    bool defaultLayoutPending_ = false;
    struct Place {
        QPointer<ScriptEditor> editor;
        int position;
    };
    std::vector<Place> backStack_; // where jumps started, latest last
    ProbeCatalogueDock* catalogue_;
    FunctionsDock* functions_;
    VariableHintsDock* hints_;
    WorkspaceDock* workspace_;
    CatalogueIndexer* indexer_;
    ThemeKind theme_ = ThemeKind::Light;
    int fontSize_ = kDefaultFontSize;
};

} // namespace tapide
