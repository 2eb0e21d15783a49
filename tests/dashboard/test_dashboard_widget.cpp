// The Dashboard page, offscreen: the browser's search, two modules running
// at once each as its own tstap session with their charts receiving rows,
// stopping one while the other runs on, Save as module, and the System view
// showing what `tstap --probe-capabilities --json` reports.
#include "dashboard_widget.h"
#include "module_browser.h"
#include "module_details.h"
#include "module_run.h"
#include "raw_output_dialog.h"
#include "run_board.h"
#include "save_as_module.h"
#include "save_module_dialog.h"
#include "system_view.h"

#include "app_paths.h"
#include "chart_panel.h"
#include "flame_panel.h"
#include "stack_data_set.h"
#include "table_panel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QtTest>

using namespace tapdash;

namespace {

qint64 rowsOf(const ModuleRun* run) {
    qint64 rows = 0;
    for (const tapgraphs::DataSetSpec& spec : run->module().graphSet.dataSets)
        if (std::shared_ptr<tapgraphs::DataSet> ds = run->data()->dataSet(spec.name)) rows += ds->received();
    return rows;
}

int drawnPanels(RunBoard* board, ModuleRun* run) {
    int drawn = 0;
    for (QWidget* w : board->panelsOf(run)) {
        if (auto* c = qobject_cast<tapgraphs::ChartPanel*>(w)) drawn += c->drawnRows() > 0;
        if (auto* t = qobject_cast<tapgraphs::TablePanel*>(w)) drawn += t->shownRows() > 0;
    }
    return drawn;
}

} // namespace

class TestDashboardWidget : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void browserSearch();
    void twoModulesAtOnceAndStopOne();
    void flameGraphModuleDraws();
    void saveAsModule_();
    void systemViewMatchesTstap();
    void modulesNeedingMissingCapabilitiesAreMarked();

  private:
    bool root_ = false;
};

void TestDashboardWidget::initTestCase() {
    root_ = geteuid() == 0;
    QVERIFY2(!taprun::tstapPath().isEmpty(), "tstap not found");
}

void TestDashboardWidget::browserSearch() {
    DashboardWidget w;
    ModuleBrowser* b = w.browser();
    int all = b->visibleIds().size();
    QVERIFY(all >= 15);
    b->setFilter("page fault");
    QCOMPARE(b->visibleIds(), QStringList{"memory-page-faults"});
    b->setFilter("NETWORK"); // a category, any case
    QStringList network = b->visibleIds();
    network.sort();
    QCOMPARE(network, (QStringList{"net-devices", "net-processes"}));
    b->setFilter("errno"); // words of the description
    QCOMPARE(b->visibleIds(), QStringList{"syscalls-errors"});
    b->setFilter("no module says this");
    QVERIFY(b->visibleIds().isEmpty());
    // Empty categories are hidden with their modules.
    for (int i = 0; i < b->tree()->topLevelItemCount(); ++i)
        QVERIFY(b->tree()->topLevelItem(i)->isHidden());
    b->setFilter("");
    QCOMPARE(b->visibleIds().size(), all);
    // Selecting a module shows its details and script.
    b->select({"irqs"});
    QCOMPARE(w.details()->shownId(), QString("irqs"));
    QVERIFY(w.details()->summary()->toPlainText().contains("Interrupts and softirqs"));
}

void TestDashboardWidget::flameGraphModuleDraws() {
    // A module's flame graph draws on the board as in the Graph perspective
    // (the board made line and bar charts and tables only).
    if (!root_) QSKIP("kernel probes need root");
    DashboardWidget w;
    w.resize(1280, 800);
    w.show();
    w.browser()->select({"cpu-flame-graph"});
    w.runSelected();
    QCOMPARE(w.board()->runs().size(), 1);
    ModuleRun* run = w.board()->runs().front();
    QList<QWidget*> panels = w.board()->panelsOf(run);
    QCOMPARE(panels.size(), 1);
    auto* flame = qobject_cast<tapgraphs::FlamePanel*>(panels.front());
    QVERIFY(flame);
    QSignalSpy drawn(flame, &tapgraphs::FlamePanel::drawn);
    QTRY_VERIFY_WITH_TIMEOUT(run->state() == ModuleRun::State::Running, 120000);
    QTRY_VERIFY_WITH_TIMEOUT(run->data()->stackDataSet("on-CPU stacks")->received() > 0, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(drawn.count() > 0, 20000);
    w.board()->stopAll();
    QTRY_VERIFY_WITH_TIMEOUT(run->state() == ModuleRun::State::Finished, 20000);
}

void TestDashboardWidget::twoModulesAtOnceAndStopOne() {
    if (!root_) QSKIP("kernel probes need root");
    DashboardWidget w;
    w.resize(1280, 800);
    w.show();
    // A -G value edited before the run reaches tstap.
    w.browser()->select({"syscalls-top"});
    QTableWidget* globals = w.details()->globalsTable();
    QCOMPARE(globals->rowCount(), 1);
    QCOMPARE(globals->item(0, 0)->text(), QString("top_n"));
    globals->item(0, 1)->setText("3");
    w.browser()->select({"syscalls-top", "memory-page-faults"});
    QCOMPARE(w.browser()->selectedIds().size(), 2);
    w.runSelected();
    QList<ModuleRun*> runs = w.board()->runs();
    QCOMPARE(runs.size(), 2);
    QVERIFY(runs[0]->commandLine() != runs[1]->commandLine() || runs[0]->commandLine().isEmpty());
    for (ModuleRun* run : runs)
        QTRY_VERIFY_WITH_TIMEOUT(run->state() == ModuleRun::State::Running, 120000);
    QVERIFY(w.board()->panelCount() == 4);
    ModuleRun* syscalls = runs[0]->module().manifest.id == "syscalls-top" ? runs[0] : runs[1];
    QTRY_VERIFY(syscalls->commandLine().contains("-G top_n=3"));
    // Both feed their own data sets, and their charts draw them.
    for (ModuleRun* run : runs) {
        QTRY_VERIFY_WITH_TIMEOUT(rowsOf(run) > 0, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(drawnPanels(w.board(), run) == w.board()->panelsOf(run).size(), 20000);
    }
    QVERIFY(runs[0]->data() != runs[1]->data());
    // Stop one: it finishes; the other keeps running and keeps receiving rows.
    ModuleRun* stopped = runs[0];
    ModuleRun* other = runs[1];
    QTableWidget* table = w.board()->table();
    auto* stopButton = table->cellWidget(0, 3)->findChild<QPushButton*>("StopRun");
    QVERIFY(stopButton && stopButton->isEnabled());
    stopButton->click();
    QTRY_VERIFY_WITH_TIMEOUT(stopped->state() == ModuleRun::State::Finished, 20000);
    QVERIFY2(stopped->statusText().contains("signal"), qPrintable(stopped->statusText()));
    QVERIFY(!stopButton->isEnabled());
    QCOMPARE(other->state(), ModuleRun::State::Running);
    qint64 before = rowsOf(other);
    QTRY_VERIFY_WITH_TIMEOUT(rowsOf(other) > before, 10000);
    // The raw output is there for a click: the printed lines of every format.
    QString output = other->output()->all();
    for (const tapgraphs::DataSetSpec& spec : other->module().graphSet.dataSets)
        QVERIFY2(output.contains(spec.format.section(' ', 0, 0) + ' '), qPrintable(spec.format));
    // Output is one click away, in a window of its own.
    auto* outputButton = table->cellWidget(1, 3)->findChild<QPushButton*>("ShowOutput");
    outputButton->click();
    auto* dialog = w.board()->findChild<RawOutputDialog*>();
    QVERIFY(dialog && dialog->isVisible());
    QTRY_VERIFY(dialog->text()->toPlainText().contains('\n'));
    w.board()->stopAll();
    QTRY_VERIFY_WITH_TIMEOUT(other->state() == ModuleRun::State::Finished, 20000);
    // Close removes a run with its row and charts; the other stays.
    int otherCharts = w.board()->panelsOf(other).size();
    table->cellWidget(0, 3)->findChild<QPushButton*>("CloseRun")->click();
    QTRY_COMPARE(w.board()->runs().size(), 1);
    QCOMPARE(w.board()->runs()[0], other);
    QCOMPARE(w.board()->panelCount(), otherCharts);
    QCOMPARE(table->rowCount(), 1);
}

void TestDashboardWidget::saveAsModule_() {
    QTemporaryDir root;
    QTemporaryDir work;
    QString script = work.filePath("counter.stp");
    {
        QFile f(script);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("# Counts seconds.\nglobal n\nprobe timer.ms(200) { printf(\"tick %d\\n\", ++n) }\n");
    }
    tapgraphs::GraphSet set;
    tapgraphs::DataSetSpec ds;
    ds.name = "ticks";
    ds.format = "tick %d\n";
    set.dataSets << ds;
    tapgraphs::ChartSpec chart;
    chart.title = "Ticks";
    chart.dataSet = "ticks";
    chart.values = {"tick"};
    set.charts << chart;

    // Through the dialog, as File ▸ Save as Dashboard Module does.
    SaveModuleDialog dialog(script, set, root.path());
    QCOMPARE(dialog.idEdit()->text(), QString("counter"));
    QCOMPARE(dialog.manifest().description, QString("Counts seconds."));
    QVERIFY(dialog.manifest().needs.isEmpty()); // timers only: nothing needed
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QString dir = dialog.savedDir();
    QCOMPARE(dir, QDir(root.path()).filePath("counter"));
    ManifestReading reading = readManifest(dir);
    QVERIFY2(reading.ok(), qPrintable(reading.problemText()));

    // The module lists and runs like any other (no privileges: timers only).
    ModuleLibrary library;
    library.setFolders(root.path(), "/nonexistent");
    library.reload();
    const Module* m = library.find("counter");
    QVERIFY(m);
    QCOMPARE(m->graphSet.charts.size(), 1);
    ModuleRun run(*m, RunSettings::defaultsOf(m->manifest));
    run.start();
    QTRY_VERIFY_WITH_TIMEOUT(rowsOf(&run) >= 2, 30000);
    run.stop();
    QTRY_VERIFY_WITH_TIMEOUT(run.state() == ModuleRun::State::Finished, 10000);

    // Saving again under the same id is refused; so is a graph set without charts.
    QString error;
    QVERIFY(saveAsModule(script, set, reading.manifest, root.path(), &error).isEmpty());
    QVERIFY2(error.contains("already exists"), qPrintable(error));
    ModuleManifest other = reading.manifest;
    other.id = "counter-2";
    QVERIFY(saveAsModule(script, {}, other, root.path(), &error).isEmpty());
    QVERIFY2(error.contains("no charts"), qPrintable(error));
    other.id = "Bad Id";
    QVERIFY(saveAsModule(script, set, other, root.path(), &error).isEmpty());
    QVERIFY2(error.contains("field 'id'"), qPrintable(error));
}

void TestDashboardWidget::systemViewMatchesTstap() {
    QProcess p;
    p.start(taprun::tstapPath(), {"--probe-capabilities", "--json"});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    QJsonObject expected = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    QCOMPARE(expected.value("t").toString(), QString("capabilities"));

    SystemView view;
    QSignalSpy done(&view, &SystemView::reportChanged);
    view.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 60000);
    QHash<QString, std::pair<bool, QString>> rows = view.attachRows();
    QJsonArray attach = expected.value("attach").toArray();
    QCOMPARE(rows.size(), attach.size());
    QVERIFY(attach.size() >= 11);
    for (const QJsonValue& v : attach) {
        QJsonObject c = v.toObject();
        QString name = c.value("name").toString();
        QVERIFY2(rows.contains(name), qPrintable(name));
        QCOMPARE(rows[name].first, c.value("ok").toBool());
        QCOMPARE(rows[name].second, c.value("detail").toString());
    }
    // The kernel release and tstap version are shown as tstap reports them.
    QList<QTreeWidgetItem*> release = view.tree()->findItems(
        expected.value("kernel").toObject().value("release").toString(), Qt::MatchContains | Qt::MatchRecursive, 1);
    QCOMPARE(release.size(), 1);
    // A module that needs a capability this machine lacks is marked with the reason.
    SystemReport report = view.probe()->report();
    Module fake;
    fake.manifest.needs = {"fentry"};
    bool fentry = rows.value("fentry").first;
    QString why = whyModuleCannotRun(fake, report);
    if (!report.privileged())
        QVERIFY(why.isEmpty()); // everything is refused without privileges: elevation decides
    else if (fentry)
        QVERIFY(why.isEmpty());
    else
        QVERIFY2(why.contains("needs fentry: ") && why.contains(rows.value("fentry").second), qPrintable(why));
}

void TestDashboardWidget::modulesNeedingMissingCapabilitiesAreMarked() {
    // A report (as tstap writes it) where kprobes are refused to a root user:
    // a module that needs them is marked with the kernel's reason; the
    // others are not; without privileges nothing is marked (elevation decides).
    auto report = [](int euid) {
        QJsonObject json{{"t", "capabilities"},
                         {"kernel", QJsonObject{{"btf", true}, {"btfDetail", "vmlinux"}}},
                         {"attach", QJsonArray{QJsonObject{{"name", "tracepoint"}, {"ok", true}, {"detail", "ok"}},
                                               QJsonObject{{"name", "kprobe"}, {"ok", false},
                                                           {"detail", "no kprobe PMU"}}}},
                         {"privileges", QJsonObject{{"euid", euid}, {"capBpf", false}, {"capPerfmon", false}}}};
        return SystemReport::fromOutput(QJsonDocument(json).toJson(QJsonDocument::Compact), {}, 0);
    };
    QTemporaryDir root;
    for (const char* id : {"needs-kprobe", "needs-tracepoint"}) {
        QDir(root.path()).mkpath(id);
        QString dir = root.filePath(id);
        QFile(dir + "/script.stp").open(QIODevice::WriteOnly);
        QFile graphs(dir + "/graphs.json");
        QVERIFY(graphs.open(QIODevice::WriteOnly));
        graphs.write(R"({"dataSets":[{"name":"n","format":"n %d\n"}],"charts":[{"title":"N","dataSet":"n"}]})");
        graphs.close();
        QFile manifest(dir + "/module.json");
        QVERIFY(manifest.open(QIODevice::WriteOnly));
        QString capability = QString(id).section('-', 1);
        manifest.write(QJsonDocument(QJsonObject{{"tapstudioModule", 1}, {"id", id}, {"name", id}, {"category", "T"},
                                                 {"description", "d"}, {"requires", QJsonArray{capability}}})
                           .toJson());
    }
    ModuleLibrary library;
    library.setFolders(root.path(), "/nonexistent");
    library.reload();
    QCOMPARE(library.modules().size(), 2);
    ModuleBrowser browser(&library);
    auto itemOf = [&](const QString& id) -> QTreeWidgetItem* {
        for (QTreeWidgetItem* item : browser.tree()->findItems(id, Qt::MatchStartsWith | Qt::MatchRecursive))
            if (item->parent()) return item;
        return nullptr;
    };
    browser.setSystemReport(report(0));
    QVERIFY(itemOf("needs-kprobe")->text(0).contains("cannot run here"));
    QVERIFY2(itemOf("needs-kprobe")->toolTip(0).contains("needs kprobe: no kprobe PMU"),
             qPrintable(itemOf("needs-kprobe")->toolTip(0)));
    QCOMPARE(itemOf("needs-tracepoint")->text(0), QString("needs-tracepoint"));
    browser.setSystemReport(report(1000));
    QCOMPARE(itemOf("needs-kprobe")->text(0), QString("needs-kprobe"));
}

QTEST_MAIN(TestDashboardWidget)
#include "test_dashboard_widget.moc"
