// process(PID).function(...) and bare process.function(...) with -x: uprobes
// in a process that is already running (the directive tests start theirs
// with -c). Needs root and BPF; skipped, with the reason, otherwise.
#include <QCoreApplication>
#include <QProcess>
#include <QtTest>

#include <unistd.h>

namespace {

QString tstapPath() { return QCoreApplication::applicationDirPath() + "/../app/tstap"; }

// Runs tstap with `args`; its stdout and stderr.
QString runTstap(const QStringList& args) {
    QProcess p;
    p.start(tstapPath(), args);
    if (!p.waitForFinished(30000))
        return "timed out";
    return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
}

} // namespace

class TestUprobeProcess : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        if (geteuid() != 0)
            QSKIP("uprobes need root");
        if (!QFile::exists(tstapPath()))
            QSKIP("tstap is not built next to the tests");
        // The workload burns CPU calling now_ms() until it is stopped.
        workload_.start(TAP_WORKLOAD, {"spin", "20000"});
        QVERIFY(workload_.waitForStarted());
    }

    void cleanupTestCase() {
        workload_.kill();
        workload_.waitForFinished();
    }

    void processByPid() {
        QString pid = QString::number(workload_.processId());
        QString out = runTstap({"-e", "global n\n"
                                      "probe process(" + pid + ").function(\"now_ms\") { n++; who = pid() }\n"
                                      "global who\n"
                                      "probe timer.ms(300) { exit() }\n"
                                      "probe end { printf(\"%d %d\\n\", n > 100, who == " + pid + ") }"});
        QCOMPARE(out, QString("1 1\n"));
    }

    void bareWithTargetPid() {
        QString pid = QString::number(workload_.processId());
        QString out = runTstap({"-x", pid, "-e", "global n\n"
                                                 "probe process.function(\"now_ms\") { n++ }\n"
                                                 "probe timer.ms(300) { exit() }\n"
                                                 "probe end { printf(\"%d\\n\", n > 100) }"});
        QCOMPARE(out, QString("1\n"));
    }

    void listingByPid() {
        QString pid = QString::number(workload_.processId());
        QString out = runTstap({"-l", "process(" + pid + ").function(\"now_*\")"});
        QVERIFY2(out.startsWith("process(" + pid + ").function(\"now_ms@"), qPrintable(out));
    }

    // stapprobes: process.begin is "called once from the context of each
    // preexisting process, at systemtap script startup".
    void beginOfRunningProcesses() {
        QString pid = QString::number(workload_.processId());
        QString byPid = runTstap({"-e", "probe process(" + pid + ").begin { printf(\"%d %s\\n\", pid(), execname()) }\n"
                                        "probe timer.ms(200) { exit() }"});
        QCOMPARE(byPid, pid + " tap_workload\n");
        // Other tests may run the workload program at the same time: only
        // this test's process is looked at.
        QString byPath = runTstap({"-e", "probe process(\"" TAP_WORKLOAD "\").begin { if (pid() == " + pid +
                                         ") printf(\"%d %s %d\\n\", pid(), execname(), $old_pid == pid()) }\n"
                                         "probe timer.ms(200) { exit() }"});
        QCOMPARE(byPath, pid + " tap_workload 1\n");
        QString any = runTstap({"-e", "global seen, n\nprobe process.begin { n++; if (pid() == " + pid +
                                      ") seen = ppid() == " + QString::number(getpid()) +
                                      " ? 1 : 2 }\nprobe timer.ms(200) { printf(\"%d %d\\n\", seen, n > 2); exit() }"});
        QCOMPARE(any, QString("1 1\n"));
    }

    void noSuchProcess() {
        QString out = runTstap({"-p2", "-e", "probe process(999999999).function(\"main\") {}"});
        QVERIFY2(out.contains("cannot find the executable of process 999999999"), qPrintable(out));
    }

private:
    QProcess workload_;
};

QTEST_MAIN(TestUprobeProcess)
#include "test_uprobe_process.moc"
