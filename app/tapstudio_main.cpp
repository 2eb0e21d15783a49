// tapstudio: the TapStudio desktop application (Qt 6 Widgets).
//
//   tapstudio [FILE.stp ...]
//   tapstudio --screenshot out.png [--delay MS] [--perspective ide|graph|dashboard] [--theme light|dark]
//             [--size WxH] [--folder DIR] [--cursor LINE:COL] [--dock NAME] [--generated-code] [--run]
//             [--console-height PX] [--complete] FILE
//   tapstudio --perspective graph --run SCRIPT... [--graph-set FILE.json]... [--side-by-side]
//             [--screenshot OUT.png] [--quit-after SECONDS]
//   tapstudio --perspective dashboard [--run-modules ID,ID,...] [--select-modules ID,...]
//             [--dashboard-tab module|running|system] [--screenshot OUT.png] [--quit-after SECONDS]
#include "main_window.h"
#include "dashboard_perspective.h"
#include "module_browser.h"
#include "document_tabs.h"
#include "editor_completion.h"
#include "graph_perspective.h"
#include "graph_set.h"
#include "functions_dock.h"
#include "ide_perspective.h"
#include "probe_catalogue_dock.h"
#include "problems_dock.h"
#include "run_dock.h"
#include "script_editor.h"
#include "theme.h"
#include "variable_hints_dock.h"
#include "workspace_dock.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QPainter>
#include <QPixmap>
#include <QTabWidget>
#include <QTimer>

#include <cstdio>
#include <cstring>

namespace {

struct DocOptions {
    // Hidden options for documentation screenshots.
    QCommandLineOption folder{"folder", "Show DIR in the Workspace view.", "DIR"};
    QCommandLineOption cursor{"cursor", "Put the cursor at LINE:COL of the current script.", "LINE:COL"};
    QCommandLineOption dock{"dock", "Raise this dock: workspace, functions, catalogue, console, problems.", "NAME"};
    QCommandLineOption generated{"generated-code", "Show the generated C of the current script."};
    QCommandLineOption run{"run", "Run the current script after start-up (with --perspective graph: plot it)."};
    QCommandLineOption graphSet{"graph-set", "With --run in the Graph perspective: plot with this graph set (once per "
                                             "script, in order).", "FILE"};
    QCommandLineOption sideBySide{"side-by-side", "Show the Graph perspective's sessions side by side."};
    QCommandLineOption quitAfter{"quit-after", "Quit after SECONDS (after --screenshot, which is then taken last).",
                                 "SECONDS"};
    QCommandLineOption consoleHeight{"console-height", "Height of the Console dock in pixels.", "PX"};
    QCommandLineOption runModules{"run-modules", "With --perspective dashboard: run these modules (ids, comma-separated).",
                                  "IDS"};
    QCommandLineOption selectModules{"select-modules", "With --perspective dashboard: select these modules.", "IDS"};
    QCommandLineOption dashboardTab{"dashboard-tab", "With --perspective dashboard: show module, running or system.",
                                    "TAB"};
    QCommandLineOption complete{"complete", "Open the completion list at the cursor shortly before --screenshot "
                                            "(the picture then shows the list and its doc panel)."};
};

void describe(QCommandLineParser& parser, QCommandLineOption& screenshot, QCommandLineOption& delay,
              QCommandLineOption& perspective, QCommandLineOption& theme, QCommandLineOption& size,
              DocOptions& doc) {
    parser.setApplicationDescription("TapStudio: an IDE for SystemTap scripts");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("files", "Scripts to open.", "[FILE...]");
    parser.addOptions({screenshot, delay, perspective, theme, size, doc.folder, doc.cursor, doc.dock, doc.generated,
                       doc.run, doc.graphSet, doc.sideBySide, doc.quitAfter, doc.consoleHeight, doc.runModules,
                       doc.selectModules, doc.dashboardTab, doc.complete});
}

} // namespace

int main(int argc, char** argv) {
    QCommandLineOption screenshot("screenshot", "Save a picture of the window to FILE, then quit.", "FILE");
    QCommandLineOption delay("delay", "Milliseconds to wait before --screenshot (default 3000).", "MS", "3000");
    QCommandLineOption perspective("perspective", "Start in this perspective: ide, graph or dashboard.", "ID");
    QCommandLineOption theme("theme", "Use this theme: light or dark.", "THEME");
    QCommandLineOption size("size", "Window size WIDTHxHEIGHT.", "SIZE");
    DocOptions doc;
    for (int i = 1; i < argc; ++i) {
        const char* a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help") || !strcmp(a, "--help-all") || !strcmp(a, "-v") ||
            !strcmp(a, "--version")) {
            // Help and version need no display.
            QCoreApplication core(argc, argv);
            QCoreApplication::setApplicationName("tapstudio");
            QCoreApplication::setApplicationVersion(TAPSTUDIO_VERSION);
            QCommandLineParser parser;
            describe(parser, screenshot, delay, perspective, theme, size, doc);
            parser.process(core);
            return 0;
        }
    }
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        std::fprintf(stderr, "tapstudio: no display ($DISPLAY / $WAYLAND_DISPLAY are unset). Run it in a desktop "
                             "session, under xvfb-run, or with QT_QPA_PLATFORM=offscreen; tstap runs scripts "
                             "without one.\n");
        return 1;
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName("TapStudio");
    QApplication::setApplicationName("tapstudio");
    QApplication::setApplicationDisplayName("TapStudio");
    QApplication::setApplicationVersion(TAPSTUDIO_VERSION);
    QApplication::setDesktopFileName("tapstudio");

    QCommandLineParser parser;
    describe(parser, screenshot, delay, perspective, theme, size, doc);
    parser.process(app);

    tapide::MainWindow window;
    if (parser.isSet(theme))
        window.setTheme(tapide::themeFromName(parser.value(theme)));
    if (parser.isSet(size)) {
        QStringList wh = parser.value(size).split('x');
        if (wh.size() == 2)
            window.resize(wh[0].toInt(), wh[1].toInt());
    }
    window.show();
    window.openFiles(parser.positionalArguments());
    if (parser.isSet(perspective))
        window.switchTo(parser.value(perspective));
    tapide::IdePerspective* ide = window.ide();
    if (parser.isSet(doc.folder))
        ide->openFolder(parser.value(doc.folder));
    if (parser.isSet(doc.dock)) {
        QString d = parser.value(doc.dock);
        QDockWidget* w = d == "workspace"   ? static_cast<QDockWidget*>(ide->workspace())
                         : d == "functions" ? static_cast<QDockWidget*>(ide->functions())
                         : d == "console"   ? static_cast<QDockWidget*>(ide->console())
                         : d == "problems"  ? static_cast<QDockWidget*>(ide->problems())
                                            : static_cast<QDockWidget*>(ide->catalogue());
        QTimer::singleShot(0, w, [w] { w->raise(); });
    }
    if (parser.isSet(doc.cursor)) {
        QStringList lc = parser.value(doc.cursor).split(':');
        if (tapide::ScriptEditor* e = ide->currentEditor())
            e->jumpTo(lc.value(0).toInt(), lc.value(1, "1").toInt());
    }
    if (parser.isSet(doc.generated))
        ide->showGeneratedCode();
    if (parser.isSet(doc.consoleHeight)) {
        int px = parser.value(doc.consoleHeight).toInt();
        QTimer::singleShot(0, ide, [ide, px] { ide->resizeDocks({ide->console()}, {px}, Qt::Vertical); });
    }
    bool graph = parser.value(perspective) == "graph";
    if (parser.isSet(doc.run) && graph) {
        // Automated: each script with its graph set (the n-th --graph-set for
        // the n-th script), or with every chart the wizard proposes.
        QStringList scripts = parser.positionalArguments(), setFiles = parser.values(doc.graphSet);
        for (int i = 0; i < scripts.size(); ++i) {
            tapgraphs::GraphSet set;
            if (i < setFiles.size()) {
                QString error;
                set = tapgraphs::GraphSet::load(setFiles[i], &error);
                if (!error.isEmpty()) {
                    std::fprintf(stderr, "tapstudio: %s\n", qPrintable(error));
                    return 1;
                }
            }
            QTimer::singleShot(0, &window, [&window, set, script = scripts[i]] {
                window.openFiles({script}); // makes it the current script
                window.runWithGraphs(set, tapgraphs::SessionPage::Proposals::AcceptAll);
            });
        }
        if (parser.isSet(doc.sideBySide))
            QTimer::singleShot(0, &window, [&window] { window.graph()->workspace()->setSideBySide(true); });
    } else if (parser.isSet(doc.run)) {
        QTimer::singleShot(0, ide, [ide] { ide->run(); });
    }
    tapdash::DashboardWidget* dashboard = window.dashboard()->dashboard();
    if (parser.isSet(doc.selectModules))
        dashboard->browser()->select(parser.value(doc.selectModules).split(',', Qt::SkipEmptyParts));
    if (parser.isSet(doc.runModules)) {
        QString error;
        dashboard->run(parser.value(doc.runModules).split(',', Qt::SkipEmptyParts), &error);
        if (!error.isEmpty()) {
            std::fprintf(stderr, "tapstudio: %s\n", qPrintable(error));
            return 1;
        }
    }
    if (parser.isSet(doc.dashboardTab)) {
        static const QStringList tabs{"module", "running", "system"};
        int index = tabs.indexOf(parser.value(doc.dashboardTab));
        if (index < 0) {
            std::fprintf(stderr, "tapstudio: --dashboard-tab is module, running or system\n");
            return 1;
        }
        dashboard->tabs()->setCurrentIndex(index);
    }

    if (parser.isSet(doc.complete))
        QTimer::singleShot(std::max(0, parser.value(delay).toInt() - 1000), ide, [ide] {
            if (tapide::ScriptEditor* e = ide->currentEditor())
                ide->documents()->completionFor(e)->complete(false);
        });
    // The window with the windows over it (the completion list, its doc
    // panel): each is a window of its own that grab() leaves out.
    auto picture = [&window] {
        QPixmap shot = window.grab();
        QPainter painter(&shot);
        for (QWidget* w : QApplication::allWidgets())
            if (w != &window && w->isWindow() && w->isVisible() && (w->windowType() == Qt::Popup || w->windowType() == Qt::ToolTip))
                painter.drawPixmap(w->mapToGlobal(QPoint(0, 0)) - window.mapToGlobal(QPoint(0, 0)), w->grab());
        return shot;
    };
    auto finish = [&window, picture, path = parser.value(screenshot)] {
        if (!path.isEmpty() && !picture().save(path))
            std::fprintf(stderr, "tapstudio: could not write %s\n", qPrintable(path));
        window.close();
        QApplication::quit();
    };
    if (parser.isSet(doc.quitAfter))
        QTimer::singleShot(int(parser.value(doc.quitAfter).toDouble() * 1000), &window, finish);
    else if (parser.isSet(screenshot))
        QTimer::singleShot(parser.value(delay).toInt(), &window, finish);
    return app.exec();
}
