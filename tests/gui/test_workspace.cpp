// The Workspace view: File > Open Folder shows a folder's scripts (*.stp,
// *.stpm and sub-folders, nothing else), remembered across starts;
// double-click opens a script.
#include "ide_perspective.h"
#include "main_window.h"
#include "script_editor.h"
#include "workspace_dock.h"
#include "../support/test_files.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileSystemModel>
#include <QSettings>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace tapide;

class TestWorkspace : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void showsScriptsOnly();
};

void TestWorkspace::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("TapStudioTest");
    QCoreApplication::setApplicationName("tapstudio-gui-test-workspace");
    QSettings().clear();
}

void TestWorkspace::showsScriptsOnly() {
    QTemporaryDir dir;
    for (const char* name : {"a.stp", "b.stpm", "notes.txt", "sub/c.stp", "sub/d.c"}) {
        QDir().mkpath(QFileInfo(dir.filePath(name)).absolutePath());
        QVERIFY(testsupport::writeFile(dir.filePath(name), "probe begin { exit() }\n"));
    }
    {
        MainWindow w;
        w.show();
        WorkspaceDock* ws = w.ide()->workspace();
        QVERIFY(ws);
        QVERIFY(w.action("file.openFolder"));
        QVERIFY(ws->folder().isEmpty());
        w.ide()->openFolder(dir.path());
        QVERIFY(ws->isVisible());
        QCOMPARE(ws->folder(), QDir(dir.path()).absolutePath());
        QTRY_COMPARE(ws->entries(dir.path()), (QStringList{"a.stp", "b.stpm", "sub"}));
        QTRY_COMPARE(ws->entries(dir.filePath("sub")), (QStringList{"c.stp"}));
        QCOMPARE(ws->view()->rootIndex(), ws->model()->index(dir.path()));
        // Double-click (activation) opens the script.
        QVERIFY(!ws->activatePath(dir.filePath("sub")));
        QVERIFY(ws->activatePath(dir.filePath("sub/c.stp")));
        QVERIFY(w.ide()->currentEditor());
        QCOMPARE(w.ide()->currentEditor()->filePath(), QFileInfo(dir.filePath("sub/c.stp")).absoluteFilePath());
        emit ws->view()->activated(ws->model()->index(dir.filePath("a.stp")));
        QCOMPARE(w.ide()->currentEditor()->displayName(), QString("a.stp"));
    }
    // The next start shows the same folder.
    MainWindow again;
    QCOMPARE(again.ide()->workspace()->folder(), QDir(dir.path()).absolutePath());
}

QTEST_MAIN(TestWorkspace)
#include "test_workspace.moc"
