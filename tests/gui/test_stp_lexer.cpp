// The editor's highlighting (stp_highlighter + StpLexer): every token class
// gets its style, from core's own tokenizer, in the pure function and in a
// live QScintilla editor; comments between tokens; embedded C; fold levels.
#include "script_editor.h"
#include "stp_highlighter.h"
#include "stp_lexer.h"

#include <QtTest>

#include <string>

using namespace tapide;

namespace {

// The style of the first byte of `needle` (the n-th occurrence) in `text`.
StpStyle styleOf(const Highlighting& h, const std::string& text, const std::string& needle, int nth = 0) {
    size_t pos = 0;
    for (int i = 0; i <= nth; ++i) {
        pos = text.find(needle, i ? pos + 1 : 0);
        if (pos == std::string::npos)
            qFatal("'%s' not in the text", needle.c_str());
    }
    return styleAt(h, int(pos));
}

const char* kScript = R"(#!/usr/bin/env tstap
# a line comment
// another line comment
/* a block
   comment */
/** sfunction doc - a doc comment */
@define HALF(x) %( @x / 2 %)
global counts, total = 0x10
probe kernel.trace("sched:sched_switch") {
    counts[execname()] <<< $prev->prio
    total += 1.5 ` 
    if (total > 3) printf("%d\n", @count(counts[execname()]))
}
function half:long (v:long) %{ /* C */ STAP_RETVALUE = STAP_ARG_v / 2; %}
probe end { println(@HALF(total)) }
)";

} // namespace

class TestStpLexer : public QObject {
    Q_OBJECT
private slots:
    void tokenClasses_data();
    void tokenClasses();
    void spansCoverEverything();
    void foldLevels();
    void editorStylesMatch();
    void restyleAfterEdit();
    void unterminatedConstructs();
};

void TestStpLexer::tokenClasses_data() {
    QTest::addColumn<QString>("needle");
    QTest::addColumn<int>("nth");
    QTest::addColumn<int>("style");
    auto row = [](const char* name, const char* needle, int nth, StpStyle s) {
        QTest::newRow(name) << QString(needle) << nth << int(s);
    };
    row("shebang is a comment", "#!/usr", 0, StpStyle::Comment);
    row("hash comment", "# a line", 0, StpStyle::Comment);
    row("slash comment", "// another", 0, StpStyle::Comment);
    row("block comment", "/* a block", 0, StpStyle::BlockComment);
    row("block comment 2nd line", "comment */", 0, StpStyle::BlockComment);
    row("doc comment", "/** sfunction", 0, StpStyle::DocComment);
    row("@define", "@define", 0, StpStyle::Preprocessor);
    row("macro name", "HALF", 0, StpStyle::AtOperator);
    row("%( conditional", "%(", 0, StpStyle::Preprocessor);
    row("%) conditional", "%)", 0, StpStyle::Preprocessor);
    row("@x macro parameter", "@x", 0, StpStyle::AtOperator);
    row("keyword global", "global", 0, StpStyle::Keyword);
    row("identifier", "counts", 0, StpStyle::Identifier);
    row("hex number", "0x10", 0, StpStyle::Number);
    row("keyword probe", "probe", 0, StpStyle::Keyword);
    row("probe point component", "kernel", 0, StpStyle::ProbePoint);
    row("probe point second component", "trace", 0, StpStyle::ProbePoint);
    row("string", "\"sched:", 0, StpStyle::String);
    row("operator brace", "{", 0, StpStyle::Operator);
    row("function call", "execname", 0, StpStyle::Function);
    row("operator <<<", "<<<", 0, StpStyle::Operator);
    row("target variable", "$prev", 0, StpStyle::TargetVar);
    row("arrow", "->", 0, StpStyle::Operator);
    row("field after arrow", "prio", 0, StpStyle::Identifier);
    row("compound assignment", "+=", 0, StpStyle::Operator);
    row("decimal number", "1.5", 0, StpStyle::Number);
    row("stray character", "`", 0, StpStyle::Error);
    row("keyword if", "if (", 0, StpStyle::Keyword);
    row("printf", "printf", 0, StpStyle::Function);
    row("format string", "\"%d", 0, StpStyle::String);
    row("@count", "@count", 0, StpStyle::AtOperator);
    row("keyword function", "function half", 0, StpStyle::Keyword);
    row("declared function name", "half", 0, StpStyle::Function);
    row("type keyword", "long", 0, StpStyle::Keyword);
    row("embedded delimiter", "%{", 0, StpStyle::Preprocessor);
    row("embedded C comment", "/* C */", 0, StpStyle::EmbeddedComment);
    row("embedded C identifier", "STAP_ARG_v", 0, StpStyle::EmbeddedC);
    row("embedded C keyword", "STAP_RETVALUE", 0, StpStyle::EmbeddedKeyword);
    row("embedded C number", "2; %}", 0, StpStyle::EmbeddedNumber);
    row("embedded end", "%}", 0, StpStyle::Preprocessor);
    row("macro use", "@HALF", 0, StpStyle::AtOperator);
    row("probe end component", "end {", 0, StpStyle::ProbePoint);
}

void TestStpLexer::tokenClasses() {
    QFETCH(QString, needle);
    QFETCH(int, nth);
    QFETCH(int, style);
    std::string text = kScript;
    Highlighting h = highlight(text);
    StpStyle got = styleOf(h, text, needle.toStdString(), nth);
    QCOMPARE(QString(styleName(got)), QString(styleName(StpStyle(style))));
}

void TestStpLexer::spansCoverEverything() {
    std::string text = kScript;
    Highlighting h = highlight(text);
    int pos = 0;
    for (const StyledSpan& s : h.spans) {
        QCOMPARE(s.start, pos);
        QVERIFY(s.length > 0);
        pos += s.length;
    }
    QCOMPARE(pos, int(text.size()));
}

void TestStpLexer::foldLevels() {
    std::string text = "probe begin {\n  if (1) {\n    x = 1\n  }\n}\n/* a\n b */\nglobal y\n";
    Highlighting h = highlight(text);
    QCOMPARE(int(h.folds.size()), 9); // 8 lines and the empty last one
    QVERIFY(h.folds[0].header);
    QCOMPARE(h.folds[0].level, 0);
    QVERIFY(h.folds[1].header);
    QCOMPARE(h.folds[1].level, 1);
    QCOMPARE(h.folds[2].level, 2);
    QVERIFY(!h.folds[2].header);
    QCOMPARE(h.folds[3].level, 2); // the closing brace belongs to its block
    QCOMPARE(h.folds[4].level, 1);
    QVERIFY(h.folds[5].header); // a block comment over two lines folds
    QCOMPARE(h.folds[6].level, 1);
    QCOMPARE(h.folds[7].level, 0);
}

void TestStpLexer::editorStylesMatch() {
    ScriptEditor editor;
    editor.resize(800, 600);
    editor.setText(QString::fromUtf8(kScript));
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    // Make Scintilla style the whole document.
    editor.SendScintilla(QsciScintillaBase::SCI_COLOURISE, 0UL, -1L);
    std::string text = editor.utf8Text();
    Highlighting h = highlight(text);
    for (const StyledSpan& s : h.spans) {
        for (int p : {s.start, s.start + s.length - 1}) {
            int style = int(editor.SendScintilla(QsciScintillaBase::SCI_GETSTYLEAT, (unsigned long)p));
            QCOMPARE(style, int(s.style));
        }
    }
    // The fold level of the probe line is a header.
    int probeLine = 8;
    long level = editor.SendScintilla(QsciScintillaBase::SCI_GETFOLDLEVEL, (unsigned long)probeLine);
    QVERIFY(level & QsciScintillaBase::SC_FOLDLEVELHEADERFLAG);
}

void TestStpLexer::restyleAfterEdit() {
    ScriptEditor editor;
    editor.resize(800, 400);
    editor.setText("probe begin { x = 1 }\nprobe end { y = 2 }\n");
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    editor.SendScintilla(QsciScintillaBase::SCI_COLOURISE, 0UL, -1L);
    auto styleAtText = [&](const char* needle) {
        std::string t = editor.utf8Text();
        size_t p = t.find(needle);
        return int(editor.SendScintilla(QsciScintillaBase::SCI_GETSTYLEAT, (unsigned long)p));
    };
    QCOMPARE(styleAtText("y = 2"), int(StpStyle::Identifier));
    // Opening a block comment on line 1 turns everything after it into a comment.
    editor.insertAt("/* ", 0, 14);
    editor.SendScintilla(QsciScintillaBase::SCI_COLOURISE, 0UL, -1L);
    QCOMPARE(styleAtText("y = 2"), int(StpStyle::BlockComment));
    editor.undo();
    editor.SendScintilla(QsciScintillaBase::SCI_COLOURISE, 0UL, -1L);
    QCOMPARE(styleAtText("y = 2"), int(StpStyle::Identifier));
}

void TestStpLexer::unterminatedConstructs() {
    for (const char* text : {"probe begin { x = \"abc\n}", "/* never closed\nprobe", "%{ int x;", "$1 + @2 + $#",
                             "probe begin { printf(\"%s\", \"a\\\"b\") }"}) {
        std::string t = text;
        Highlighting h = highlight(t);
        int pos = 0;
        for (const StyledSpan& s : h.spans) {
            QCOMPARE(s.start, pos);
            pos += s.length;
        }
        QCOMPARE(pos, int(t.size()));
    }
    std::string args = "probe begin { x = $1 + @2 }";
    Highlighting h = highlight(args);
    QCOMPARE(int(styleOf(h, args, "$1")), int(StpStyle::Number));
    QCOMPARE(int(styleOf(h, args, "@2")), int(StpStyle::String));
    std::string open = "/* never closed\nprobe";
    QCOMPARE(int(styleOf(highlight(open), open, "probe")), int(StpStyle::BlockComment));
}

QTEST_MAIN(TestStpLexer)
#include "test_stp_lexer.moc"
