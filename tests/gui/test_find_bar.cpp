// Find / Replace in the editor: incremental find, next/previous with wrap,
// options, replace and replace all (one undo step).
#include "find_bar.h"
#include "script_editor.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QtTest>

using namespace tapide;

class TestFindBar : public QObject {
    Q_OBJECT
private slots:
    void findNextAndPrevious();
    void replace();
};

void TestFindBar::findNextAndPrevious() {
    ScriptEditor editor;
    FindBar bar;
    bar.setEditor(&editor);
    editor.setText("count = 1\nCount = 2\ncount = 3\n");
    bar.open(false);
    QVERIFY(bar.isVisible() || !bar.isVisibleTo(nullptr));
    QTest::keyClicks(bar.findField(), "count");
    int l1, i1, l2, i2;
    editor.getSelection(&l1, &i1, &l2, &i2);
    QCOMPARE(l1, 0);
    QVERIFY(bar.findNext());
    editor.getSelection(&l1, &i1, &l2, &i2);
    QCOMPARE(l1, 1); // case-insensitive by default
    QVERIFY(bar.findNext());
    editor.getSelection(&l1, &i1, &l2, &i2);
    QCOMPARE(l1, 2);
    QVERIFY(bar.findNext(false));
    editor.getSelection(&l1, &i1, &l2, &i2);
    QCOMPARE(l1, 1);
    bar.findChildren<QCheckBox*>().first()->setChecked(true); // match case
    QVERIFY(bar.findNext());
    editor.getSelection(&l1, &i1, &l2, &i2);
    QCOMPARE(l1, 2);
    bar.findField()->setText("nothing");
    QVERIFY(!bar.findNext());
}

void TestFindBar::replace() {
    ScriptEditor editor;
    FindBar bar;
    bar.setEditor(&editor);
    editor.setText("a = x\nb = x\nc = x\n");
    bar.open(true);
    bar.findField()->setText("x");
    bar.replaceField()->setText("yy");
    QCOMPARE(bar.replaceAll(), 3);
    QCOMPARE(editor.text(), QString("a = yy\nb = yy\nc = yy\n"));
    editor.undo(); // one step
    QCOMPARE(editor.text(), QString("a = x\nb = x\nc = x\n"));
    editor.setCursorPosition(0, 0);
    bar.replaceCurrent();
    QCOMPARE(editor.text(), QString("a = yy\nb = x\nc = x\n"));
}

QTEST_MAIN(TestFindBar)
#include "test_find_bar.moc"
