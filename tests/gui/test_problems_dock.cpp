// The Problems dock: entries per document with the tstap text, counts in the
// title, notes as children, removal with the document, activation.
#include "problems_dock.h"
#include "script_analysis.h"

#include <QTreeWidget>
#include <QtTest>

using namespace tapide;

class TestProblemsDock : public QObject {
    Q_OBJECT
private slots:
    void entries();
    void activation();
    void documentsAreSeparate();
    void runTimeEntriesOutliveTheAnalysis();
};

void TestProblemsDock::entries() {
    ProblemsDock dock;
    QObject doc;
    ScriptAnalysis a = analyseScript("probe begin { x = 1 + }\nprobe end { y = 1; exit() }\n", "/tmp/p.stp");
    dock.setDiagnostics(&doc, "p.stp", a.diagnostics);
    QCOMPARE(dock.errorCount(), 1);
    QCOMPARE(dock.tree()->topLevelItemCount(), a.diagnostics.size());
    QTreeWidgetItem* item = dock.tree()->topLevelItem(0);
    QVERIFY(item->text(0).startsWith("parse error: expected"));
    QCOMPARE(item->text(1), QString("p.stp"));
    QCOMPARE(item->text(2), QString("1:23"));
    QVERIFY(item->toolTip(0).contains("/tmp/p.stp:1:23"));
    QVERIFY(dock.windowTitle().contains(QString::number(a.diagnostics.size())));
    // Fixed: the list empties.
    dock.setDiagnostics(&doc, "p.stp", {});
    QCOMPARE(dock.tree()->topLevelItemCount(), 0);
    QCOMPARE(dock.errorCount(), 0);
    QCOMPARE(dock.windowTitle(), QString("Problems"));
}

void TestProblemsDock::activation() {
    ProblemsDock dock;
    QObject doc;
    ScriptAnalysis a = analyseScript("probe begin {\n  x = 1 +\n}\n", "a.stp");
    dock.setDiagnostics(&doc, "a.stp", a.diagnostics);
    QSignalSpy spy(&dock, &ProblemsDock::locationActivated);
    dock.activate(0);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy[0][0].value<QObject*>(), &doc);
    QCOMPARE(spy[0][2].toInt(), 3);
    QCOMPARE(spy[0][3].toInt(), 1);
    // Double-click does the same.
    QTreeWidgetItem* item = dock.tree()->topLevelItem(0);
    dock.tree()->show();
    emit dock.tree()->itemActivated(item, 0);
    QCOMPARE(spy.count(), 2);
}

void TestProblemsDock::documentsAreSeparate() {
    ProblemsDock dock;
    auto* one = new QObject;
    QObject two;
    ScriptAnalysis bad = analyseScript("probe begin { x = }\n", "one.stp");
    dock.setDiagnostics(one, "one.stp", bad.diagnostics);
    dock.setDiagnostics(&two, "two.stp", bad.diagnostics);
    QCOMPARE(dock.errorCount(), 2);
    delete one; // a closed document takes its entries with it
    QCOMPARE(dock.errorCount(), 1);
    QCOMPARE(dock.tree()->topLevelItemCount(), 1);
    QCOMPARE(dock.tree()->topLevelItem(0)->text(1), QString("two.stp"));
}

void TestProblemsDock::runTimeEntriesOutliveTheAnalysis() {
    ProblemsDock dock;
    QObject doc;
    ScriptDiagnostic d;
    d.phase = "run-time";
    d.file = "/tmp/r.stp";
    d.line = 9;
    d.col = 23;
    d.message = "division by 0";
    d.subject = "operator '/'";
    d.text = "ERROR: division by 0 near operator '/' at /tmp/r.stp:9:23\n";
    dock.setRunTimeDiagnostics(&doc, "r.stp", {d});
    QCOMPARE(dock.tree()->topLevelItem(0)->text(0), QString("run-time error: division by 0 near operator '/'"));
    // A new analysis of the same text replaces its own entries only.
    dock.setDiagnostics(&doc, "r.stp", analyseScript("probe begin { x = 1 + }\n", "/tmp/r.stp").diagnostics);
    QCOMPARE(dock.errorCount(), 2);
    dock.setRunTimeDiagnostics(&doc, "r.stp", {});
    QCOMPARE(dock.errorCount(), 1);
    QVERIFY(dock.tree()->topLevelItem(0)->text(0).startsWith("parse error"));
}

QTEST_MAIN(TestProblemsDock)
#include "test_problems_dock.moc"
