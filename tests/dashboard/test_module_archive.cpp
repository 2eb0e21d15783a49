// Module packages: a bundled module exported as .tar.gz and imported again
// is the same module, file for file; a broken package (unsafe paths, a bad
// manifest, a script tstap -p2 rejects, an existing module, not an archive)
// says why and installs nothing.
#include "module_archive.h"
#include "module_library.h"

#include "app_paths.h"

#include <archive.h>
#include <archive_entry.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace tapdash;

using Files = QList<std::pair<QString, QByteArray>>;

namespace {

// Writes a .tar.gz holding `files` (path → content), with libarchive.
void writeArchive(const QString& path, const Files& files) {
    archive* a = archive_write_new();
    archive_write_add_filter_gzip(a);
    archive_write_set_format_pax_restricted(a);
    QCOMPARE(archive_write_open_filename(a, QFile::encodeName(path).constData()), ARCHIVE_OK);
    for (const auto& [name, content] : files) {
        archive_entry* e = archive_entry_new();
        QByteArray n = name.toUtf8();
        archive_entry_set_pathname(e, n.constData());
        archive_entry_set_size(e, content.size());
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_write_header(a, e);
        archive_write_data(a, content.constData(), size_t(content.size()));
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
}

QByteArray read(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList filesUnder(const QString& dir) {
    QStringList out;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << QDir(dir).relativeFilePath(it.next());
    out.sort();
    return out;
}

const QByteArray kManifest = R"({"tapstudioModule":1,"id":"pkg","name":"Package","category":"Tests",
 "description":"d","script":"script.stp","graphs":"graphs.json"})";
const QByteArray kGraphs = R"({"dataSets":[{"name":"n","format":"n %d\n"}],
 "charts":[{"title":"N","dataSet":"n","values":["n"]}]})";
const QByteArray kScript = "probe begin { printf(\"n %d\\n\", 1) }\n";

} // namespace

class TestModuleArchive : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void roundTrip();
    void brokenPackages_data();
    void brokenPackages();
    void existingModuleIsKept();
    void notAnArchive();

  private:
    QString tstap_;
};

void TestModuleArchive::initTestCase() {
    tstap_ = taprun::tstapPath();
    QVERIFY2(!tstap_.isEmpty(), "tstap not found");
}

void TestModuleArchive::roundTrip() {
    ModuleLibrary library;
    library.setFolders({}, "/nonexistent");
    library.reload();
    const Module* original = library.find("syscalls-errors");
    QVERIFY(original);
    QTemporaryDir work;
    QString archivePath = work.filePath("syscalls-errors.tar.gz");
    QString error;
    QVERIFY2(exportModule(*original, archivePath, &error), qPrintable(error));
    QCOMPARE(read(archivePath).left(2), QByteArray("\x1f\x8b")); // gzip

    QString root = work.filePath("installed");
    ImportResult r = importModule(archivePath, root, tstap_);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.id, QString("syscalls-errors"));
    QCOMPARE(r.installedDir, QDir(root).filePath("syscalls-errors"));
    QCOMPARE(filesUnder(r.installedDir), filesUnder(original->dir));
    for (const QString& f : filesUnder(original->dir))
        QCOMPARE(read(QDir(r.installedDir).filePath(f)), read(QDir(original->dir).filePath(f)));
    Module imported;
    QVERIFY(loadModule(r.installedDir, "user", imported));
    QCOMPARE(imported.manifest.toJson(), original->manifest.toJson());
}

void TestModuleArchive::brokenPackages_data() {
    QTest::addColumn<Files>("files");
    QTest::addColumn<QString>("message");
    QTest::newRow("dot-dot path") << Files{{"pkg/module.json", kManifest}, {"../escape.txt", "x"}} << "unsafe path";
    QTest::newRow("absolute path") << Files{{"/tmp/tapstudio-evil", "x"}} << "unsafe path";
    QTest::newRow("two folders") << Files{{"a/module.json", kManifest}, {"b/module.json", kManifest}}
                                 << "exactly one module folder";
    QTest::newRow("no manifest") << Files{{"pkg/script.stp", kScript}} << "module.json";
    QTest::newRow("bad manifest") << Files{{"pkg/module.json", "{\"tapstudioModule\":1}"}, {"pkg/script.stp", kScript},
                                           {"pkg/graphs.json", kGraphs}}
                                  << "field 'id'";
    QTest::newRow("script fails -p2")
        << Files{{"pkg/module.json", kManifest}, {"pkg/script.stp", "probe nosuch.point { x = }\n"},
                 {"pkg/graphs.json", kGraphs}}
        << "tstap -p2 rejects";
}

void TestModuleArchive::brokenPackages() {
    QFETCH(Files, files);
    QFETCH(QString, message);
    QTemporaryDir work;
    QString archivePath = work.filePath("broken.tar.gz");
    writeArchive(archivePath, files);
    QString root = work.filePath("installed");
    QDir().mkpath(root);
    ImportResult r = importModule(archivePath, root, tstap_);
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(message), qPrintable(r.error));
    QCOMPARE(QDir(root).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList()); // nothing installed
    QVERIFY(!QFileInfo::exists("/tmp/tapstudio-evil"));
    QVERIFY(!QFileInfo::exists(work.filePath("escape.txt")));
}

void TestModuleArchive::existingModuleIsKept() {
    QTemporaryDir work;
    QString archivePath = work.filePath("pkg.tar.gz");
    writeArchive(archivePath, {{"pkg/module.json", kManifest}, {"pkg/script.stp", kScript}, {"pkg/graphs.json", kGraphs}});
    QString root = work.filePath("installed");
    ImportResult first = importModule(archivePath, root, tstap_);
    QVERIFY2(first.ok, qPrintable(first.error));
    ImportResult second = importModule(archivePath, root, tstap_);
    QVERIFY(!second.ok);
    QVERIFY2(second.error.contains("already installed"), qPrintable(second.error));
    QCOMPARE(read(QDir(root).filePath("pkg/script.stp")), kScript);
}

void TestModuleArchive::notAnArchive() {
    QTemporaryDir work;
    QString path = work.filePath("plain.tar.gz");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("this is not a tar file at all");
    f.close();
    ImportResult r = importModule(path, work.filePath("installed"), tstap_);
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains("not a .tar.gz module package") || r.error.contains("damaged"), qPrintable(r.error));
    QVERIFY(!QFileInfo::exists(work.filePath("installed")));
}

QTEST_GUILESS_MAIN(TestModuleArchive)
#include "test_module_archive.moc"
