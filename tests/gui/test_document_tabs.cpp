// DocumentTabs: the editor tabs of the IDE perspective. Tab titles stay
// whole when many files are open (scroll buttons instead of "…").
#include "document_tabs.h"
#include "script_editor.h"
#include "../support/test_files.h"

#include <QTabBar>
#include <QTemporaryDir>
#include <QtTest>

using namespace tapide;

class TestDocumentTabs : public QObject {
    Q_OBJECT
private slots:
    void titlesStayWholeWithManyTabs();
};

void TestDocumentTabs::titlesStayWholeWithManyTabs() {
    // Issue 14, item 7: with 9-10 tabs at 1280 px the titles shrank to "…"
    // and two became indistinguishable.
    QTemporaryDir dir;
    DocumentTabs tabs([] { return CatalogueSnapshotPtr(); });
    tabs.resize(1280, 600);
    tabs.show();
    for (int i = 0; i < 12; ++i) {
        QString path = dir.filePath(QString("syscall_latency_by_process_%1.stp").arg(i));
        QVERIFY(testsupport::writeFile(path, "probe begin { exit() }\n"));
        QVERIFY(tabs.openFile(path, false));
    }
    QTabBar* bar = tabs.tabBar();
    QVERIFY(bar->usesScrollButtons());
    QFontMetrics metrics(bar->font());
    for (int i = 0; i < bar->count(); ++i) {
        QString title = bar->tabText(i);
        QVERIFY2(title.startsWith("syscall_latency_by_process_"), qPrintable(title));
        QVERIFY2(bar->tabRect(i).width() > metrics.horizontalAdvance(title), qPrintable(title));
    }
}

QTEST_MAIN(TestDocumentTabs)
#include "test_document_tabs.moc"
