// flame_bench: a live flame graph under load. A reader thread feeds
// `tstap --json` printf records with stacks (as a profile script prints
// them) through the real parser and stacks data set: 100,000 distinct
// stacks (20 frames each: a common root, then 5 levels of 10 functions)
// in bursts 10 times a second, while the real flame graph panel (with its
// tables shown) redraws offscreen on the UI thread at 10 Hz, then redraws of
// the whole tree for a few more seconds, until one shows every stack. Prints the longest event-loop
// stall (a 5 ms timer's lateness); the last line is machine-readable:
//   RESULT flame stacks=N max_stall_ms=N
//
//   flame_bench [-n STACKS] (default 100,000)
#include "background_priority.h"
#include "flame_panel.h"
#include "flame_view.h"
#include "session_page.h"
#include "timed_application.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <ctime>

using namespace tapgraphs;

namespace {

constexpr int kBurstsPerSecond = 10;
constexpr int kSecondsFeeding = 5;
constexpr int kSecondsAfter = 3;
const char* const kRoot[] = {"_start",
                             "__libc_start_main",
                             "main",
                             "run",
                             "dispatch",
                             "handle",
                             "process",
                             "step",
                             "evaluate",
                             "apply",
                             "visit",
                             "walk",
                             "entry_SYSCALL_64",
                             "do_syscall_64",
                             "ksys_read"};

// One record: a kernel stack of the common root's last 3 frames and the
// stack's 5 levels, a user stack of the rest (innermost first, as they travel).
QByteArray record(qint64 ts, int stack) {
    QByteArray user, kernel;
    auto frame = [](QByteArray& out, const QByteArray& name, const char* mod) {
        if (!out.isEmpty()) out.prepend(',');
        out.prepend(R"({"addr":"0x1","sym":")" + name + R"(","mod":")" + mod + R"("})");
    };
    for (int i = 0; i < 12; ++i)
        frame(user, kRoot[i], "/usr/bin/app");
    for (int i = 12; i < 15; ++i)
        frame(kernel, kRoot[i], "kernel");
    for (int level = 0, rest = stack; level < 5; ++level, rest /= 10)
        frame(kernel, "level" + QByteArray::number(level) + "_fn" + QByteArray::number(rest % 10),
              "kernel");
    return R"({"t":"printf","ts":)" + QByteArray::number(ts) +
           R"(,"id":0,"args":["","",1],"stacks":[{"arg":0,"frames":[)" + kernel +
           R"(]},{"arg":1,"frames":[)" + user + R"(]}],"text":""})" + "\n";
}

GraphSet benchSet() {
    DataSetSpec stacks;
    stacks.name = "stacks";
    stacks.source = DataSetSpec::Source::Stacks;
    stacks.formatId = 0;
    stacks.capacity = 1000000;
    ChartSpec flame;
    flame.title = "on-CPU";
    flame.type = ChartSpec::Type::Flame;
    flame.dataSet = "stacks";
    return GraphSet{"bench", {stacks}, {flame}};
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    int total = 100000;
    for (int i = 1; i + 1 < argc; ++i)
        if (!std::strcmp(argv[i], "-n")) total = std::atoi(argv[i + 1]);
    TimedApplication app(argc, argv);

    SessionPage page(benchSet());
    page.resize(1400, 900);
    page.show();
    std::shared_ptr<SessionData> data = page.session()->data();
    data->feed(
        R"({"t":"formats","formats":[{"id":0,"fmt":"%s%s%d\n","args":["string","string","long"],)"
        R"("stacks":[{"arg":0,"kind":"kernel"},{"arg":1,"kind":"user"}]}]})"
        "\n");

    // The reader: a burst of stacks every 100 ms, as a script printing its table.
    std::atomic<int> fed{0};
    QThread* reader = QThread::create([&] {
        lowerThisThreadsPriority(); // as a session's reader does
        const int bursts = kBurstsPerSecond * kSecondsFeeding,
                  perBurst = (total + bursts - 1) / bursts;
        QElapsedTimer clock;
        clock.start();
        for (int b = 0; b < bursts; ++b) {
            QByteArray chunk;
            for (int s = b * perBurst; s < std::min(total, (b + 1) * perBurst); ++s)
                chunk += record(qint64(b) * 100000000, s);
            data->feed(chunk);
            fed = std::min(total, (b + 1) * perBurst);
            qint64 next = qint64(b + 1) * 1000 / kBurstsPerSecond;
            if (clock.elapsed() < next) QThread::msleep(next - clock.elapsed());
        }
    });

    QElapsedTimer sinceTick;
    qint64 maxStallNs = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        maxStallNs = std::max(maxStallNs, sinceTick.nsecsElapsed() - 5'000'000);
        sinceTick.start();
    });
    // Redraws go on for a few seconds after the last burst, until one shows every stack.
    QElapsedTimer sinceLastBurst;
    QObject::connect(reader, &QThread::finished, &app, [&] { sinceLastBurst.start(); });
    QTimer::singleShot(60000, &app, &QApplication::quit); // however slow the machine is
    int redraws = 0;
    FlamePanel* panel = page.flameGraphs().value(0);
    QObject::connect(panel, &FlamePanel::drawn, [&] {
        ++redraws;
        if (sinceLastBurst.isValid() && sinceLastBurst.elapsed() >= kSecondsAfter * 1000 &&
            panel->view()->tree()->total() >= fed)
            app.quit();
    });
    sinceTick.start();
    probe.start();
    reader->start();
    app.exec();
    reader->wait();
    delete reader;

    const FlameTree& tree = *panel->view()->tree();
    std::printf(
        "stacks %d fed in %d bursts a second; the last tree: %.0f samples, %d nodes; %d redraws\n",
        fed.load(), kBurstsPerSecond, tree.total(), tree.size(), redraws);
    std::printf("slowest UI event: %.1f ms wall, %.1f ms of it on the CPU (event type %s)\n",
                double(app.slowestNs) / 1e6, double(app.slowestCpuNs) / 1e6,
                qPrintable(app.slowest));
    std::printf("target: stall < 50 ms\n");
    std::printf("RESULT flame stacks=%d max_stall_ms=%.0f\n", int(tree.total()),
                double(maxStallNs) / 1e6);
    return tree.total() >= fed ? 0 : 1; // the last tree must hold every stack
}
