// Every bundled module, run for real against a workload: each runs as its
// own tstap session (six at a time, a few seconds each) while this test
// makes system calls, opens files, forks and execs, spins, writes and
// syncs a file, and sends UDP packets over loopback; then every chart of
// every module must have received rows. Needs root (kernel probes).
#include "module_library.h"
#include "module_run.h"
#include "stack_data_set.h"

#include <QFile>
#include <QNetworkDatagram>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>
#include <QUdpSocket>
#include <QtTest>

#include <unistd.h>

using namespace tapdash;

namespace {

constexpr int kBatch = 6;          // modules running at once
constexpr int kRunSeconds = 5;     // after every module of the batch is running
constexpr int kStartTimeoutMs = 180000; // a cold cache compiles with clang first

// Load of every kind the modules watch, a little every 100 ms.
class Workload : public QObject {
  public:
    explicit Workload(const QString& dir) : dir_(dir) {
        receiver_.bind(QHostAddress::LocalHost, 0);
        connect(&timer_, &QTimer::timeout, this, &Workload::step);
        timer_.start(100);
    }
    ~Workload() override {
        for (QProcess* p : findChildren<QProcess*>()) {
            p->kill();
            p->waitForFinished(1000);
        }
    }

  private:
    void step() {
        static const QList<QStringList> commands = {{"getppid", "2000"}, {"open", "/etc/hostname", "50"},
                                                    {"fork", "5"},         {"spin", "60"},
                                                    {"sleep", "20"}};
        auto* p = new QProcess(this);
        connect(p, &QProcess::finished, p, &QObject::deleteLater);
        p->start(TAP_WORKLOAD, commands[step_++ % commands.size()]);
        // Loopback packets: net devices, sockets per process.
        for (int i = 0; i < 20; ++i)
            sender_.writeDatagram(QByteArray(512, 'x'), QHostAddress::LocalHost, receiver_.localPort());
        while (receiver_.hasPendingDatagrams())
            receiver_.receiveDatagram();
        // Block I/O that reaches the disk: written and synced.
        QFile f(dir_ + "/blocks.bin");
        if (f.open(QIODevice::WriteOnly)) {
            f.write(QByteArray(256 * 1024, char(step_)));
            f.flush();
            fsync(f.handle());
        }
    }

    QString dir_;
    QTimer timer_;
    QUdpSocket sender_, receiver_;
    int step_ = 0;
};

} // namespace

class TestBundledModules : public QObject {
    Q_OBJECT
  private slots:
    void everyModuleFillsEveryChart_data();
    void everyModuleFillsEveryChart();
};

void TestBundledModules::everyModuleFillsEveryChart_data() {
    QTest::addColumn<QStringList>("ids");
    ModuleLibrary library;
    library.setFolders({}, "/nonexistent");
    library.reload();
    QStringList ids;
    for (const Module& m : library.modules())
        ids << m.manifest.id;
    QVERIFY(ids.size() >= 15);
    for (int i = 0; i < ids.size(); i += kBatch) {
        QStringList batch = ids.mid(i, kBatch);
        QTest::newRow(qPrintable(batch.join(','))) << batch;
    }
}

void TestBundledModules::everyModuleFillsEveryChart() {
    if (geteuid() != 0) QSKIP("kernel probes need root");
    QFETCH(QStringList, ids);
    ModuleLibrary library;
    library.setFolders({}, "/nonexistent");
    library.reload();
    // Build-tree folder: on the disk, unlike a tmpfs /tmp.
    QTemporaryDir dir(QDir::currentPath() + "/workload-XXXXXX");
    Workload workload(dir.path());
    std::vector<std::unique_ptr<ModuleRun>> runs;
    for (const QString& id : ids) {
        const Module* m = library.find(id);
        QVERIFY(m);
        runs.push_back(std::make_unique<ModuleRun>(*m, RunSettings::defaultsOf(m->manifest)));
        runs.back()->start();
    }
    for (auto& run : runs)
        QTRY_VERIFY2_WITH_TIMEOUT(run->state() != ModuleRun::State::Starting,
                                  qPrintable(run->module().manifest.id + ": " + run->output()->all()),
                                  kStartTimeoutMs);
    QTest::qWait(kRunSeconds * 1000);
    for (auto& run : runs)
        run->stop();
    for (auto& run : runs)
        QTRY_VERIFY_WITH_TIMEOUT(run->state() == ModuleRun::State::Finished ||
                                     run->state() == ModuleRun::State::Failed,
                                 30000);
    QStringList empty;
    for (auto& run : runs) {
        const Module& m = run->module();
        QVERIFY2(run->state() == ModuleRun::State::Finished,
                 qPrintable(m.manifest.id + ": " + run->statusText() + "\n" + run->output()->all().right(2000)));
        for (const tapgraphs::ChartSpec& chart : m.graphSet.charts) {
            bool filled = false;
            if (chart.type == tapgraphs::ChartSpec::Type::Flame) {
                std::shared_ptr<tapgraphs::StackDataSet> stacks = run->data()->stackDataSet(chart.dataSet);
                filled = stacks && stacks->received() > 0;
            } else {
                std::shared_ptr<tapgraphs::DataSet> ds = run->data()->dataSet(chart.dataSet);
                filled = ds && ds->received() > 0;
            }
            if (!filled) empty << QString("%1: chart '%2'").arg(m.manifest.id, chart.title);
        }
    }
    QVERIFY2(empty.isEmpty(), qPrintable("no rows for\n" + empty.join('\n')));
}

QTEST_GUILESS_MAIN(TestBundledModules)
#include "test_bundled_modules.moc"
