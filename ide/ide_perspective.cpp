#include "ide_perspective.h"

#include "app_paths.h"
#include "catalogue_cache.h"
#include "catalogue_indexer.h"
#include "diagnostics_runner.h"
#include "document_tabs.h"
#include "find_bar.h"
#include "functions_dock.h"
#include "generated_code_view.h"
#include "icons.h"
#include "probe_catalogue_dock.h"
#include "problems_dock.h"
#include "run_console.h"
#include "run_configuration.h"
#include "run_dock.h"
#include "script_editor.h"
#include "token_scan.h"
#include "variable_hints_dock.h"
#include "workspace_dock.h"

#include "listing.h"

#include <QCommandLinkButton>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <algorithm>
#include <cctype>

namespace tapide {

using taprun::exampleScripts;
using taprun::isTapsetFile;
using taprun::scriptSummary;
using taprun::tstapPath;

IdePerspective::IdePerspective(QWidget* parent) : Perspective("ide", tr("IDE"), parent) {
    indexer_ = new CatalogueIndexer(this);
    if (!qEnvironmentVariableIsSet("TAPSTUDIO_NO_INDEX_CACHE"))
        indexer_->setCacheFile(CatalogueCache::defaultPath());
    documents_ = new DocumentTabs([this] { return indexer_->snapshot(); }, this);
    findBar_ = new FindBar(this);

    auto* editorArea = new QWidget(this);
    auto* editorLayout = new QVBoxLayout(editorArea);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    editorLayout->setSpacing(0);
    editorLayout->addWidget(documents_, 1);
    editorLayout->addWidget(findBar_);

    stack_ = new QStackedWidget(this);
    buildWelcome();
    auto* welcomeScroll = new QScrollArea(this);
    welcomeScroll->setObjectName("WelcomeScroll");
    welcomeScroll->setWidget(welcome_);
    welcomeScroll->setWidgetResizable(true);
    welcomeScroll->setFrameShape(QFrame::NoFrame);
    stack_->addWidget(welcomeScroll);
    stack_->addWidget(editorArea);
    setCentralWidget(stack_);

    catalogue_ = new ProbeCatalogueDock(this);
    functions_ = new FunctionsDock(this);
    problems_ = new ProblemsDock(this);
    console_ = new RunDock(this);
    hints_ = new VariableHintsDock(this);
    hints_->setSnapshotSource([this] { return indexer_->snapshot(); });
    workspace_ = new WorkspaceDock(this);
    // Left: the catalogues and the workspace as tabs, the variable hints under them
    // (split before tabifying: a tabbed dock cannot be split).
    addDockWidget(Qt::LeftDockWidgetArea, catalogue_);
    addDockWidget(Qt::LeftDockWidgetArea, hints_);
    splitDockWidget(catalogue_, hints_, Qt::Vertical);
    tabifyDockWidget(catalogue_, functions_);
    tabifyDockWidget(functions_, workspace_);
    catalogue_->raise();
    addDockWidget(Qt::BottomDockWidgetArea, problems_);
    addDockWidget(Qt::BottomDockWidgetArea, console_);
    tabifyDockWidget(problems_, console_);
    problems_->raise();
    applyDefaultLayout();

    connect(indexer_, &CatalogueIndexer::progress, this,
            [this](const QString& what, int step, int steps) { emit indexProgress(what + "…", step, steps, false); });
    connect(indexer_, &CatalogueIndexer::snapshotChanged, this, [this] {
        catalogue_->setSnapshot(indexer_->snapshot(), true);
        functions_->setSnapshot(indexer_->snapshot());
    });
    connect(indexer_, &CatalogueIndexer::finished, this, [this](double ms) {
        auto snap = indexer_->snapshot();
        hints_->refresh();
        emit indexProgress((snap->fromCache ? tr("Loaded %1 probe points, %2 tracepoints, %3 functions from the cache in %4 ms")
                                            : tr("Indexed %1 probe points, %2 tracepoints, %3 functions in %4 ms"))
                               .arg(snap->probes ? snap->probes->all().size() : 0)
                               .arg(visibleTracepoints(*snap))
                               .arg(visibleFunctions(*snap))
                               .arg(ms, 0, 'f', 0),
                           CatalogueIndexer::kSteps, CatalogueIndexer::kSteps, true);
    });

    connect(documents_, &DocumentTabs::currentEditorChanged, this, [this](ScriptEditor* e) {
        findBar_->setEditor(e);
        hints_->setEditor(e);
        updateCentral();
        emit currentEditorChanged(e);
        if (e) {
            int line, index;
            e->getCursorPosition(&line, &index);
            emit cursorInfo(tr("Ln %1, Col %2").arg(line + 1).arg(index + 1));
        } else {
            emit cursorInfo({});
        }
    });
    connect(documents_, &DocumentTabs::analysisReady, this, [this](ScriptEditor* e, const ScriptAnalysis& a) {
        problems_->setDiagnostics(e, e->displayName(), a.diagnostics);
    });
    connect(documents_, &DocumentTabs::runTimeDiagnosticsChanged, this, [this](ScriptEditor* e) {
        problems_->setRunTimeDiagnostics(e, e->displayName(), e->runTimeDiagnostics());
    });
    connect(documents_, &DocumentTabs::editorClosing, this, [this](ScriptEditor* e) {
        problems_->removeDocument(e);
        QTimer::singleShot(0, this, &IdePerspective::updateCentral);
    });
    connect(documents_, &DocumentTabs::statusMessage, this, [this](const QString& t) { emit statusMessage(t, 4000); });
    connect(documents_, &DocumentTabs::fileOpened, this, &IdePerspective::fileOpened);
    connect(documents_, &DocumentTabs::fileSaved, this, &IdePerspective::fileOpened);
    connect(problems_, &ProblemsDock::locationActivated, this,
            [this](QObject* doc, const QString& file, int line, int col) {
                showLocation(file, line, col, qobject_cast<ScriptEditor*>(doc));
            });
    connect(console_, &RunDock::locationActivated, this,
            [this](const QString& file, int line, int col) { showLocation(file, line, col); });
    connect(console_, &RunDock::runningChanged, this, [this] { emit runningChanged(anyRunning()); });
    connect(console_, &RunDock::runStarted, this, [this](const QString& script) {
        if (ScriptEditor* e = documents_->editorForPath(script))
            e->clearRunTimeDiagnostics();
    });
    connect(console_, &RunDock::runTimeDiagnostic, this, [this](const QString& script, const ScriptDiagnostic& d) {
        ScriptEditor* e = documents_->editorForPath(script);
        if (!e)
            return;
        // tstap names the file as it was given, relative to the script's folder.
        QDir folder = QFileInfo(script).absoluteDir();
        ScriptDiagnostic shown = d;
        shown.inScript = QFileInfo(folder.absoluteFilePath(d.file)) == QFileInfo(script);
        e->addRunTimeDiagnostic(shown);
    });
    connect(catalogue_, &ProbeCatalogueDock::insertRequested, this, &IdePerspective::insertProbe);
    connect(catalogue_, &ProbeCatalogueDock::openLocation, this,
            [this](const QString& file, int line) { showLocation(file, line, 1); });
    connect(functions_, &FunctionsDock::insertRequested, this, &IdePerspective::insertCode);
    connect(hints_, &VariableHintsDock::insertRequested, this, &IdePerspective::insertCode);
    connect(workspace_, &WorkspaceDock::openRequested, this, [this](const QString& path) { openFile(path); });
    connect(workspace_, &WorkspaceDock::openFolderRequested, this, &IdePerspective::openFolderDialog);
    connect(functions_, &FunctionsDock::openLocation, this,
            [this](const QString& file, int line) { showLocation(file, line, 1); });
    updateCentral();
}

IdePerspective::~IdePerspective() = default;

QIcon IdePerspective::icon() const { return icons::perspectiveIde(); }

void IdePerspective::startIndexing() { indexer_->start(); }

void IdePerspective::buildWelcome() {
    welcome_ = new QWidget(this);
    welcome_->setObjectName("WelcomePage");
    auto* outer = new QVBoxLayout(welcome_);
    outer->addStretch(1);
    auto* column = new QWidget(welcome_);
    column->setFixedWidth(660);
    auto* layout = new QVBoxLayout(column);
    auto* head = new QHBoxLayout;
    auto* logo = new QLabel(column);
    logo->setPixmap(icons::app().pixmap(56, 56));
    auto* title = new QLabel(tr("TapStudio"), column);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 2);
    f.setBold(true);
    title->setFont(f);
    head->addWidget(logo);
    head->addSpacing(8);
    head->addWidget(title, 1);
    layout->addLayout(head);
    auto* subtitle = new QLabel(tr("Write a SystemTap script, see its problems as you type, and run it with F5."),
                                column);
    subtitle->setWordWrap(true);
    layout->addWidget(subtitle);
    layout->addSpacing(8);
    auto* actions = new QHBoxLayout;
    auto* newButton = new QCommandLinkButton(tr("New script"), tr("An empty script (Ctrl+N)"), column);
    auto* openButton = new QCommandLinkButton(tr("Open a script…"), tr("A .stp file from disk (Ctrl+O)"), column);
    connect(newButton, &QCommandLinkButton::clicked, this, [this] { newDocument(); });
    connect(openButton, &QCommandLinkButton::clicked, this, &IdePerspective::openDialog);
    actions->addWidget(newButton);
    actions->addWidget(openButton);
    layout->addLayout(actions);
    QStringList examples = exampleScripts();
    if (!examples.isEmpty()) {
        layout->addSpacing(8);
        layout->addWidget(new QLabel(tr("<b>Examples</b>"), column));
        auto* grid = new QGridLayout;
        grid->setSpacing(2);
        int i = 0;
        constexpr int kColumns = 3;
        for (const QString& path : examples) {
            auto* b = new QCommandLinkButton(QFileInfo(path).completeBaseName(), column);
            b->setObjectName("example:" + QFileInfo(path).fileName());
            b->setToolTip(QFileInfo(path).fileName() + " — " + scriptSummary(path));
            b->setIconSize(QSize(12, 12));
            connect(b, &QCommandLinkButton::clicked, this, [this, path] { openExample(path); });
            grid->addWidget(b, i / kColumns, i % kColumns);
            ++i;
        }
        layout->addLayout(grid);
    }
    auto* row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(column);
    row->addStretch(1);
    outer->addLayout(row);
    outer->addStretch(2);
}

// The first start's dock sizes. Docks only take sizes once the perspective
// is laid out at its real size (before, the console kept one line): when
// it is not yet visible, on its first show.
// What the catalogue and the Functions dock count, so that the status bar
// agrees with them: ftrace's own events are no tracepoints, internal
// functions are not listed.
size_t IdePerspective::visibleTracepoints(const CatalogueSnapshot& snap) {
    return size_t(std::count_if(snap.tracepoints.begin(), snap.tracepoints.end(),
                                [](const std::string& t) { return t.rfind("ftrace:", 0) != 0; }));
}

size_t IdePerspective::visibleFunctions(const CatalogueSnapshot& snap) {
    if (!snap.library)
        return 0;
    const auto& fns = snap.library->functions();
    return size_t(std::count_if(fns.begin(), fns.end(), [](const auto& f) { return !f.internal; }));
}

void IdePerspective::applyDefaultLayout() {
    if (!isVisible()) {
        defaultLayoutPending_ = true;
        return;
    }
    defaultLayoutPending_ = false;
    resizeDocks({catalogue_}, {320}, Qt::Horizontal);
    resizeDocks({catalogue_, hints_}, {360, 200}, Qt::Vertical);
    resizeDocks({problems_}, {std::max(220, height() * 3 / 10)}, Qt::Vertical);
}

void IdePerspective::showEvent(QShowEvent* event) {
    Perspective::showEvent(event);
    if (defaultLayoutPending_)
        QTimer::singleShot(0, this, &IdePerspective::applyDefaultLayout);
}

void IdePerspective::updateCentral() { stack_->setCurrentIndex(documents_->count() > 0 ? 1 : 0); }

bool IdePerspective::showingWelcome() const { return stack_->currentIndex() == 0; }

ScriptEditor* IdePerspective::currentEditor() const { return documents_->currentEditor(); }

void IdePerspective::wireEditor(ScriptEditor* editor) {
    if (!editor || editor->property("wired").toBool())
        return;
    editor->setProperty("wired", true);
    connect(editor, &QsciScintilla::cursorPositionChanged, this, [this, editor](int line, int index) {
        if (editor == currentEditor())
            emit cursorInfo(tr("Ln %1, Col %2").arg(line + 1).arg(index + 1));
    });
    connect(editor, &ScriptEditor::definitionRequested, this,
            [this, editor](int pos) { goToDefinition(editor, pos); });
    connect(documents_->completionFor(editor), &EditorCompletion::partialIndexUsed, this, [this] {
        emit statusMessage(tr("Completion from a partial index: probe variables are still being indexed"), 3000);
    });
}

ScriptEditor* IdePerspective::newDocument() {
    ScriptEditor* e = documents_->newDocument();
    wireEditor(e);
    updateCentral();
    return e;
}

ScriptEditor* IdePerspective::openFile(const QString& path, bool readOnly) {
    QString error;
    ScriptEditor* e = documents_->openFile(path, readOnly, &error);
    if (!e) {
        QMessageBox::warning(this, tr("Open failed"), tr("Could not open %1:\n%2").arg(path, error));
        return nullptr;
    }
    wireEditor(e);
    updateCentral();
    return e;
}

// Examples open read-only, as Qt Creator's do: typing offered to save over
// the installed file. They run as they are; Save As makes a copy to edit.
ScriptEditor* IdePerspective::openExample(const QString& path) {
    ScriptEditor* e = openFile(path, true);
    if (e)
        emit statusMessage(tr("%1 is an example, opened read-only: File › Save As… makes a copy you can edit")
                               .arg(QFileInfo(path).fileName()),
                           8000);
    return e;
}

void IdePerspective::openDialog() {
    QString dir;
    if (ScriptEditor* e = currentEditor(); e && !e->filePath().isEmpty())
        dir = QFileInfo(e->filePath()).absolutePath();
    const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Open Script"), dir,
                                                            tr("SystemTap scripts (*.stp *.stpm);;All files (*)"));
    for (const QString& p : paths)
        openFile(p);
}

bool IdePerspective::save() { return documents_->save(currentEditor()); }
bool IdePerspective::saveAs() { return documents_->saveAs(currentEditor()); }

bool IdePerspective::closeCurrent() {
    if (auto* view = qobject_cast<GeneratedCodeView*>(documents_->currentWidget())) {
        emit documents_->tabCloseRequested(documents_->indexOf(view));
        updateCentral();
        return true;
    }
    bool ok = documents_->closeEditor(currentEditor());
    updateCentral();
    return ok;
}

bool IdePerspective::closeAll() {
    bool ok = documents_->closeAll();
    updateCentral();
    return ok;
}

void IdePerspective::find() {
    findBar_->setEditor(currentEditor());
    if (currentEditor())
        findBar_->open(false);
}

void IdePerspective::replace() {
    findBar_->setEditor(currentEditor());
    if (currentEditor())
        findBar_->open(true);
}

void IdePerspective::toggleComment() {
    if (ScriptEditor* e = currentEditor())
        e->toggleComment();
}

void IdePerspective::complete() {
    if (ScriptEditor* e = currentEditor())
        if (EditorCompletion* c = documents_->completionFor(e))
            c->complete(true);
}

void IdePerspective::setInlineDiagnostics(bool on) { documents_->setInlineDiagnostics(on); }

// Code from the Functions and Variables docks (a call, a $variable) goes
// where an expression can stand: at the cursor inside a block, on a line
// of its own after a word there; from the top level into the next block,
// or a new begin probe when none follows.
void IdePerspective::insertCode(const QString& text, int cursorBack) {
    ScriptEditor* e = currentEditor();
    if (!e)
        e = newDocument();
    if (e->isReadOnly())
        return;
    std::string source = e->utf8Text();
    int cursor = e->currentPosition();
    int depth = 0, nextBlock = -1;
    for (const ScannedToken& t : scanTokens(source).tokens) {
        if (t.start >= cursor) {
            if (depth == 0 && t.is(tap::Op::LBrace))
                nextBlock = t.end;
            if (depth > 0 || nextBlock >= 0)
                break;
            continue;
        }
        if (t.is(tap::Op::LBrace))
            ++depth;
        else if (t.is(tap::Op::RBrace) && depth > 0)
            --depth;
    }
    auto indentOf = [&](int pos) {
        int line = int(e->SendScintilla(QsciScintillaBase::SCI_LINEFROMPOSITION, (unsigned long)pos));
        return QString(int(e->SendScintilla(QsciScintillaBase::SCI_GETLINEINDENTATION, (unsigned long)line)), ' ');
    };
    auto isWord = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ')' || c == ']'; };
    QString before, after;
    int at = cursor;
    if (depth > 0) {
        if (cursor > 0 && isWord(source[size_t(cursor) - 1])) {
            at = int(e->SendScintilla(QsciScintillaBase::SCI_GETLINEENDPOSITION,
                                      (unsigned long)e->SendScintilla(QsciScintillaBase::SCI_LINEFROMPOSITION,
                                                                      (unsigned long)cursor)));
            before = "\n" + indentOf(cursor);
        }
    } else if (nextBlock >= 0) {
        at = nextBlock;
        before = "\n    ";
    } else {
        at = int(e->SendScintilla(QsciScintillaBase::SCI_GETLINEENDPOSITION,
                                  (unsigned long)e->SendScintilla(QsciScintillaBase::SCI_LINEFROMPOSITION,
                                                                  (unsigned long)cursor)));
        before = "\nprobe begin {\n    ";
        after = "\n}";
    }
    QByteArray bytes = (before + text + after).toUtf8();
    e->SendScintilla(QsciScintillaBase::SCI_INSERTTEXT, (uintptr_t)at, bytes.constData());
    int back = int((text.right(cursorBack) + after).toUtf8().size());
    e->setCurrentPosition(at + int(bytes.size()) - back);
    e->setFocus();
}

void IdePerspective::insertProbe(const QString& skeleton) {
    ScriptEditor* e = currentEditor();
    if (!e)
        e = newDocument();
    if (e->isReadOnly())
        return;
    std::string text = e->utf8Text();
    int cursor = e->currentPosition();
    // Where the skeleton goes: at the cursor's line when it is at the top
    // level, else after the top-level block around the cursor.
    TokenScan scan = scanTokens(text);
    int depth = 0, blockEnd = -1;
    for (const ScannedToken& t : scan.tokens) {
        if (t.start >= cursor && depth == 0)
            break;
        if (t.is(tap::Op::LBrace))
            ++depth;
        else if (t.is(tap::Op::RBrace) && depth > 0) {
            --depth;
            if (depth == 0 && t.start >= cursor) {
                blockEnd = t.end;
                break;
            }
        }
    }
    int at;
    QString insert = skeleton;
    if (depth == 0 && blockEnd < 0) {
        int line = int(e->SendScintilla(QsciScintillaBase::SCI_LINEFROMPOSITION, (unsigned long)cursor));
        at = int(e->SendScintilla(QsciScintillaBase::SCI_POSITIONFROMLINE, (unsigned long)line));
        long lineEnd = e->SendScintilla(QsciScintillaBase::SCI_GETLINEENDPOSITION, (unsigned long)line);
        if (lineEnd > at) // a non-empty line: keep it below, separated
            insert += "\n";
    } else {
        if (blockEnd < 0)
            blockEnd = int(text.size());
        int line = int(e->SendScintilla(QsciScintillaBase::SCI_LINEFROMPOSITION, (unsigned long)blockEnd));
        at = int(e->SendScintilla(QsciScintillaBase::SCI_GETLINEENDPOSITION, (unsigned long)line));
        insert = "\n\n" + skeleton;
        if (insert.endsWith('\n'))
            insert.chop(1);
    }
    QByteArray bytes = insert.toUtf8();
    e->beginUndoAction();
    e->SendScintilla(QsciScintillaBase::SCI_INSERTTEXT, (uintptr_t)at, bytes.constData());
    e->endUndoAction();
    int body = int(bytes.indexOf("    \n}"));
    e->setCurrentPosition(at + (body >= 0 ? body + 4 : int(bytes.size())));
    e->setFocus();
    emit statusMessage(tr("Inserted a probe skeleton"), 3000);
}

bool IdePerspective::anyRunning() const {
    for (RunConsole* c : console_->consoles())
        if (c->running())
            return true;
    return false;
}

RunConsole* IdePerspective::run() {
    ScriptEditor* e = currentEditor();
    if (!e)
        return nullptr;
    if ((e->isModified() || e->filePath().isEmpty()) && !documents_->save(e))
        return nullptr;
    QString path = e->filePath();
    if (RunConsole* running = console_->runningConsoleFor(path)) {
        // One run per script at a time keeps Stop unambiguous; others can run alongside.
        emit statusMessage(tr("%1 is already running — Stop it first (Shift+F5)").arg(e->displayName()), 4000);
        console_->tabs()->setCurrentWidget(running);
        console_->raise();
        return running;
    }
    if (std::optional<bool> kernel = knownKernelProbes(e))
        return launch(path, *kernel);
    analyseThen(e, path, [this, path](bool kernelProbes) { launch(path, kernelProbes); });
    return nullptr;
}

void IdePerspective::prepareRun(std::function<void(const RunOptions&)> run) {
    ScriptEditor* e = currentEditor();
    if (!e || isTapsetFile(e->filePath()))
        return;
    if ((e->isModified() || e->filePath().isEmpty()) && !documents_->save(e))
        return;
    QString path = e->filePath();
    auto plot = [this, path, run](bool kernelProbes) {
        RunOptions o = runOptions(path, kernelProbes);
        if (o.tstap.isEmpty())
            emit statusMessage(tr("tstap was not found next to tapstudio or in PATH."), 6000);
        else
            run(o);
    };
    if (std::optional<bool> kernel = knownKernelProbes(e))
        plot(*kernel);
    else
        analyseThen(e, path, plot);
}

std::optional<bool> IdePerspective::knownKernelProbes(ScriptEditor* e) const {
    DiagnosticsRunner* runner = documents_->runnerFor(e);
    if (runner && runner->hasResult() && runner->latest().generation == e->generation() &&
        runner->latest().fileName == e->diagnosticName())
        return runner->latest().hasKernelProbes;
    return std::nullopt;
}

void IdePerspective::analyseThen(ScriptEditor* e, const QString& path, std::function<void(bool)> then) {
    // Decide about privileges from a fresh pass 2, off the UI thread.
    auto* watcher = new QFutureWatcher<ScriptAnalysis>(this);
    connect(watcher, &QFutureWatcher<ScriptAnalysis>::finished, this, [watcher, then] {
        ScriptAnalysis a = watcher->result();
        watcher->deleteLater();
        then(a.hasKernelProbes.value_or(false));
    });
    std::string text = e->utf8Text();
    watcher->setFuture(QtConcurrent::run([text, path] { return analyseScript(text, path); }));
    emit statusMessage(tr("Checking %1…").arg(QFileInfo(path).fileName()), 2000);
}

taprun::RunOptions IdePerspective::runOptions(const QString& path, bool needsPrivileges) const {
    RunOptions o;
    o.tstap = tstapPath();
    o.script = path;
    o.needsPrivileges = needsPrivileges;
    RunConfiguration config = RunConfiguration::load(path);
    o.options = config.tstapOptions();
    o.scriptArgs = config.scriptArgs();
    o.hosts = config.hosts; // all in one run: the Graph perspective splits its series by the host column
    o.workingDir = QFileInfo(path).absolutePath();
    return o;
}

RunConsole* IdePerspective::launch(const QString& path, bool needsPrivileges) {
    RunOptions o = runOptions(path, needsPrivileges);
    RunConfiguration config = RunConfiguration::load(path);
    if (o.tstap.isEmpty()) {
        RunConsole* c = console_->addConsole(QFileInfo(path).fileName());
        c->setScriptPath(path);
        c->handleStderr(tr("tstap was not found next to tapstudio or in PATH."));
        c->handleFinished(-1, true);
        console_->show();
        console_->raise();
        return c;
    }
    RunConsole* c = nullptr;
    // One console per host: each run stops on its own.
    QList<QStringList> runs;
    for (const QString& host : config.hosts)
        runs << QStringList{host};
    if (runs.isEmpty())
        runs << QStringList{};
    for (const QStringList& hosts : runs) {
        o.hosts = hosts;
        RunConsole* started = console_->startRun(o);
        c = c ? c : started;
    }
    console_->tabs()->setCurrentWidget(c);
    console_->raise();
    emit statusMessage(config.isDefault() ? tr("Running %1").arg(QFileInfo(path).fileName())
                                          : tr("Running %1").arg(config.commandLine(path).replace('\n', "; ")),
                       3000);
    return c;
}

DefinitionTarget IdePerspective::goToDefinition(ScriptEditor* editor, int pos) {
    if (!editor)
        editor = currentEditor();
    if (!editor)
        return {};
    if (pos < 0)
        pos = editor->currentPosition();
    DefinitionTarget t = findDefinition(editor->utf8Text(), pos, editor->analysis(), indexer_->snapshot());
    if (!t.valid()) {
        emit statusMessage(t.reason.isEmpty() ? tr("No definition found") : t.reason, 4000);
        return t;
    }
    backStack_.push_back({editor, pos});
    if (t.inScript()) {
        editor->jumpTo(t.line, t.col);
    } else {
        // Tapsets open read-only (a copy of the library is not the place to edit it).
        ScriptEditor* e = documents_->editorForPath(t.file);
        if (!e)
            e = openFile(t.file, true);
        if (!e)
            return t;
        documents_->setCurrentWidget(e);
        e->jumpTo(std::max(1, t.line), std::max(1, t.col));
    }
    emit statusMessage(tr("Definition: %1").arg(t.describe()), 4000);
    return t;
}

void IdePerspective::goToLine(int line) {
    if (ScriptEditor* e = currentEditor())
        e->jumpTo(std::clamp(line, 1, std::max(1, e->lines())));
}

void IdePerspective::goToProblem(int direction) {
    ScriptEditor* e = currentEditor();
    if (!e || e->diagnostics().isEmpty())
        return;
    int line, index;
    e->getCursorPosition(&line, &index);
    std::vector<int> lines; // 1-based, sorted, each once
    for (const ScriptDiagnostic& d : e->diagnostics())
        if (d.inScript && d.line > 0)
            lines.push_back(d.line);
    std::sort(lines.begin(), lines.end());
    lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
    if (lines.empty())
        return;
    int here = line + 1, target = direction > 0 ? lines.front() : lines.back(); // wrapping
    if (direction > 0) {
        for (int l : lines)
            if (l > here) {
                target = l;
                break;
            }
    } else {
        for (auto it = lines.rbegin(); it != lines.rend(); ++it)
            if (*it < here) {
                target = *it;
                break;
            }
    }
    for (const ScriptDiagnostic& d : e->diagnostics())
        if (d.inScript && d.line == target) {
            e->jumpTo(d.line, std::max(1, d.col));
            emit statusMessage(d.headline(), 6000);
            return;
        }
}

void IdePerspective::goBack() {
    while (!backStack_.empty()) {
        Place p = backStack_.back();
        backStack_.pop_back();
        if (!p.editor)
            continue; // its tab was closed
        documents_->setCurrentWidget(p.editor);
        p.editor->setCurrentPosition(p.position);
        p.editor->setFocus();
        return;
    }
    emit statusMessage(tr("Nothing to go back to"), 3000);
}

void IdePerspective::switchTab(int direction) {
    int n = documents_->count();
    if (n > 1)
        documents_->setCurrentIndex((documents_->currentIndex() + direction + n) % n);
}

void IdePerspective::focusProblems() {
    problems_->show();
    problems_->raise();
    problems_->widget()->setFocus();
}

void IdePerspective::focusConsole() {
    console_->show();
    console_->raise();
    console_->widget()->setFocus();
}

void IdePerspective::openFolderDialog() {
    QString start = workspace_->folder();
    if (start.isEmpty())
        if (ScriptEditor* e = currentEditor(); e && !e->filePath().isEmpty())
            start = QFileInfo(e->filePath()).absolutePath();
    QString dir = QFileDialog::getExistingDirectory(this, tr("Open Folder"), start);
    if (!dir.isEmpty())
        openFolder(dir);
}

void IdePerspective::openFolder(const QString& path) {
    workspace_->setFolder(path);
    workspace_->show();
    workspace_->raise();
    emit statusMessage(tr("Workspace: %1").arg(path), 3000);
}

bool IdePerspective::editRunConfiguration() {
    ScriptEditor* e = currentEditor();
    if (!e)
        return false;
    if (e->filePath().isEmpty() && !documents_->save(e))
        return false; // configurations are kept per file
    RunConfigurationDialog dialog(e->filePath(), RunConfiguration::load(e->filePath()), this);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    dialog.configuration().save(e->filePath());
    emit statusMessage(tr("F5 runs: %1").arg(dialog.configuration().commandLine(e->filePath())), 5000);
    return true;
}

GeneratedCodeView* IdePerspective::showGeneratedCode() {
    ScriptEditor* e = currentEditor();
    if (!e)
        return nullptr;
    QString tstap = tstapPath();
    QString path = e->filePath().isEmpty() ? e->diagnosticName() : e->filePath();
    RunConfiguration config = RunConfiguration::load(e->filePath());
    GeneratedCodeView* view = documents_->generatedCodeView(path);
    if (tstap.isEmpty()) {
        view->setText(tr("/* tstap was not found next to tapstudio or in PATH. */"));
        return view;
    }
    std::string text = e->utf8Text();
    view->generate(tstap, config.translationOptions(), QByteArray(text.data(), qsizetype(text.size())),
                   config.scriptArgs());
    updateCentral();
    emit statusMessage(tr("Translating %1 (pass 3)…").arg(QFileInfo(path).fileName()), 3000);
    return view;
}

void IdePerspective::stop() {
    ScriptEditor* e = currentEditor();
    RunConsole* c = e ? console_->runningConsoleFor(e->filePath()) : nullptr;
    if (!c)
        c = console_->currentConsole();
    if (c && c->running()) {
        c->stop();
        return;
    }
    for (RunConsole* other : console_->consoles())
        if (other->running()) {
            other->stop();
            return;
        }
}

void IdePerspective::showLocation(const QString& file, int line, int col, ScriptEditor* preferred) {
    ScriptEditor* e = preferred;
    if (!e && !file.isEmpty() && !file.startsWith('<'))
        e = documents_->editorForPath(file);
    if (!e && (file.isEmpty() || file.startsWith('<') || file.startsWith("untitled-"))) {
        e = currentEditor();
        for (ScriptEditor* ed : documents_->editors())
            if (ed->diagnosticName() == file)
                e = ed;
    }
    if (!e && QFileInfo(file).isFile()) {
        // A tapset (or another script): tapsets open read-only.
        e = openFile(file, isTapsetFile(file));
    }
    if (!e)
        return;
    documents_->setCurrentWidget(e);
    e->jumpTo(std::max(1, line), std::max(1, col));
}

void IdePerspective::applyTheme(ThemeKind theme, int fontSize) {
    theme_ = theme;
    fontSize_ = fontSize;
    documents_->applyTheme(theme, fontSize);
    console_->applyTheme(theme, fontSize);
}

} // namespace tapide
