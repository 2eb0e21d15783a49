// The Graph perspective's widgets and real runs: every chart type drawn from
// fed records, PNG/SVG/CSV export, histogram records from a real
// `tstap --json` run, the wizard's proposals for every bundled example,
// top.stp as a live bar chart with one click, several sessions at once.
#include "chart_dialog.h"
#include "chart_panel.h"
#include "chart_proposals.h"
#include "data_set_dialog.h"
#include "graph_workspace.h"
#include "proposal_dialog.h"
#include "regex_data_set_dialog.h"
#include "session_page.h"
#include "table_panel.h"

#include "app_paths.h"

#include <QAbstractBarSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLegend>
#include <QLegendMarker>
#include <QLineEdit>
#include <QPainter>
#include <QPieSeries>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSvgRenderer>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QXYSeries>

#include <numeric>

#include <unistd.h>

using namespace tapgraphs;

namespace {

QString tstap() {
    return taprun::tstapPath();
}

QString example(const QString& name) {
    return QString(TAPSTUDIO_SOURCE_DIR) + "/resources/examples/" + name;
}

// The JSON records of a finished `tstap --json ARGS` run.
QVector<QJsonObject> runJson(const QStringList& args, int timeoutMs = 60000) {
    QProcess p;
    p.start(tstap(), QStringList{"--json"} + args);
    if (!p.waitForFinished(timeoutMs)) p.kill();
    QVector<QJsonObject> out;
    for (const QByteArray& line : p.readAllStandardOutput().split('\n'))
        if (line.startsWith('{')) out.push_back(QJsonDocument::fromJson(line).object());
    return out;
}

QString writeScript(const QTemporaryDir& dir, const QString& name, const QString& text) {
    QString path = dir.filePath(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly)) f.write(text.toUtf8());
    return path;
}

taprun::RunOptions optionsFor(const QString& script, const QStringList& extra = {}) {
    taprun::RunOptions o;
    o.tstap = tstap();
    o.script = script;
    o.options = extra;
    o.needsPrivileges = geteuid() != 0;
    return o;
}

QByteArray fedRecords() {
    QByteArray lines =
        R"({"t":"formats","formats":[{"id":0,"fmt":"%s(%d) = %d\n","args":["string","long","long"],"line":12}]})"
        "\n";
    const char* names[] = {"Xorg", "bash", "sshd"};
    for (int burst = 0; burst < 5; ++burst)
        for (int k = 0; k < 3; ++k)
            lines += QString(R"({"t":"printf","ts":%1,"id":0,"args":["%2",%3,%4],"text":""})"
                             "\n")
                         .arg(qint64(burst) * 1'000'000'000 + k * 1000)
                         .arg(names[k])
                         .arg(100 + k)
                         .arg((k + 1) * 10 + burst)
                         .toUtf8();
    return lines;
}

GraphSet everyChartType() {
    GraphSet g;
    DataSetSpec d;
    d.name = "top";
    d.formatId = 0;
    d.columns = {
        {"process", ColumnType::String}, {"pid", ColumnType::Long}, {"samples", ColumnType::Long}};
    g.dataSets = {d};
    int i = 0;
    for (ChartSpec::Type type :
         {ChartSpec::Type::Line, ChartSpec::Type::Area, ChartSpec::Type::Scatter,
          ChartSpec::Type::Bar, ChartSpec::Type::StackedBar, ChartSpec::Type::Pie,
          ChartSpec::Type::Histogram, ChartSpec::Type::Table}) {
        ChartSpec c;
        c.type = type;
        c.title = chartTypeName(type);
        c.dataSet = "top";
        c.values = {"samples"};
        c.key = type == ChartSpec::Type::Histogram ? QString() : QString("process");
        c.aggregate = ChartSpec::Aggregate::Last;
        c.row = i / 3;
        c.column = i % 3;
        ++i;
        g.charts.push_back(c);
    }
    return g;
}

ChartPanel* chartOf(SessionPage& page, const QString& title) {
    for (ChartPanel* c : page.charts())
        if (c->spec().title == title) return c;
    return nullptr;
}

} // namespace

class TestGraphCharts : public QObject {
    Q_OBJECT
  private slots:
    void everyChartTypeDraws();
    void exportPngSvgCsv();
    void editingChartsAndDataSets();
    void histogramRecordsFromARealRun();
    void histogramChartFromARealRun();
    void wizardProposalsForTheBundledExamples();
    void topIsALiveBarChartWithOneClick();
    void severalSessionsAtOnce();
};

void TestGraphCharts::everyChartTypeDraws() {
    SessionPage page(everyChartType());
    page.resize(1200, 800);
    page.show();
    page.session()->data()->feed(fedRecords());
    page.refreshNow();
    const QList<ChartPanel*> charts = page.charts();
    QCOMPARE(charts.size(), 7);
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(charts.begin(), charts.end(),
                                         [](ChartPanel* c) { return c->drawnRows() == 15; }),
                             5000);
    // line: one series per process, 5 points each, the live edge at 4 s
    ChartPanel* line = chartOf(page, "line");
    QCOMPARE(line->chart()->series().size(), 3);
    auto* bashLine = qobject_cast<QXYSeries*>(line->chart()->series()[1]);
    QCOMPARE(bashLine->name(), QString("bash"));
    QCOMPARE(bashLine->count(), 5);
    QCOMPARE(bashLine->at(4), QPointF(4.000001, 24));
    // bar: the last burst, largest first (drawn bottom-up: horizontal bars)
    ChartPanel* bar = chartOf(page, "bar");
    auto* bars = qobject_cast<QAbstractBarSeries*>(bar->chart()->series().value(0));
    QVERIFY(bars);
    QCOMPARE(bar->lastData().categories, (QStringList{"sshd", "bash", "Xorg"}));
    QCOMPARE(bars->barSets()[0]->at(2), 34.0); // sshd: (2+1)*10+4, at the top
    // pie: a slice per process
    auto* pie = qobject_cast<QPieSeries*>(chartOf(page, "pie")->chart()->series().value(0));
    QVERIFY(pie);
    QCOMPARE(pie->count(), 3);
    QCOMPARE(pie->sum(), 34.0 + 24 + 14);
    // histogram of a column: 15 values in 20 bins
    const ChartData& h = chartOf(page, "histogram")->lastData();
    QCOMPARE(h.categories.size(), 20);
    QCOMPARE(std::accumulate(h.sets[0].values.begin(), h.sets[0].values.end(), 0.0), 15.0);
    // the live table, newest first
    QCOMPARE(page.tables().size(), 1);
    QTRY_COMPARE(page.tables()[0]->shownRows(), 15);
    // legend toggles a series
    QLegendMarker* marker = line->chart()->legend()->markers().value(0);
    QVERIFY(marker);
    emit marker->clicked();
    QVERIFY(!line->chart()->series()[0]->isVisible());
    emit marker->clicked();
    QVERIFY(line->chart()->series()[0]->isVisible());
    // zooming stops following the live edge; Follow resumes it
    QVERIFY(line->following());
    line->chart()->zoomIn();
    QVERIFY(!line->following());
    line->setFollowing(true);
    QVERIFY(line->following());
    // Pause freezes the charts
    page.setPaused(true);
    QVERIFY(page.paused());
    page.setPaused(false);
    QVERIFY(!page.paused());
}

void TestGraphCharts::exportPngSvgCsv() {
    SessionPage page(everyChartType());
    page.resize(1000, 700);
    page.show();
    page.session()->data()->feed(fedRecords());
    page.refreshNow();
    ChartPanel* bar = chartOf(page, "bar");
    QTRY_COMPARE_WITH_TIMEOUT(bar->drawnRows(), 15, 5000);
    QTemporaryDir dir;
    QVERIFY(bar->exportPng(dir.filePath("bar.png")));
    QImage png(dir.filePath("bar.png"));
    QVERIFY(!png.isNull());
    QCOMPARE(png.size(), bar->view()->size() * bar->view()->devicePixelRatioF());
    QVERIFY(bar->exportSvg(dir.filePath("bar.svg")));
    QSvgRenderer svg(dir.filePath("bar.svg"));
    QVERIFY(svg.isValid());
    QFile svgFile(dir.filePath("bar.svg"));
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    QByteArray svgText = svgFile.readAll();
    QVERIFY(svgText.contains("<title>bar</title>"));
    QVERIFY(!svgText.contains("<image")); // drawn as vectors, not a picture in a file
    QCOMPARE(svg.viewBox().size(), bar->view()->size());
    // it draws what the PNG shows: about as many non-white pixels
    QImage drawn(bar->view()->size(), QImage::Format_RGB32);
    drawn.fill(Qt::white);
    QPainter painter(&drawn);
    svg.render(&painter);
    painter.end();
    auto inked = [](const QImage& image) {
        int n = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                n += qGray(image.pixel(x, y)) < 200;
        return n;
    };
    QImage pngScaled = png.scaled(drawn.size());
    QVERIFY(inked(drawn) > 500);
    QVERIFY(std::abs(inked(drawn) - inked(pngScaled)) < inked(pngScaled) / 2);
    QString error;
    QVERIFY2(page.exportCsv("top", dir.filePath("top.csv"), &error), qPrintable(error));
    QFile csv(dir.filePath("top.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 16);
    QCOMPARE(lines[0], QByteArray("time_ns,process,pid,samples"));
    QCOMPARE(lines[15], QByteArray("4000002000,sshd,102,34"));
    QVERIFY(!page.exportCsv("nosuchset", dir.filePath("x.csv"), &error));
    // the graph set as shown
    QVERIFY(page.saveGraphSet(dir.filePath("set.json")));
    GraphSet back = GraphSet::load(dir.filePath("set.json"));
    QCOMPARE(back.charts.size(), 8);
    // the grid as shown: three charts a row, as the set placed them
    for (const ChartSpec& c : back.charts) {
        const ChartSpec* placed = nullptr;
        for (const ChartSpec& o : everyChartType().charts)
            if (o.title == c.title) placed = &o;
        QVERIFY(placed);
        QCOMPARE(c.row, placed->row);
        QCOMPARE(c.column, placed->column);
    }
    // the user moves the line chart below everything: a row of its own, last
    auto* lineDock = qobject_cast<QDockWidget*>(chartOf(page, "line")->parentWidget());
    QVERIFY(lineDock);
    page.addDockWidget(Qt::BottomDockWidgetArea, lineDock);
    QApplication::processEvents();
    GraphSet arranged = page.graphSetAsArranged();
    int lastRow = 0, lineRow = -1, lineColumn = -1;
    for (const ChartSpec& c : arranged.charts) {
        lastRow = std::max(lastRow, c.row);
        if (c.title == "line") lineRow = c.row, lineColumn = c.column;
    }
    QCOMPARE(lineRow, lastRow);
    QCOMPARE(lineColumn, 0);
    QCOMPARE(std::count_if(arranged.charts.begin(), arranged.charts.end(),
                           [&](const ChartSpec& c) { return c.row == lastRow; }),
             1);
    QCOMPARE(back.dataSets[0].columns[2].name, QString("samples"));
}

void TestGraphCharts::editingChartsAndDataSets() {
    SessionPage page(everyChartType());
    page.resize(1000, 700);
    page.show();
    page.session()->data()->feed(fedRecords());
    // The chart dialog gives back what it was given, and what is changed in it.
    ChartSpec bar = chartOf(page, "bar")->spec();
    QVector<DataSetColumns> sets{{"top", page.session()->data()->dataSet("top")->columns()}};
    {
        ChartDialog dialog(bar, sets);
        QCOMPARE(dialog.spec().toJson(), bar.toJson());
        auto* type = dialog.findChildren<QComboBox*>()[1];
        type->setCurrentIndex(type->findText("pie"));
        QCOMPARE(dialog.spec().type, ChartSpec::Type::Pie);
    }
    // filters as the data set dialog reads and writes them
    for (const char* text :
         {"match|process|^X", "range|samples|5 9", "sort|pid|ascending", "top|samples|3"}) {
        QStringList parts = QString(text).split('|');
        Filter::Kind kind = parts[0] == "match"   ? Filter::Kind::Match
                            : parts[0] == "range" ? Filter::Kind::Range
                            : parts[0] == "sort"  ? Filter::Kind::Sort
                                                  : Filter::Kind::Top;
        Filter f = DataSetDialog::filterFrom(kind, parts[1], parts[2]);
        QCOMPARE(DataSetDialog::argumentText(f), parts[2]);
    }
    // Renaming a column and adding a filter: the charts follow.
    DataSetSpec spec = *page.session()->data()->graphSet().dataSet("top");
    spec.columns[0].name = "command";
    spec.columns[2].name = "n";
    spec.filters = {DataSetDialog::filterFrom(Filter::Kind::NotMatch, "command", "^bash$")};
    page.updateDataSet(spec);
    QCOMPARE(page.session()->data()->dataSet("top")->columns()[2].name, QString("n"));
    ChartPanel* newBar = chartOf(page, "bar");
    QCOMPARE(newBar->spec().values, QStringList{"n"});
    QCOMPARE(newBar->spec().key, QString("command"));
    page.refreshNow();
    QTRY_COMPARE_WITH_TIMEOUT(newBar->lastData().categories, (QStringList{"sshd", "Xorg"}), 5000);
    GraphSet saved = page.session()->data()->graphSet();
    QCOMPARE(saved.dataSet("top")->filters.size(), 1);
    QCOMPARE(saved.charts[3].key, QString("command"));
    // A regex data set made in its dialog, then fed text
    QCOMPARE(RegexDataSetDialog::problem({"x",
                                          DataSetSpec::Source::Regex,
                                          -1,
                                          {},
                                          "(\\w+) (\\d+)",
                                          {},
                                          RegexDataSetDialog::parseColumns("w, n:long")},
                                         {"top"}),
             QString());
    QVERIFY(!RegexDataSetDialog::problem({"top",
                                          DataSetSpec::Source::Regex,
                                          -1,
                                          {},
                                          "(\\w+)",
                                          {},
                                          RegexDataSetDialog::parseColumns("w")},
                                         {"top"})
                 .isEmpty()); // name taken
    QVERIFY(!RegexDataSetDialog::problem({"x",
                                          DataSetSpec::Source::Regex,
                                          -1,
                                          {},
                                          "(\\w+) (\\d+)",
                                          {},
                                          RegexDataSetDialog::parseColumns("w")},
                                         {})
                 .isEmpty()); // 2 groups, 1 column
    QVERIFY(!RegexDataSetDialog::problem({"x",
                                          DataSetSpec::Source::Regex,
                                          -1,
                                          {},
                                          "(\\w+",
                                          {},
                                          RegexDataSetDialog::parseColumns("w")},
                                         {})
                 .isEmpty()); // invalid
    {
        RegexDataSetDialog dialog({"top"});
        auto edits = dialog.findChildren<QLineEdit*>();
        edits[0]->setText("words");
        edits[1]->setText(R"(^(\w+) = (\d+)$)");
        edits[2]->setText("word, n:long");
        QVERIFY(dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->isEnabled());
        page.session()->data()->add(GraphSet{{}, {dialog.spec()}, {}});
    }
    page.session()->data()->feed(R"J({"t":"out","ts":7,"text":"alpha = 3\nnot this\nbeta = 4\n"})J"
                                 "\n");
    Table words = page.session()->data()->dataSet("words")->snapshot();
    QCOMPARE(words.strings[0], (QVector<QString>{"alpha", "beta"}));
    QCOMPARE(words.numbers[1], (QVector<double>{3, 4}));
    // Adding a chart
    ChartSpec scatter;
    scatter.title = "added";
    scatter.type = ChartSpec::Type::Scatter;
    scatter.dataSet = "top";
    scatter.values = {"pid"};
    page.addCharts(GraphSet{{}, {}, {scatter}});
    QCOMPARE(page.charts().size(), 8);
    page.refreshNow();
    QTRY_COMPARE_WITH_TIMEOUT(chartOf(page, "added")->drawnRows(), 10, 5000); // bash filtered out
}

void TestGraphCharts::histogramRecordsFromARealRun() {
    QTemporaryDir dir;
    QString linear =
        writeScript(dir, "linear.stp",
                    "global s\n"
                    "probe begin { for (i = 0; i < 100; i++) s <<< i; s <<< -5; s <<< 75\n"
                    "  print(@hist_linear(s, 0, 50, 10)); exit() }\n");
    QVector<QJsonObject> records = runJson({linear});
    QJsonObject hist;
    int outBefore = -1;
    for (int i = 0; i < records.size(); ++i) {
        if (records[i].value("t") == "hist") hist = records[i];
        if (records[i].value("t") == "out" && hist.isEmpty()) outBefore = i;
    }
    QVERIFY2(!hist.isEmpty(), "no hist record");
    QVERIFY2(outBefore >= 0, "the histogram's text comes first, as before");
    QCOMPARE(hist.value("statistic").toString(), QString("s"));
    QCOMPARE(hist.value("kind").toString(), QString("linear"));
    QJsonArray buckets = hist.value("buckets").toArray();
    // stap's linear buckets run to `stop` inclusive: 0-9 ... 50-59
    QCOMPARE(buckets.size(), 6);
    for (int b = 0; b < 6; ++b) {
        QJsonArray bucket = buckets[b].toArray();
        QCOMPARE(bucket[0].toInt(), b * 10);
        QCOMPARE(bucket[1].toInt(), b * 10 + 9);
        QCOMPARE(bucket[2].toInt(), 10);
    }
    QCOMPARE(hist.value("underflow").toInt(), 1); // -5
    QCOMPARE(hist.value("overflow").toInt(), 41); // 60..99 and 75

    // A log histogram: the counts agree with the text stap prints.
    records = runJson({example("histogram.stp")});
    QString text;
    hist = {};
    for (const QJsonObject& r : records) {
        if (r.value("t") == "out") text += r.value("text").toString();
        if (r.value("t") == "hist") hist = r;
    }
    QVERIFY(!hist.isEmpty());
    QCOMPARE(hist.value("kind").toString(), QString("log"));
    QCOMPARE(hist.value("statistic").toString(), QString("samples"));
    qint64 total = 0;
    for (const QJsonValue& b : hist.value("buckets").toArray()) {
        QJsonArray bucket = b.toArray();
        total += bucket[2].toInteger();
        QVERIFY(bucket[1].toInteger() == 2 * bucket[0].toInteger() - 1 ||
                bucket[0].toInteger() <= 1);
        // "  256 |@@@@@@ 123": the text line of this bucket shows the same count
        QRegularExpression line(QString(R"((?m)^\s*%1 \|@*\s+(\d+)$)").arg(bucket[0].toInteger()));
        QRegularExpressionMatch m = line.match(text);
        if (bucket[2].toInteger() > 0) {
            QVERIFY2(m.hasMatch(),
                     qPrintable(QString("no text line for %1").arg(bucket[0].toInteger())));
            QCOMPARE(m.captured(1).toLongLong(), bucket[2].toInteger());
        }
    }
    QCOMPARE(total, qint64(1000));
}

void TestGraphCharts::histogramChartFromARealRun() {
    QTemporaryDir dir;
    QString script = writeScript(dir, "lat.stp",
                                 "global lat\n"
                                 "probe timer.ms(20) { lat <<< randint(100) }\n"
                                 "probe timer.ms(200) { print(@hist_linear(lat, 0, 100, 20)) }\n");
    GraphWorkspace workspace;
    workspace.resize(800, 600);
    workspace.show();
    SessionPage* page =
        workspace.run(optionsFor(script, {"-T", "5"}), {}, SessionPage::Proposals::AcceptAll);
    QTRY_COMPARE_WITH_TIMEOUT(page->charts().size(), 1, 20000);
    ChartPanel* chart = page->charts()[0];
    QCOMPARE(chart->spec().type, ChartSpec::Type::Histogram);
    // the first bucket holds randint(100) < 20: there after a few prints
    QTRY_COMPARE_WITH_TIMEOUT(chart->lastData().categories.value(0), QString("0–19"), 20000);
    double sum = std::accumulate(chart->lastData().sets[0].values.begin(),
                                 chart->lastData().sets[0].values.end(), 0.0);
    QVERIFY(sum > 0);
}

void TestGraphCharts::wizardProposalsForTheBundledExamples() {
    // Each example's real `formats` record (tstap --json, one second each,
    // four at a time), then the proposals made of it.
    QStringList scripts = taprun::exampleScripts();
    QVERIFY(scripts.size() >= 10);
    struct Run {
        QString script;
        QProcess* process;
    };
    QVector<Run> runs;
    QHash<QString, QVector<PrintfFormat>> formats;
    int next = 0, checked = 0;
    auto formatsOf = [](const QByteArray& out) {
        for (const QByteArray& line : out.split('\n'))
            if (line.startsWith(R"({"t":"formats")"))
                return formatsFromRecord(QJsonDocument::fromJson(line).object());
        return QVector<PrintfFormat>{};
    };
    while (next < scripts.size() || !runs.isEmpty()) {
        while (next < scripts.size() && runs.size() < 4) {
            QString s = scripts[next++];
            QStringList args{"--json", "-T", "1"};
            if (s.endsWith("call_tracer.stp") || s.endsWith("malloc_stacks.stp") || s.endsWith("profile_command.stp"))
                args << "-c" << QString(TAP_UPROG_O0) + " 1";
            auto* p = new QProcess;
            p->start(tstap(), args << s);
            runs.push_back({s, p});
        }
        Run r = runs.takeFirst();
        QVERIFY(r.process->waitForFinished(120000));
        formats[r.script] = formatsOf(r.process->readAllStandardOutput());
        delete r.process;
    }
    bool root = geteuid() == 0;
    for (const QString& s : scripts) {
        QFile f(s);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QString text = QString::fromUtf8(f.readAll());
        if (formats[s].isEmpty() && text.contains("printf")) {
            QVERIFY2(!root, qPrintable(s + ": no formats record"));
            continue; // kernel probes without root
        }
        QVector<Proposal> proposals = proposeCharts(formats[s], text);
        // one proposal per format with a number, of the kind its arguments call for
        int expected = 0;
        for (const PrintfFormat& f : formats[s]) {
            if (!f.argTypes.contains("long")) continue;
            const Proposal& p = proposals[expected++];
            QCOMPARE(p.dataSet.formatId, f.id);
            QCOMPARE(p.dataSet.format, f.format);
            bool keyed = f.argTypes.contains("string");
            QCOMPARE(p.chart.type, !f.stackArgs.isEmpty() ? ChartSpec::Type::Flame
                                   : keyed                 ? ChartSpec::Type::Bar
                                                           : ChartSpec::Type::Line);
            QVERIFY(!p.chart.values.isEmpty() || p.chart.type == ChartSpec::Type::Flame);
            QCOMPARE(p.chart.dataSet, p.dataSet.name);
        }
        int histograms = int(text.count("print(@hist_"));
        QCOMPARE(proposals.size(), expected + (histograms ? 1 : 0));
        ++checked;
        if (s.endsWith("/top.stp")) {
            QCOMPARE(proposals.size(), 1);
            QCOMPARE(proposals[0].chart.type, ChartSpec::Type::Bar);
            // printf("%s(%d) = %d\n", i, p, top[i, p]): named after the arguments
            QCOMPARE(proposals[0].chart.key, QString("i"));
            QCOMPARE(proposals[0].chart.values, QStringList{"top"});
            QCOMPARE(proposals[0].dataSet.columns.size(), 3);
            QCOMPARE(proposals[0].dataSet.columns[1].name, QString("p"));
            QCOMPARE(proposals[0].chart.aggregate, ChartSpec::Aggregate::Sum);
        }
        if (s.endsWith("/histogram.stp")) {
            QCOMPARE(proposals.last().chart.type, ChartSpec::Type::Histogram);
            QCOMPARE(proposals.last().dataSet.statistic, QString("samples"));
        }
    }
    QVERIFY(checked >= (root ? scripts.size() : 3));
    GraphSet set = graphSetFrom(proposeCharts(formats[example("top.stp")], ""), "top.stp");
    QCOMPARE(set.charts.size(), root ? 1 : 0);
}

void TestGraphCharts::topIsALiveBarChartWithOneClick() {
    if (geteuid() != 0) QSKIP("top.stp samples with kernel probes: needs root");
    GraphWorkspace workspace;
    workspace.resize(900, 600);
    workspace.show();
    // The wizard as the IDE shows it: Plot is the default button.
    SessionPage* page =
        workspace.run(optionsFor(example("top.stp"), {"-T", "4"}), {}, SessionPage::Proposals::Ask);
    ProposalDialog* dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = page->findChild<ProposalDialog*>()) != nullptr, 30000);
    QTest::keyClick(dialog, Qt::Key_Return); // the one click
    QTRY_COMPARE(page->charts().size(), 1);
    ChartPanel* bar = page->charts()[0];
    QCOMPARE(bar->spec().type, ChartSpec::Type::Bar);
    QTRY_VERIFY_WITH_TIMEOUT(!bar->lastData().categories.isEmpty(), 10000);
    auto* series = qobject_cast<QAbstractBarSeries*>(bar->chart()->series().value(0));
    QVERIFY(series);
    const ChartData& d = bar->lastData();
    QVERIFY(d.categories.size() <= 10);
    for (int i = 1; i < d.sets[0].values.size(); ++i)
        QVERIFY(d.sets[0].values[i - 1] >= d.sets[0].values[i]); // busiest first
    QVERIFY(d.sets[0].values[0] > 0);
}

void TestGraphCharts::severalSessionsAtOnce() {
    QTemporaryDir dir;
    QString a =
        writeScript(dir, "a.stp", "global n\nprobe timer.ms(20) { printf(\"a %d\\n\", ++n) }\n");
    QString b = writeScript(dir, "b.stp",
                            "global n\nprobe timer.ms(20) { n += 2; printf(\"b %d\\n\", n) }\n");
    GraphWorkspace workspace;
    workspace.resize(900, 600);
    workspace.show();
    SessionPage* pa = workspace.run(optionsFor(a), {}, SessionPage::Proposals::AcceptAll);
    SessionPage* pb = workspace.run(optionsFor(b), {}, SessionPage::Proposals::AcceptAll);
    QCOMPARE(workspace.sessions().size(), 2);
    QCOMPARE(workspace.tabs()->count(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(pa->charts().size() == 1 && pb->charts().size() == 1, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(pa->charts()[0]->drawnRows() >= 5 && pb->charts()[0]->drawnRows() >= 5,
                             20000);
    // each session has its own data: a counts by 1, b by 2
    QVector<QPointF> pointsA = pa->charts()[0]->lastData().series[0].points;
    QVector<QPointF> pointsB = pb->charts()[0]->lastData().series[0].points;
    QCOMPARE(pointsA[1].y() - pointsA[0].y(), 1.0);
    QCOMPARE(pointsB[1].y() - pointsB[0].y(), 2.0);
    QVERIFY(workspace.anyRunning());
    // side by side: both pages shown at once, still running, and back
    workspace.setSideBySide(true);
    QVERIFY(pa->isVisible() && pb->isVisible());
    QVERIFY(pa->x() != pb->x());
    QCOMPARE(workspace.tabs()->count(), 0);
    workspace.setSideBySide(false);
    QCOMPARE(workspace.tabs()->count(), 2);
    QVERIFY(workspace.anyRunning());
    // closing a tab stops its script; the other runs on
    emit workspace.tabs()->tabCloseRequested(0);
    QCOMPARE(workspace.sessions().size(), 1);
    QVERIFY(workspace.anyRunning());
    pb->stop();
    QTRY_VERIFY_WITH_TIMEOUT(!workspace.anyRunning(), 10000);
}

QTEST_MAIN(TestGraphCharts)
#include "test_graph_charts.moc"
