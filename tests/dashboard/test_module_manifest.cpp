// Module manifests: every bundled module validates (and there are at least
// 15), and each kind of broken manifest is refused with the file and field
// at fault, so a person knows what to fix.
#include "module_library.h"
#include "module_manifest.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace tapdash;

namespace {

const char* kGraphs = R"({"tapstudioGraphSet":1,"dataSets":[{"name":"n","source":"printf","format":"n %d\n"}],
 "charts":[{"title":"N","type":"line","dataSet":"n","values":["n"]}]})";

QJsonObject goodManifest() {
    return QJsonObject{{"tapstudioModule", 1},       {"id", "test-module"},     {"name", "Test"},
                       {"category", "Tests"},        {"description", "A test"}, {"script", "script.stp"},
                       {"graphs", "graphs.json"},    {"globals", QJsonObject{{"top_n", "5"}}},
                       {"requires", QJsonArray{"tracepoint"}}, {"refreshMs", 500}};
}

void write(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

// A module folder with these files; returns the reading.
ManifestReading readWith(const QTemporaryDir& dir, const QJsonObject& manifest, const QByteArray& graphs = kGraphs) {
    write(dir.filePath("script.stp"), "global n\nprobe timer.s(1) { printf(\"n %d\\n\", n++) }\n");
    write(dir.filePath("graphs.json"), graphs);
    write(dir.filePath("module.json"), QJsonDocument(manifest).toJson());
    return readManifest(dir.path());
}

} // namespace

class TestModuleManifest : public QObject {
    Q_OBJECT
  private slots:
    void bundledModulesValidate();
    void goodManifest_();
    void brokenManifests_data();
    void brokenManifests();
    void brokenJson();
    void brokenGraphSet();
    void libraryListsBrokenModules();
    void addedFolders();
};

void TestModuleManifest::bundledModulesValidate() {
    QString bundled = bundledModulesDir();
    QVERIFY2(!bundled.isEmpty(), "resources/dashboard not found");
    QStringList dirs = QDir(bundled).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QVERIFY2(dirs.size() >= 15, qPrintable(QString::number(dirs.size())));
    QStringList categories;
    for (const QString& d : dirs) {
        ManifestReading r = readManifest(QDir(bundled).filePath(d));
        QVERIFY2(r.ok(), qPrintable(d + ": " + r.problemText()));
        QCOMPARE(r.manifest.id, d); // the folder is named after the id
        categories << r.manifest.category;
    }
    categories.removeDuplicates();
    QVERIFY2(categories.size() >= 10, qPrintable(categories.join(", ")));
}

void TestModuleManifest::goodManifest_() {
    QTemporaryDir dir;
    ManifestReading r = readWith(dir, goodManifest());
    QVERIFY2(r.ok(), qPrintable(r.problemText()));
    QCOMPARE(r.manifest.id, QString("test-module"));
    QCOMPARE(r.manifest.globals.size(), 1);
    QCOMPARE(r.manifest.globals[0].first, QString("top_n"));
    QCOMPARE(r.manifest.needs, QStringList{"tracepoint"});
    QCOMPARE(r.manifest.refreshMs, 500);
    QCOMPARE(r.manifest.http, QString()); // publishes nothing unless asked
    // What toJson writes reads back the same.
    QTemporaryDir again;
    ManifestReading back = readWith(again, r.manifest.toJson());
    QVERIFY2(back.ok(), qPrintable(back.problemText()));
    QCOMPARE(back.manifest.toJson(), r.manifest.toJson());
}

void TestModuleManifest::brokenManifests_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value"); // undefined: the field is removed
    QTest::addColumn<QString>("problemField");
    QTest::newRow("no id") << "id" << QJsonValue(QJsonValue::Undefined) << "id";
    QTest::newRow("id with spaces") << "id" << QJsonValue("My Module") << "id";
    QTest::newRow("id not a string") << "id" << QJsonValue(5) << "id";
    QTest::newRow("empty name") << "name" << QJsonValue("  ") << "name";
    QTest::newRow("no category") << "category" << QJsonValue(QJsonValue::Undefined) << "category";
    QTest::newRow("no description") << "description" << QJsonValue(QJsonValue::Undefined) << "description";
    QTest::newRow("unknown version") << "tapstudioModule" << QJsonValue(2) << "tapstudioModule";
    QTest::newRow("no version") << "tapstudioModule" << QJsonValue(QJsonValue::Undefined) << "tapstudioModule";
    QTest::newRow("missing script") << "script" << QJsonValue("other.stp") << "script";
    QTest::newRow("script outside") << "script" << QJsonValue("../script.stp") << "script";
    QTest::newRow("absolute graphs") << "graphs" << QJsonValue("/etc/passwd") << "graphs";
    QTest::newRow("unknown capability") << "requires" << QJsonValue(QJsonArray{"teleport"}) << "requires";
    QTest::newRow("requires not a list") << "requires" << QJsonValue("tracepoint") << "requires";
    QTest::newRow("bad -G value") << "globals" << QJsonValue(QJsonObject{{"top_n", "1; rm"}}) << "globals";
    QTest::newRow("bad -G name") << "globals" << QJsonValue(QJsonObject{{"9lives", "1"}}) << "globals";
    QTest::newRow("refresh too fast") << "refreshMs" << QJsonValue(5) << "refreshMs";
    QTest::newRow("http not an address") << "http" << QJsonValue("localhost:http") << "http";
    QTest::newRow("http port too large") << "http" << QJsonValue("70000") << "http";
    QTest::newRow("arguments not strings") << "arguments" << QJsonValue(QJsonArray{1, 2}) << "arguments";
}

void TestModuleManifest::brokenManifests() {
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QFETCH(QString, problemField);
    QJsonObject m = goodManifest();
    if (value.isUndefined())
        m.remove(field);
    else
        m[field] = value;
    QTemporaryDir dir;
    ManifestReading r = readWith(dir, m);
    QVERIFY(!r.ok());
    QCOMPARE(r.problems.size(), 1);
    QCOMPARE(r.problems[0].file, QString("module.json"));
    QCOMPARE(r.problems[0].field, problemField);
    QVERIFY(r.problemText().startsWith("module.json: field '" + problemField + "': "));
}

void TestModuleManifest::brokenJson() {
    QTemporaryDir dir;
    write(dir.filePath("module.json"), "{ \"id\": \"x\", ");
    ManifestReading r = readManifest(dir.path());
    QVERIFY(!r.ok());
    QVERIFY2(r.problemText().contains("not valid JSON"), qPrintable(r.problemText()));
    QTemporaryDir empty;
    QVERIFY(readManifest(empty.path()).problemText().contains("cannot be read"));
}

void TestModuleManifest::brokenGraphSet() {
    QTemporaryDir dir;
    ManifestReading r = readWith(dir, goodManifest(),
                                 R"({"dataSets":[],"charts":[{"title":"N","type":"line","dataSet":"gone"}]})");
    QVERIFY(!r.ok());
    QCOMPARE(r.problems[0].file, QString("graphs.json"));
    QVERIFY2(r.problemText().contains("'gone'"), qPrintable(r.problemText()));
    QTemporaryDir noCharts;
    r = readWith(noCharts, goodManifest(), R"({"dataSets":[],"charts":[]})");
    QVERIFY(r.problemText().contains("no charts"));
    QTemporaryDir notJson;
    r = readWith(notJson, goodManifest(), "[1,2");
    QCOMPARE(r.problems.value(0).file, QString("graphs.json"));
}

void TestModuleManifest::libraryListsBrokenModules() {
    QTemporaryDir root;
    QDir(root.path()).mkpath("good");
    QDir(root.path()).mkpath("bad");
    QDir(root.path()).mkpath("not-a-module");
    QString goodDir = root.filePath("good");
    write(goodDir + "/script.stp", "probe begin { printf(\"n %d\\n\", 1) }\n");
    write(goodDir + "/graphs.json", kGraphs);
    write(goodDir + "/module.json", QJsonDocument(goodManifest()).toJson());
    write(root.filePath("bad/module.json"), "{}");
    ModuleLibrary library;
    library.setFolders(root.path(), root.filePath("nowhere"));
    library.reload();
    QCOMPARE(library.modules().size(), 1);
    QCOMPARE(library.modules()[0].manifest.id, QString("test-module"));
    QCOMPARE(library.modules()[0].origin, QString("bundled"));
    QCOMPARE(library.modules()[0].graphSet.charts.size(), 1);
    QCOMPARE(library.broken().size(), 1);
    QVERIFY(library.broken()[0].dir.endsWith("/bad"));
    QVERIFY(library.broken()[0].problems.contains("field 'id'"));
}

void TestModuleManifest::addedFolders() {
    // A folder the user adds is searched after the bundled and user folders,
    // and remembered (QSettings) until removed.
    QTemporaryDir mine;
    write(mine.filePath("script.stp"), "probe begin { printf(\"n %d\\n\", 1) }\n");
    write(mine.filePath("graphs.json"), kGraphs);
    write(mine.filePath("module.json"), QJsonDocument(goodManifest()).toJson());
    ModuleLibrary library;
    library.setFolders("/nonexistent-bundled", "/nonexistent-user");
    library.addFolder(mine.path());
    QVERIFY(ModuleLibrary().addedFolders().contains(QDir(mine.path()).absolutePath()));
    library.reload();
    QCOMPARE(library.modules().size(), 1);
    QCOMPARE(library.modules()[0].origin, QString("folder"));
    library.removeFolder(mine.path());
    library.reload();
    QVERIFY(library.modules().isEmpty());
}

QTEST_GUILESS_MAIN(TestModuleManifest)
#include "test_module_manifest.moc"
