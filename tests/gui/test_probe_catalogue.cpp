// The Probe catalogue dock: filled from the background index (partial first,
// then complete), grouped, filterable, shows docs and variables, and
// inserts a probe skeleton (listing the variables) on activation; the IDE
// places the skeleton at the top level.
#include "catalogue_indexer.h"
#include "ide_perspective.h"
#include "probe_catalogue_dock.h"
#include "script_editor.h"

#include <QLineEdit>
#include <QStandardItemModel>
#include <QTreeView>
#include <QtTest>

using namespace tapide;

class TestProbeCatalogue : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void fillsFromSnapshots();
    void filter();
    void skeleton();
    void insertIntoTheEditor();

private:
    CatalogueSnapshotPtr snapshot_;
    QVector<CatalogueSnapshotPtr> stages_;
};

void TestProbeCatalogue::initTestCase() {
    CatalogueIndexer indexer;
    QSignalSpy progress(&indexer, &CatalogueIndexer::progress);
    QObject::connect(&indexer, &CatalogueIndexer::snapshotChanged, [&] { stages_ << indexer.snapshot(); });
    indexer.start();
    QVERIFY(indexer.running());
    QTRY_VERIFY_WITH_TIMEOUT(!indexer.running(), 20000);
    snapshot_ = indexer.snapshot();
    QVERIFY(snapshot_->complete);
    QCOMPARE(stages_.size(), 3); // library, tracepoints, probe index
    QCOMPARE(progress.count(), 3);
    QVERIFY(!stages_[0]->complete && stages_[0]->library && !stages_[0]->probes);
}

void TestProbeCatalogue::fillsFromSnapshots() {
    ProbeCatalogueDock dock;
    dock.setSnapshot(stages_[0]); // partial: builtins and aliases
    int partial = dock.pointCount();
    QVERIFY(partial > 10);
    QVERIFY(dock.visiblePoints().contains("scheduler.ctxswitch"));
    dock.setSnapshot(snapshot_);
    QVERIFY(dock.pointCount() > partial);
    QStringList all = dock.visiblePoints();
    for (const char* p : {"begin", "end", "timer.ms(N)", "scheduler.ctxswitch", "syscall.open"})
        QVERIFY2(all.contains(p), p);
    if (!snapshot_->tracepoints.empty())
        QVERIFY(all.contains("kernel.trace(\"sched:sched_switch\")"));
    auto* model = qobject_cast<QSortFilterProxyModel*>(dock.view()->model());
    QVERIFY(model);
    QStringList groups;
    for (int r = 0; r < model->rowCount(); ++r)
        groups << model->index(r, 0).data().toString().section("  (", 0, 0);
    QCOMPARE(groups.mid(0, 3), (QStringList{"Session", "Timers", "Tapset aliases"}));
}

void TestProbeCatalogue::filter() {
    ProbeCatalogueDock dock;
    dock.setSnapshot(snapshot_);
    dock.setFilter("ctxswitch");
    QStringList v = dock.visiblePoints();
    QVERIFY(v.contains("scheduler.ctxswitch"));
    QVERIFY(!v.contains("begin"));
    dock.setFilter("openat");
    v = dock.visiblePoints();
    QVERIFY(v.contains("syscall.openat"));
    QVERIFY(v.contains("syscall.openat.return"));
    QVERIFY(!v.contains("syscall.read"));
    // The filter also matches the docs.
    dock.setFilter("context switch");
    QVERIFY(dock.visiblePoints().contains("scheduler.ctxswitch"));
    // Typing in the field filters after a short delay.
    dock.setFilter("");
    QTest::keyClicks(dock.filterField(), "timer.pro");
    auto onlyProfile = [&] {
        QStringList v = dock.visiblePoints();
        for (const QString& p : v)
            if (!p.startsWith("timer.profile"))
                return false;
        return v.contains("timer.profile");
    };
    QTRY_VERIFY(onlyProfile());
    dock.setFilter("no such probe point at all");
    QVERIFY(dock.visiblePoints().isEmpty());
}

void TestProbeCatalogue::skeleton() {
    QCOMPARE(ProbeCatalogueDock::skeletonFor("begin", {}), QString("probe begin {\n    \n}\n"));
    QCOMPARE(ProbeCatalogueDock::skeletonFor("timer.ms(N)", {}), QString("probe timer.ms(100) {\n    \n}\n"));
    QString s = ProbeCatalogueDock::skeletonFor("scheduler.ctxswitch", {"prev_pid:long", "$prev:struct task_struct*"});
    QVERIFY(s.startsWith("probe scheduler.ctxswitch {\n    // prev_pid:long  $prev:struct task_struct*\n"));
    ProbeCatalogueDock dock;
    dock.setSnapshot(snapshot_);
    QSignalSpy spy(&dock, &ProbeCatalogueDock::insertRequested);
    QVERIFY(dock.activatePoint("syscall.open"));
    QCOMPARE(spy.count(), 1);
    QString text = spy[0][0].toString();
    QVERIFY(text.startsWith("probe syscall.open {\n    // name:string  filename:string"));
    QVERIFY(text.contains("$filename:char const*"));
    QVERIFY(!dock.activatePoint("no.such.point"));
}

void TestProbeCatalogue::insertIntoTheEditor() {
    IdePerspective ide;
    ide.catalogue()->setSnapshot(snapshot_);
    ScriptEditor* e = ide.newDocument();
    e->setText("global n\nprobe begin {\n    n = 1\n}\n");
    // The cursor inside a probe: the skeleton goes after that probe.
    e->setCursorPosition(2, 5);
    QVERIFY(ide.catalogue()->activatePoint("end"));
    QCOMPARE(e->text(), QString("global n\nprobe begin {\n    n = 1\n}\n\nprobe end {\n    \n}\n"));
    int line, index;
    e->getCursorPosition(&line, &index);
    QCOMPARE(line, 6);
    QCOMPARE(index, 4);
    // At the top level: at the cursor's line.
    e->setCursorPosition(0, 0);
    QVERIFY(ide.catalogue()->activatePoint("timer.s(N)"));
    QVERIFY(e->text().startsWith("probe timer.s(1) {\n    \n}\n\nglobal n\n"));
    e->setModified(false);
}

QTEST_MAIN(TestProbeCatalogue)
#include "test_probe_catalogue.moc"
