// Flame graphs: stacks from printf records merged into one root-first
// stack, trees, zoom, search and its share, differential totals against
// hand-made trees, function costs, folded and SVG export read back, the
// view drawing and zooming on a click, the live panel with a sliding
// window, and a real `tstap --json` profile folded into a tree whose
// counts add up to the samples printed.
#include "../support/test_files.h"
#include "app_paths.h"
#include "caller_callee_view.h"
#include "flame_colors.h"
#include "flame_export.h"
#include "flame_panel.h"
#include "flame_tree.h"
#include "flame_tree_model.h"
#include "flame_view.h"
#include "function_costs.h"
#include "run_session.h"
#include "session_data.h"

#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <unistd.h>

using namespace tapgraphs;

namespace {

// Samples from "a;b;c 3" lines (frames ending in _[k] are the kernel's).
StackSamples folded(const QString& text) {
    QString error;
    StackSamples s = readFoldedStacks(text, &error);
    if (!error.isEmpty()) qWarning() << error;
    return s;
}

FlameTree treeOf(const QString& text) {
    return FlameTree::build(folded(text));
}

QJsonArray stacksField(const char* json) {
    return QJsonDocument::fromJson(json).array();
}

} // namespace

class TestFlameGraph : public QObject {
    Q_OBJECT
  private slots:
    void kernelAndUserStacksMergeRootFirst();
    void treeAddsUpAndOrdersChildrenByName();
    void zoomLaysOutTheFocusFullWidth();
    void searchShareCountsNestedMatchesOnce();
    void differentialTotalsAgainstABaseline();
    void functionCostsCountRecursionOnce();
    void foldedStacksReadBack();
    void foldedErrorsNameLineAndColumn();
    void svgHasABoxPerFrame();
    void viewDrawsZoomsAndSearches();
    void panelFollowsASlidingWindow();
    void tablesShowTopDownBottomUpAndCallers();
    void graphSetKeepsFlameFields();
    void realProfileFoldsIntoTheTree();
};

void TestFlameGraph::kernelAndUserStacksMergeRootFirst() {
    FrameTable frames;
    QJsonArray record = stacksField(R"([
        {"arg":0,"frames":[{"addr":"0xffffffff1","sym":"vfs_read","mod":"kernel"},
                           {"addr":"0xffffffff2","sym":"do_syscall_64","mod":"kernel"}]},
        {"arg":1,"frames":[{"addr":"0x7f01","sym":"read","mod":"/usr/lib/x86_64-linux-gnu/libc.so.6"},
                           {"addr":"0x4001","sym":"main","mod":"/usr/bin/cat"}]}])");
    QJsonArray args{"kernel text", "user text", 3};
    QVector<int> stack = mergedStack(args, record, {{0, false}, {1, true}}, frames);
    QStringList names;
    for (int id : stack)
        names << frames.frame(id).name;
    QCOMPARE(names, QStringList({"main", "read", "do_syscall_64", "vfs_read"}));
    QCOMPARE(frames.frame(stack[0]).kind, FrameKind::User);
    QCOMPARE(frames.frame(stack[1]).kind, FrameKind::Library);
    QCOMPARE(frames.frame(stack[2]).kind, FrameKind::Kernel);
    // The same frame again is the same id.
    QCOMPARE(mergedStack(args, record, {{0, false}, {1, true}}, frames), stack);
    QCOMPARE(frames.size(), 4);
    // The record's other strings (a process name) are the root frames.
    QJsonArray named{"cat\n", "kernel text", "user text", 3};
    QJsonArray shifted = stacksField(
        R"([{"arg":1,"frames":[{"addr":"0xffffffff1","sym":"vfs_read","mod":"kernel"}]}])");
    stack = mergedStack(named, shifted, {{1, false}, {2, true}}, frames);
    QCOMPARE(stack.size(), 2);
    QCOMPARE(frames.frame(stack[0]).name, QString("cat"));
    QCOMPARE(frames.frame(stack[1]).name, QString("vfs_read"));
}

void TestFlameGraph::treeAddsUpAndOrdersChildrenByName() {
    FlameTree t = treeOf("main;work;b 3\nmain;work;a 2\nmain 1\nidle 4\n");
    QCOMPARE(t.total(), 10.0);
    QCOMPARE(t.name(t.node(0).children[0]), QString("idle"));
    int work = t.findPath({"main", "work"});
    QVERIFY(work > 0);
    QCOMPARE(t.node(work).total, 5.0);
    QCOMPARE(t.node(work).self, 0.0);
    QCOMPARE(t.node(t.findPath({"main"})).self, 1.0);
    QCOMPARE(t.name(t.node(work).children[0]), QString("a"));
    QCOMPARE(t.depth(), 3);
    double selfSum = 0;
    for (int id = 0; id < t.size(); ++id)
        selfSum += t.node(id).self;
    QCOMPARE(selfSum, t.total());
}

void TestFlameGraph::zoomLaysOutTheFocusFullWidth() {
    FlameTree t = treeOf("main;work;b 3\nmain;work;a 1\nmain 4\nidle 8\n");
    QVector<FlameTree::Box> all = t.layout(0, 0);
    QCOMPARE(all.size(), t.size());
    auto boxOf = [](const QVector<FlameTree::Box>& boxes, int node) {
        for (const FlameTree::Box& b : boxes)
            if (b.node == node) return b;
        return FlameTree::Box{-1, 0, 0, 0};
    };
    int main = t.findPath({"main"}), work = t.findPath({"main", "work"});
    QCOMPARE(boxOf(all, main).x1 - boxOf(all, main).x0, 0.5);
    QCOMPARE(boxOf(all, work).x1 - boxOf(all, work).x0, 0.25);
    QVector<FlameTree::Box> zoomed = t.layout(work, 0);
    QCOMPARE(boxOf(zoomed, work).x0, 0.0);
    QCOMPARE(boxOf(zoomed, work).x1, 1.0);
    QCOMPARE(boxOf(zoomed, main).x1, 1.0);                               // an ancestor: full width
    QCOMPARE(boxOf(zoomed, t.findPath({"main", "work", "a"})).x1, 0.25); // children by name
    QCOMPARE(boxOf(zoomed, t.findPath({"main", "work", "b"})).x0, 0.25);
    QCOMPARE(boxOf(zoomed, t.findPath({"main", "work", "b"})).x1, 1.0);
    QCOMPARE(boxOf(zoomed, t.findPath({"idle"})).node, -1); // not under the focus
    // Boxes narrower than the minimum width are left out.
    QCOMPARE(boxOf(t.layout(0, 0.1), t.findPath({"main", "work", "a"})).node, -1);
}

void TestFlameGraph::searchShareCountsNestedMatchesOnce() {
    FlameTree t = treeOf("a;b 3\na;c;b 1\nd 4\na;b;b 2\n");
    QVector<bool> matched = t.matches("B");
    QCOMPARE(matched.count(true), 3);
    QCOMPARE(t.matchedShare(matched), 6.0 / 10.0);
    QCOMPARE(t.matchedShare(t.matches("nothing")), 0.0);
    QCOMPARE(t.matchedShare(t.matches("")), 0.0);
}

void TestFlameGraph::differentialTotalsAgainstABaseline() {
    FlameTree base = treeOf("main;parse 6\nmain;write 2\n");
    FlameTree now = treeOf("main;parse 2\nmain;write 5\nmain;sort 3\n");
    QVector<double> baseTotals = now.baseTotals(base);
    QCOMPARE(baseTotals[0], 8.0);
    QCOMPARE(baseTotals[now.findPath({"main"})], 8.0);
    QCOMPARE(baseTotals[now.findPath({"main", "parse"})], 6.0);
    QCOMPARE(baseTotals[now.findPath({"main", "write"})], 2.0);
    QCOMPARE(baseTotals[now.findPath({"main", "sort"})], 0.0);
    // Red where it grew, blue where it shrank, the deepest colour for the largest change.
    QColor grew = differentialColor(3, 4), shrank = differentialColor(-4, 4);
    QVERIFY(grew.red() > grew.blue());
    QVERIFY(shrank.blue() > shrank.red());
    QVERIFY(shrank.red() < differentialColor(-1, 4).red());
    QCOMPARE(differentialColor(0, 4), differentialColor(0, 0));

    FlameView view;
    view.resize(400, 200);
    view.setTree(std::make_shared<FlameTree>(now));
    view.setBaseline(baseTotals);
    QVERIFY(view.differential());
    QVERIFY(view.toolTipFor(now.findPath({"main", "write"})).contains("+3"));
    QVERIFY(view.toolTipFor(now.findPath({"main", "parse"})).contains("-4"));
}

void TestFlameGraph::functionCostsCountRecursionOnce() {
    StackSamples s = folded("main;fib;fib;fib 4\nmain;fib 1\nmain;io 5\n");
    QVector<FunctionCost> costs = functionCosts(s);
    auto costOf = [&](const QString& name) {
        for (const FunctionCost& c : costs)
            if (s.frames[c.frame].name == name) return c;
        return FunctionCost{};
    };
    QCOMPARE(costs.size(), 3);
    QCOMPARE(s.frames[costs[0].frame].name,
             QString("fib")); // largest self first (5 = 5, more total)
    FunctionCost fib = costOf("fib");
    QCOMPARE(fib.self, 5.0);
    QCOMPARE(fib.total, 5.0); // not 4 * 3 + 1
    QCOMPARE(costOf("main").total, 10.0);
    QCOMPARE(costOf("main").self, 0.0);
    int mainId = costOf("main").frame, fibId = fib.frame, ioId = costOf("io").frame;
    QCOMPARE(fib.callers.value(mainId), 5.0);
    QCOMPARE(fib.callers.value(fibId), 4.0); // its own recursion, once per sample
    QCOMPARE(costOf("main").callees.value(ioId), 5.0);
}

void TestFlameGraph::foldedStacksReadBack() {
    StackDataSet ds("stacks", 100);
    ds.appendStack(0,
                   {{"main", "/bin/x", FrameKind::User},
                    {"read", "/lib/libc.so.6", FrameKind::Library},
                    {"vfs_read", "kernel", FrameKind::Kernel}},
                   7);
    ds.appendStack(1, {{"main", "/bin/x", FrameKind::User}}, 2);
    FlameTree tree = FlameTree::build(ds.snapshot());
    QString text = foldedStacks(tree);
    QCOMPARE(text, QString("main 2\nmain;read;vfs_read_[k] 7\n"));
    QTemporaryDir dir;
    QString path = dir.filePath("profile.folded");
    QVERIFY(writeFoldedStacks(tree, path));
    StackSamples back;
    QVERIFY(readFoldedFile(path, back));
    FlameTree again = FlameTree::build(back);
    QCOMPARE(again.total(), 9.0);
    QCOMPARE(foldedStacks(again), text);
    QCOMPARE(again.frameOf(again.findPath({"main", "read", "vfs_read"}))->kind, FrameKind::Kernel);
}

void TestFlameGraph::foldedErrorsNameLineAndColumn() {
    QString error;
    StackSamples s = readFoldedStacks("a;b 1\n\na;c many\n", &error);
    QCOMPARE(error, QString("line 3, column 5: expected `frame;frame;… count`"));
    QCOMPARE(s.samples.size(), 1);
    QTemporaryDir dir;
    QString missing = dir.filePath("none.folded");
    QVERIFY(!readFoldedFile(missing, s, &error));
    QVERIFY(error.contains(missing));
}

void TestFlameGraph::svgHasABoxPerFrame() {
    FlameTree t = treeOf("main;work;b 3\nmain;work;a 1\nidle_[k] 4\n");
    QString svg = flameSvg(t, "profile <1>");
    QXmlStreamReader xml(svg);
    int rects = 0, titles = 0;
    bool sawKernelColour = false;
    QString kernel = frameColor(t, t.findPath({"idle"})).name();
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement) continue;
        if (xml.name() == u"rect") {
            ++rects;
            sawKernelColour |= xml.attributes().value("fill") == kernel;
        }
        if (xml.name() == u"title") ++titles;
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(titles, t.size());    // one box per node, the root included
    QCOMPARE(rects, t.size() + 1); // and the background
    QVERIFY(sawKernelColour);
    QVERIFY(svg.contains("main (4 samples, 50.00%)"));
}

void TestFlameGraph::viewDrawsZoomsAndSearches() {
    auto tree = std::make_shared<FlameTree>(treeOf("main;work;b 3\nmain;work;a 1\nidle_[k] 4\n"));
    FlameView view;
    view.resize(600, 200);
    view.setTree(tree);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QImage image = view.grab().toImage();
    // The kernel's frame (half the width) is drawn in the kernel's colour.
    int idle = tree->findPath({"idle"});
    QRect box = view.boxRect(idle);
    QVERIFY(box.width() > 250);
    QCOMPARE(image.pixelColor(box.center() + QPoint(box.width() / 4, 0)).rgb(),
             frameColor(*tree, idle).rgb());
    QVERIFY(view.toolTipFor(idle).contains("4 samples, 50.00% of all"));

    // A click on a frame zooms into it; its box is the full width.
    int work = tree->findPath({"main", "work"});
    QSignalSpy zoomed(&view, &FlameView::zoomed);
    QTest::mouseClick(&view, Qt::LeftButton, {}, view.boxRect(work).center());
    QCOMPARE(view.focus(), work);
    QCOMPARE(zoomed.size(), 1);
    QVERIFY(view.boxRect(work).width() >= view.width() - 6);
    QVERIFY(view.boxRect(idle).isEmpty());
    // The zoom survives a live update of the tree.
    view.setTree(std::make_shared<FlameTree>(treeOf("main;work;b 5\nidle_[k] 4\n")));
    QCOMPARE(view.tree()->path(view.focus()), QStringList({"main", "work"}));
    view.reset();
    QCOMPARE(view.focus(), 0);

    QSignalSpy share(&view, &FlameView::searchShareChanged);
    view.setSearch("wor");
    QCOMPARE(view.searchShare(), 5.0 / 9.0);
    QCOMPARE(share.size(), 1);
    image = view.grab().toImage();
    QCOMPARE(image
                 .pixelColor(view.boxRect(view.tree()->findPath({"main", "work"})).topLeft() +
                             QPoint(2, 2))
                 .rgb(),
             searchColor().rgb());

    view.setOrientation(FlameView::Orientation::Icicle);
    QVERIFY(view.boxRect(0).top() < view.boxRect(view.tree()->findPath({"main"})).top());
}

void TestFlameGraph::panelFollowsASlidingWindow() {
    auto ds = std::make_shared<StackDataSet>("stacks", 1000);
    const Frame main{"main", "/bin/x", FrameKind::User}, old{"old", "/bin/x", FrameKind::User},
        recent{"recent", "/bin/x", FrameKind::User};
    ds->appendStack(qint64(1e9), {main, old}, 5);
    ds->appendStack(qint64(20e9), {main, recent}, 3);
    ChartSpec spec;
    spec.type = ChartSpec::Type::Flame;
    spec.title = "cpu";
    FlamePanel panel(spec, [ds] { return ds; });
    panel.resize(900, 400);
    panel.show();
    QSignalSpy drawn(&panel, &FlamePanel::drawn);
    panel.refresh();
    QVERIFY(drawn.wait(5000));
    QCOMPARE(panel.view()->tree()->total(), 8.0);
    panel.setSlidingWindow(true, 10); // the last 10 s: the sample of 1 s is out
    QVERIFY(drawn.wait(5000));
    QCOMPARE(panel.view()->tree()->total(), 3.0);
    QCOMPARE(panel.view()->tree()->findPath({"main", "old"}), -1);
    // The window before it is the baseline of a differential view.
    ds->appendStack(qint64(25e9), {main, recent}, 1);
    panel.compareWithPreviousWindow();
    panel.refresh();
    QVERIFY(drawn.wait(5000));
    QVERIFY(panel.view()->differential());
    QCOMPARE(panel.view()->tree()->total(), 4.0); // 15 s .. 25 s
    QTemporaryDir dir;
    QVERIFY(panel.exportFolded(dir.filePath("x.folded")));
    QVERIFY(panel.exportSvg(dir.filePath("x.svg")));
    QString error;
    QVERIFY(!panel.compareWithFile(dir.filePath("missing"), &error));
    QVERIFY(panel.compareWithFile(dir.filePath("x.folded"), &error));
    QCOMPARE(panel.baseline(), FlamePanel::Baseline::File);
}

void TestFlameGraph::tablesShowTopDownBottomUpAndCallers() {
    auto ds = std::make_shared<StackDataSet>("stacks", 1000);
    StackSamples samples = folded("main;parse;lex 6\nmain;write 2\nmain;parse 1\n");
    for (const StackSample& s : samples.samples) {
        QVector<Frame> frames;
        for (int id : s.stack)
            frames << samples.frames[id];
        ds->appendStack(0, frames, s.value);
    }
    ChartSpec spec;
    spec.type = ChartSpec::Type::Flame;
    FlamePanel panel(spec, [ds] { return ds; });
    panel.resize(1000, 400);
    panel.show();
    QSignalSpy drawn(&panel, &FlamePanel::drawn);
    panel.refresh();
    QVERIFY(drawn.wait(5000));
    FlameTreeModel* down = panel.topDown();
    QCOMPARE(down->rowCount(), 1);
    QModelIndex main = down->index(0, 0);
    QCOMPARE(down->data(main).toString(), QString("main"));
    QCOMPARE(down->data(down->index(0, FlameTreeModel::Total)).toDouble(), 9.0);
    QCOMPARE(down->data(down->index(0, 0, main)).toString(), QString("parse")); // largest first
    FlameTreeModel* up = panel.bottomUp();
    QCOMPARE(up->data(up->index(0, 0)).toString(), QString("lex")); // where time is spent
    QCOMPARE(up->data(up->index(0, FlameTreeModel::Self)).toDouble(), 0.0);
    QCOMPARE(up->data(up->index(0, FlameTreeModel::Total)).toDouble(), 6.0);
    QCOMPARE(up->data(up->index(0, 0, up->index(0, 0))).toString(), QString("parse")); // its caller
    CallerCalleeView* cc = panel.callerCallee();
    cc->select("parse");
    QCOMPARE(cc->callers()->rowCount(), 1);
    QCOMPARE(cc->callers()->item(0, 0)->text(), QString("main"));
    QCOMPARE(cc->callees()->item(0, 0)->text(), QString("lex"));
    QCOMPARE(cc->callees()->item(0, 1)->text(), QString("6"));
}

void TestFlameGraph::graphSetKeepsFlameFields() {
    GraphSet set;
    DataSetSpec d;
    d.name = "cpu";
    d.source = DataSetSpec::Source::Stacks;
    d.format = "%s%d\n";
    set.dataSets << d;
    ChartSpec c;
    c.type = ChartSpec::Type::Flame;
    c.dataSet = "cpu";
    c.slidingWindow = true;
    c.windowSeconds = 10;
    c.icicle = true;
    c.comparePrevious = true;
    set.charts << c;
    GraphSet back = GraphSet::fromJson(set.toJson());
    QCOMPARE(back.dataSets[0].source, DataSetSpec::Source::Stacks);
    QCOMPARE(back.dataSets[0].format, QString("%s%d\n"));
    QCOMPARE(back.charts[0].type, ChartSpec::Type::Flame);
    QVERIFY(back.charts[0].slidingWindow);
    QVERIFY(back.charts[0].icicle);
    QCOMPARE(back.charts[0].windowSeconds, 10.0);
    QVERIFY(back.charts[0].comparePrevious);
}

void TestFlameGraph::realProfileFoldsIntoTheTree() {
    if (geteuid() != 0) QSKIP("timer.profile needs root");
    QTemporaryDir dir;
    QString script = dir.filePath("profile.stp");
    QVERIFY(testsupport::writeFile(
        script,
        "global s\n"
        "probe timer.profile { s[backtrace(), ubacktrace()] <<< 1 }\n"
        "probe timer.ms(400) {\n"
        "    foreach ([k, u] in s) printf(\"%s%s%d\\n\", sprint_stack(k), sprint_ustack(u), "
        "@count(s[k, u]))\n"
        "    exit()\n"
        "}\n"));
    QProcess p;
    p.start(taprun::tstapPath(), {"--json", script});
    QVERIFY(p.waitForFinished(60000));
    QByteArray out = p.readAllStandardOutput();

    GraphSet set;
    DataSetSpec d;
    d.name = "cpu";
    d.source = DataSetSpec::Source::Stacks;
    d.format = "%s%s%d\n";
    set.dataSets << d;
    SessionData data(set);
    data.feed(out);
    std::shared_ptr<StackDataSet> ds = data.stackDataSet("cpu");
    QVERIFY(ds);
    double printed = 0;
    int records = 0, kernelFrames = 0;
    for (const QByteArray& line : out.split('\n')) {
        QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.value("t").toString() != "printf") continue;
        ++records;
        printed += o.value("args").toArray().last().toDouble();
        kernelFrames += o.value("stacks").toArray()[0].toObject().value("frames").toArray().size();
    }
    QVERIFY2(records > 0, out.constData());
    QVERIFY(kernelFrames > 0);
    QCOMPARE(ds->size(), records);
    FlameTree tree = FlameTree::build(ds->snapshot());
    QCOMPARE(tree.total(), printed); // every sample printed is in the tree once
    double selfSum = 0, topSum = 0;
    bool kernel = false;
    for (int id = 1; id < tree.size(); ++id) {
        selfSum += tree.node(id).self;
        kernel |= tree.frameOf(id)->kind == FrameKind::Kernel;
    }
    for (int c : tree.node(0).children)
        topSum += tree.node(c).total;
    QCOMPARE(selfSum + tree.node(0).self, printed);
    QCOMPARE(topSum + tree.node(0).self, printed);
    QVERIFY(kernel);
}

QTEST_MAIN(TestFlameGraph)
#include "test_flame_graph.moc"
