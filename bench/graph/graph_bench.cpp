// graph_bench: the Graph perspective's ingest path under load. Recorded
// `tstap --json` lines go through the real parser and data sets on a reader
// thread (as a session's reader does) while the real chart widgets (4 line
// charts, 1 bar chart) redraw offscreen on the UI thread at 10 Hz. Prints
// the ingest rate (rows per second spent in the reader), the longest
// event-loop stall (a 5 ms timer's lateness) and the resident memory after
// the last row; the last line is machine-readable:
//   RESULT graph ingest_rows_per_s=N max_stall_ms=N rss_mb=N
//
//   graph_bench [-n ROWS] (default 5,000,000)
#include "background_priority.h"
#include "session_page.h"
#include "timed_application.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <ctime>

using namespace tapgraphs;

namespace {

constexpr int kChunkRows = 20000;

double rssMb() {
    QFile f("/proc/self/status");
    if (!f.open(QIODevice::ReadOnly)) return 0;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ')[0].toDouble() / 1024;
    return 0;
}

// What a busy script prints: 4 counters per tick (format 0), and a burst of
// "name(pid) = count" lines (format 1) every 1,000 rows.
QByteArray recordedChunk(qint64 firstRow) {
    static const char* names[] = {"Xorg",    "bash",   "sshd", "kworker/0:1",
                                  "systemd", "chrome", "gcc",  "ld"};
    QByteArray out;
    out.reserve(kChunkRows * 110);
    char line[256];
    for (qint64 r = firstRow; r < firstRow + kChunkRows; ++r) {
        long long ts = r * 5000; // 200,000 records per second of script time
        int n;
        if (r % 1000 < 8) {
            int k = int(r % 1000);
            n = std::snprintf(
                line, sizeof line,
                R"({"t":"printf","ts":%lld,"id":1,"args":["%s",%d,%lld],"text":"%s(%d) = %lld\n"})"
                "\n",
                ts, names[k], 100 + k, (r / 1000 * 7 + k * 13) % 500, names[k], 100 + k,
                (r / 1000 * 7 + k * 13) % 500);
        } else {
            n = std::snprintf(
                line, sizeof line,
                R"({"t":"printf","ts":%lld,"id":0,"args":[%lld,%lld,%lld,%lld],"text":"reads %lld writes %lld opens %lld bytes %lld\n"})"
                "\n",
                ts, r % 977, r % 1013, r % 89, r * 3, r % 977, r % 1013, r % 89, r * 3);
        }
        out.append(line, n);
    }
    return out;
}

GraphSet benchSet() {
    GraphSet g;
    DataSetSpec counters;
    counters.name = "counters";
    counters.formatId = 0;
    DataSetSpec top;
    top.name = "top";
    top.formatId = 1;
    g.dataSets = {counters, top};
    int i = 0;
    for (const char* column : {"reads", "writes", "opens", "bytes"}) {
        ChartSpec c;
        c.title = column;
        c.dataSet = "counters";
        c.values = {column};
        c.rate = QString(column) == "bytes";
        c.row = i / 3;
        c.column = i % 3;
        ++i;
        g.charts.push_back(c);
    }
    ChartSpec bar;
    bar.title = "top";
    bar.type = ChartSpec::Type::Bar;
    bar.dataSet = "top";
    bar.key = "value 1";
    bar.values = {"value 3"};
    bar.aggregate = ChartSpec::Aggregate::Sum;
    bar.row = 1;
    bar.column = 2;
    g.charts.push_back(bar);
    return g;
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    qint64 total = 5'000'000;
    for (int i = 1; i + 1 < argc; ++i)
        if (!std::strcmp(argv[i], "-n")) total = std::atoll(argv[i + 1]);
    TimedApplication app(argc, argv);

    SessionPage page(benchSet());
    page.resize(1400, 900);
    page.show();
    std::shared_ptr<SessionData> data = page.session()->data();
    data->feed(
        R"({"t":"formats","formats":[{"id":0,"fmt":"reads %d writes %d opens %d bytes %d\n","args":["long","long","long","long"]},)"
        R"({"id":1,"fmt":"%s(%d) = %d\n","args":["string","long","long"]}]})"
        "\n");

    // The reader: generates a chunk (not timed), then parses and stores it (timed).
    std::atomic<qint64> fed{0}, feedNs{0};
    std::atomic<double> rssHalf{0};
    QThread* reader = QThread::create([&] {
        lowerThisThreadsPriority(); // as a session's reader does
        QElapsedTimer clock;
        for (qint64 row = 0; row < total; row += kChunkRows) {
            QByteArray chunk = recordedChunk(row);
            clock.start();
            data->feed(chunk);
            feedNs += clock.nsecsElapsed();
            fed += kChunkRows;
            if (row < total / 2 && row + kChunkRows >= total / 2) rssHalf = rssMb();
        }
    });

    // The stall probe: a 5 ms timer on the UI thread; lateness is a stall.
    QElapsedTimer sinceTick;
    qint64 maxStallNs = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        maxStallNs = std::max(maxStallNs, sinceTick.nsecsElapsed() - 5'000'000);
        sinceTick.start();
    });
    QObject::connect(reader, &QThread::finished, &app, [&] {
        page.refreshNow();
        QTimer::singleShot(300, &app, &QApplication::quit); // the last redraws
    });
    QElapsedTimer wall;
    wall.start();
    sinceTick.start();
    probe.start();
    reader->start();
    app.exec();
    reader->wait();
    delete reader;

    double seconds = double(feedNs) / 1e9;
    qint64 rate = seconds > 0 ? qint64(double(fed) / seconds) : 0;
    double rss = rssMb();
    std::printf("rows %lld in %.2f s of reader time (%.2f s wall), rings of %d rows\n",
                (long long)fed.load(), seconds, double(wall.nsecsElapsed()) / 1e9,
                kDefaultCapacity);
    std::printf("data sets: counters %d rows (%lld dropped), top %d rows\n",
                data->dataSet("counters")->size(), (long long)data->dataSet("counters")->dropped(),
                data->dataSet("top")->size());
    std::printf("rss: %.0f MB at half the rows, %.0f MB at the end\n", rssHalf.load(), rss);
    std::printf("slowest UI event: %.1f ms wall, %.1f ms of it on the CPU (event type %s); most "
                "CPU in one event "
                "%.1f ms\n",
                double(app.slowestNs) / 1e6, double(app.slowestCpuNs) / 1e6,
                qPrintable(app.slowest), double(app.maxCpuNs) / 1e6);
    std::printf("targets: >= 200000 rows/s, stall < 50 ms, memory flat once the rings are full\n");
    std::printf("RESULT graph ingest_rows_per_s=%lld max_stall_ms=%.0f rss_mb=%.0f\n",
                (long long)rate, double(maxStallNs) / 1e6, rss);
    return 0;
}
