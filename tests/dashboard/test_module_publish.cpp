// A Dashboard module can publish its prometheus probe and procfs files over
// HTTP (module.json "http", editable before a run): the run is started with
// tstap --http, and /metrics answers while it runs.
#include "module_library.h"
#include "module_run.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace tapdash;

namespace {

// A port of this test's own (tests/runtime use 27611-27730).
constexpr char kAddress[] = "127.0.0.1:27741";

void write(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

// A user-space module (it runs without privileges) whose prometheus probe
// counts its scrapes.
void writeModule(const QTemporaryDir& dir, const QString& http) {
    write(dir.filePath("script.stp"),
          "global scrapes\n"
          "probe prometheus { $value = sprintf(\"dashboard_scrapes %d\\n\", ++scrapes) }\n"
          "probe timer.s(1) { printf(\"n %d\\n\", scrapes) }\n");
    write(dir.filePath("graphs.json"),
          R"({"tapstudioGraphSet":1,"dataSets":[{"name":"n","source":"printf","format":"n %d\n"}],
              "charts":[{"title":"N","type":"line","dataSet":"n","values":["n"]}]})");
    QJsonObject manifest{{"tapstudioModule", 1},
                         {"id", "publisher"},
                         {"name", "Publisher"},
                         {"category", "Tests"},
                         {"description", "Publishes its scrapes"}};
    if (!http.isEmpty()) manifest["http"] = http;
    write(dir.filePath("module.json"), QJsonDocument(manifest).toJson());
}

QByteArray get(const QString& url) {
    QNetworkAccessManager network;
    QNetworkReply* reply = network.get(QNetworkRequest(QUrl(url)));
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!done.wait(10000)) return "(no answer)";
    reply->deleteLater();
    return reply->error() == QNetworkReply::NoError ? reply->readAll()
                                                    : reply->errorString().toUtf8();
}

} // namespace

class TestModulePublish : public QObject {
    Q_OBJECT
  private slots:
    void runOptionsCarryHttp();
    void publishesMetricsWhileRunning();
};

void TestModulePublish::runOptionsCarryHttp() {
    QTemporaryDir dir;
    writeModule(dir, kAddress);
    Module module;
    QString problems;
    QVERIFY2(loadModule(dir.path(), "folder", module, &problems), qPrintable(problems));
    QCOMPARE(module.manifest.http, QString(kAddress));
    RunSettings settings = RunSettings::defaultsOf(module.manifest);
    QStringList options = ModuleRun::optionsFor(module, settings, "tstap").options;
    QVERIFY2(options.join(' ').contains(QString("--http ") + kAddress),
             qPrintable(options.join(' ')));
    settings.http.clear(); // edited away before the run: nothing published
    QVERIFY(!ModuleRun::optionsFor(module, settings, "tstap").options.contains("--http"));
}

void TestModulePublish::publishesMetricsWhileRunning() {
    QTemporaryDir dir;
    writeModule(dir, kAddress);
    Module module;
    QVERIFY(loadModule(dir.path(), "folder", module));
    ModuleRun run(module, RunSettings::defaultsOf(module.manifest));
    run.start();
    QTRY_VERIFY_WITH_TIMEOUT(run.state() == ModuleRun::State::Running, 60000);
    QCOMPARE(get(QString("http://%1/metrics").arg(kAddress)), QByteArray("dashboard_scrapes 1\n"));
    QCOMPARE(get(QString("http://%1/metrics").arg(kAddress)), QByteArray("dashboard_scrapes 2\n"));
    run.stop();
    QTRY_VERIFY_WITH_TIMEOUT(run.state() == ModuleRun::State::Finished, 20000);
}

QTEST_MAIN(TestModulePublish)
#include "test_module_publish.moc"
