// The disk cache of the catalogue index: a second start reads the whole
// index back in one step (complete at the first snapshot), equal to the
// one built; a change of any input (here: a tapset file) misses it.
#include "catalogue_cache.h"
#include "catalogue_indexer.h"
#include "../support/test_files.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace tapide;

class TestCatalogueCache : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void secondStartIsImmediate();
    void invalidatedByContent();
    void brokenFilesAreIgnored();

private:
    QTemporaryDir dir_;
    QTemporaryDir tapsets_;
};

void TestCatalogueCache::initTestCase() {
    QVERIFY(dir_.isValid());
    // An extra tapset directory the test can change.
    QVERIFY(testsupport::writeFile(tapsets_.filePath("extra.stp"), "/** probe extra.alias - a test alias */\nprobe extra.alias = begin { }\n"));
    qputenv("TAPSTUDIO_TAPSETS", tapsets_.path().toUtf8());
}

void TestCatalogueCache::secondStartIsImmediate() {
    QString file = dir_.filePath("index.bin");
    CatalogueSnapshotPtr cold;
    {
        CatalogueIndexer indexer;
        indexer.setCacheFile(file);
        QSignalSpy changed(&indexer, &CatalogueIndexer::snapshotChanged);
        indexer.start();
        indexer.waitForFinished();
        cold = indexer.snapshot();
        QVERIFY(cold->complete);
        QVERIFY(!cold->fromCache);
        QCOMPARE(changed.count(), 3);
    }
    QVERIFY(QFile::exists(file));
    CatalogueIndexer indexer;
    indexer.setCacheFile(file);
    QSignalSpy changed(&indexer, &CatalogueIndexer::snapshotChanged);
    QElapsedTimer clock;
    clock.start();
    indexer.start();
    QTRY_VERIFY_WITH_TIMEOUT(!indexer.running(), 10000);
    qInfo("cached index in %lld ms (read %.1f ms, library %.1f ms; cold %.0f ms)", clock.elapsed(),
          indexer.snapshot()->cacheMs, indexer.snapshot()->libraryMs,
          cold->libraryMs + cold->tracepointsMs + cold->probesMs);
    CatalogueSnapshotPtr warm = indexer.snapshot();
    QCOMPARE(changed.count(), 1); // complete at once
    QVERIFY(warm->complete && warm->fromCache && warm->library && warm->probes);
    QCOMPARE(warm->tracepoints, cold->tracepoints);
    QCOMPARE(warm->probes->all().size(), cold->probes->all().size());
    for (size_t i = 0; i < cold->probes->all().size(); ++i) {
        const tap::ListedProbe& a = cold->probes->all()[i];
        const tap::ListedProbe& b = warm->probes->all()[i];
        QCOMPARE(b.point, a.point);
        QVERIFY(b.variables == a.variables);
        QCOMPARE(b.doc, a.doc);
        QCOMPARE(b.isAlias, a.isAlias);
        QCOMPARE(b.components.size(), a.components.size());
    }
    // Queries agree with core's.
    for (const char* pattern : {"syscall.read", "scheduler.*", "kernel.trace(\"sched_switch\")", "timer.ms"})
        QCOMPARE(warm->probes->query(pattern).size(), cold->probes->query(pattern).size());
    QVERIFY(!warm->probes->query("extra.alias").empty());
    // Forced: from cold again.
    indexer.start(true);
    indexer.waitForFinished();
    QVERIFY(!indexer.snapshot()->fromCache);
}

void TestCatalogueCache::invalidatedByContent() {
    QString file = dir_.filePath("index2.bin");
    QByteArray key = CatalogueCache::contentKey();
    QCOMPARE(CatalogueCache::contentKey(), key); // stable
    QVERIFY(CatalogueCache::save(file, key, {"a:b"}, {}));
    CachedCatalogue c;
    QVERIFY(CatalogueCache::load(file, key, c));
    QCOMPARE(c.tracepoints, std::vector<std::string>{"a:b"});
    // A tapset changes (size): another key, the old cache misses.
    QFile f(tapsets_.filePath("extra.stp"));
    QVERIFY(f.open(QIODevice::Append));
    f.write("probe extra.other = end { }\n");
    f.close();
    QByteArray changed = CatalogueCache::contentKey();
    QVERIFY(changed != key);
    QVERIFY(!CatalogueCache::load(file, changed, c));
    // A new tapset file, too.
    QFile g(tapsets_.filePath("more.stp"));
    QVERIFY(g.open(QIODevice::WriteOnly));
    g.close();
    QVERIFY(CatalogueCache::contentKey() != changed);
}

void TestCatalogueCache::brokenFilesAreIgnored() {
    QString file = dir_.filePath("broken.bin");
    QByteArray key = CatalogueCache::contentKey();
    tap::ListedProbe p;
    p.point = "begin";
    p.components = {{"begin", {}, {}}};
    QVERIFY(CatalogueCache::save(file, key, {"x:y"}, {p}));
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QByteArray bytes = f.readAll();
    f.resize(bytes.size() / 2); // truncated
    f.close();
    CachedCatalogue c;
    QVERIFY(!CatalogueCache::load(file, key, c));
    QVERIFY(!CatalogueCache::load(dir_.filePath("missing.bin"), key, c));
}

QTEST_MAIN(TestCatalogueCache)
#include "test_catalogue_cache.moc"
