// Variable hints: the context variables ($vars with C types), the alias's
// variables and the locals of the probe under the cursor (or a function's
// parameters), from the last analysis; the catalogue's view while the
// script does not elaborate; the dock follows the cursor.
#include "catalogue_indexer.h"
#include "ide_perspective.h"
#include "main_window.h"
#include "script_analysis.h"
#include "script_editor.h"
#include "variable_hints_dock.h"

#include <QSettings>
#include <QTreeWidget>
#include <QtTest>

using namespace tapide;

namespace {

const char* kScript = R"(global reads

probe syscall.read {
    wanted = fd
    reads[execname()] += wanted
}

function half(n) {
    h = n / 2
    return h
}

probe timer.s(1) {
    printf("%d\n", half(reads["x"]))
}
)";

int offsetOf(const std::string& text, const std::string& needle) { return int(text.find(needle)); }

bool hasVar(const QVector<VarInfo>& vars, const QString& name, QString* type = nullptr) {
    for (const VarInfo& v : vars)
        if (v.name == name) {
            if (type)
                *type = v.type;
            return true;
        }
    return false;
}

} // namespace

class TestVariableHints : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void probeUnderTheCursor();
    void functionAndOutside();
    void catalogueWhileBroken();
    void whereItRunsWhileBroken();
    void dockFollowsTheCursor();

private:
    CatalogueSnapshotPtr snapshot_;
};

void TestVariableHints::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("TapStudioTest");
    QCoreApplication::setApplicationName("tapstudio-gui-test-hints");
    QSettings().clear();
    CatalogueIndexer indexer;
    indexer.start();
    indexer.waitForFinished();
    snapshot_ = indexer.snapshot();
    QVERIFY(snapshot_->complete);
}

void TestVariableHints::probeUnderTheCursor() {
    ScriptAnalysis a = analyseScript(kScript, "hints.stp");
    QVERIFY(a.elaborated);
    std::string text = kScript;
    // In the body, and in the header.
    for (int pos : {offsetOf(text, "wanted = fd"), offsetOf(text, "syscall.read") + 3}) {
        VariableHints h = variableHintsAt(a, pos, snapshot_);
        QCOMPARE(h.kind, VariableHints::Probe);
        QCOMPARE(h.title, QString("probe syscall.read"));
        QCOMPARE(h.kernel, std::optional<bool>(true));
        QVERIFY(!h.fromCatalogue);
        QString type;
        QVERIFY2(hasVar(h.context, "$fd", &type), qPrintable(QString::number(h.context.size())));
        QVERIFY2(!type.isEmpty() && type != "long", qPrintable(type)); // the C type
        QVERIFY(hasVar(h.context, "$count"));
        QVERIFY(hasVar(h.aliasVars, "fd", &type));
        QCOMPARE(type, QString("long"));
        QVERIFY(hasVar(h.aliasVars, "argstr", &type));
        QCOMPARE(type, QString("string"));
        QVERIFY(hasVar(h.locals, "wanted"));
        QVERIFY(!hasVar(h.locals, "fd")); // the alias's, not the handler's
    }
    VariableHints timer = variableHintsAt(a, offsetOf(text, "printf"), snapshot_);
    QCOMPARE(timer.kind, VariableHints::Probe);
    QCOMPARE(timer.title, QString("probe timer.s(1)"));
    QVERIFY(timer.context.isEmpty());
    QCOMPARE(timer.kernel, std::optional<bool>(false));
}

void TestVariableHints::functionAndOutside() {
    ScriptAnalysis a = analyseScript(kScript, "hints.stp");
    std::string text = kScript;
    VariableHints f = variableHintsAt(a, offsetOf(text, "h = n"), snapshot_);
    QCOMPARE(f.kind, VariableHints::Function);
    QCOMPARE(f.title, QString("function half"));
    QVERIFY(hasVar(f.locals, "n"));
    QVERIFY(hasVar(f.locals, "h"));
    QCOMPARE(variableHintsAt(a, offsetOf(text, "global") + 2, snapshot_).kind, VariableHints::Nothing);
}

void TestVariableHints::catalogueWhileBroken() {
    // Never elaborated (a parse error): the catalogue knows the point's variables.
    std::string text = "probe scheduler.ctxswitch {\n    x = \n";
    ScriptAnalysis a = analyseScript(text, "broken.stp");
    QVERIFY(!a.elaborated);
    VariableHints h = variableHintsAt(a, int(text.find("x =")), snapshot_, text);
    QCOMPARE(h.kind, VariableHints::Probe);
    QVERIFY(h.fromCatalogue);
    QVERIFY(hasVar(h.aliasVars, "prev_pid"));
    QVERIFY(hasVar(h.aliasVars, "next_task_name"));
    QVERIFY(hasVar(h.context, "$prev"));
    // Without the text, nothing is known there.
    QCOMPARE(variableHintsAt(a, int(text.find("x =")), snapshot_).kind, VariableHints::Nothing);
}

// Issue 14, item 9: while the script did not elaborate, every probe
// "runs in user space", kernel.trace(...) and scheduler.ctxswitch included.
void TestVariableHints::whereItRunsWhileBroken() {
    struct Case {
        std::string script;
        std::optional<bool> kernel;
        QString said;
    };
    const Case cases[] = {
        {"probe kernel.trace(\"sched:sched_switch\") {\n    x = \n", true, "runs in the kernel"},
        {"probe scheduler.ctxswitch {\n    x = \n", true, "runs in the kernel"},
        {"probe scheduler.ctxswitch {\n    x = 1\n}\nprobe begin { println(nosuch()) }\n", true, "runs in the kernel"},
        {"probe begin {\n    x = \n", false, "runs in user space"},
        // Half typed: nothing resolves yet, so nothing is claimed.
        {"probe scheduler.ctxsw {\n    x = 1\n}\n", std::nullopt, ""},
        {"probe kernel.trace(\"sched:sched_sw {\n    x = \n", std::nullopt, ""},
    };
    for (const Case& c : cases) {
        ScriptAnalysis a = analyseScript(c.script, "where.stp");
        QVERIFY(!a.elaborated);
        int pos = int(c.script.find("x ="));
        VariableHints h = variableHintsAt(a, pos, snapshot_, c.script);
        QCOMPARE(h.kind, VariableHints::Probe);
        QVERIFY2(h.kernel == c.kernel, c.script.c_str());

        ScriptEditor editor;
        editor.setText(QString::fromStdString(c.script));
        a.generation = editor.generation();
        editor.setAnalysis(a);
        editor.setCurrentPosition(pos);
        VariableHintsDock dock;
        dock.setSnapshotSource([this] { return snapshot_; });
        dock.setEditor(&editor);
        QString title = dock.titleText();
        QVERIFY2(c.said.isEmpty() ? !title.contains("runs in") : title.contains(c.said), qPrintable(title));
    }
}

void TestVariableHints::dockFollowsTheCursor() {
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    VariableHintsDock* dock = w.ide()->hints();
    QVERIFY(dock);
    QVERIFY(dock->isVisible());
    ScriptEditor* e = w.ide()->newDocument();
    e->setText(kScript);
    QTRY_VERIFY_WITH_TIMEOUT(e->analysis().elaborated, 10000);
    std::string text = kScript;
    e->setCurrentPosition(offsetOf(text, "wanted = fd"));
    QTRY_COMPARE(dock->hints().kind, VariableHints::Probe);
    QVERIFY(dock->titleText().contains("syscall.read"));
    QStringList shown = dock->shownVariables();
    bool typedFd = false;
    for (const QString& s : shown)
        typedFd = typedFd || (s.startsWith("$fd : ") && s != "$fd : ?");
    QVERIFY2(typedFd, qPrintable(shown.join(", ")));
    QVERIFY(shown.contains("fd : long"));
    QVERIFY(shown.contains("wanted : long"));

    e->setCurrentPosition(offsetOf(text, "h = n"));
    QTRY_COMPARE(dock->hints().kind, VariableHints::Function);
    QVERIFY(dock->titleText().contains("function half"));
    e->setCurrentPosition(0);
    QTRY_COMPARE(dock->hints().kind, VariableHints::Nothing);

    // While the script is broken, what the last good analysis knew stays.
    e->setCurrentPosition(offsetOf(text, "wanted = fd"));
    QTRY_COMPARE(dock->hints().kind, VariableHints::Probe);
    e->SendScintilla(QsciScintillaBase::SCI_INSERTTEXT, (unsigned long)offsetOf(text, "wanted = fd"), "x = 1 + ;\n    ");
    QTRY_VERIFY_WITH_TIMEOUT(!e->analysis().parsed, 10000);
    dock->refresh();
    QVERIFY(dock->shownVariables().contains("fd : long"));

    // Double-click inserts the name.
    QSignalSpy insert(dock, &VariableHintsDock::insertRequested);
    QTreeWidgetItem* group = dock->tree()->topLevelItem(0);
    QVERIFY(group && group->childCount() > 0);
    emit dock->tree()->itemActivated(group->child(0), 0);
    QCOMPARE(insert.count(), 1);
    QVERIFY(insert[0][0].toString().startsWith('$'));
    e->setModified(false);
}

QTEST_MAIN(TestVariableHints)
#include "test_variable_hints.moc"
