// The Functions dock: every public tapset function with signature, return
// type and doc; fuzzy filter; activation inserts a call with the cursor
// inside the parentheses.
#include "catalogue_indexer.h"
#include "functions_dock.h"
#include "ide_perspective.h"
#include "script_editor.h"
#include "tapset_library.h"

#include <QTextBrowser>
#include <QTreeWidget>
#include <QLabel>
#include <QtTest>

using namespace tapide;

class TestFunctionsDock : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void docComments();
    void lists();
    void filter();
    void details();
    void insert();
    void insertWhereACallCanStand();

private:
    CatalogueSnapshotPtr snapshot_;
};

void TestFunctionsDock::initTestCase() {
    auto snap = std::make_shared<CatalogueSnapshot>();
    snap->library = TapsetLibrary::build();
    snapshot_ = snap;
    QVERIFY(snapshot_->library->functions().size() > 100);
}

void TestFunctionsDock::docComments() {
    DocComment d = parseDocComment("/**\n * sfunction substr - Returns a substring\n *\n * @str: the string\n"
                                   " * @start: where\n *   it starts\n *\n * Description: Returns up to\n"
                                   " * @length bytes.\n */");
    QCOMPARE(QString::fromStdString(d.summary), QString("Returns a substring"));
    QCOMPARE(d.params.size(), size_t(2));
    QCOMPARE(QString::fromStdString(d.paramDoc("start")), QString("where it starts"));
    QCOMPARE(QString::fromStdString(d.description), QString("Returns up to @length bytes."));
    std::string text = "/** f - doc */\nfunction f() {}\n/* plain */\nfunction g() {}\n";
    QCOMPARE(QString::fromStdString(std::string(docCommentBefore(text, text.find("function f")))),
             QString("/** f - doc */"));
    QVERIFY(docCommentBefore(text, text.find("function g")).empty());

    const TapsetFunction* substr = snapshot_->library->function("substr", 3);
    QVERIFY(substr);
    QCOMPARE(QString::fromStdString(substr->signature()), QString("substr:string (str:string, start:long, length:long)"));
    QCOMPARE(QString::fromStdString(substr->doc.summary), QString("Returns a substring"));
    QVERIFY(QString::fromStdString(substr->file).endsWith("string.stp"));
    QVERIFY(substr->line > 0);
    QVERIFY(snapshot_->library->alias("scheduler.ctxswitch"));
    QCOMPARE(QString::fromStdString(snapshot_->library->alias("scheduler.ctxswitch")->doc.paramDoc("prev_pid")),
             QString("the PID of the process to be switched out"));
}

void TestFunctionsDock::lists() {
    FunctionsDock dock;
    dock.setSnapshot(snapshot_);
    QStringList all = dock.visibleFunctions();
    QVERIFY(all.size() > 100);
    QVERIFY(all.contains("strlen(s:string)"));
    QVERIFY(all.contains("execname()"));
    for (const QString& f : all)
        QVERIFY2(!f.startsWith("_"), qPrintable(f)); // internal helpers are not offered
    QStringList names;
    for (const QString& f : all)
        names << f.section('(', 0, 0);
    QStringList sorted = names;
    std::sort(sorted.begin(), sorted.end());
    QCOMPARE(names, sorted);
}

void TestFunctionsDock::filter() {
    FunctionsDock dock;
    dock.setSnapshot(snapshot_);
    dock.setFilter("strlen");
    QCOMPARE(dock.visibleFunctions().first(), QString("strlen(s:string)"));
    dock.setFilter("exnm"); // fuzzy
    QVERIFY(dock.visibleFunctions().contains("execname()"));
    dock.setFilter("zzzzqqq");
    QVERIFY(dock.visibleFunctions().isEmpty());
    // Issue 14, item 14: the count said "400 functions" while filtered.
    auto* count = dock.findChild<QLabel*>("count");
    QVERIFY(count);
    QVERIFY2(count->text().startsWith("0 of "), qPrintable(count->text()));
    dock.setFilter("strlen");
    QVERIFY(count->text().startsWith(QString::number(dock.visibleFunctions().size()) + " of "));
    dock.setFilter("");
    QVERIFY2(count->text().endsWith(" functions"), qPrintable(count->text()));
}

void TestFunctionsDock::details() {
    FunctionsDock dock;
    dock.setSnapshot(snapshot_);
    dock.setFilter("substr");
    QTreeWidget* tree = dock.tree();
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (!tree->topLevelItem(i)->isHidden() && tree->topLevelItem(i)->text(0).startsWith("substr(")) {
            tree->setCurrentItem(tree->topLevelItem(i));
            break;
        }
    auto* browser = dock.findChild<QTextBrowser*>();
    QVERIFY(browser);
    QString text = browser->toPlainText();
    QVERIFY2(text.contains("substr:string (str:string, start:long, length:long)"), qPrintable(text));
    QVERIFY(text.contains("Returns a substring"));
    QVERIFY(text.contains("string.stp"));
}

void TestFunctionsDock::insert() {
    IdePerspective ide;
    ide.functions()->setSnapshot(snapshot_);
    ScriptEditor* e = ide.newDocument();
    e->setText("probe begin {\n    x = \n}\n");
    e->setCursorPosition(1, 8);
    QVERIFY(ide.functions()->activateFunction("strlen"));
    QCOMPARE(e->text(1), QString("    x = strlen()\n"));
    int line, index;
    e->getCursorPosition(&line, &index);
    QCOMPARE(index, 15);
    QVERIFY(ide.functions()->activateFunction("pid"));
    QCOMPARE(e->text(1), QString("    x = strlen(pid())\n"));
    e->setModified(false);
}

void TestFunctionsDock::insertWhereACallCanStand() {
    // Issue 14, item 8: after `global counts` a double-click gave
    // `global countsstrlen()`. At the top level the call goes into the next
    // block (or a new begin probe); after a word in a block, on a line of
    // its own.
    IdePerspective ide;
    ide.functions()->setSnapshot(snapshot_);
    ScriptEditor* e = ide.newDocument();
    e->setText("global counts\nprobe begin {\n    counts = 1\n}\n");
    e->setCursorPosition(0, 13);
    QVERIFY(ide.functions()->activateFunction("strlen"));
    QCOMPARE(e->text(), QString("global counts\nprobe begin {\n    strlen()\n    counts = 1\n}\n"));
    int line, index;
    e->getCursorPosition(&line, &index);
    QCOMPARE(line, 2);
    QCOMPARE(index, 11); // inside the parentheses
    e->setCursorPosition(3, 14); // after `counts = 1`
    QVERIFY(ide.functions()->activateFunction("pid"));
    QCOMPARE(e->text(3), QString("    counts = 1\n"));
    QCOMPARE(e->text(4), QString("    pid()\n"));
    e->setText("global counts\n");
    e->setCursorPosition(0, 13);
    QVERIFY(ide.functions()->activateFunction("pid"));
    QCOMPARE(e->text(), QString("global counts\nprobe begin {\n    pid()\n}\n"));
    e->setModified(false);
}

QTEST_MAIN(TestFunctionsDock)
#include "test_functions_dock.moc"
