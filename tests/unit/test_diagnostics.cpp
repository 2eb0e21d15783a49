// Diagnostics: the sink, and the text formatDiagnostic produces — the text is
// the contract here (tstap prints it, users and scripts compare it with
// stap's), so whole messages are compared. Expected texts are stap 4.8's,
// except the notes' file name, which stap leaves out (":1:15").
#include "diagnostics.h"
#include "frontend.h"

#include <QtTest>

#include <string>

using namespace tap;

namespace {

QString fmt(const Diagnostic& d, const SourceManager& sm) {
    return QString::fromStdString(formatDiagnostic(d, sm));
}

// Every diagnostic of a tstap-like run (-p2 unless `pass1`), formatted.
QString run(const std::string& script, bool pass1 = false) {
    CompileOptions o;
    Frontend fe(o);
    fe.addScriptText("<input>", script);
    if (pass1)
        fe.parse();
    else
        fe.elaborate();
    QString out;
    for (const Diagnostic& d : fe.diagnostics().all())
        out += fmt(d, fe.sources());
    return out;
}

} // namespace

class DiagnosticsTest : public QObject {
    Q_OBJECT
private slots:
    void sinkCounts();
    void promoteWarnings();
    void lineText();
    void formatLocation();
    void parseErrorFormat();
    void parseErrorWithoutSubject();
    void longLineShowsAWindow();
    void semanticErrorFormat();
    void warningFormat();
    void otherErrorFormat();
    void noteFormat();
    void caretUnderTabsAndColumns_data();
    void caretUnderTabsAndColumns();
    void withoutLocation();
    void parseErrorLikeStap();
    void lexerErrorLikeStap();
    void semanticErrorWithNoteLikeStap();
    void elisionWarningsLikeStap();
    void probeResolutionErrorLikeStap();
    void misspeltNamesSuggestSimilarOnes();
    void arityMismatchNote();
};

void DiagnosticsTest::sinkCounts() {
    DiagnosticSink s;
    QVERIFY(!s.hasErrors());
    s.warning("w1", {});
    s.error(Phase::Parse, "e1", {});
    s.error(Phase::Semantic, "e2", {}, "identifier 'x'");
    s.warning("w2", {});
    QCOMPARE(s.errorCount(), size_t(2));
    QCOMPARE(s.warningCount(), size_t(2));
    QVERIFY(s.hasErrors());
    QCOMPARE(s.all().size(), size_t(4));
    // In the order reported, with their fields.
    QCOMPARE(s.all()[0].severity, Severity::Warning);
    QCOMPARE(s.all()[1].phase, Phase::Parse);
    QCOMPARE(s.all()[2].subject, std::string("identifier 'x'"));
    QCOMPARE(s.all()[3].message, std::string("w2"));
    // error() returns the diagnostic so notes can be attached.
    s.error(Phase::Semantic, "e3", {}).notes.push_back({Severity::Error, Phase::Semantic, "n", {}, {}, {}});
    QCOMPARE(s.all().back().notes.size(), size_t(1));
    QCOMPARE(s.errorCount(), size_t(3)); // notes are not counted
    s.clear();
    QCOMPARE(s.errorCount(), size_t(0));
    QCOMPARE(s.warningCount(), size_t(0));
    QVERIFY(s.all().empty());
}

void DiagnosticsTest::promoteWarnings() {
    DiagnosticSink s;
    s.warning("w", {});
    s.error(Phase::Semantic, "e", {});
    s.promoteWarnings(); // stap -W
    QCOMPARE(s.errorCount(), size_t(2));
    QCOMPARE(s.warningCount(), size_t(0));
    QCOMPARE(s.all()[0].severity, Severity::Error);
    s.promoteWarnings(); // idempotent
    QCOMPARE(s.errorCount(), size_t(2));
}

void DiagnosticsTest::lineText() {
    SourceManager sm;
    FileId f = sm.addFile("f.stp", "first\n\nthird line\r\nlast");
    QCOMPARE(sm.lineText(f, 1), std::string_view("first"));
    QCOMPARE(sm.lineText(f, 2), std::string_view(""));
    QCOMPARE(sm.lineText(f, 3), std::string_view("third line\r"));
    QCOMPARE(sm.lineText(f, 4), std::string_view("last")); // no final newline
    QCOMPARE(sm.lineText(f, 5), std::string_view());
    QCOMPARE(sm.lineText(f, 0), std::string_view());
    QCOMPARE(sm.lineText(FileId(7), 1), std::string_view());
    FileId g = sm.addFile("g.stp", "x\n");
    QCOMPARE(sm.lineText(g, 1), std::string_view("x"));
    QCOMPARE(sm.lineText(g, 2), std::string_view(""));
    QCOMPARE(sm.fileCount(), size_t(2));
    QCOMPARE(sm.name(g), std::string("g.stp"));
    QVERIFY(!sm.file(f).isLibrary);
    QCOMPARE(sm.loadFile("/nonexistent/dir/x.stp"), kNoFile);
}

void DiagnosticsTest::formatLocation() {
    SourceManager sm;
    FileId f = sm.addFile("/p/script.stp", "x");
    QCOMPARE(tap::formatLocation({f, 3, 14}, sm), std::string("/p/script.stp:3:14"));
    QCOMPARE(tap::formatLocation({}, sm), std::string());
    QCOMPARE(tap::formatLocation({f, 0, 1}, sm), std::string()); // line 0 = unknown
    QVERIFY(!SourceLoc{}.valid());
    QVERIFY((SourceLoc{f, 1, 1}.valid()));
}

void DiagnosticsTest::parseErrorFormat() {
    SourceManager sm;
    FileId f = sm.addFile("t.stp", "probe begin {\n  x = }\n");
    DiagnosticSink s;
    s.error(Phase::Parse, "expected literal string or number", {f, 2, 7}, "operator '}'");
    QCOMPARE(fmt(s.all()[0], sm), QString("parse error: expected literal string or number\n"
                                          "        saw: operator '}' at t.stp:2:7\n"
                                          "     source:   x = }\n"
                                          "                   ^\n"));
}

void DiagnosticsTest::longLineShowsAWindow() {
    // A 1,000-column line with the error at column 500 and a control byte
    // shows 160 columns around the error, the caret under it.
    std::string line = std::string(490, 'a') + "\x01bcdefghi*" + std::string(499, 'z');
    SourceManager sm;
    FileId f = sm.addFile("t.stp", line + "\n");
    DiagnosticSink s;
    s.error(Phase::Parse, "bad", {f, 1, 501}, "operator '*'");
    QStringList lines = fmt(s.all()[0], sm).split('\n');
    QString shown = QString::fromStdString("     source: ..." + line.substr(420, 160) + "...").replace('\x01', '?');
    QCOMPARE(lines[2], shown);
    QCOMPARE(lines[3], QString(13 + 3 + 80, ' ') + "^");
}

void DiagnosticsTest::parseErrorWithoutSubject() {
    SourceManager sm;
    FileId f = sm.addFile("t.stp", "abc");
    DiagnosticSink s;
    s.error(Phase::Parse, "something", {f, 1, 2});
    QCOMPARE(fmt(s.all()[0], sm), QString("parse error: something\n"
                                          "        saw: input at t.stp:1:2\n"
                                          "     source: abc\n"
                                          "              ^\n"));
}

void DiagnosticsTest::semanticErrorFormat() {
    SourceManager sm;
    FileId f = sm.addFile("t.stp", "probe begin { println(g(1)) }");
    DiagnosticSink s;
    s.error(Phase::Semantic, "unresolved function g", {f, 1, 23}, "identifier 'g'");
    QCOMPARE(fmt(s.all()[0], sm), QString("semantic error: unresolved function g: identifier 'g' at t.stp:1:23\n"
                                          "        source: probe begin { println(g(1)) }\n"
                                          "                                      ^\n"
                                          "\n"));
    // Without a subject there is no ": subject".
    s.error(Phase::Semantic, "no probes found", {});
    QCOMPARE(fmt(s.all()[1], sm), QString("semantic error: no probes found\n\n"));
}

void DiagnosticsTest::warningFormat() {
    SourceManager sm;
    FileId f = sm.addFile("t.stp", "probe begin { x = 1 }");
    DiagnosticSink s;
    s.warning("Eliding assignment to 'x'", {f, 1, 17}, "operator '='");
    QCOMPARE(fmt(s.all()[0], sm), QString("WARNING: Eliding assignment to 'x': operator '=' at t.stp:1:17\n"
                                          " source: probe begin { x = 1 }\n"
                                          "                         ^\n"));
    // A promoted warning keeps its wording but is an error now.
    s.promoteWarnings();
    QVERIFY(fmt(s.all()[0], sm).startsWith("ERROR: Eliding assignment to 'x': operator '=' at t.stp:1:17\n"));
}

void DiagnosticsTest::otherErrorFormat() {
    SourceManager sm;
    DiagnosticSink s;
    s.error(Phase::Other, "Array overflow, check size limit (3)", {});
    QCOMPARE(fmt(s.all()[0], sm), QString("ERROR: Array overflow, check size limit (3)\n"));
}

void DiagnosticsTest::noteFormat() {
    SourceManager sm;
    FileId f = sm.addFile("t.stp", "x = 1\nx = \"a\"");
    DiagnosticSink s;
    s.error(Phase::Semantic, "type mismatch (string)", {f, 2, 1}, "identifier 'x'")
        .notes.push_back({Severity::Error, Phase::Semantic, "type was first inferred here (long)", {f, 1, 1},
                          "identifier 'x'", {}});
    QCOMPARE(fmt(s.all()[0], sm),
             QString("semantic error: type mismatch (string): identifier 'x' at t.stp:2:1\n"
                     "        source: x = \"a\"\n"
                     "                ^\n"
                     "\n"
                     "semantic error: type was first inferred here (long): identifier 'x' at t.stp:1:1\n"
                     "        source: x = 1\n"
                     "                ^\n"
                     "\n"));
}

void DiagnosticsTest::caretUnderTabsAndColumns_data() {
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("col");
    QTest::addColumn<QString>("caret"); // after the label's width of spaces
    QTest::newRow("first column") << "abc" << 1 << "^";
    QTest::newRow("third column") << "abc" << 3 << "  ^";
    QTest::newRow("tabs are kept") << "\t\tx" << 3 << "\t\t^";
    QTest::newRow("mixed") << " \t x" << 4 << " \t ^";
    QTest::newRow("past the end") << "ab" << 9 << "  ^";
    QTest::newRow("empty line") << "" << 1 << "^";
}

void DiagnosticsTest::caretUnderTabsAndColumns() {
    QFETCH(QString, line);
    QFETCH(int, col);
    QFETCH(QString, caret);
    SourceManager sm;
    FileId f = sm.addFile("t.stp", line.toStdString() + "\n");
    DiagnosticSink s;
    s.warning("w", {f, 1, uint32_t(col)});
    QStringList lines = fmt(s.all()[0], sm).split('\n');
    QCOMPARE(lines.value(1), " source: " + line);
    QCOMPARE(lines.value(2), QString(9, ' ') + caret);
}

void DiagnosticsTest::withoutLocation() {
    SourceManager sm;
    DiagnosticSink s;
    s.error(Phase::Parse, "Input file is empty", {});
    s.warning("unused", {}, "identifier 'x'");
    QCOMPARE(fmt(s.all()[0], sm), QString("parse error: Input file is empty\n"));
    QCOMPARE(fmt(s.all()[1], sm), QString("WARNING: unused: identifier 'x'\n"));
}

// ------------------------------------------ end to end, compared with stap

void DiagnosticsTest::parseErrorLikeStap() {
    QCOMPARE(run("probe begin { x = }", true),
             QString("parse error: expected literal string or number\n"
                     "        saw: operator '}' at <input>:1:19\n"
                     "     source: probe begin { x = }\n"
                     "                               ^\n"));
    QCOMPARE(run("probe begin {\n  else\n}", true),
             QString("parse error: expected statement\n"
                     "        saw: keyword at <input>:2:3\n"
                     "     source:   else\n"
                     "               ^\n"));
}

void DiagnosticsTest::lexerErrorLikeStap() {
    // stap words this the same; it labels lexer errors "at: junk ''" instead.
    QCOMPARE(run("probe begin { x = $1 }", true),
             QString("parse error: command line argument out of range [1-0]\n"
                     "        saw: unknown '$1' at <input>:1:19\n"
                     "     source: probe begin { x = $1 }\n"
                     "                               ^\n"));
}

void DiagnosticsTest::semanticErrorWithNoteLikeStap() {
    QCOMPARE(run("probe begin { x = 1; x = \"a\"; println(x) }"),
             QString("semantic error: type mismatch (string): identifier 'x' at <input>:1:22\n"
                     "        source: probe begin { x = 1; x = \"a\"; println(x) }\n"
                     "                                     ^\n"
                     "\n"
                     "semantic error: type was first inferred here (long): identifier 'x' at <input>:1:15\n"
                     "        source: probe begin { x = 1; x = \"a\"; println(x) }\n"
                     "                              ^\n"
                     "\n"));
}

void DiagnosticsTest::elisionWarningsLikeStap() {
    QCOMPARE(run("probe begin {}"), QString("WARNING: Probe 'begin' has been elided: keyword at <input>:1:1\n"
                                            " source: probe begin {}\n"
                                            "         ^\n"
                                            "semantic error: no probes found\n"
                                            "\n"));
    QString w = run("probe begin { x = 1; println(2) }");
    QVERIFY(w.startsWith("WARNING: Eliding assignment to 'x': operator '=' at <input>:1:17\n"
                         " source: probe begin { x = 1; println(2) }\n"
                         "                         ^\n"));
}

void DiagnosticsTest::probeResolutionErrorLikeStap() {
    QCOMPARE(run("probe foo {}"), QString("semantic error: probe point mismatch: identifier 'foo' at <input>:1:7\n"
                                          "        source: probe foo {}\n"
                                          "                      ^\n"
                                          "\n"));
    // The caret is under the component nothing knows, with the names like it.
    QCOMPARE(run("probe timer.mss(1) {}"),
             QString("semantic error: probe point mismatch (similar: ms, msec): identifier 'mss' at <input>:1:13\n"
                     "        source: probe timer.mss(1) {}\n"
                     "                            ^\n"
                     "\n"));
}

void DiagnosticsTest::misspeltNamesSuggestSimilarOnes() {
    QVERIFY(run("probe begin { println(strlne(\"a\")) }")
                .startsWith("semantic error: unresolved function strlne (similar: strlen): identifier 'strlne' at "
                            "<input>:1:23\n"));
    QVERIFY(run("global count\nprobe begin { count = 1; println(coutn) }")
                .startsWith("WARNING: never-assigned local variable 'coutn' (similar: count): identifier 'coutn' at "
                            "<input>:2:34\n"));
    QVERIFY(run("global count\nprobe begin { counts[1] = 1 }")
                .startsWith("semantic error: unresolved arity-1 global array counts, missing global declaration? "
                            "(similar: count): identifier 'counts' at <input>:2:15\n"));
    // An alias's expansion is named as such.
    QVERIFY(run("probe my.a = timer.ms(0) {}\nprobe my.a { println(1) }")
                .startsWith("semantic error: interval value out of range (1, 86400000) in 'timer.ms(0)', the expansion "
                            "of 'my.a': identifier 'a' at <input>:2:10\n"));
    QVERIFY(run("probe my.a = begin {}\nprobe my.a {}")
                .startsWith("WARNING: Probe 'begin' (the expansion of 'my.a') has been elided: keyword at <input>:2:1\n"));
}

void DiagnosticsTest::arityMismatchNote() {
    QString out = run("function f(x) { return 1 }\nprobe begin { println(f(1, 2)) }");
    QVERIFY(out.startsWith("semantic error: arity mismatch found (function 'f' takes 1 args): identifier 'f' "
                           "at <input>:2:23\n"));
    QVERIFY(out.contains("semantic error: function defined here: identifier 'f' at <input>:1:10\n"
                         "        source: function f(x) { return 1 }\n"
                         "                         ^\n"));
}

QTEST_GUILESS_MAIN(DiagnosticsTest)
#include "test_diagnostics.moc"
