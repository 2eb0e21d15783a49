// Go to definition: script functions, globals, parameters, locals and probe
// aliases of the script; tapset functions and aliases (their file and line,
// opened read-only); F12 and Ctrl+click in the window.
#include "catalogue_indexer.h"
#include "definition_finder.h"
#include "document_tabs.h"
#include "ide_perspective.h"
#include "main_window.h"
#include "script_analysis.h"
#include "script_editor.h"

#include <QAction>
#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using namespace tapide;

namespace {

const char* kScript = R"(global counts, total = 0

function fmt(n) {
    prefix = "n="
    return prefix . sprint(n)
}

probe myalias = vm.pagefault { fd_copy = address }

probe myalias {
    counts[execname()]++
    total += fd_copy
}

probe syscall.read.return, timer.s(1) {
    printf("%s\n", fmt(total))
}

probe signal.send { total += sig }
)";

int offsetOf(const std::string& text, const std::string& needle, int nth = 1, int delta = 0) {
    size_t at = std::string::npos, from = 0;
    for (int i = 0; i < nth; ++i) {
        at = text.find(needle, from);
        if (at == std::string::npos)
            return -1;
        from = at + 1;
    }
    return int(at) + delta;
}

QString lineOf(const QString& file, int line) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QStringList lines = QString::fromUtf8(f.readAll()).split('\n');
    return line >= 1 && line <= lines.size() ? lines[line - 1] : QString();
}

} // namespace

class TestGoToDefinition : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void scriptDefinitions();
    void tapsetDefinitions();
    void nothingToGoTo();
    void f12AndCtrlClick();

private:
    CatalogueSnapshotPtr snapshot_;
    ScriptAnalysis analysis_;
};

void TestGoToDefinition::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("TapStudioTest");
    QCoreApplication::setApplicationName("tapstudio-gui-test-definition");
    QSettings().clear();
    auto snap = std::make_shared<CatalogueSnapshot>();
    snap->library = TapsetLibrary::build();
    snapshot_ = snap;
    analysis_ = analyseScript(kScript, "defs.stp");
    QVERIFY2(analysis_.elaborated, analysis_.diagnostics.isEmpty() ? "" : qPrintable(analysis_.diagnostics[0].text));
}

void TestGoToDefinition::scriptDefinitions() {
    std::string text = kScript;
    struct Case {
        const char* needle;
        int nth, delta;
        DefinitionTarget::Kind kind;
        int line, col;
    } cases[] = {
        {"fmt(total)", 1, 1, DefinitionTarget::ScriptFunction, 3, 10},  // a call
        {"fmt(n)", 1, 0, DefinitionTarget::ScriptFunction, 3, 10},      // its own declaration
        {"counts[", 1, 2, DefinitionTarget::Global, 1, 8},
        {"total +=", 1, 0, DefinitionTarget::Global, 1, 16},
        {"fmt(total)", 1, 5, DefinitionTarget::Global, 1, 16},
        {"sprint(n)", 1, 7, DefinitionTarget::Parameter, 3, 14},
        {"prefix .", 1, 2, DefinitionTarget::Local, 4, 5},
        {"probe myalias {", 1, 8, DefinitionTarget::ScriptAlias, 8, 7},
        {"+= fd_copy", 1, 4, DefinitionTarget::Local, 8, 32}, // set by the script's own alias
    };
    for (const Case& c : cases) {
        int pos = offsetOf(text, c.needle, c.nth, c.delta);
        QVERIFY2(pos >= 0, c.needle);
        DefinitionTarget t = findDefinition(text, pos, analysis_, snapshot_);
        QVERIFY2(t.valid(), qPrintable(QString(c.needle) + ": " + t.reason));
        QVERIFY2(t.inScript(), c.needle);
        QCOMPARE(t.kind, c.kind);
        QCOMPARE(t.line, c.line);
        QCOMPARE(t.col, c.col);
    }
}

void TestGoToDefinition::tapsetDefinitions() {
    std::string text = kScript;
    // A tapset function: the file and the line of its declaration.
    DefinitionTarget f = findDefinition(text, offsetOf(text, "execname()", 1, 3), analysis_, snapshot_);
    QVERIFY2(f.valid(), qPrintable(f.reason));
    QCOMPARE(f.kind, DefinitionTarget::TapsetFunction);
    QVERIFY(f.file.endsWith(".stp"));
    QVERIFY2(lineOf(f.file, f.line).contains("function execname"), qPrintable(lineOf(f.file, f.line)));
    // A tapset alias in a probe header, and the target of a script alias.
    for (const char* needle : {"signal.send {", "vm.pagefault {"}) {
        DefinitionTarget a = findDefinition(text, offsetOf(text, needle, 1, 3), analysis_, snapshot_);
        QVERIFY2(a.valid(), qPrintable(QString(needle) + ": " + a.reason));
        QCOMPARE(a.kind, DefinitionTarget::TapsetAlias);
        QString point = QString(needle).section(' ', 0, 0);
        QCOMPARE(a.name, point);
        QVERIFY2(lineOf(a.file, a.line).contains(point), qPrintable(lineOf(a.file, a.line)));
    }
    // A variable the alias sets: its definition is the alias.
    DefinitionTarget sig = findDefinition(text, offsetOf(text, "+= sig", 1, 4), analysis_, snapshot_);
    QVERIFY2(sig.valid(), qPrintable(sig.reason));
    QCOMPARE(sig.kind, DefinitionTarget::TapsetAlias);
    QCOMPARE(sig.name, QString("signal.send"));
    // syscall.* points come from a provider, not a tapset alias: nothing to open.
    DefinitionTarget provider = findDefinition(text, offsetOf(text, "syscall.read.return", 1, 9), analysis_, snapshot_);
    QVERIFY(!provider.valid());
    QVERIFY2(provider.reason.contains("provider"), qPrintable(provider.reason));
}

void TestGoToDefinition::nothingToGoTo() {
    std::string text = "probe kernel.trace(\"sched_switch\") { x = $prev->pid }\n";
    ScriptAnalysis a = analyseScript(text, "none.stp");
    for (const char* needle : {"$prev", "pid }", "trace", "{ x"}) {
        DefinitionTarget t = findDefinition(text, offsetOf(text, needle, 1, 1), a, snapshot_);
        QVERIFY2(!t.valid(), needle);
        QVERIFY2(!t.reason.isEmpty(), needle);
    }
    // Before the library is indexed, tapset names say so.
    DefinitionTarget early = findDefinition(kScript, offsetOf(kScript, "execname()", 1, 2), analysis_, nullptr);
    QVERIFY(!early.valid());
    QVERIFY(early.reason.contains("indexed"));
}

void TestGoToDefinition::f12AndCtrlClick() {
    QTemporaryDir dir;
    QString path = dir.filePath("defs.stp");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(kScript);
    file.close();
    MainWindow w;
    w.resize(1200, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openFiles({path});
    ScriptEditor* e = w.ide()->currentEditor();
    QVERIFY(e);
    QTRY_VERIFY_WITH_TIMEOUT(e->analysis().elaborated, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(w.ide()->indexer()->snapshot()->library, 20000);

    // F12 on the call of fmt goes to its declaration.
    QAction* f12 = w.action("edit.gotoDefinition");
    QVERIFY(f12);
    QCOMPARE(f12->shortcut(), QKeySequence(Qt::Key_F12));
    std::string text = kScript;
    e->setCurrentPosition(offsetOf(text, "fmt(total)", 1, 1));
    f12->trigger();
    int line, index;
    e->getCursorPosition(&line, &index);
    QCOMPARE(line + 1, 3);
    QCOMPARE(index, 9);

    // Ctrl+click on execname opens its tapset read-only at the declaration.
    int pos = offsetOf(text, "execname()", 1, 2);
    e->ensureLineVisible(int(e->SendScintilla(QsciScintillaBase::SCI_LINEFROMPOSITION, (unsigned long)pos)));
    QPoint at(int(e->SendScintilla(QsciScintillaBase::SCI_POINTXFROMPOSITION, 0UL, long(pos))) + 2,
              int(e->SendScintilla(QsciScintillaBase::SCI_POINTYFROMPOSITION, 0UL, long(pos))) + 4);
    int tabs = w.ide()->documents()->count();
    QTest::mouseClick(e->viewport(), Qt::LeftButton, Qt::ControlModifier, at);
    QTRY_COMPARE(w.ide()->documents()->count(), tabs + 1);
    ScriptEditor* tapset = w.ide()->currentEditor();
    QVERIFY(tapset != e);
    QVERIFY(tapset->isReadOnly());
    tapset->getCursorPosition(&line, &index);
    QVERIFY2(tapset->text(line).contains("function execname"), qPrintable(tapset->text(line)));
    QVERIFY(w.ide()->documents()->tabText(w.ide()->documents()->currentIndex()).contains("read-only"));
}

QTEST_MAIN(TestGoToDefinition)
#include "test_go_to_definition.moc"
