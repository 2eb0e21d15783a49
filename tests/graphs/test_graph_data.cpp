// The Graph perspective's data path without widgets: printf records bound
// to data sets by format id, column names from the format, regex data sets,
// the ring dropping old rows, each transform and filter against rows worked
// out by hand, graph sets saved and loaded, CSV.
#include "chart_data.h"
#include "chart_proposals.h"
#include "csv_export.h"
#include "data_set.h"
#include "filters.h"
#include "format_columns.h"
#include "graph_set.h"
#include "printf_arguments.h"
#include "session_data.h"
#include "transforms.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace tapgraphs;

namespace {

// A table with a time, a string key and a long value per row.
Table keyed(const QVector<qint64>& times, const QStringList& keys, const QVector<double>& values) {
    Table t;
    t.columns = {{"name", ColumnType::String}, {"n", ColumnType::Long}};
    t.numbers = {{}, values};
    t.strings = {keys, {}};
    t.time = times;
    return t;
}

QByteArray formatsRecord() {
    return R"J({"t":"formats","formats":[{"id":0,"fmt":"%s(%d) = %d\n","args":["string","long","long"],"probe":"timer.ms(1000)","line":12},)J"
           R"J({"id":7,"fmt":"count %d  avg %d\n","args":["long","long"],"probe":"end","line":13}]})J"
           "\n";
}

} // namespace

class TestGraphData : public QObject {
    Q_OBJECT
  private slots:
    void columnsAreNamedFromTheFormat();
    void printfArgumentsNameColumns();
    void printfRecordsBindByFormatId();
    void seriesPerHost();
    void formatTextBindsWhenTheIdChanged();
    void regexDataSets();
    void ringDropsTheOldestRows();
    void ringCapacityChangeKeepsTheNewest();
    void ratePerSecond();
    void topKeys();
    void perTimeBucket();
    void perKeySeries();
    void filters();
    void barChartOfTheLatestBurst();
    void thinningKeepsExtremes();
    void graphSetRoundTrip();
    void csv();
};

void TestGraphData::columnsAreNamedFromTheFormat() {
    QVector<Column> c =
        columnsFromFormat("count %d  avg %d  min %5d max %-3d\n", {"long", "long", "long", "long"});
    QCOMPARE(c.size(), 4);
    QCOMPARE(c[0].name, QString("count"));
    QCOMPARE(c[1].name, QString("avg"));
    QCOMPARE(c[2].name, QString("min"));
    QCOMPARE(c[3].name, QString("max"));
    c = columnsFromFormat("%s(%d) = %d\n", {"string", "long", "long"});
    QCOMPARE(c[0].name, QString("value 1"));
    QCOMPARE(c[0].type, ColumnType::String);
    QCOMPARE(c[2].type, ColumnType::Long);
    // %% is no directive; a * width is one; a repeated word gets a number
    c = columnsFromFormat("100%% read=%*d read=%d\n", {"long", "long", "long"});
    QCOMPARE(c.size(), 3);
    QCOMPARE(c[0].name, QString("read"));
    QCOMPARE(c[1].name, QString("value 2"));
    QCOMPARE(c[2].name, QString("value 3"));
}

void TestGraphData::printfArgumentsNameColumns() {
    QString script = "probe timer.s(1) {\n"
                     "  printf(\"%s(%d) = %d\\n\", i, p, top[i, p])\n"
                     "  printf(\"x, %s) %d\\n\",\n"
                     "         substr(s, 0, 3), @count(lat))\n"
                     "}\n";
    QCOMPARE(printfArguments(script, 2), (QStringList{"i", "p", "top[i, p]"}));
    QCOMPARE(printfArguments(script, 3), (QStringList{"substr(s, 0, 3)", "@count(lat)"}));
    QCOMPARE(printfArguments(script, 1), QStringList{}); // no printf starts there
    QCOMPARE(printfArguments(script, 99), QStringList{});
    QCOMPARE(nameForArgument("top[i, p]"), QString("top"));
    QCOMPARE(nameForArgument("@count(lat)"), QString("count"));
    QCOMPARE(nameForArgument("$return"), QString("return"));
    QCOMPARE(nameForArgument("1 + 2"), QString());
}

void TestGraphData::seriesPerHost() {
    // tstap --remote a --remote b: each host sends its own formats and
    // records, all with a "host" field; printf data sets get a host column
    // and the proposed chart draws one line per host.
    DataSetSpec stats;
    stats.name = "stats";
    stats.formatId = 7;
    GraphSet set;
    set.dataSets = {stats};
    SessionData data(set);
    QByteArray formats = formatsRecord();
    formats.chop(2); // "}\n"
    data.feed(formats + R"(,"host":"a"})" "\n" + formats + R"(,"host":"b"})" "\n");
    data.feed(R"({"t":"printf","ts":1000000000,"id":7,"args":[10,3],"text":"count 10  avg 3\n","host":"a"})" "\n"
              R"({"t":"printf","ts":1000000000,"id":7,"args":[20,4],"text":"count 20  avg 4\n","host":"b"})" "\n"
              R"({"t":"printf","ts":2000000000,"id":7,"args":[11,3],"text":"count 11  avg 3\n","host":"a"})" "\n");
    Table t = data.dataSet("stats")->snapshot();
    QCOMPARE(t.columns.size(), 3);
    QCOMPARE(t.columns[2].name, QString("host"));
    QCOMPARE(t.columns[2].type, ColumnType::String);
    QCOMPARE(t.strings[2], (QVector<QString>{"a", "b", "a"}));

    QVector<Proposal> proposals = proposeCharts(data.formats(), "");
    QCOMPARE(proposals.size(), 2);
    const ChartSpec& line = proposals[1].chart;
    QCOMPARE(line.type, ChartSpec::Type::Line);
    QCOMPARE(line.key, QString("host"));
    QCOMPARE(line.values, QStringList{"count"});
    ChartData d = computeChart(line, t);
    QCOMPARE(d.series.size(), 2);
    QCOMPARE(d.series[0].name, QString("a"));
    QCOMPARE(d.series[0].points, (QVector<QPointF>{{1, 10}, {2, 11}}));
    QCOMPARE(d.series[1].name, QString("b"));
    QCOMPARE(d.series[1].points, (QVector<QPointF>{{1, 20}}));

    // Without hosts nothing changes: no host column, one line per value.
    SessionData here(set);
    here.feed(formatsRecord());
    QCOMPARE(here.dataSet("stats")->columns().size(), 2);
    QCOMPARE(proposeCharts(here.formats(), "")[1].chart.key, QString());
}

void TestGraphData::printfRecordsBindByFormatId() {
    GraphSet set;
    DataSetSpec top;
    top.name = "top";
    top.formatId = 0;
    top.columns = {{"process", ColumnType::String},
                   {"pid", ColumnType::Long}}; // renames the first two
    DataSetSpec stats;
    stats.name = "stats";
    stats.formatId = 7;
    set.dataSets = {top, stats};
    SessionData data(set);
    QVERIFY(!data.dataSet("top")); // no formats yet
    data.feed(formatsRecord());
    data.feed(
        R"({"t":"printf","ts":1000,"id":0,"args":["Xorg",2108,17],"text":"Xorg(2108) = 17\n"})"
        "\n"
        R"({"t":"printf","ts":2000,"id":7,"args":[10,3],"text":"count 10  avg 3\n"})"
        "\n"
        R"({"t":"printf","ts":3000,"id":0,"args":["bash",7,4],"text":"bash(7) = 4\n"})"
        "\n"
        R"({"t":"out","ts":3500,"text":"not a printf\n"})"
        "\n");
    Table t = data.dataSet("top")->snapshot();
    QCOMPARE(t.rowCount(), 2);
    QCOMPARE(t.columns[0].name, QString("process"));
    QCOMPARE(t.columns[1].name, QString("pid"));
    QCOMPARE(t.columns[2].name, QString("value 3"));
    QCOMPARE(t.text(0, 1), QString("bash"));
    QCOMPARE(t.number(1, 0), 2108.0);
    QCOMPARE(t.number(2, 1), 4.0);
    QCOMPARE(t.time, (QVector<qint64>{1000, 3000}));
    Table s = data.dataSet("stats")->snapshot();
    QCOMPARE(s.rowCount(), 1);
    QCOMPARE(s.columns[1].name, QString("avg"));
    QCOMPARE(s.number(1, 0), 3.0);
    QCOMPARE(data.records(), qint64(3));
    // renaming during the run
    data.dataSet("stats")->renameColumn(0, "samples");
    QCOMPARE(data.dataSet("stats")->snapshot().columns[0].name, QString("samples"));
}

void TestGraphData::formatTextBindsWhenTheIdChanged() {
    // A saved set names format id 3, but the edited script has it as id 7.
    DataSetSpec spec;
    spec.name = "stats";
    spec.formatId = 3;
    spec.format = "count %d  avg %d\n";
    SessionData data(GraphSet{"", {spec}, {}});
    data.feed(formatsRecord());
    data.feed(R"({"t":"printf","ts":5,"id":7,"args":[1,2],"text":"count 1  avg 2\n"})"
              "\n");
    QVERIFY(data.dataSet("stats"));
    QCOMPARE(data.dataSet("stats")->size(), 1);
}

void TestGraphData::regexDataSets() {
    DataSetSpec spec;
    spec.name = "calls";
    spec.source = DataSetSpec::Source::Regex;
    spec.regex = R"(^(\S+)\s+(\d+)\s+(\d+)$)";
    spec.columns = {
        {"command", ColumnType::String}, {"nr", ColumnType::Long}, {"calls", ColumnType::Long}};
    SessionData data(GraphSet{"", {spec}, {}});
    data.feed(R"({"t":"out","ts":10,"text":"COMMAND NR CALLS\nbash 0 12\nsshd   1   300\n"})"
              "\n"
              R"({"t":"printf","ts":20,"id":1,"args":[],"text":"Xorg 7 5\n"})"
              "\n"
              "plain text line 9 9\n");
    Table t = data.dataSet("calls")->snapshot();
    QCOMPARE(t.rowCount(), 3);
    QCOMPARE(t.text(0, 0), QString("bash"));
    QCOMPARE(t.number(2, 1), 300.0);
    QCOMPARE(t.text(0, 2), QString("Xorg"));
    QCOMPARE(t.time, (QVector<qint64>{10, 10, 20}));
}

void TestGraphData::ringDropsTheOldestRows() {
    DataSet ds("ring", {{"v", ColumnType::Long}}, 5);
    for (int i = 1; i <= 12; ++i)
        ds.appendArgs(i * 100, QJsonArray{i});
    QCOMPARE(ds.size(), 5);
    QCOMPARE(ds.dropped(), qint64(7));
    QCOMPARE(ds.received(), qint64(12));
    Table t = ds.snapshot();
    QCOMPARE(t.numbers[0], (QVector<double>{8, 9, 10, 11, 12}));
    QCOMPARE(t.time.first(), qint64(800));
    // a partial snapshot from a time on
    Table recent = ds.snapshot(1050);
    QCOMPARE(recent.numbers[0], (QVector<double>{11, 12}));
    QCOMPARE(ds.lastTime(), qint64(1200));
}

void TestGraphData::ringCapacityChangeKeepsTheNewest() {
    DataSet ds("ring", {{"s", ColumnType::String}}, 10);
    for (int i = 0; i < 6; ++i)
        ds.appendTexts(i, {QString::number(i)});
    ds.setCapacity(4);
    QCOMPARE(ds.size(), 4);
    QCOMPARE(ds.dropped(), qint64(2));
    QCOMPARE(ds.snapshot().strings[0], (QVector<QString>{"2", "3", "4", "5"}));
    ds.appendTexts(6, {"6"});
    QCOMPARE(ds.snapshot().strings[0], (QVector<QString>{"3", "4", "5", "6"}));
}

void TestGraphData::ratePerSecond() {
    // counters of two keys: a 0→10→35 at 0, 1, 3 s; b 5→5 at 0.5, 1.5 s
    Table t = keyed({0, 500'000'000, 1'000'000'000, 1'500'000'000, 3'000'000'000},
                    {"a", "b", "a", "b", "a"}, {0, 5, 10, 5, 35});
    Table r = tapgraphs::ratePerSecond(t, 1, 0);
    QCOMPARE(r.rowCount(), 3);
    QCOMPARE(r.strings[0], (QVector<QString>{"a", "b", "a"}));
    QCOMPARE(r.numbers[1], (QVector<double>{10, 0, 12.5}));
    QCOMPARE(r.columns[1].name, QString("n/s"));
    // without a key: consecutive rows
    Table all = tapgraphs::ratePerSecond(t, 1);
    QCOMPARE(all.numbers[1], (QVector<double>{10, 10, -10, 20}));
}

void TestGraphData::topKeys() {
    Table t = keyed({1, 2, 3, 4, 5, 6}, {"a", "b", "c", "a", "c", "d"}, {1, 10, 4, 2, 4, 7});
    // sums: a 3, b 10, c 8, d 7 → top 2: b, c
    Table top = tapgraphs::topKeys(t, 0, 1, 2);
    QCOMPARE(top.strings[0], (QVector<QString>{"b", "c", "c"}));
    QCOMPARE(top.time, (QVector<qint64>{2, 3, 5}));
}

void TestGraphData::perTimeBucket() {
    const qint64 s = 1'000'000'000;
    Table t = keyed({0, s / 2, s, s + 1, 2 * s + 5}, {"a", "b", "a", "a", "b"}, {1, 2, 3, 5, 8});
    Table sum = tapgraphs::perTimeBucket(t, s, BucketOp::Sum, 1);
    QCOMPARE(sum.time, (QVector<qint64>{0, s, 2 * s}));
    QCOMPARE(sum.numbers[1], (QVector<double>{3, 8, 8}));
    Table avg = tapgraphs::perTimeBucket(t, s, BucketOp::Average, 1);
    QCOMPARE(avg.numbers[1], (QVector<double>{1.5, 4, 8}));
    Table perKey = tapgraphs::perTimeBucket(t, s, BucketOp::Sum, 1, 0);
    QCOMPARE(perKey.strings[0], (QVector<QString>{"a", "b", "a", "b"}));
    QCOMPARE(perKey.numbers[1], (QVector<double>{1, 2, 8, 8}));
}

void TestGraphData::perKeySeries() {
    Table t = keyed({1'000'000'000, 2'000'000'000, 3'000'000'000}, {"x", "y", "x"}, {4, 5, 6});
    QVector<KeySeries> s = tapgraphs::perKeySeries(t, 0, 1);
    QCOMPARE(s.size(), 2);
    QCOMPARE(s[0].key, QString("x"));
    QCOMPARE(s[0].points, (QVector<QPointF>{{1, 4}, {3, 6}}));
    QCOMPARE(s[1].points, (QVector<QPointF>{{2, 5}}));
}

void TestGraphData::filters() {
    Table t =
        keyed({1, 2, 3, 4, 5}, {"bash", "Xorg", "bash", "sshd", "Xwayland"}, {5, 50, 7, 1, 9});
    auto run = [&](Filter f) { return applyFilter(t, f); };
    Filter match{Filter::Kind::Match, "name", "^X"};
    QCOMPARE(run(match).strings[0], (QVector<QString>{"Xorg", "Xwayland"}));
    Filter notMatch{Filter::Kind::NotMatch, "name", "^X"};
    QCOMPARE(run(notMatch).strings[0], (QVector<QString>{"bash", "bash", "sshd"}));
    Filter range{Filter::Kind::Range, "n"};
    range.min = 5;
    range.max = 9;
    QCOMPARE(run(range).numbers[1], (QVector<double>{5, 7, 9}));
    Filter unique{Filter::Kind::Unique, "name"};
    Table u = run(unique);
    QCOMPARE(u.strings[0], (QVector<QString>{"bash", "Xorg", "sshd", "Xwayland"}));
    QCOMPARE(u.numbers[1], (QVector<double>{7, 50, 1, 9})); // the latest row of each
    Filter sort{Filter::Kind::Sort, "n"};
    sort.descending = false;
    QCOMPARE(run(sort).numbers[1], (QVector<double>{1, 5, 7, 9, 50}));
    Filter top{Filter::Kind::Top, "n"};
    top.n = 2;
    QCOMPARE(run(top).strings[0], (QVector<QString>{"Xorg", "Xwayland"}));
    // in order, and a missing column passes everything
    Table both =
        applyFilters(t, {notMatch, top, Filter{Filter::Kind::Match, "nosuchcolumn", "zzz"}});
    QCOMPARE(both.strings[0], (QVector<QString>{"bash", "bash"}));
}

void TestGraphData::barChartOfTheLatestBurst() {
    // Two bursts one second apart, as top.stp prints them.
    const qint64 s = 1'000'000'000;
    Table t = keyed({s, s + 10, s + 20, 2 * s, 2 * s + 10, 2 * s + 20},
                    {"a", "b", "a", "c", "a", "c"}, {9, 8, 1, 3, 4, 2});
    ChartSpec bar;
    bar.type = ChartSpec::Type::Bar;
    bar.key = "name";
    bar.values = {"n"};
    bar.aggregate = ChartSpec::Aggregate::Sum;
    ChartData d = computeChart(bar, t);
    QCOMPARE(d.categories, (QStringList{"c", "a"})); // largest first
    QCOMPARE(d.sets[0].values, (QVector<double>{5, 4}));
    bar.latestBatch = false;
    bar.topKeys = 2;
    d = computeChart(bar, t);
    QCOMPARE(d.categories, (QStringList{"a", "b"}));
    QCOMPARE(d.sets[0].values, (QVector<double>{14, 8}));
}

void TestGraphData::thinningKeepsExtremes() {
    QVector<QPointF> points;
    for (int i = 0; i < 100000; ++i)
        points.push_back({double(i), i == 54321 ? 1e6 : (i == 777 ? -1e6 : double(i % 10))});
    QVector<QPointF> thin = thinned(points, 2000);
    QVERIFY(thin.size() <= 2000);
    QCOMPARE(thin.first(), points.first());
    QCOMPARE(thin.last(), points.last());
    auto has = [&](double y) {
        return std::any_of(thin.begin(), thin.end(), [y](const QPointF& p) { return p.y() == y; });
    };
    QVERIFY(has(1e6));
    QVERIFY(has(-1e6));
    for (int i = 1; i < thin.size(); ++i)
        QVERIFY(thin[i].x() > thin[i - 1].x());
}

void TestGraphData::graphSetRoundTrip() {
    GraphSet g;
    g.script = "top.stp";
    DataSetSpec d;
    d.name = "top";
    d.formatId = 0;
    d.format = "%s(%d) = %d\n";
    d.columns = {{"process", ColumnType::String}};
    d.capacity = 5000;
    Filter f{Filter::Kind::Range, "value 3"};
    f.min = 2;
    f.max = 99;
    d.filters = {f, Filter{Filter::Kind::NotMatch, "process", "^swapper"}};
    DataSetSpec r;
    r.name = "lines";
    r.source = DataSetSpec::Source::Regex;
    r.regex = "(\\w+) (\\d+)";
    r.columns = {{"w", ColumnType::String}, {"n", ColumnType::Long}};
    DataSetSpec h;
    h.name = "latency";
    h.source = DataSetSpec::Source::Histogram;
    h.statistic = "lat";
    g.dataSets = {d, r, h};
    ChartSpec c;
    c.title = "Busiest";
    c.type = ChartSpec::Type::StackedBar;
    c.dataSet = "top";
    c.values = {"value 3"};
    c.key = "process";
    c.topKeys = 5;
    c.aggregate = ChartSpec::Aggregate::Max;
    c.row = 1;
    c.column = 1;
    ChartSpec l;
    l.title = "rate";
    l.type = ChartSpec::Type::Area;
    l.dataSet = "lines";
    l.values = {"n"};
    l.rate = true;
    l.bucketMs = 250;
    l.bucketAverage = true;
    l.windowSeconds = 30;
    g.charts = {c, l};

    QTemporaryDir dir;
    QString path = dir.filePath("set.json");
    QVERIFY(g.save(path));
    QString error;
    GraphSet back = GraphSet::load(path, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(QJsonDocument(back.toJson()).toJson(), QJsonDocument(g.toJson()).toJson());
    QCOMPARE(back.dataSets[0].filters[0].max, 99.0);
    QCOMPARE(back.dataSets[2].source, DataSetSpec::Source::Histogram);
    QCOMPARE(back.charts[0].type, ChartSpec::Type::StackedBar);
    QCOMPARE(back.charts[1].bucketMs, qint64(250));
    QVERIFY(back.charts[1].bucketAverage);
    // readable: indented JSON with named kinds
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray text = file.readAll();
    QVERIFY(text.contains("\"type\": \"stackedBar\""));
    QVERIFY(text.contains("\"kind\": \"notMatch\""));
    // a broken file says why
    QFile broken(dir.filePath("broken.json"));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{ not json");
    broken.close();
    GraphSet::load(broken.fileName(), &error);
    QVERIFY(!error.isEmpty());
}

void TestGraphData::csv() {
    Table t = keyed({1, 2}, {"plain", "with, \"comma\""}, {3, 4.5});
    QString text = csvText(t);
    QCOMPARE(text, QString("time_ns,name,n\n1,plain,3\n2,\"with, \"\"comma\"\"\",4.5\n"));
}

QTEST_GUILESS_MAIN(TestGraphData)
#include "test_graph_data.moc"
