// Latency heat maps: log2 and linear buckets, grids from (time, latency)
// rows and from successive printed histograms against grids worked out by
// hand, a cell's rows, colours by count (linear and log), the view drawing
// and answering clicks, and the live panel fed with `hist` records.
#include "heat_grid.h"
#include "heat_map_panel.h"
#include "heat_map_view.h"
#include "session_data.h"

#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace tapgraphs;

namespace {

constexpr qint64 kSecond = 1000000000;

Table latencies(const QVector<qint64>& times, const QVector<double>& values) {
    Table t;
    t.columns = {{"us", ColumnType::Long}};
    t.time = times;
    t.numbers = {values};
    t.strings = {{}};
    return t;
}

// The grid's counts as rows of text, top bucket first, as a person draws it.
QStringList picture(const HeatGrid& g) {
    QStringList out;
    for (int r = g.buckets - 1; r >= 0; --r) {
        QStringList cells;
        for (int c = 0; c < g.columns; ++c)
            cells << QString::number(g.count(c, r));
        out << cells.join(' ');
    }
    return out;
}

} // namespace

class TestHeatMap : public QObject {
    Q_OBJECT
  private slots:
    void log2BucketsAreHistLogs();
    void linearBuckets();
    void latencyRowsIntoAHandMadeGrid();
    void printedHistogramsIntoColumns();
    void aCellsRows();
    void colorsGrowWithTheCount();
    void viewDrawsAndAnswersClicks();
    void panelFromHistRecords();
};

void TestHeatMap::log2BucketsAreHistLogs() {
    HeatScale log2;
    QCOMPARE(log2.bucketOf(-5), 0);
    QCOMPARE(log2.bucketOf(0), 0);
    QCOMPARE(log2.bucketOf(1), 1);
    QCOMPARE(log2.bucketOf(2), 2);
    QCOMPARE(log2.bucketOf(3), 2);
    QCOMPARE(log2.bucketOf(4), 3);
    QCOMPARE(log2.bucketOf(7), 3);
    QCOMPARE(log2.bucketOf(1000), 10);
    QCOMPARE(log2.low(10), 512.0);
    QCOMPARE(log2.high(10), 1023.0);
    QCOMPARE(log2.label(0), QString("0"));
    QCOMPARE(log2.label(1), QString("1"));
    QCOMPARE(log2.label(3), QString("4 – 7"));
}

void TestHeatMap::linearBuckets() {
    HeatScale linear{true, 10};
    QCOMPARE(linear.bucketOf(0), 0);
    QCOMPARE(linear.bucketOf(9), 0);
    QCOMPARE(linear.bucketOf(10), 1);
    QCOMPARE(linear.bucketOf(255), 25);
    QCOMPARE(linear.label(1), QString("10 – 19"));
}

void TestHeatMap::latencyRowsIntoAHandMadeGrid() {
    Table t = latencies({kSecond / 10, kSecond / 2, 12 * kSecond / 10, 19 * kSecond / 10,
                         25 * kSecond / 10, 26 * kSecond / 10, 40 * kSecond},
                        {1, 3, 3, 100, 2, 2, 5});
    HeatGrid g = latencyGrid(t, 0, HeatScale{}, kSecond, 0, 3 * kSecond);
    QCOMPARE(g.columns, 3);
    QCOMPARE(g.firstBucket, 1);                   // latency 1
    QCOMPARE(g.buckets, 7);                       // up to 100: [64, 127]
    QCOMPARE(picture(g), QStringList({"0 1 0",    // 64 – 127
                                      "0 0 0",    // 32 – 63
                                      "0 0 0",    // 16 – 31
                                      "0 0 0",    // 8 – 15
                                      "0 0 0",    // 4 – 7 (the row at 40 s is outside)
                                      "1 1 2",    // 2 – 3
                                      "1 0 0"})); // 1
    QCOMPARE(g.maxCount, 2.0);
    // Columns start on multiples of their width, wherever the window starts.
    HeatGrid shifted = latencyGrid(t, 0, HeatScale{}, kSecond, kSecond / 2, 3 * kSecond);
    QCOMPARE(shifted.startNs, 0);
    QCOMPARE(shifted.count(0, shifted.scale.bucketOf(3) - shifted.firstBucket), 1.0);
    QCOMPARE(shifted.firstBucket, 2); // the row at 0.1 s (latency 1) is before the window
}

void TestHeatMap::printedHistogramsIntoColumns() {
    // Two prints of @hist_log: at 1 s and 2 s (from, to, count rows).
    Table t;
    t.columns = {{"from", ColumnType::Long}, {"to", ColumnType::Long}, {"count", ColumnType::Long}};
    t.time = {kSecond, kSecond, kSecond, 2 * kSecond, 2 * kSecond};
    t.numbers = {{4, 8, 16, 8, 16}, {7, 15, 31, 15, 31}, {5, 0, 2, 7, 1}};
    t.strings = {{}, {}, {}};
    HeatGrid g = histogramGrid(t, HeatScale{}, kSecond, kSecond, 3 * kSecond);
    QCOMPARE(g.columns, 2);
    QCOMPARE(g.firstBucket, 3); // 4 – 7 (the empty bucket 8 – 15 of the first print adds nothing)
    QCOMPARE(picture(g), QStringList({"2 1", "0 7", "5 0"}));
}

void TestHeatMap::aCellsRows() {
    Table t = latencies({kSecond / 10, kSecond / 2, 12 * kSecond / 10}, {3, 2, 3});
    HeatGrid g = latencyGrid(t, 0, HeatScale{}, kSecond, 0, 2 * kSecond);
    QCOMPARE(rowsInCell(t, 0, g, 0, 0), QVector<int>({0, 1}));
    QCOMPARE(rowsInCell(t, 0, g, 1, 0), QVector<int>({2}));
}

void TestHeatMap::colorsGrowWithTheCount() {
    HeatMapView view;
    HeatGrid g =
        latencyGrid(latencies({0, 1, 2, 3}, {1, 1, 1, 300}), 0, HeatScale{}, kSecond, 0, kSecond);
    view.setGrid(g);
    QCOMPARE(view.colorOf(0), view.palette().color(QPalette::Base));
    QVERIFY(view.colorOf(3).value() < view.colorOf(1).value()); // more is darker
    int linearOne = view.colorOf(1).saturation();
    view.setLogColors(true);
    QVERIFY(view.colorOf(1).saturation() > linearOne); // log colours lift the rare cells
    QCOMPARE(view.colorOf(3), view.colorOf(g.maxCount));
}

void TestHeatMap::viewDrawsAndAnswersClicks() {
    HeatMapView view;
    view.resize(500, 300);
    view.setUnit("us");
    view.setGrid(
        latencyGrid(latencies({kSecond / 10, 12 * kSecond / 10, 13 * kSecond / 10}, {3, 100, 100}),
                    0, HeatScale{}, kSecond, 0, 2 * kSecond));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const HeatGrid& g = view.grid();
    int top = g.buckets - 1; // 64 – 127
    QRect cell = view.cellRect(1, top);
    QVERIFY(cell.width() > 50 && cell.height() > 10);
    QImage image = view.grab().toImage();
    QCOMPARE(image.pixelColor(cell.center()).rgb(), view.colorOf(2).rgb());
    QCOMPARE(image.pixelColor(view.cellRect(0, top).center()).rgb(),
             view.palette().color(QPalette::Base).rgb());
    QVERIFY(view.toolTipFor(1, top).contains("64 – 127 us"));
    QVERIFY(view.toolTipFor(1, top).contains("<b>2</b> events"));
    QVERIFY(view.toolTipFor(1, top).startsWith("1 s – 2 s"));
    QSignalSpy clicked(&view, &HeatMapView::cellClicked);
    QTest::mouseClick(&view, Qt::LeftButton, {}, cell.center());
    QCOMPARE(clicked.size(), 1);
    QCOMPARE(clicked[0][0].toInt(), 1);
    QCOMPARE(clicked[0][1].toInt(), top);
}

void TestHeatMap::panelFromHistRecords() {
    GraphSet set;
    DataSetSpec d;
    d.name = "lat";
    d.source = DataSetSpec::Source::Histogram;
    d.statistic = "lat";
    d.history = true;
    set.dataSets << d;
    ChartSpec c;
    c.type = ChartSpec::Type::HeatMap;
    c.dataSet = "lat";
    c.title = "read latency";
    set.charts << c;
    QCOMPARE(GraphSet::fromJson(set.toJson()).dataSets[0].history, true);
    QCOMPARE(GraphSet::fromJson(set.toJson()).charts[0].type, ChartSpec::Type::HeatMap);
    SessionData data(set);
    data.feed(
        R"({"t":"hist","ts":1000000000,"statistic":"lat","kind":"log","buckets":[[4,7,5],[8,15,1]]})"
        "\n"
        R"({"t":"hist","ts":2000000000,"statistic":"lat","kind":"log","buckets":[[8,15,3]]})"
        "\n");
    QCOMPARE(data.dataSet("lat")->size(), 3); // each print's buckets kept
    HeatMapPanel panel(c, d, [&data] { return data.dataSet("lat"); });
    panel.resize(600, 400);
    panel.show();
    QSignalSpy drawn(&panel, &HeatMapPanel::drawn);
    panel.refresh();
    QVERIFY(drawn.wait(5000));
    const HeatGrid& g = panel.view()->grid();
    QCOMPARE(g.columns, 3); // the window starts with the session: 0 – 1 s is empty
    QCOMPARE(picture(g), QStringList({"0 1 3", "0 5 0"}));
    panel.showCell(2, 1);
    QVERIFY(panel.cellRows()->isVisibleTo(&panel));
    QCOMPARE(panel.cellRows()->rowCount(), 1);
    QCOMPARE(panel.cellRows()->item(0, 3)->text(), QString("3")); // time, from, to, count
}

QTEST_MAIN(TestHeatMap)
#include "test_heat_map.moc"
