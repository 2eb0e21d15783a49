// A real editor as the client: Debian's neovim, headless, runs
// neovim_client.lua against `tstap --language-server` and reports what its
// LSP client received; this test checks the answers. Skipped without nvim.
#include "../support/test_files.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class TestNeovimClient : public QObject {
    Q_OBJECT
  private slots:
    void diagnosticsCompletionAndHover();
};

void TestNeovimClient::diagnosticsCompletionAndHover() {
    QString nvim = QStandardPaths::findExecutable("nvim");
    if (nvim.isEmpty())
        QSKIP("nvim is not installed (Debian package neovim): no real client to test with");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString script = dir.filePath("switches.stp");
    // The probe point's string is left open, as while typing it: a parse error to report.
    QByteArray text = "global switches\n"
                      "probe begin { printf(\"%s\\n\", execname()); switches = 0 }\n"
                      "probe kernel.trace(\"sched_";
    QVERIFY(testsupport::writeFile(script, text));

    QString tstap = qEnvironmentVariable("TAPSTUDIO_TSTAP");
    QProcess check;
    check.start(tstap, {"-p2", script});
    QVERIFY(check.waitForFinished(30000));
    QString tstapText = QString::fromUtf8(check.readAllStandardError());

    QProcess client;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("TSTAP", tstap);
    env.insert("SCRIPT", script);
    env.insert("HOVER_LINE", "1");
    env.insert("HOVER_COL", QString::number(text.split('\n')[1].indexOf("execname") + 2));
    env.insert("REPORT", dir.filePath("report.json"));
    for (const char* xdg : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"})
        env.insert(xdg, dir.filePath("xdg"));
    env.insert("TAPSTUDIO_CACHE_DIR", dir.filePath("cache"));
    client.setProcessEnvironment(env);
    client.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    client.start(nvim,
                 {"--headless", "--clean", "-n", "-c",
                  "luafile " + QString(TAPSTUDIO_SOURCE_DIR) + "/tests/lsp/neovim_client.lua"});
    QVERIFY(client.waitForFinished(90000));
    QCOMPARE(client.exitCode(), 0);
    QFile reportFile(dir.filePath("report.json"));
    QVERIFY(reportFile.open(QIODevice::ReadOnly));
    QJsonObject report = QJsonDocument::fromJson(reportFile.readAll()).object();

    // Diagnostics: tstap's own text, in its order, on the line of the open string.
    const QJsonArray diagnostics = report["diagnostics"].toArray();
    QVERIFY(!diagnostics.isEmpty());
    QString published;
    for (const QJsonValue& d : diagnostics) {
        published += d["message"].toString() + "\n";
        QCOMPARE(d["line"].toInt(), 2);
    }
    QVERIFY2(tstapText.startsWith(published),
             qPrintable("nvim:\n" + published + "\ntstap:\n" + tstapText));
    QVERIFY(published.startsWith("parse error"));

    // Completion after kernel.trace("sched_: the scheduler's tracepoints.
    QStringList labels;
    for (const QJsonValue& v : report["completion"].toArray())
        labels << v.toString();
    if (QDir("/sys/kernel/tracing/events/sched").exists() ||
        QDir("/sys/kernel/debug/tracing/events/sched").exists()) {
        QVERIFY2(labels.contains("sched:sched_switch") && labels.contains("sched:sched_wakeup"),
                 qPrintable(labels.join(' ')));
        QVERIFY2(labels.first().startsWith("sched:sched_"),
                 qPrintable(labels.first())); // best first
    }

    // Hover on execname(): the tapset function's signature and doc.
    QString hover = report["hover"].toString();
    QVERIFY2(hover.contains("execname:string ()") && hover.contains("execname of a target process"),
             qPrintable(hover));
}

QTEST_GUILESS_MAIN(TestNeovimClient)
#include "test_neovim_client.moc"
