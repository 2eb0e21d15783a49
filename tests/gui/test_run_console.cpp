// The run console: parsing tstap's JSON lines (docs/protocol.md) fed line by
// line and in arbitrary chunks, plain-text fallback, colours and clickable
// locations, status and exit code, the privilege decision for the command,
// and a real begin/end script run through tstap from the Console dock.
#include "run_console.h"
#include "run_dock.h"
#include "run_protocol.h"
#include "run_session.h"
#include "../support/test_files.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QtTest>

#include <unistd.h>

using namespace tapide;
using namespace taprun;

namespace {

const char* kStream =
    R"J({"t":"hello","version":1,"script":"top.stp","pid":1234})J" "\n"
    R"J({"t":"pass","n":2,"ms":4.1})J" "\n"
    R"J({"t":"formats","formats":[{"id":3,"fmt":"%s(%d) = %d\n","args":["string","long","long"],"probe":"timer.ms(1000)","file":"top.stp","line":7}]})J" "\n"
    R"J({"t":"started","probes":5})J" "\n"
    R"J({"t":"printf","ts":1034000,"id":3,"args":["Xorg",2108,17],"text":"Xorg(2108) = 17\n"})J" "\n"
    R"J({"t":"out","ts":1034100,"text":"hello world\n"})J" "\n"
    R"J({"t":"diag","severity":"error","phase":"semantic","file":"top.stp","line":7,"col":3,"msg":"division by 0","subject":"operator '/'","text":"ERROR: division by 0 near operator '/' at top.stp:7:3\n"})J" "\n"
    R"J({"t":"drops","count":12})J" "\n"
    R"J({"t":"future-kind","x":1})J" "\n"
    R"J({"t":"stopped","reason":"exit","exit_code":0,"errors":1,"skipped":0,"drops":12})J" "\n";

QColor colorAtLine(QPlainTextEdit* edit, const QString& startsWith) {
    for (QTextBlock b = edit->document()->begin(); b.isValid(); b = b.next())
        if (b.text().startsWith(startsWith)) {
            QTextCursor c(b);
            c.movePosition(QTextCursor::Right);
            return c.charFormat().foreground().color();
        }
    return {};
}

} // namespace

class TestRunConsole : public QObject {
    Q_OBJECT
private slots:
    void parseLines();
    void parseChunked();
    void printfFastPathAgreesWithJson();
    void textFallback();
    void findLocations();
    void consoleShowsTheStream();
    void consoleTextModeAndStderr();
    void linksJumpToLines();
    void commandLine();
    void realRun();
    void stopRunsEndProbes();
    void callTracerExample();
};

void TestRunConsole::printfFastPathAgreesWithJson() {
    // printf records skip the JSON document (speed); what they yield must be
    // what a JSON reader finds, escapes, negatives and odd layouts included.
    // (plain literals: moc misreads raw strings with \" in them)
    const QByteArray lines[] = {
        "{\"t\":\"printf\",\"ts\":5,\"id\":0,\"args\":[],\"text\":\"--\\n\"}",
        "{\"t\":\"printf\",\"ts\":1234567890123,\"id\":12,\"args\":[-9223372036854775807,0,\"\",-1],\"text\":\"x\"}",
        "{\"t\":\"printf\",\"ts\":7,\"id\":1,\"args\":[\"tab\\there \\\"q\\\" back\\\\slash \\/ "
        "\\u00e9\\u20ac\\ud83d\\ude00 \xc3\xa9\"],\"text\":\"\\r\\b\\f\"}",
        // a field added later, other spacing, not an integer: the general path
        "{\"t\":\"printf\",\"ts\":7,\"id\":1,\"args\":[1],\"text\":\"x\",\"extra\":true}",
        "{\"t\":\"printf\", \"ts\":7,\"id\":1,\"args\":[1],\"text\":\"x\"}",
        "{\"t\":\"printf\",\"ts\":7,\"id\":1,\"args\":[1.5],\"text\":\"x\"}",
        // tstap --remote adds the host last
        "{\"t\":\"printf\",\"ts\":7,\"id\":1,\"args\":[1],\"text\":\"x\",\"host\":\"root@db\\\"2\"}",
    };
    for (const QByteArray& line : lines) {
        RunEvent e = RunProtocol::parseLine(line + "\n");
        QJsonObject o = QJsonDocument::fromJson(line).object();
        QVERIFY2(!o.isEmpty(), line.constData());
        QCOMPARE(e.kind, RunEvent::Printf);
        QCOMPARE(e.ts, qint64(o.value("ts").toDouble()));
        QCOMPARE(e.formatId, o.value("id").toInt());
        QCOMPARE(e.text, o.value("text").toString());
        QCOMPARE(e.host, o.value("host").toString());
        QCOMPARE(e.args.size(), o.value("args").toArray().size());
        for (int i = 0; i < e.args.size(); ++i) {
            QJsonValue want = o.value("args").toArray()[i];
            if (want.isString())
                QCOMPARE(e.args[i].toString(), want.toString());
            else
                QCOMPARE(e.args[i].toDouble(), want.toDouble());
        }
    }
    QCOMPARE(RunProtocol::parseLine(lines[2]).args[0].toString(),
             QString::fromUtf8("tab\there \"q\" back\\slash / \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \xc3\xa9"));
    QCOMPARE(RunProtocol::parseLine(lines[1]).args[0].toInteger(), -9223372036854775807LL);
    // an id past int (found by fuzz/protocol_fuzzer): no format's, as the general way reads it
    QCOMPARE(RunProtocol::parseLine("{\"t\":\"printf\",\"ts\":5,\"id\":100001000000,\"args\":[],\"text\":\"y\"}")
                 .formatId,
             -1);
    // more found by the fuzzer: a number past a long and an escape JSON has
    // not are read the general way (a leading blank takes it), and a time
    // no long can hold is no time
    QCOMPARE(RunProtocol::parseLine("{\"t\":\"printf\",\"ts\":5,\"id\":0,\"args\":[144444444444444444444],\"text\":\"y\"}")
                 .args[0].toDouble(),
             144444444444444444444.0);
    const QByteArray oddEscape = "{\"t\":\"printf\",\"ts\":5,\"id\":0,\"args\":[],\"text\":\"\\q\"}";
    QCOMPARE(RunProtocol::parseLine(oddEscape).text, RunProtocol::parseLine(" " + oddEscape).text);
    for (const QByteArray& half : {QByteArray("\\udc0d"), QByteArray("\\ud83dx"), QByteArray("\\ud83d\\u0041")}) {
        const QByteArray line = "{\"t\":\"printf\",\"ts\":5,\"id\":0,\"args\":[],\"text\":\"a" + half + "\"}";
        QCOMPARE(RunProtocol::parseLine(line).text, RunProtocol::parseLine(" " + line).text);
    }
    QCOMPARE(RunProtocol::parseLine("{\"t\":\"printf\",\"ts\":1e300,\"id\":0,\"args\":[],\"text\":\"y\"}").ts, -1);
    // a broken record is text, as before
    QCOMPARE(RunProtocol::parseLine("{\"t\":\"printf\",\"ts\":5,\"id\":0,\"args\":[\"x],\"text\":\"y\"}").kind,
             RunEvent::Text);
}

void TestRunConsole::parseLines() {
    RunProtocol p;
    QVector<RunEvent> events = p.feed(kStream);
    QCOMPARE(events.size(), 10);
    QVERIFY(p.sawJson());
    QCOMPARE(events[0].kind, RunEvent::Hello);
    QCOMPARE(events[0].pid, 1234);
    QCOMPARE(events[1].kind, RunEvent::Pass);
    QCOMPARE(events[1].ms, 4.1);
    QCOMPARE(events[2].kind, RunEvent::Formats);
    QCOMPARE(events[3].kind, RunEvent::Started);
    QCOMPARE(events[3].probes, 5);
    QCOMPARE(events[4].kind, RunEvent::Printf);
    QCOMPARE(events[4].formatId, 3);
    QCOMPARE(events[4].args.size(), 3);
    QCOMPARE(events[4].args[1].toInt(), 2108);
    QCOMPARE(events[4].text, QString("Xorg(2108) = 17\n"));
    QCOMPARE(events[4].ts, qint64(1034000));
    QCOMPARE(events[5].kind, RunEvent::Out);
    QCOMPARE(events[6].kind, RunEvent::Diag);
    QVERIFY(events[6].error);
    QCOMPARE(events[6].file, QString("top.stp"));
    QCOMPARE(events[6].line, 7);
    QCOMPARE(events[6].col, 3);
    QCOMPARE(events[7].kind, RunEvent::Drops);
    QCOMPARE(events[7].drops, qint64(12));
    QCOMPARE(events[8].kind, RunEvent::Unknown); // readers ignore kinds they do not know
    QCOMPARE(events[9].kind, RunEvent::Stopped);
    QCOMPARE(events[9].reason, QString("exit"));
    QCOMPARE(events[9].exitCode, 0);
}

void TestRunConsole::parseChunked() {
    QByteArray all(kStream);
    for (int chunk : {1, 3, 7, 64}) {
        RunProtocol p;
        QVector<RunEvent> events;
        for (int i = 0; i < all.size(); i += chunk)
            events += p.feed(all.mid(i, chunk));
        events += p.flush();
        QCOMPARE(events.size(), 10);
        QCOMPARE(events[4].text, QString("Xorg(2108) = 17\n"));
    }
}

void TestRunConsole::textFallback() {
    RunProtocol p;
    QVector<RunEvent> events = p.feed("hello\n{not json}\n{\"no_t\":1}\n  indented\n");
    QCOMPARE(events.size(), 4);
    for (const RunEvent& e : events)
        QCOMPARE(e.kind, RunEvent::Text);
    QCOMPARE(events[0].text, QString("hello\n"));
    QCOMPARE(events[3].text, QString("  indented\n"));
    QVERIFY(!p.sawJson());
    events = p.feed("no newline at the end");
    QVERIFY(events.isEmpty());
    events = p.flush();
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].text, QString("no newline at the end"));
}

void TestRunConsole::findLocations() {
    TextLocation l = findLocation("semantic error: unresolved function at /tmp/a b/x.stp:12:5");
    QVERIFY(!l.valid || l.file.endsWith("x.stp"));
    l = findLocation("parse error: expected ...\n        saw: operator '}' at <input>:1:24");
    QVERIFY(l.valid);
    QCOMPARE(l.file, QString("<input>"));
    QCOMPARE(l.line, 1);
    QCOMPARE(l.col, 24);
    l = findLocation("ERROR: division by 0 near operator '/' at top.stp:7:3");
    QVERIFY(l.valid);
    QCOMPARE(l.file, QString("top.stp"));
    QCOMPARE(l.line, 7);
    QVERIFY(!findLocation("Pass 2: analysis failed.  [man error::pass2]").valid);
    QVERIFY(!findLocation("12:30:00 the time").valid);
}

void TestRunConsole::consoleShowsTheStream() {
    RunConsole console;
    console.setScriptPath("/tmp/top.stp");
    // Fed line by line, as the session would deliver them.
    for (const QByteArray& line : QByteArray(kStream).split('\n'))
        if (!line.isEmpty())
            console.feedStdout(line + "\n");
    console.handleFinished(0, false);
    QString text = console.plainText();
    QVERIFY(text.contains("Xorg(2108) = 17\nhello world\n"));
    QVERIFY(text.contains("ERROR: division by 0 near operator '/' at top.stp:7:3"));
    QVERIFY(text.contains("12 output records dropped"));
    QVERIFY(text.contains("Stopped: exit, exit code 0, 12 dropped"));
    QVERIFY(!text.contains("future-kind"));
    QCOMPARE(console.exitCode(), 0);
    QVERIFY(console.finished());
    QVERIFY(console.statusText().contains("5 probes"));
    QVERIFY(console.statusText().contains("exit code 0"));
    QVERIFY(console.statusText().contains("12 dropped"));
    QCOMPARE(console.events().size(), 10);
    // Errors are red, output is in the text colour.
    const EditorColors& c = editorColors(ThemeKind::Light);
    QCOMPARE(colorAtLine(console.output(), "ERROR: division"), c.consoleError);
    QCOMPARE(colorAtLine(console.output(), "Xorg"), c.consoleText);
    QCOMPARE(console.links(), QStringList{"top.stp:7:3"});
}

void TestRunConsole::consoleTextModeAndStderr() {
    RunConsole console;
    console.feedStdout("hello\nsystemtap\n");
    console.handleStderr("WARNING: Eliding assignment to 'x': operator '=' at /tmp/w.stp:3:7\n");
    console.handleStderr("semantic error: unresolved function call: identifier 'foo' at /tmp/w.stp:4:5\n");
    console.handleStderr("Pass 2: analysis failed.  [man error::pass2]\n");
    console.handleFinished(1, false);
    QString text = console.plainText();
    QVERIFY(text.startsWith("hello\nsystemtap\n"));
    QCOMPARE(console.exitCode(), 1);
    QVERIFY(console.statusText().contains("Failed"));
    QVERIFY(console.statusText().contains("exit code 1"));
    const EditorColors& c = editorColors(ThemeKind::Light);
    QCOMPARE(colorAtLine(console.output(), "WARNING"), c.consoleWarning);
    QCOMPARE(colorAtLine(console.output(), "semantic error"), c.consoleError);
    QCOMPARE(console.links(), (QStringList{"/tmp/w.stp:3:7", "/tmp/w.stp:4:5"}));
}

void TestRunConsole::linksJumpToLines() {
    RunConsole console;
    QSignalSpy spy(&console, &RunConsole::locationActivated);
    console.handleStderr("semantic error: bad at /tmp/w.stp:4:5\n");
    console.activateLink(0);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy[0][0].toString(), QString("/tmp/w.stp"));
    QCOMPARE(spy[0][1].toInt(), 4);
    QCOMPARE(spy[0][2].toInt(), 5);
    // A click on the link in the view does the same.
    console.resize(600, 200);
    console.show();
    QVERIFY(QTest::qWaitForWindowExposed(&console));
    QPlainTextEdit* out = console.output();
    QTextCursor cur(out->document()->firstBlock());
    cur.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor, int(QString("semantic error: bad at /tmp/w.s").size()));
    QRect r = out->cursorRect(cur);
    QTest::mouseClick(out->viewport(), Qt::LeftButton, {}, r.center());
    QCOMPARE(spy.count(), 2);
}

void TestRunConsole::commandLine() {
    RunOptions o;
    o.tstap = "/opt/tstap";
    o.script = "/tmp/s.stp";
    o.scriptArgs = {"arg one"};
    o.needsPrivileges = false;
    RunCommand c = RunSession::commandFor(o, false, true, true, true);
    QCOMPARE(c.program, QString("/opt/tstap"));
    QCOMPARE(c.arguments, (QStringList{"--json", "/tmp/s.stp", "arg one"}));
    QVERIFY(c.escalation.isEmpty());
    o.needsPrivileges = true;
    c = RunSession::commandFor(o, true, true, true, true); // already root
    QCOMPARE(c.program, QString("/opt/tstap"));
    c = RunSession::commandFor(o, false, true, true, true);
    QCOMPARE(c.program, QString("pkexec"));
    QCOMPARE(c.arguments.first(), QString("/opt/tstap"));
    c = RunSession::commandFor(o, false, true, true, false); // no display: no pkexec agent
    QCOMPARE(c.program, QString("sudo"));
    QCOMPARE(c.arguments.mid(0, 2), (QStringList{"-n", "/opt/tstap"}));
    c = RunSession::commandFor(o, false, false, false, true);
    QCOMPARE(c.program, QString("/opt/tstap"));
    QCOMPARE(c.display(), QString("/opt/tstap --json /tmp/s.stp 'arg one'"));
}

void TestRunConsole::realRun() {
    QString tstap = qEnvironmentVariable("TAPSTUDIO_TSTAP");
    if (tstap.isEmpty() || !QFileInfo(tstap).isExecutable())
        QSKIP("tstap is not built");
    RunDock dock;
    RunOptions o;
    o.tstap = tstap;
    o.script = QString(TAPSTUDIO_SOURCE_DIR) + "/resources/examples/hello_world.stp";
    RunConsole* console = dock.startRun(o);
    QVERIFY(console->running());
    QTRY_VERIFY_WITH_TIMEOUT(console->finished(), 20000);
    QCOMPARE(console->exitCode(), 0);
    QString text = console->plainText();
    QVERIFY2(text.contains("hello\nsystemtap\nworld\n"), qPrintable(text));
    QVERIFY(console->statusText().contains("Finished"));
    // Two runs at once get two tabs.
    RunConsole* a = dock.startRun(o);
    RunConsole* b = dock.startRun(o);
    QVERIFY(a != b);
    QCOMPARE(dock.consoles().size(), 3);
    QTRY_VERIFY_WITH_TIMEOUT(a->finished() && b->finished(), 20000);
}

void TestRunConsole::stopRunsEndProbes() {
    QString tstap = qEnvironmentVariable("TAPSTUDIO_TSTAP");
    if (tstap.isEmpty() || !QFileInfo(tstap).isExecutable())
        QSKIP("tstap is not built");
    QTemporaryDir dir;
    QString script = dir.filePath("forever.stp");
    QVERIFY(testsupport::writeFile(script, "probe begin { println(\"started\") }\nprobe end { println(\"end probe ran\") }\n"));
    RunConsole console;
    RunOptions o;
    o.tstap = tstap;
    o.script = script;
    console.start(o);
    QTRY_VERIFY_WITH_TIMEOUT(console.plainText().contains("started"), 20000);
    QVERIFY(console.running());
    console.stop();
    QTRY_VERIFY_WITH_TIMEOUT(console.finished(), 20000);
    QVERIFY2(console.plainText().contains("end probe ran"), qPrintable(console.plainText()));
    QCOMPARE(console.exitCode(), 0);
}

// The call tracer example (uprobes with DWARF) run from the IDE on a -c
// program: the console shows the indented calls with their arguments.
void TestRunConsole::callTracerExample() {
    QString tstap = qEnvironmentVariable("TAPSTUDIO_TSTAP");
    if (tstap.isEmpty() || !QFileInfo(tstap).isExecutable())
        QSKIP("tstap is not built");
    if (geteuid() != 0)
        QSKIP("uprobes need root (the IDE would ask pkexec)");
    RunConsole console;
    RunOptions o;
    o.tstap = tstap;
    o.script = QString(TAPSTUDIO_SOURCE_DIR) + "/resources/examples/call_tracer.stp";
    o.options = {"-c", QString(TAP_UPROG_O0) + " 1"};
    o.scriptArgs = {"fib"};
    o.needsPrivileges = true;
    console.start(o);
    QTRY_VERIFY_WITH_TIMEOUT(console.finished(), 30000);
    QString text = console.plainText();
    QCOMPARE(console.exitCode(), 0);
    QVERIFY2(text.contains(" -> fib(n=0x5)\n") && text.contains("  -> fib(n=0x4)\n") &&
                 text.contains(" <- fib return=0x5\n"),
             qPrintable(text));
}

QTEST_MAIN(TestRunConsole)
#include "test_run_console.moc"
