#include "main_window.h"

#include "app_paths.h"
#include "diagnostics_runner.h"
#include "document_tabs.h"
#include "functions_dock.h"
#include "icons.h"
#include "ide_perspective.h"
#include "graph_perspective.h"
#include "graph_workspace.h"
#include "dashboard_perspective.h"
#include "module_library.h"
#include "module_browser.h"
#include "save_module_dialog.h"
#include "probe_catalogue_dock.h"
#include "problems_dock.h"
#include "recent_files.h"
#include "run_dock.h"
#include "script_editor.h"
#include "variable_hints_dock.h"
#include "workspace_dock.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QFileDialog>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QToolBar>

namespace tapide {

using taprun::exampleScripts;
using taprun::isTapsetFile;
using taprun::scriptSummary;
using taprun::tstapPath;

namespace {
constexpr int kMinFont = 6, kMaxFont = 32;
}

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setObjectName("TapStudioMainWindow");
    setWindowTitle("TapStudio");
    setWindowIcon(icons::app());
    stack_ = new QStackedWidget(this);
    ide_ = new IdePerspective(stack_);
    graph_ = new GraphPerspective(stack_);
    dashboard_ = new DashboardPerspective(stack_);
    perspectives_ = {ide_, graph_, dashboard_};
    for (Perspective* p : perspectives_)
        stack_->addWidget(p);
    setCentralWidget(stack_);

    createActions();
    createMenus();
    createToolBars();
    createStatusBar();

    connect(ide_, &IdePerspective::statusMessage, this,
            [this](const QString& t, int ms) { statusBar()->showMessage(t, ms); });
    connect(ide_, &IdePerspective::cursorInfo, cursor_, &QLabel::setText);
    connect(ide_, &IdePerspective::currentEditorChanged, this, [this] { updateActions(); });
    connect(ide_, &IdePerspective::runningChanged, this, [this] { updateActions(); });
    connect(ide_, &IdePerspective::fileOpened, this, [this](const QString& path) {
        RecentFiles::add(path);
        updateActions();
    });
    connect(ide_, &IdePerspective::indexProgress, this,
            [this](const QString& text, int step, int steps, bool done) {
                indexBar_->setRange(0, steps);
                indexBar_->setValue(done ? steps : step - 1);
                indexBar_->setVisible(!done);
                indexLabel_->setText(text);
                if (done)
                    QTimer::singleShot(8000, indexLabel_, [this] { indexLabel_->clear(); });
            });
    connect(ide_->documents(), &DocumentTabs::currentEditorChanged, this, [this](ScriptEditor* e) {
        setWindowTitle(e ? e->displayName() + " — TapStudio" : QString("TapStudio"));
    });
    connect(ide_->documents(), &DocumentTabs::modificationChanged, this, [this] { updateActions(); });
    resize(1280, 820);
    restoreLayout();
    updateActions();
    // Index after the window is up: the UI thread never waits for it.
    QTimer::singleShot(0, ide_, &IdePerspective::startIndexing);
}

MainWindow::~MainWindow() = default;

QAction* MainWindow::makeAction(const QString& name, const QString& text, const QKeySequence& key,
                                const QIcon& icon) {
    auto* a = new QAction(icon, text, this);
    a->setObjectName(name);
    if (!key.isEmpty())
        a->setShortcut(key);
    a->setShortcutContext(Qt::WindowShortcut);
    addAction(a);
    return a;
}

QAction* MainWindow::action(const QString& objectName) const { return findChild<QAction*>(objectName); }

void MainWindow::createActions() {
    auto editorCall = [this](auto fn) {
        return [this, fn] {
            if (ScriptEditor* e = ide_->currentEditor())
                fn(e);
        };
    };
    auto inIde = [this](auto fn) {
        return [this, fn] {
            switchTo("ide");
            fn();
        };
    };
    QStyle* st = style();
    connect(makeAction("file.new", tr("&New"), QKeySequence::New, st->standardIcon(QStyle::SP_FileIcon)),
            &QAction::triggered, this, inIde([this] { ide_->newDocument(); }));
    connect(makeAction("file.open", tr("&Open…"), QKeySequence::Open, st->standardIcon(QStyle::SP_DialogOpenButton)),
            &QAction::triggered, this, inIde([this] { ide_->openDialog(); }));
    connect(makeAction("file.openFolder", tr("Open &Folder…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O),
                       st->standardIcon(QStyle::SP_DirOpenIcon)),
            &QAction::triggered, this, inIde([this] { ide_->openFolderDialog(); }));
    connect(makeAction("file.save", tr("&Save"), QKeySequence::Save, st->standardIcon(QStyle::SP_DialogSaveButton)),
            &QAction::triggered, this, [this] { ide_->save(); });
    connect(makeAction("file.saveAs", tr("Save &As…"), QKeySequence::SaveAs), &QAction::triggered, this,
            [this] { ide_->saveAs(); });
    // Always enabled: with nothing to save it says what to do first.
    connect(makeAction("file.saveAsModule", tr("Save as Dashboard &Module…")), &QAction::triggered, this,
            &MainWindow::saveAsModule);
    connect(makeAction("file.close", tr("&Close"), QKeySequence::Close), &QAction::triggered, this,
            [this] { ide_->closeCurrent(); });
    connect(makeAction("file.quit", tr("&Quit"), QKeySequence::Quit), &QAction::triggered, this, &QWidget::close);

    connect(makeAction("edit.undo", tr("&Undo"), QKeySequence::Undo), &QAction::triggered, this,
            editorCall([](ScriptEditor* e) { e->undo(); }));
    connect(makeAction("edit.redo", tr("&Redo"), QKeySequence::Redo), &QAction::triggered, this,
            editorCall([](ScriptEditor* e) { e->redo(); }));
    connect(makeAction("edit.cut", tr("Cu&t"), QKeySequence::Cut), &QAction::triggered, this,
            editorCall([](ScriptEditor* e) { e->cut(); }));
    connect(makeAction("edit.copy", tr("&Copy"), QKeySequence::Copy), &QAction::triggered, this,
            editorCall([](ScriptEditor* e) { e->copy(); }));
    connect(makeAction("edit.paste", tr("&Paste"), QKeySequence::Paste), &QAction::triggered, this,
            editorCall([](ScriptEditor* e) { e->paste(); }));
    connect(makeAction("edit.find", tr("&Find…"), QKeySequence::Find), &QAction::triggered, this,
            [this] { ide_->find(); });
    connect(makeAction("edit.replace", tr("R&eplace…"), QKeySequence(Qt::CTRL | Qt::Key_H)), &QAction::triggered,
            this, [this] { ide_->replace(); });
    connect(makeAction("edit.findNext", tr("Find &Next"), QKeySequence::FindNext), &QAction::triggered, this,
            [this] { ide_->find(); });
    connect(makeAction("edit.toggleComment", tr("Toggle &Comment"), QKeySequence(Qt::CTRL | Qt::Key_Slash)),
            &QAction::triggered, this, [this] { ide_->toggleComment(); });
    connect(makeAction("edit.complete", tr("Complete"), QKeySequence(Qt::CTRL | Qt::Key_Space)), &QAction::triggered,
            this, [this] { ide_->complete(); });
    connect(makeAction("edit.gotoDefinition", tr("Go to &Definition"), QKeySequence(Qt::Key_F12)),
            &QAction::triggered, this, [this] { ide_->goToDefinition(); });

    connect(makeAction("edit.gotoLine", tr("Go to &Line…"), QKeySequence(Qt::CTRL | Qt::Key_G)), &QAction::triggered,
            this, inIde([this] {
                ScriptEditor* e = ide_->currentEditor();
                if (!e)
                    return;
                int line, index;
                e->getCursorPosition(&line, &index);
                bool ok = false;
                int target = QInputDialog::getInt(this, tr("Go to Line"), tr("Line (1-%1):").arg(e->lines()), line + 1, 1,
                                                  std::max(1, e->lines()), 1, &ok);
                if (ok)
                    ide_->goToLine(target);
            }));
    connect(makeAction("edit.back", tr("&Back"), QKeySequence(Qt::ALT | Qt::Key_Left)), &QAction::triggered, this,
            inIde([this] { ide_->goBack(); }));
    connect(makeAction("edit.nextProblem", tr("Next &Problem"), QKeySequence(Qt::Key_F8)), &QAction::triggered, this,
            inIde([this] { ide_->goToProblem(1); }));
    connect(makeAction("edit.previousProblem", tr("Pre&vious Problem"), QKeySequence(Qt::SHIFT | Qt::Key_F8)),
            &QAction::triggered, this, inIde([this] { ide_->goToProblem(-1); }));
    connect(makeAction("view.nextTab", tr("&Next Tab"), QKeySequence(Qt::CTRL | Qt::Key_PageDown)), &QAction::triggered,
            this, inIde([this] { ide_->switchTab(1); }));
    connect(makeAction("view.previousTab", tr("P&revious Tab"), QKeySequence(Qt::CTRL | Qt::Key_PageUp)),
            &QAction::triggered, this, inIde([this] { ide_->switchTab(-1); }));
    connect(makeAction("view.focusProblems", tr("&Problems"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M)),
            &QAction::triggered, this, inIde([this] { ide_->focusProblems(); }));
    connect(makeAction("view.focusConsole", tr("C&onsole"), QKeySequence(Qt::CTRL | Qt::Key_QuoteLeft)),
            &QAction::triggered, this, inIde([this] { ide_->focusConsole(); }));
    connect(makeAction("run.run", tr("&Run"), QKeySequence(Qt::Key_F5), icons::run()), &QAction::triggered, this,
            inIde([this] { ide_->run(); }));
    connect(makeAction("run.withGraphs", tr("Run with &Graphs…"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_F5)),
            &QAction::triggered, this, inIde([this] { runWithGraphs(); }));
    connect(makeAction("run.withGraphSet", tr("Run with Graph &Set…")), &QAction::triggered, this, inIde([this] {
                QString path = QFileDialog::getOpenFileName(this, tr("Run with a graph set"), {},
                                                            tr("Graph sets (*.json)"));
                if (path.isEmpty())
                    return;
                QString error;
                tapgraphs::GraphSet set = tapgraphs::GraphSet::load(path, &error);
                if (!error.isEmpty())
                    QMessageBox::warning(this, tr("Run with a graph set"), error);
                else
                    runWithGraphs(set, tapgraphs::SessionPage::Proposals::Ask);
            }));
    connect(makeAction("run.stop", tr("&Stop"), QKeySequence(Qt::SHIFT | Qt::Key_F5), icons::stop()),
            &QAction::triggered, this, [this] { ide_->stop(); });
    connect(makeAction("run.configure", tr("Run &Configuration…"), QKeySequence(Qt::CTRL | Qt::Key_F5)),
            &QAction::triggered, this, inIde([this] { ide_->editRunConfiguration(); }));
    connect(makeAction("run.generatedCode", tr("Show &Generated Code"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G)),
            &QAction::triggered, this, inIde([this] { ide_->showGeneratedCode(); }));

    connect(makeAction("view.zoomIn", tr("&Larger Font"), QKeySequence::ZoomIn), &QAction::triggered, this,
            [this] { setFontSize(fontSize_ + 1); });
    connect(makeAction("view.zoomOut", tr("&Smaller Font"), QKeySequence::ZoomOut), &QAction::triggered, this,
            [this] { setFontSize(fontSize_ - 1); });
    connect(makeAction("view.zoomReset", tr("&Default Font Size"), QKeySequence(Qt::CTRL | Qt::Key_0)),
            &QAction::triggered, this, [this] { setFontSize(kDefaultFontSize); });
    auto* themes = new QActionGroup(this);
    QAction* light = makeAction("view.themeLight", tr("&Light Theme"));
    QAction* dark = makeAction("view.themeDark", tr("&Dark Theme"));
    for (QAction* a : {light, dark}) {
        a->setCheckable(true);
        themes->addAction(a);
    }
    connect(light, &QAction::triggered, this, [this] { setTheme(ThemeKind::Light); });
    connect(dark, &QAction::triggered, this, [this] { setTheme(ThemeKind::Dark); });
    QAction* inlineDiag = makeAction("view.inlineDiagnostics", tr("&Inline Diagnostics"));
    inlineDiag->setCheckable(true);
    inlineDiag->setChecked(true);
    connect(inlineDiag, &QAction::toggled, this, [this](bool on) { ide_->setInlineDiagnostics(on); });

    perspectiveGroup_ = new QActionGroup(this);
    int n = 1;
    for (Perspective* p : perspectives_) {
        QAction* a = makeAction("perspective." + p->id(), p->title(), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key(Qt::Key_0 + n++)),
                                p->icon());
        a->setCheckable(true);
        a->setToolTip(tr("%1 perspective").arg(p->title()));
        perspectiveGroup_->addAction(a);
        connect(a, &QAction::triggered, this, [this, id = p->id()] { switchTo(id); });
    }
    perspectiveAction("ide")->setChecked(true);
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(action("file.new"));
    file->addAction(action("file.open"));
    file->addAction(action("file.openFolder"));
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    recentMenu_->setObjectName("menu.recent");
    connect(recentMenu_, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    examplesMenu_ = file->addMenu(tr("&Examples"));
    examplesMenu_->setObjectName("menu.examples");
    rebuildExamplesMenu();
    file->addSeparator();
    file->addAction(action("file.save"));
    file->addAction(action("file.saveAs"));
    file->addAction(action("file.saveAsModule"));
    file->addAction(action("file.close"));
    file->addSeparator();
    file->addAction(action("file.quit"));

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    static const char* const editItems[] = {"edit.undo", "edit.redo", nullptr, "edit.cut", "edit.copy",
                                            "edit.paste", nullptr, "edit.find", "edit.replace", nullptr,
                                            "edit.toggleComment", "edit.complete", "edit.gotoDefinition", nullptr,
                                            "edit.gotoLine", "edit.back", "edit.nextProblem", "edit.previousProblem"};
    for (const char* n : editItems) {
        if (n)
            edit->addAction(action(n));
        else
            edit->addSeparator();
    }

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (const char* n : {"view.nextTab", "view.previousTab", "view.focusProblems", "view.focusConsole"})
        view->addAction(action(n));
    view->addSeparator();
    QMenu* persp = view->addMenu(tr("&Perspective"));
    for (QAction* a : perspectiveGroup_->actions())
        persp->addAction(a);
    view->addSeparator();
    view->addAction(action("view.themeLight"));
    view->addAction(action("view.themeDark"));
    view->addSeparator();
    view->addAction(action("view.zoomIn"));
    view->addAction(action("view.zoomOut"));
    view->addAction(action("view.zoomReset"));
    view->addSeparator();
    view->addAction(action("view.inlineDiagnostics"));
    QMenu* docks = view->addMenu(tr("&Tool Views"));
    for (QDockWidget* d : {static_cast<QDockWidget*>(ide_->catalogue()), static_cast<QDockWidget*>(ide_->functions()),
                           static_cast<QDockWidget*>(ide_->workspace()), static_cast<QDockWidget*>(ide_->hints()),
                           static_cast<QDockWidget*>(ide_->problems()), static_cast<QDockWidget*>(ide_->console())})
        docks->addAction(d->toggleViewAction());

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addAction(action("run.run"));
    run->addAction(action("run.withGraphs"));
    run->addAction(action("run.withGraphSet"));
    run->addAction(action("run.stop"));
    run->addSeparator();
    run->addAction(action("run.configure"));
    run->addAction(action("run.generatedCode"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About TapStudio"), this, [this] {
        QMessageBox::about(this, tr("About TapStudio"),
                           tr("<b>TapStudio %1</b><p>The SystemTap language for today's kernels: "
                              "the <tt>tstap</tt> compiler and runtime, and this IDE.</p>"
                              "<p>tstap: <tt>%2</tt></p>")
                               .arg(QCoreApplication::applicationVersion(),
                                    tstapPath().isEmpty() ? tr("not found") : tstapPath()));
    });
}

void MainWindow::createToolBars() {
    QToolBar* main = addToolBar(tr("Main"));
    main->setObjectName("MainToolBar");
    main->setIconSize(QSize(20, 20));
    main->addAction(action("file.new"));
    main->addAction(action("file.open"));
    main->addAction(action("file.save"));
    main->addSeparator();
    main->addAction(action("run.run"));
    main->addAction(action("run.stop"));

    QToolBar* persp = addToolBar(tr("Perspectives"));
    persp->setObjectName("PerspectiveToolBar");
    persp->setIconSize(QSize(20, 20));
    persp->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    for (QAction* a : perspectiveGroup_->actions())
        persp->addAction(a);
}

void MainWindow::createStatusBar() {
    indexLabel_ = new QLabel(this);
    indexBar_ = new QProgressBar(this);
    indexBar_->setMaximumWidth(120);
    indexBar_->setMaximumHeight(14);
    indexBar_->setTextVisible(false);
    indexBar_->setVisible(false);
    cursor_ = new QLabel(this);
    cursor_->setMinimumWidth(110);
    statusBar()->addPermanentWidget(indexLabel_);
    statusBar()->addPermanentWidget(indexBar_);
    statusBar()->addPermanentWidget(cursor_);
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    const QStringList recent = RecentFiles::list();
    for (const QString& path : recent) {
        QAction* a = recentMenu_->addAction(QFileInfo(path).fileName() + "  —  " + QFileInfo(path).absolutePath());
        connect(a, &QAction::triggered, this, [this, path] {
            switchTo("ide");
            ide_->openFile(path);
        });
    }
    if (recent.isEmpty())
        recentMenu_->addAction(tr("(none)"))->setEnabled(false);
    recentMenu_->addSeparator();
    recentMenu_->addAction(tr("Clear List"), this, [] { RecentFiles::clear(); });
}

void MainWindow::rebuildExamplesMenu() {
    examplesMenu_->clear();
    const QStringList examples = exampleScripts();
    for (const QString& path : examples) {
        QAction* a = examplesMenu_->addAction(QFileInfo(path).fileName());
        a->setObjectName("example." + QFileInfo(path).fileName());
        a->setToolTip(scriptSummary(path));
        a->setStatusTip(scriptSummary(path));
        connect(a, &QAction::triggered, this, [this, path] {
            switchTo("ide");
            ide_->openExample(path);
        });
    }
    examplesMenu_->setToolTipsVisible(true);
    if (examples.isEmpty())
        examplesMenu_->addAction(tr("(no examples found)"))->setEnabled(false);
}

Perspective* MainWindow::currentPerspective() const { return static_cast<Perspective*>(stack_->currentWidget()); }

QAction* MainWindow::perspectiveAction(const QString& id) const { return action("perspective." + id); }

void MainWindow::switchTo(const QString& id) {
    for (Perspective* p : perspectives_) {
        if (p->id() != id)
            continue;
        stack_->setCurrentWidget(p);
        if (QAction* a = perspectiveAction(id))
            a->setChecked(true);
        p->activated();
        updateActions();
        return;
    }
}

void MainWindow::updateActions() {
    bool inIde = currentPerspective() == ide_;
    ScriptEditor* e = ide_->currentEditor();
    bool haveEditor = inIde && e;
    for (const char* n : {"file.save", "file.saveAs", "file.close", "edit.undo", "edit.redo", "edit.cut", "edit.copy",
                          "edit.paste", "edit.find", "edit.replace", "edit.findNext", "edit.toggleComment",
                          "edit.complete", "edit.gotoDefinition", "edit.gotoLine", "edit.nextProblem",
                          "edit.previousProblem"})
        action(n)->setEnabled(haveEditor);
    // A tapset is a library, not a script to run.
    bool runnable = haveEditor && !isTapsetFile(e->filePath());
    action("run.run")->setEnabled(runnable);
    action("run.configure")->setEnabled(runnable);
    action("run.withGraphs")->setEnabled(runnable);
    action("run.withGraphSet")->setEnabled(runnable);
    // Generated-code tabs close too.
    action("file.close")->setEnabled(inIde && ide_->documents()->currentWidget());
    action("run.generatedCode")->setEnabled(haveEditor);
    action("run.stop")->setEnabled(ide_->anyRunning());
}

void MainWindow::saveAsModule() {
    // The Graph perspective's current session, or the IDE's script with the
    // graph set of its newest plot (else the graph set saved beside it).
    QString script;
    tapgraphs::GraphSet set;
    if (currentPerspective() == graph_) {
        if (tapgraphs::SessionPage* page = graph_->workspace()->currentSession()) {
            script = page->scriptPath();
            set = page->session()->data()->graphSet();
        }
    } else if (ScriptEditor* e = ide_->currentEditor()) {
        if (!ide_->save()) return; // the module copies the file as saved
        script = e->filePath();
        for (tapgraphs::SessionPage* page : graph_->workspace()->sessions())
            if (page->scriptPath() == script) set = page->session()->data()->graphSet();
        QString beside = QFileInfo(script).path() + "/" + QFileInfo(script).completeBaseName() + ".graphs.json";
        if (set.charts.isEmpty() && QFileInfo::exists(beside)) set = tapgraphs::GraphSet::load(beside);
    }
    if (script.isEmpty()) {
        QMessageBox::information(this, tr("Save as Dashboard module"), tr("Open a saved script or plot one first."));
        return;
    }
    tapdash::SaveModuleDialog dialog(script, set, tapdash::userModulesDir(), this);
    if (dialog.exec() != QDialog::Accepted) return;
    dashboard_->dashboard()->reload();
    switchTo("dashboard");
    dashboard_->dashboard()->browser()->select({dialog.manifest().id});
}

void MainWindow::runWithGraphs(const tapgraphs::GraphSet& set, tapgraphs::SessionPage::Proposals proposals) {
    ide_->prepareRun([this, set, proposals](const taprun::RunOptions& o) {
        switchTo("graph");
        graph_->run(o, set, proposals);
    });
}

void MainWindow::openFiles(const QStringList& paths) {
    switchTo("ide");
    for (const QString& p : paths) {
        if (QFileInfo::exists(p)) {
            ide_->openFile(p);
        } else if (ScriptEditor* e = ide_->newDocument()) {
            // A name that does not exist yet: a new script saved under it.
            e->setFilePath(QFileInfo(p).absoluteFilePath());
            ide_->documents()->setTabText(ide_->documents()->indexOf(e), e->displayName());
            if (DiagnosticsRunner* r = ide_->documents()->runnerFor(e))
                r->runNow();
        }
    }
}

void MainWindow::setTheme(ThemeKind theme) {
    theme_ = theme;
    applyApplicationTheme(theme);
    for (Perspective* p : perspectives_)
        p->applyTheme(theme, fontSize_);
    action(theme == ThemeKind::Dark ? "view.themeDark" : "view.themeLight")->setChecked(true);
}

void MainWindow::setFontSize(int pointSize) {
    fontSize_ = std::clamp(pointSize, kMinFont, kMaxFont);
    for (Perspective* p : perspectives_)
        p->applyTheme(theme_, fontSize_);
    statusBar()->showMessage(tr("Font size %1 pt").arg(fontSize_), 2000);
}

void MainWindow::saveLayout() const {
    QSettings s;
    s.setValue("window/geometry", saveGeometry());
    s.setValue("window/state", saveState());
    s.setValue("perspective/current", currentPerspective()->id());
    for (Perspective* p : perspectives_)
        s.setValue("perspective/" + p->id() + "/state", p->saveState());
    s.setValue("view/theme", themeName(theme_));
    s.setValue("view/fontSize", fontSize_);
    s.setValue("view/inlineDiagnostics", action("view.inlineDiagnostics")->isChecked());
}

void MainWindow::restoreLayout() {
    QSettings s;
    if (s.contains("window/geometry"))
        restoreGeometry(s.value("window/geometry").toByteArray());
    if (s.contains("window/state"))
        restoreState(s.value("window/state").toByteArray());
    for (Perspective* p : perspectives_) {
        QString key = "perspective/" + p->id() + "/state";
        if (s.contains(key))
            p->restoreState(s.value(key).toByteArray());
    }
    if (!s.contains("perspective/ide/state")) // first start: size the docks once laid out
        QTimer::singleShot(0, ide_, &IdePerspective::applyDefaultLayout);
    fontSize_ = std::clamp(s.value("view/fontSize", kDefaultFontSize).toInt(), kMinFont, kMaxFont);
    action("view.inlineDiagnostics")->setChecked(s.value("view/inlineDiagnostics", true).toBool());
    setTheme(themeFromName(s.value("view/theme", "light").toString()));
    switchTo(s.value("perspective/current", "ide").toString());
}

void MainWindow::closeEvent(QCloseEvent* e) {
    if (!ide_->closeAll()) {
        e->ignore();
        return;
    }
    ide_->console()->stopAll();
    saveLayout();
    e->accept();
}

} // namespace tapide
