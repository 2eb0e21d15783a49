// "Show generated code": Run > Show Generated Code runs pass 3 over the
// editor's text (tstap -p3, a child process) and shows the BPF C read-only
// with C highlighting; user-space-only scripts and errors say so.
#include "document_tabs.h"
#include "generated_code_view.h"
#include "ide_perspective.h"
#include "main_window.h"
#include "script_editor.h"

#include <Qsci/qscilexercpp.h>

#include <QAction>
#include <QMenuBar>
#include <QSettings>
#include <QtTest>

using namespace tapide;

class TestGeneratedCode : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void kernelProbesGiveC();
    void userSpaceAndErrors();
};

void TestGeneratedCode::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("TapStudioTest");
    QCoreApplication::setApplicationName("tapstudio-gui-test-gencode");
    QSettings().clear();
    if (qEnvironmentVariable("TAPSTUDIO_TSTAP").isEmpty())
        QSKIP("tstap is not built");
}

void TestGeneratedCode::kernelProbesGiveC() {
    MainWindow w;
    w.show();
    QAction* show = w.action("run.generatedCode");
    QVERIFY(show);
    QVERIFY(!show->isEnabled());
    bool inRunMenu = false;
    for (QAction* m : w.menuBar()->actions())
        if (m->text().remove('&') == "Run")
            inRunMenu = m->menu()->actions().contains(show);
    QVERIFY(inRunMenu);
    ScriptEditor* e = w.ide()->newDocument();
    // Not saved: the editor's text is what is translated.
    e->setText("global n\nprobe timer.profile { n[execname()]++ }\n"
               "probe end { foreach (k in n- limit 3) printf(\"%s %d\\n\", k, n[k]) }\n");
    QVERIFY(show->isEnabled());
    show->trigger();
    auto* view = qobject_cast<GeneratedCodeView*>(w.ide()->documents()->currentWidget());
    QVERIFY(view);
    QVERIFY(view->isReadOnly());
    QVERIFY(qobject_cast<QsciLexerCPP*>(view->lexer()));
    QSignalSpy done(view, &GeneratedCodeView::finished);
    QTRY_VERIFY_WITH_TIMEOUT(!view->busy() && done.count() + int(view->succeeded()) > 0, 20000);
    QVERIFY2(view->succeeded(), qPrintable(view->code()));
    QVERIFY2(view->code().contains("BPF_MAP_TYPE_") && view->code().contains(" TAP_MAPS;"),
             qPrintable(view->code().left(500)));
    QVERIFY(view->code().contains("#include"));
    QVERIFY(w.ide()->documents()->tabText(w.ide()->documents()->currentIndex()).endsWith("— C"));
    // The same script reuses its tab; the editor stays an editor.
    int tabs = w.ide()->documents()->count();
    w.ide()->documents()->setCurrentWidget(e);
    show->trigger();
    QCOMPARE(w.ide()->documents()->count(), tabs);
    QTRY_VERIFY_WITH_TIMEOUT(!view->busy(), 20000);
    // Close closes the view, not the script.
    w.action("file.close")->trigger();
    QCOMPARE(w.ide()->documents()->count(), tabs - 1);
    QVERIFY(w.ide()->documents()->editors().contains(e));
    e->setModified(false);
}

void TestGeneratedCode::userSpaceAndErrors() {
    MainWindow w;
    ScriptEditor* e = w.ide()->newDocument();
    e->setText("probe begin { printf(\"hi\\n\"); exit() }\n");
    GeneratedCodeView* view = w.ide()->showGeneratedCode();
    QVERIFY(view);
    QTRY_VERIFY_WITH_TIMEOUT(!view->busy() && !view->code().contains("Generating"), 20000);
    QVERIFY2(view->code().contains("user-space"), qPrintable(view->code()));
    w.ide()->documents()->setCurrentWidget(e);
    e->setText("probe timer.profile { x = 1 + }\n");
    view = w.ide()->showGeneratedCode();
    QTRY_VERIFY_WITH_TIMEOUT(!view->busy() && !view->code().contains("Generating"), 20000);
    QVERIFY(!view->succeeded());
    QVERIFY2(view->code().contains("parse error"), qPrintable(view->code()));
    e->setModified(false);
}

QTEST_MAIN(TestGeneratedCode)
#include "test_generated_code.moc"
