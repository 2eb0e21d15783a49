// The language server driven in process, message by message as a client
// sends them: initialize, diagnostics with tstap's text, incremental changes,
// completion, hover, signature help, definition, symbols, cancellation, the
// generated code; and `tstap --language-server` over real pipes.
#include "json_rpc.h"
#include "language_server.h"
#include "../support/test_files.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace taplsp;

namespace {

QString tstap() {
    return qEnvironmentVariable("TAPSTUDIO_TSTAP");
}

class Client {
  public:
    // With a cache file shared by the tests, only the first builds the index from cold.
    explicit Client(const QString& cacheFile = QString())
        : server_(
              [this](const QByteArray& body) {
                  received_.push_back(QJsonDocument::fromJson(body).object());
              },
              tstap()) {
        server_.setCacheFile(cacheFile);
    }

    void send(const QJsonObject& message) {
        server_.post(QJsonDocument(message).toJson(QJsonDocument::Compact));
    }
    int request(const QString& method, const QJsonObject& params) {
        send({{"jsonrpc", "2.0"}, {"id", ++lastId_}, {"method", method}, {"params", params}});
        return lastId_;
    }
    void notify(const QString& method, const QJsonObject& params) {
        send({{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
    }
    // The first message (received from `from` on) that `match` accepts.
    std::optional<QJsonObject> waitFor(const std::function<bool(const QJsonObject&)>& match,
                                       int timeoutMs = 20000, size_t from = 0) {
        QElapsedTimer clock;
        clock.start();
        for (;;) {
            for (size_t i = from; i < received_.size(); ++i)
                if (match(received_[i])) return received_[i];
            if (clock.elapsed() > timeoutMs) return std::nullopt;
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        }
    }
    const QJsonObject response(int id) {
        auto r =
            waitFor([id](const QJsonObject& m) { return m["id"] == id && !m.contains("method"); });
        return r ? *r : QJsonObject();
    }
    const QJsonObject call(const QString& method, const QJsonObject& params) {
        return response(request(method, params));
    }
    // The latest diagnostics published for `version` of `uri`.
    QJsonArray diagnostics(const QString& uri, int version) {
        auto m = waitFor([&](const QJsonObject& m) {
            return m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri &&
                   m["params"]["version"] == version;
        });
        return m ? std::as_const(*m)["params"]["diagnostics"].toArray() : QJsonArray();
    }
    void initialize() {
        QJsonObject caps{
            {"textDocument",
             QJsonObject{{"completion", QJsonObject{{"completionItem",
                                                     QJsonObject{{"snippetSupport", true}}}}}}}};
        QVERIFY(call("initialize", {{"processId", QJsonValue::Null}, {"capabilities", caps}})
                    .contains("result"));
        notify("initialized", {});
    }
    void open(const QString& uri, const std::string& text) {
        notify("textDocument/didOpen",
               {{"textDocument", QJsonObject{{"uri", uri},
                                             {"languageId", "systemtap"},
                                             {"version", 1},
                                             {"text", QString::fromStdString(text)}}}});
    }
    static QJsonObject at(const QString& uri, int line, int character) {
        return {{"textDocument", QJsonObject{{"uri", uri}}},
                {"position", QJsonObject{{"line", line}, {"character", character}}}};
    }
    const std::vector<QJsonObject>& received() const { return received_; }

  private:
    std::vector<QJsonObject> received_;
    LanguageServer server_;
    int lastId_ = 0;
};

QStringList labels(const QJsonObject& completionResponse) {
    QStringList out;
    for (const QJsonValue& item : completionResponse["result"]["items"].toArray())
        out << item["label"].toString();
    return out;
}

} // namespace

class TestLanguageServer : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void requestsBeforeInitialize();
    void diagnosticsAreTstapsText();
    void incrementalChangesAreAnalysed();
    void completion();
    void targetVariablesWithTypes();
    void hoverAndSignature();
    void definitionAndSymbols();
    void cancellation();
    void indexingDoesNotBlockTheLoop();
    void generatedCode();
    void overPipes();

  private:
    QString cache() const { return dir_.filePath("catalogue-index.bin"); }
    QTemporaryDir dir_;
};

void TestLanguageServer::initTestCase() {
    QVERIFY(dir_.isValid());
    QVERIFY2(QFileInfo(tstap()).isExecutable(), "TAPSTUDIO_TSTAP names no tstap");
}

void TestLanguageServer::requestsBeforeInitialize() {
    Client c(cache());
    const QJsonObject r = c.call("textDocument/hover", Client::at("file:///x.stp", 0, 0));
    QCOMPARE(r["error"]["code"].toInt(), int(kServerNotInitialized));
    c.initialize();
    QCOMPARE(c.call("no/such", {})["error"]["code"].toInt(), int(kMethodNotFound));
    QCOMPARE(c.call("shutdown", {})["result"], QJsonValue(QJsonValue::Null));
    QCOMPARE(c.call("textDocument/hover", {})["error"]["code"].toInt(), int(kInvalidRequest));
}

void TestLanguageServer::diagnosticsAreTstapsText() {
    QString path = dir_.filePath("broken.stp");
    std::string text =
        "global n\nprobe begin { n = \"s\" + 1; printf(\"%d\\n\", undefined_fn()) }\n";
    QVERIFY(testsupport::writeFile(path, QByteArray::fromStdString(text)));
    QProcess p;
    p.start(tstap(), {"-p2", path});
    QVERIFY(p.waitForFinished(30000));
    QString expected = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(expected.contains("error"), qPrintable(expected));

    Client c(cache());
    c.initialize();
    QString uri = QUrl::fromLocalFile(path).toString();
    c.open(uri, text);
    const QJsonArray diags = c.diagnostics(uri, 1);
    QVERIFY(!diags.isEmpty());
    QString published;
    for (const QJsonValue& d : diags) {
        published += d["message"].toString() + "\n";
        QCOMPARE(d["source"].toString(), QString("tstap"));
        QCOMPARE(d["severity"].toInt(), 1);
    }
    // tstap ends with a summary line of its own after the diagnostics.
    QVERIFY2(expected.startsWith(published),
             qPrintable("tstap:\n" + expected + "\nserver:\n" + published));
    QCOMPARE(diags[0]["range"]["start"]["line"].toInt(), 1);
}

void TestLanguageServer::incrementalChangesAreAnalysed() {
    Client c(cache());
    c.initialize();
    QString uri = "file:///tmp/edit.stp";
    c.open(uri, "probe begin { println(1 + ) }\n");
    const QJsonArray first = c.diagnostics(uri, 1);
    QCOMPARE(first.size(), 1);
    QVERIFY(first[0]["message"].toString().startsWith("parse error"));
    QCOMPARE(first[0]["range"]["start"]["line"].toInt(), 0);
    // Two edits in one change: insert the operand, then a second line.
    QJsonArray changes{
        QJsonObject{{"range", QJsonObject{{"start", QJsonObject{{"line", 0}, {"character", 26}}},
                                          {"end", QJsonObject{{"line", 0}, {"character", 26}}}}},
                    {"text", "2"}},
        QJsonObject{{"range", QJsonObject{{"start", QJsonObject{{"line", 1}, {"character", 0}}},
                                          {"end", QJsonObject{{"line", 1}, {"character", 0}}}}},
                    {"text", "probe end { println(\"é\", y) }\n"}},
    };
    c.notify("textDocument/didChange", {{"textDocument", QJsonObject{{"uri", uri}, {"version", 2}}},
                                        {"contentChanges", changes}});
    const QJsonArray second = c.diagnostics(uri, 2);
    // The first line is fixed; the second reads y, which has no type: an
    // error at its column (and stap's warning that y is never assigned).
    QJsonArray errors;
    for (const QJsonValue& d : second)
        if (d["severity"].toInt() == 1)
            errors.append(d);
    QCOMPARE(errors.size(), 1);
    const QJsonValue error = errors.first();
    QVERIFY(error["message"].toString().startsWith("semantic error: unresolved type"));
    QCOMPARE(error["range"]["start"]["line"].toInt(), 1);
    QCOMPARE(error["range"]["start"]["character"].toInt(), 25); // é counts one UTF-16 unit
}

void TestLanguageServer::completion() {
    Client c(cache());
    c.initialize();
    QString uri = "file:///tmp/complete.stp";
    // The string left open runs to the end of the file: it comes last.
    std::string text = "global counts\nprobe begin { cou }\nprobe kernel.trace(\"sched_";
    c.open(uri, text);
    if (QDir("/sys/kernel/tracing/events/sched").exists()) {
        QStringList tracepoints;
        for (int tries = 0; tries < 50 && !tracepoints.contains("sched:sched_switch"); ++tries)
            tracepoints = labels(c.call("textDocument/completion", Client::at(uri, 2, 26)));
        QVERIFY2(tracepoints.contains("sched:sched_switch"), qPrintable(tracepoints.join(' ')));
    }
    const QJsonObject body = c.call("textDocument/completion", Client::at(uri, 1, 17));
    const QJsonArray items = body["result"]["items"].toArray();
    QVERIFY(!items.isEmpty());
    QCOMPARE(items[0]["label"].toString(), QString("counts"));
    const QJsonObject edit = items[0]["textEdit"].toObject();
    QCOMPARE(edit["newText"].toString(), QString("counts"));
    QCOMPARE(edit["range"]["start"]["character"].toInt(), 14);
    QCOMPARE(edit["range"]["end"]["character"].toInt(), 17);
}

void TestLanguageServer::targetVariablesWithTypes() {
    if (!QDir("/sys/kernel/tracing/events/sched").exists())
        QSKIP("no sched tracepoints in tracefs");
    Client c(cache());
    c.initialize();
    QString uri = "file:///tmp/vars.stp";
    std::string text = "probe kernel.trace(\"sched:sched_switch\") { x = $pr }\n";
    c.open(uri, text);
    int at = int(text.find("$pr")) + 3;
    QJsonObject prev;
    for (int tries = 0; tries < 100 && prev.isEmpty(); ++tries) {
        const QJsonObject r = c.call("textDocument/completion", Client::at(uri, 0, at));
        for (const QJsonValue& item : r["result"]["items"].toArray())
            if (item["label"].toString().startsWith("$prev ")) prev = item.toObject();
        if (prev.isEmpty()) QTest::qWait(50); // the probe index is still being read
    }
    QVERIFY(!prev.isEmpty());
    QVERIFY2(prev["label"].toString().contains("task_struct"),
             qPrintable(prev["label"].toString()));
    QCOMPARE(std::as_const(prev)["textEdit"]["newText"].toString(), QString("$prev"));
    QCOMPARE(prev["kind"].toInt(), 5);
}

void TestLanguageServer::hoverAndSignature() {
    Client c(cache());
    c.initialize();
    QString uri = "file:///tmp/hover.stp";
    c.open(uri, "probe begin { println(strlen(\"ab\")); x = substr(\"abc\", 1, ) }\n");
    const QJsonObject hover = c.call("textDocument/hover", Client::at(uri, 0, 24));
    QString value = hover["result"]["contents"]["value"].toString();
    QVERIFY2(value.contains("strlen:long (s:string)") && value.contains("length of a string"),
             qPrintable(value));
    QCOMPARE(hover["result"]["range"]["start"]["character"].toInt(), 22);
    QCOMPARE(c.call("textDocument/hover", Client::at(uri, 0, 12))["result"],
             QJsonValue(QJsonValue::Null));

    const QJsonObject sig = c.call("textDocument/signatureHelp", Client::at(uri, 0, 57));
    const QJsonObject s = sig["result"]["signatures"][0].toObject();
    QString label = s["label"].toString();
    QVERIFY2(label.startsWith("substr"), qPrintable(label));
    const QJsonArray range = s["parameters"][0]["label"].toArray();
    QCOMPARE(label.mid(range[0].toInt(), range[1].toInt() - range[0].toInt()),
             QString("length:long"));
}

void TestLanguageServer::definitionAndSymbols() {
    Client c(cache());
    c.initialize();
    QString uri = "file:///tmp/defs.stp";
    c.open(uri, "global hits\nfunction bump(n) { hits += n }\nprobe timer.s(1) { bump(1); "
                "println(execname()) }\n");
    const QJsonObject own = c.call("textDocument/definition", Client::at(uri, 2, 20));
    QCOMPARE(own["result"]["uri"].toString(), uri);
    QCOMPARE(own["result"]["range"]["start"]["line"].toInt(), 1);
    const QJsonObject tapset = c.call("textDocument/definition", Client::at(uri, 2, 38));
    QString file = tapset["result"]["uri"].toString();
    QVERIFY2(file.startsWith("file:///") && file.endsWith(".stp") && file != uri, qPrintable(file));

    // A tapset alias goes to its tapset.
    c.open("file:///tmp/alias.stp", "probe scheduler.ctxswitch { }\n");
    c.diagnostics("file:///tmp/alias.stp", 1);
    const QJsonObject alias =
        c.call("textDocument/definition", Client::at("file:///tmp/alias.stp", 0, 12));
    QVERIFY2(alias["result"]["uri"].toString().endsWith("/linux/scheduler.stp"),
             qPrintable(alias["result"]["uri"].toString()));

    const QJsonArray symbols = c.call("textDocument/documentSymbol",
                                      {{"textDocument", QJsonObject{{"uri", uri}}}})["result"]
                                   .toArray();
    QStringList names;
    for (const QJsonValue& s : symbols)
        names << s["name"].toString();
    QCOMPARE(names, (QStringList{"hits", "bump", "timer.s(1)"}));
    QCOMPARE(symbols[1]["kind"].toInt(), 12);
    QCOMPARE(symbols[2]["range"]["end"]["line"].toInt(), 2);
}

void TestLanguageServer::cancellation() {
    Client c(cache());
    c.initialize();
    QString uri = "file:///tmp/cancel.stp";
    // The completion waits for the document's first analysis; the cancel of
    // the same batch reaches it first.
    c.open(uri, "probe begin { }\n");
    int id = c.request("textDocument/completion", Client::at(uri, 0, 14));
    c.notify("$/cancelRequest", {{"id", id}});
    QCOMPARE(c.response(id)["error"]["code"].toInt(), int(kRequestCancelled));
    // One cancelled later, while it waits for a binary's symbols.
    c.diagnostics(uri, 1);
    QString binary = QFileInfo(tstap()).canonicalFilePath();
    std::string text = "probe process(\"" + binary.toStdString() + "\").function(\"ma\") {}\n";
    c.notify("textDocument/didChange",
             {{"textDocument", QJsonObject{{"uri", uri}, {"version", 2}}},
              {"contentChanges", QJsonArray{QJsonObject{{"text", QString::fromStdString(text)}}}}});
    int waiting =
        c.request("textDocument/completion", Client::at(uri, 0, int(text.find("ma")) + 2));
    QTest::qWait(1);
    c.notify("$/cancelRequest", {{"id", waiting}});
    const QJsonObject r = c.response(waiting);
    // Reading the symbols can win the race: then the answer lists main.
    if (r.contains("error"))
        QCOMPARE(r["error"]["code"].toInt(), int(kRequestCancelled));
    else
        QVERIFY2(labels(r).contains("main"), qPrintable(QJsonDocument(r).toJson(QJsonDocument::Compact).left(600)));
    // A cancel for an answered request changes nothing.
    c.notify("$/cancelRequest", {{"id", id}});
    QVERIFY(c.call("shutdown", {}).contains("result"));
}

void TestLanguageServer::indexingDoesNotBlockTheLoop() {
    Client c; // no disk cache: the index is built from cold, which takes a while
    QElapsedTimer clock;
    clock.start();
    c.initialize();
    QString uri = "file:///tmp/symbols.stp";
    c.open(uri, "global a\n");
    c.diagnostics(uri, 1);
    const QJsonObject r = c.call("shutdown", {});
    QVERIFY(r.contains("result"));
    qint64 answered = clock.elapsed();
    auto indexed =
        c.waitFor([](const QJsonObject& m) { return m["method"] == "window/logMessage"; }, 60000);
    QVERIFY(indexed);
    QVERIFY2(std::as_const(*indexed)["params"]["message"].toString().contains("indexed in"),
             qPrintable(std::as_const(*indexed)["params"]["message"].toString()));
    qint64 done = clock.elapsed();
    qInfo("answered after %lld ms, index done after %lld ms", answered, done);
    QVERIFY(answered < done);
}

void TestLanguageServer::generatedCode() {
    Client c(cache());
    c.initialize();
    QString uri = "file:///tmp/gen.stp";
    c.open(uri, "probe kernel.trace(\"sched:sched_switch\") { println(pid()) }\n");
    const QJsonObject r =
        c.call("workspace/executeCommand",
               {{"command", "tapstudio.generatedCode"}, {"arguments", QJsonArray{uri}}});
    QString code = r["result"]["text"].toString();
    QVERIFY2(code.contains("SEC(") && code.contains("sched_switch"),
             qPrintable(code.left(2000) + r["error"]["message"].toString()));
    QCOMPARE(r["result"]["language"].toString(), QString("c"));
    QCOMPARE(c.call("workspace/executeCommand", {{"command", "x"}})["error"]["code"].toInt(),
             int(kInvalidParams));
}

void TestLanguageServer::overPipes() {
    QProcess server;
    server.start(tstap(), {"--language-server"});
    QVERIFY(server.waitForStarted());
    // The first message arrives split in two writes, the next two in one.
    std::string init = frameMessage(
        R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}})");
    server.write(init.substr(0, 10).c_str());
    server.waitForBytesWritten();
    QTest::qWait(50);
    server.write(init.substr(10).c_str());
    std::string rest = frameMessage(R"({"jsonrpc":"2.0","id":2,"method":"shutdown"})") +
                       frameMessage(R"({"jsonrpc":"2.0","method":"exit"})");
    server.write(rest.c_str());
    server.closeWriteChannel(); // end of input right after `exit` leaves its status alone
    QVERIFY(server.waitForFinished(20000));
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 0);
    MessageReader reader;
    reader.feed(server.readAllStandardOutput().toStdString());
    std::map<int, QJsonObject> responses; // by id (an index log message may come between)
    while (auto body = reader.next()) {
        QJsonObject m = QJsonDocument::fromJson(QByteArray::fromStdString(*body)).object();
        if (m.contains("id")) responses[m["id"].toInt()] = m;
    }
    const QJsonObject caps = std::as_const(responses[1])["result"]["capabilities"].toObject();
    QCOMPARE(caps["textDocumentSync"]["change"].toInt(), 2);
    QVERIFY(caps["completionProvider"].isObject());
    QVERIFY(responses[2].contains("result"));
}

QTEST_GUILESS_MAIN(TestLanguageServer)
#include "test_language_server.moc"
