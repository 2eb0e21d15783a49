// The LSP base protocol: framing, bodies arriving in pieces, malformed
// headers; and the document text with UTF-16 positions and incremental edits.
#include "json_rpc.h"
#include "text_document.h"

#include <QTest>

using namespace taplsp;

class TestJsonRpc : public QObject {
    Q_OBJECT
  private slots:
    void framesWithByteLength();
    void wholeMessagesFromPieces();
    void severalMessagesInOneRead();
    void headerFieldsAndCase();
    void malformedHeaderIsDroppedAndReported();
    void runawayHeaderIsDropped();
    void utf16Positions();
    void incrementalEdits();
    void positionsClamp();
};

void TestJsonRpc::framesWithByteLength() {
    std::string body = "{\"x\":\"é\"}"; // é is two bytes
    QCOMPARE(frameMessage(body), "Content-Length: 10\r\n\r\n" + body);
}

void TestJsonRpc::wholeMessagesFromPieces() {
    std::string framed = frameMessage("{\"id\":1}") + frameMessage("{\"id\":2}");
    MessageReader reader;
    std::vector<std::string> bodies;
    for (char c : framed) { // one byte per read: the worst a pipe can do
        reader.feed(std::string_view(&c, 1));
        while (auto body = reader.next())
            bodies.push_back(*body);
    }
    QCOMPARE(bodies, (std::vector<std::string>{"{\"id\":1}", "{\"id\":2}"}));
    QCOMPARE(reader.buffered(), size_t(0));
    QCOMPARE(reader.takeError(), std::string());
}

void TestJsonRpc::severalMessagesInOneRead() {
    MessageReader reader;
    reader.feed(frameMessage("[1]") + frameMessage("[2]") +
                "Content-Length: 3\r\n\r\n[3"); // the third is cut
    QCOMPARE(*reader.next(), std::string("[1]"));
    QCOMPARE(*reader.next(), std::string("[2]"));
    QVERIFY(!reader.next());
    reader.feed("]");
    QCOMPARE(*reader.next(), std::string("[3]"));
}

void TestJsonRpc::headerFieldsAndCase() {
    MessageReader reader;
    reader.feed(
        "content-length:  2 \r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}");
    QCOMPARE(*reader.next(), std::string("{}"));
}

void TestJsonRpc::malformedHeaderIsDroppedAndReported() {
    MessageReader reader;
    reader.feed("Content-Type: x\r\n\r\n" + frameMessage("[1]"));
    QCOMPARE(*reader.next(), std::string("[1]"));
    QCOMPARE(reader.takeError(), std::string("header without Content-Length; dropped"));
    reader.feed("Content-Length: 1x\r\n\r\n" + frameMessage("[2]"));
    QCOMPARE(*reader.next(), std::string("[2]"));
    QCOMPARE(reader.takeError(),
             std::string("Content-Length is not a number: '1x'; header dropped"));
    QCOMPARE(reader.takeError(), std::string());
}

void TestJsonRpc::runawayHeaderIsDropped() {
    MessageReader reader;
    reader.feed(std::string(MessageReader::kMaxHeaderBytes + 1, 'x'));
    QVERIFY(!reader.next());
    QVERIFY(reader.takeError().find("no end of header") == 0);
    reader.feed(frameMessage("[3]"));
    QCOMPARE(*reader.next(), std::string("[3]"));
}

void TestJsonRpc::utf16Positions() {
    // é: 2 bytes, 1 UTF-16 unit; 😀: 4 bytes, 2 units (a surrogate pair).
    TextDocument doc("a\né😀b\n");
    QCOMPARE(doc.offsetAt({1, 0}), 2);
    QCOMPARE(doc.offsetAt({1, 1}), 4);
    QCOMPARE(doc.offsetAt({1, 3}), 8);
    QCOMPARE(doc.positionAt(8), (Position{1, 3}));
    QCOMPARE(doc.positionAt(9), (Position{1, 4}));
    QCOMPARE(doc.positionAt(10), (Position{2, 0}));
    // Core's 1-based line and byte column of 'b'.
    QCOMPARE(doc.positionOfLineColumn(2, 7), (Position{1, 3}));
}

void TestJsonRpc::incrementalEdits() {
    TextDocument doc("probe begin {\n  x = 1\n}\n");
    doc.replace({1, 2}, {1, 7}, "y = \"é\"");
    QCOMPARE(doc.text(), std::string("probe begin {\n  y = \"é\"\n}\n"));
    doc.replace({0, 13}, {2, 0}, ""); // across lines
    QCOMPARE(doc.text(), std::string("probe begin {}\n"));
    QCOMPARE(doc.positionAt(int(doc.text().size())), (Position{1, 0}));
    doc.replace({1, 0}, {1, 0}, "global g\n"); // insertion at the end
    QCOMPARE(doc.text(), std::string("probe begin {}\nglobal g\n"));
}

void TestJsonRpc::positionsClamp() {
    TextDocument doc("ab\ncd");
    QCOMPARE(doc.offsetAt({0, 99}), 2); // the end of the line, not the next one
    QCOMPARE(doc.offsetAt({9, 0}), 5);
    QCOMPARE(doc.offsetAt({-1, 0}), 0);
    QCOMPARE(doc.positionAt(99), (Position{1, 2}));
}

QTEST_GUILESS_MAIN(TestJsonRpc)
#include "test_json_rpc.moc"
