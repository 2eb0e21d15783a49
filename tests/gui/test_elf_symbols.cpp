// Function symbols of binaries (elf_symbols.h): .symtab / .dynsym reading,
// $PATH resolution, the path+mtime cache, completion inside
// process("PATH").function("|") and the catalogue's "Functions of <binary>".
#include "completion_engine.h"
#include "elf_symbols.h"
#include "probe_catalogue_dock.h"

#include <QFile>
#include <QPushButton>
#include <QTreeView>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace tapide;

class TestElfSymbols : public QObject {
    Q_OBJECT
private slots:
    void resolve();
    void dynsym();
    void symtab();
    void cache();
    void completion();
    void catalogue();
    void variablesFromDwarf();
};

void TestElfSymbols::resolve() {
    QString ls = resolveBinaryPath("ls");
    QVERIFY(!ls.isEmpty());
    QVERIFY(QFileInfo(ls).isAbsolute());
    QCOMPARE(resolveBinaryPath("/bin/ls"), QFileInfo("/bin/ls").canonicalFilePath());
    QVERIFY(resolveBinaryPath("tapstudio-no-such-binary").isEmpty());
    QVERIFY(resolveBinaryPath("/no/such/file").isEmpty());
}

void TestElfSymbols::dynsym() {
    ElfFunctionTablePtr t = readElfFunctions("/bin/ls");
    QVERIFY2(t->error.isEmpty(), qPrintable(t->error));
    QVERIFY(!t->hasDwarf); // stripped: .dynsym only
    QVERIFY(t->variables.isEmpty());
    QVERIFY(t->functions.contains("_obstack_begin"));
    QVERIFY(!t->functions.contains("malloc")); // imports are not ls's functions
    QStringList sorted = t->functions;
    sorted.sort();
    QCOMPARE(t->functions, sorted);

    ElfFunctionTablePtr bad = readElfFunctions(QString(TAPSTUDIO_SOURCE_DIR) + "/docs/ide.md");
    QVERIFY(!bad->error.isEmpty());
    QVERIFY(bad->functions.isEmpty());
}

void TestElfSymbols::symtab() {
    ElfFunctionTablePtr t = readElfFunctions(TAP_WORKLOAD);
    QVERIFY2(t->error.isEmpty(), qPrintable(t->error));
    QVERIFY(t->functions.contains("main"));
    QVERIFY(t->functions.contains("now_ms")); // static: only in .symtab
}

void TestElfSymbols::variablesFromDwarf() {
    ElfFunctionTablePtr t = readElfFunctions(TAP_UPROG_O0);
    QVERIFY2(t->error.isEmpty(), qPrintable(t->error));
    QVERIFY(t->hasDwarf);
    using Vars = QVector<QPair<QString, QString>>;
    QCOMPARE(t->variables.value("add"), Vars({{"$a", "int"}, {"$b", "int"}, {"$sum", "int"}}));
    QCOMPARE(t->variables.value("greet.return"), Vars({{"$return", "char const*"}, {"$who", "char const*"}}));
    QVERIFY(t->variables.value("_start").isEmpty()); // no DWARF for it
}

void TestElfSymbols::cache() {
    QTemporaryDir dir;
    QString copy = dir.filePath("workload");
    QVERIFY(QFile::copy(TAP_WORKLOAD, copy));
    QVERIFY(!cachedElfFunctions(copy));
    ElfFunctionTablePtr a = readElfFunctions(copy);
    QCOMPARE(cachedElfFunctions(copy), a);
    QCOMPARE(readElfFunctions(copy), a); // same table, not read again
    // A newer mtime invalidates it.
    QFile f(copy);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(60), QFileDevice::FileModificationTime));
    f.close();
    QVERIFY(!cachedElfFunctions(copy));
    ElfFunctionTablePtr b = loadElfFunctionsAsync(copy).result();
    QVERIFY(b != a);
    QCOMPARE(b->functions, a->functions);
}

void TestElfSymbols::completion() {
    QTemporaryDir dir;
    QString copy = dir.filePath("workload");
    QVERIFY(QFile::copy(TAP_WORKLOAD, copy));
    CompletionEngine engine;
    ScriptAnalysis none;
    std::string text = "probe process(\"" + copy.toStdString() + "\").function(\"now";
    int cursor = int(text.size());
    CompletionResult r = engine.complete(text, cursor, none, nullptr);
    QCOMPARE(r.context.kind, CompletionContextKind::ProbeString);
    QCOMPARE(r.pendingBinary, copy); // not read yet: the caller loads it
    QVERIFY(r.items.isEmpty());
    loadElfFunctionsAsync(copy).waitForFinished();
    r = engine.complete(text, cursor, none, nullptr);
    QVERIFY(r.pendingBinary.isEmpty());
    QVERIFY(!r.items.isEmpty());
    QCOMPARE(r.items.front().insert, QString("now_ms"));
    QCOMPARE(r.items.front().kind, CompletionKind::Function);

    // A name is looked up in $PATH, like stap.
    readElfFunctions(resolveBinaryPath("ls"));
    std::string ls = "probe process(\"ls\").function(\"_obstack_beg\") { }";
    int at = int(ls.find("_beg")) + 4;
    r = engine.complete(ls, at, none, nullptr);
    QVERIFY(!r.items.isEmpty());
    QVERIFY(r.items.front().insert.startsWith("_obstack_begin"));

    // Not a function("..."): nothing from the binary.
    std::string other = "probe process(\"ls\").mark(\"_obs";
    r = engine.complete(other, int(other.size()), none, nullptr);
    QVERIFY(r.items.isEmpty());
    QVERIFY(r.pendingBinary.isEmpty());
}

void TestElfSymbols::catalogue() {
    ProbeCatalogueDock dock;
    auto snap = std::make_shared<CatalogueSnapshot>();
    dock.setSnapshot(snap);
    QVERIFY(dock.binaryButton());
    QCOMPARE(dock.binaryButton()->text(), QString("Binary…"));
    QSignalSpy loaded(&dock, &ProbeCatalogueDock::binaryLoaded);
    dock.setBinary(TAP_WORKLOAD);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(loaded.front().at(0).toString(), QFileInfo(TAP_WORKLOAD).absoluteFilePath());
    QVERIFY(loaded.front().at(1).toInt() > 2);
    QString path = dock.binary();
    QString mainPoint = ProbeCatalogueDock::functionPoint(path, "main");
    QCOMPARE(mainPoint, "process(\"" + path + "\").function(\"main\")");
    QVERIFY(dock.visiblePoints().contains(mainPoint));
    // The group is named after the binary.
    bool found = false;
    for (int r = 0; r < dock.view()->model()->rowCount(); ++r)
        found |= dock.view()->model()->index(r, 0).data().toString().startsWith(
            "Functions of " + QFileInfo(path).fileName());
    QVERIFY(found);
    dock.setFilter("now_ms");
    QCOMPARE(dock.visiblePoints(), QStringList{ProbeCatalogueDock::functionPoint(path, "now_ms")});

    QSignalSpy inserted(&dock, &ProbeCatalogueDock::insertRequested);
    QVERIFY(dock.activatePoint(mainPoint));
    QCOMPARE(inserted.size(), 1);
    QVERIFY(inserted.front().at(0).toString().startsWith("probe " + mainPoint + " {"));
    // The workload is built with -g: main's $variables come from its DWARF.
    QVERIFY2(inserted.front().at(0).toString().contains("$argc:int"), qPrintable(inserted.front().at(0).toString()));

    // A snapshot arriving later keeps the group; "" removes it.
    dock.setFilter("");
    dock.setSnapshot(std::make_shared<CatalogueSnapshot>());
    QVERIFY(dock.visiblePoints().contains(mainPoint));
    dock.setBinary("");
    QVERIFY(!dock.visiblePoints().contains(mainPoint));
}

QTEST_MAIN(TestElfSymbols)
#include "test_elf_symbols.moc"
