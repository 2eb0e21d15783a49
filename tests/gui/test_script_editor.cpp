// The script editor with diagnostics while typing: a bad script gets
// squiggles, margin markers and annotations within the analysis delay, with
// the text tstap prints; fixing it clears them. Analysis runs off the UI
// thread. Also toggle comment, load/save, and positions.
#include "diagnostics_runner.h"
#include "problems_dock.h"
#include "script_analysis.h"
#include "script_editor.h"
#include "../support/test_files.h"

#include <QTemporaryDir>
#include <QTreeWidget>
#include <QThread>
#include <QtTest>

using namespace tapide;

namespace {

int indicatorAt(ScriptEditor& e, int indicator, int pos) {
    return int(e.SendScintilla(QsciScintillaBase::SCI_INDICATORVALUEAT, (unsigned long)indicator, long(pos)));
}

int posOf(ScriptEditor& e, const char* needle) { return int(e.utf8Text().find(needle)); }

} // namespace

class TestScriptEditor : public QObject {
    Q_OBJECT
private slots:
    void analysisOfABadScript();
    void analysisRunsOffTheUiThread();
    void diagnosticsAppearAndDisappear();
    void warningsAreMarked();
    void annotationsKeepTheirStyle();
    void hoverShowsTheDiagnosticText();
    void unknownProbePointMarksTheComponent();
    void toggleComment();
    void autoIndentAndBraces();
    void loadAndSave();
    void invalidUtf8KeepsItsBytes();
    void positions();
};

void TestScriptEditor::analysisOfABadScript() {
    ScriptAnalysis a = analyseScript("probe begin { x = 1 + }\n", "bad.stp");
    QVERIFY(!a.parsed);
    QCOMPARE(a.errorCount(), 1);
    const ScriptDiagnostic& d = a.diagnostics.front();
    QCOMPARE(d.line, 1);
    QCOMPARE(d.col, 23);
    QVERIFY(d.inScript);
    QCOMPARE(d.phase, QString("parse"));
    QVERIFY2(d.text.startsWith("parse error: expected"), qPrintable(d.text));
    QVERIFY(d.text.contains("bad.stp:1:23"));

    ScriptAnalysis ok = analyseScript("global n\nprobe begin { n = strlen(\"ab\"); exit() }\n"
                                      "probe end { printf(\"%d\\n\", n) }\n",
                                      "ok.stp");
    QVERIFY(ok.elaborated);
    QCOMPARE(ok.errorCount(), 0);
    QCOMPARE(ok.globals.size(), 1);
    QCOMPARE(ok.globals[0].type, QString("long"));
    QVERIFY(ok.hasKernelProbes.has_value());
    QVERIFY(!*ok.hasKernelProbes);
    QCOMPARE(ok.scopes.size(), 2);
    QVERIFY(ok.scopeAt(int(std::string("global n\nprobe begin { n").size())) != nullptr);

    ScriptAnalysis kernel = analyseScript("probe kernel.trace(\"sched:sched_switch\") { println($prev->pid) }\n",
                                          "k.stp");
    QVERIFY2(kernel.elaborated, qPrintable(kernel.diagnostics.isEmpty() ? "" : kernel.diagnostics[0].text));
    QVERIFY(kernel.hasKernelProbes.value_or(false));
    QVERIFY(!kernel.scopes[0].context.isEmpty());
}

void TestScriptEditor::analysisRunsOffTheUiThread() {
    // The analysis function records nothing about threads; check through the runner's
    // busy flag that the UI thread returns before the result arrives.
    ScriptEditor editor;
    auto* runner = new DiagnosticsRunner(&editor);
    editor.setText("probe begin { exit() }\n");
    runner->runNow();
    QVERIFY(runner->busy()); // started, not finished: it runs in the pool
    QTRY_VERIFY_WITH_TIMEOUT(runner->hasResult(), 5000);
    QVERIFY(!runner->busy());
}

void TestScriptEditor::diagnosticsAppearAndDisappear() {
    ScriptEditor editor;
    editor.resize(800, 400);
    editor.show();
    auto* runner = new DiagnosticsRunner(&editor);
    QSignalSpy spy(runner, &DiagnosticsRunner::analysisReady);
    editor.setText("global total\nprobe begin {\n    total = 1 +\n}\n");
    // Typing schedules an analysis after the delay; nothing before it.
    QVERIFY(!runner->hasResult());
    QTRY_VERIFY_WITH_TIMEOUT(runner->hasResult() && !editor.diagnostics().isEmpty(), 5000);
    QVERIFY(editor.diagnostics().size() >= 1);
    const ScriptDiagnostic& d = editor.diagnostics().front();
    QVERIFY(d.error);
    QCOMPARE(d.line, 4); // `}` where an operand was expected
    int brace = editor.positionAt(4, 1);
    QCOMPARE(indicatorAt(editor, editor.errorIndicator(), brace), 1);
    QCOMPARE(indicatorAt(editor, editor.errorIndicator(), 0), 0);
    unsigned markers = unsigned(editor.markersAtLine(3));
    QVERIFY(markers != 0);
    QVERIFY(editor.annotation(3).contains("parse error"));

    // Fix it: the markers go away after the next analysis.
    editor.setSelection(2, 0, 2, 15);
    editor.replaceSelectedText("    total = 1 + 2");
    QTRY_VERIFY_WITH_TIMEOUT(editor.diagnostics().isEmpty() && runner->latest().generation == editor.generation(),
                             5000);
    QCOMPARE(indicatorAt(editor, editor.errorIndicator(), brace), 0);
    QCOMPARE(unsigned(editor.markersAtLine(3)), 0u);
    QVERIFY(editor.annotation(3).isEmpty());
    QVERIFY(spy.count() >= 2);
}

void TestScriptEditor::annotationsKeepTheirStyle() {
    // Issue 14, item 1: after a while of typing, the annotation row under an
    // error drew stale pixels (another line, another tab's text): every
    // analysis took two new style numbers from QScintilla's global pool,
    // which ran into the lexer's styles. The annotation's style stays one of
    // its own: italic, on the annotation's colour, however often it is redrawn.
    ScriptEditor editor;
    editor.resize(800, 400);
    editor.show();
    auto* runner = new DiagnosticsRunner(&editor);
    editor.setText("global total\nprobe begin {\n    total = 1 +\n}\n");
    runner->runNow();
    QTRY_VERIFY_WITH_TIMEOUT(runner->hasResult() && !editor.diagnostics().isEmpty(), 5000);
    int style = int(editor.SendScintilla(QsciScintillaBase::SCI_ANNOTATIONGETSTYLE, 3UL));
    for (int i = 0; i < 300; ++i)
        editor.setAnalysis(editor.analysis());
    QCOMPARE(int(editor.SendScintilla(QsciScintillaBase::SCI_ANNOTATIONGETSTYLE, 3UL)), style);
    QVERIFY(editor.SendScintilla(QsciScintillaBase::SCI_STYLEGETITALIC, (unsigned long)style));
    QVERIFY(editor.annotation(3).contains("parse error"));
    // Lexer styles are below it: what the editor's own text is drawn with.
    QVERIFY(!editor.SendScintilla(QsciScintillaBase::SCI_STYLEGETITALIC, 0UL));
    QVERIFY(style > 64);
}

void TestScriptEditor::warningsAreMarked() {
    ScriptEditor editor;
    auto* runner = new DiagnosticsRunner(&editor);
    editor.setText("probe begin { x = 1; exit() }\n");
    runner->runNow();
    QTRY_VERIFY_WITH_TIMEOUT(runner->hasResult(), 5000);
    QVERIFY(editor.analysis().warningCount() >= 1);
    int x = posOf(editor, "= 1"); // stap locates it at the operator
    QCOMPARE(indicatorAt(editor, editor.warningIndicator(), x), 1);
    QCOMPARE(indicatorAt(editor, editor.errorIndicator(), x), 0);
}

void TestScriptEditor::hoverShowsTheDiagnosticText() {
    ScriptEditor editor;
    ScriptAnalysis a = analyseScript("probe begin { x = y; exit() }\n", "h.stp");
    editor.setText("probe begin { x = y; exit() }\n");
    a.generation = editor.generation();
    editor.setAnalysis(a);
    QString hover = editor.hoverTextAt(posOf(editor, "= y"));
    QVERIFY2(hover.contains("Eliding assignment"), qPrintable(hover));
    QVERIFY(hover.contains("h.stp:1:"));
    QVERIFY(editor.hoverTextAt(0).isEmpty());
}

// Issue 14, item 12: the squiggle was under 'scheduler' (the first
// component), the Problems line said only "while resolving probe point" and
// the reason hid in a collapsed child; nothing suggested the right name.
void TestScriptEditor::unknownProbePointMarksTheComponent() {
    const std::string text = "probe scheduler.ctxswich {\n  println(1)\n}\n";
    ScriptEditor editor;
    editor.setText(QString::fromStdString(text));
    ScriptAnalysis a = analyseScript(text, "u.stp");
    a.generation = editor.generation();
    editor.setAnalysis(a);
    QCOMPARE(a.errorCount(), 1);
    const ScriptDiagnostic& d = a.diagnostics.front();
    auto [start, end] = editor.diagnosticRange(d);
    QCOMPARE(QString::fromStdString(text.substr(size_t(start), size_t(end - start))), QString("ctxswich"));
    QCOMPARE(indicatorAt(editor, editor.errorIndicator(), posOf(editor, "ctxswich")), 1);
    QCOMPARE(indicatorAt(editor, editor.errorIndicator(), posOf(editor, "scheduler")), 0);

    ProblemsDock dock;
    dock.setDiagnostics(&editor, "u.stp", a.diagnostics);
    QTreeWidgetItem* item = dock.tree()->topLevelItem(0);
    QCOMPARE(item->text(0), QString("semantic error: probe point mismatch (similar: ctxswitch) near identifier 'ctxswich'"));
    QCOMPARE(item->childCount(), 0);
    QCOMPARE(item->text(2), QString("1:17"));
    // The same text tstap prints.
    QVERIFY2(d.text.startsWith("semantic error: probe point mismatch (similar: ctxswitch): identifier 'ctxswich' at u.stp:1:17\n"),
             qPrintable(d.text));
}

void TestScriptEditor::toggleComment() {
    ScriptEditor editor;
    editor.setText("probe begin {\n    x = 1\n\n    exit()\n}\n");
    editor.setSelection(1, 0, 3, 5);
    editor.toggleComment();
    QCOMPARE(editor.text(), QString("probe begin {\n    // x = 1\n\n    // exit()\n}\n"));
    editor.setSelection(1, 0, 3, 5);
    editor.toggleComment();
    QCOMPARE(editor.text(), QString("probe begin {\n    x = 1\n\n    exit()\n}\n"));
    // A single line, with the cursor only; # comments count as comments too.
    editor.setText("# note\n");
    editor.setCursorPosition(0, 2);
    editor.toggleComment();
    QCOMPARE(editor.text(), QString("note\n"));
    editor.undo();
    QCOMPARE(editor.text(), QString("# note\n"));
}

void TestScriptEditor::autoIndentAndBraces() {
    ScriptEditor editor;
    editor.resize(600, 300);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QTest::keyClicks(&editor, "probe begin {");
    QTest::keyClick(&editor, Qt::Key_Return);
    QTest::keyClicks(&editor, "x = 1");
    QTest::keyClick(&editor, Qt::Key_Return);
    QTest::keyClicks(&editor, "}");
    QCOMPARE(editor.text(), QString("probe begin {\n    x = 1\n}"));
    // Enter between braces puts the closing one on its own line.
    ScriptEditor second;
    second.show();
    QTest::keyClicks(&second, "probe end {}");
    QTest::keyClick(&second, Qt::Key_Left);
    QTest::keyClick(&second, Qt::Key_Return);
    QTest::keyClicks(&second, "exit()");
    QCOMPARE(second.text(), QString("probe end {\n    exit()\n}"));
    // A brace in a string does not indent.
    ScriptEditor third;
    third.show();
    QTest::keyClicks(&third, "x = \"{\"");
    QTest::keyClick(&third, Qt::Key_Return);
    QTest::keyClicks(&third, "y");
    QCOMPARE(third.text(), QString("x = \"{\"\ny"));
    // Brace matching: the caret after `}` highlights the pair (Scintilla's brace match).
    long open = editor.SendScintilla(QsciScintillaBase::SCI_BRACEMATCH, (unsigned long)(editor.utf8Text().size() - 1), 0L);
    QCOMPARE(open, long(std::string("probe begin ").size()));
    // The block folds.
    editor.SendScintilla(QsciScintillaBase::SCI_COLOURISE, 0UL, -1L);
    editor.foldLine(0);
    QVERIFY(!editor.SendScintilla(QsciScintillaBase::SCI_GETLINEVISIBLE, 1UL));
    editor.foldLine(0);
    QVERIFY(editor.SendScintilla(QsciScintillaBase::SCI_GETLINEVISIBLE, 1UL));
}

void TestScriptEditor::loadAndSave() {
    QTemporaryDir dir;
    QString path = dir.filePath("s.stp");
    ScriptEditor editor;
    editor.setText("probe begin { println(\"héllo\") }\n");
    QVERIFY(editor.isModified());
    QVERIFY(editor.saveFile(path));
    QVERIFY(!editor.isModified());
    QCOMPARE(editor.filePath(), QFileInfo(path).absoluteFilePath());
    QCOMPARE(editor.displayName(), QString("s.stp"));
    ScriptEditor other;
    QVERIFY(other.loadFile(path));
    QCOMPARE(other.text(), editor.text());
    QVERIFY(!other.isModified());
    QVERIFY(!other.loadFile(dir.filePath("missing.stp")));
}

void TestScriptEditor::invalidUtf8KeepsItsBytes() {
    // A script with bytes that are not UTF-8 (a Latin-1 comment, a binary
    // string): opening and saving it changed them to U+FFFD, and the
    // diagnostics after them pointed a few columns off.
    QTemporaryDir dir;
    QString path = dir.filePath("latin1.stp");
    const QByteArray bytes("# caf\xe9 \xff\xfe\nprobe begin { println(\"\xc3(\") $ }\n");
    QVERIFY(testsupport::writeFile(path, bytes));
    ScriptEditor editor;
    QVERIFY(editor.loadFile(path));
    QCOMPARE(QByteArray::fromStdString(editor.utf8Text()), bytes);
    QVERIFY(!editor.isModified());
    auto* runner = new DiagnosticsRunner(&editor);
    runner->runNow();
    QTRY_VERIFY_WITH_TIMEOUT(runner->hasResult(), 5000);
    QVERIFY(!editor.diagnostics().isEmpty());
    const ScriptDiagnostic& d = editor.diagnostics().front();
    QCOMPARE(d.line, 2);
    QCOMPARE(editor.positionAt(d.line, d.col), posOf(editor, "$ }"));
    QString copy = dir.filePath("copy.stp");
    QVERIFY(editor.saveFile(copy));
    QFile saved(copy);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(saved.readAll(), bytes);
}

void TestScriptEditor::positions() {
    ScriptEditor editor;
    editor.setText("ab\nhé x\n");
    QCOMPARE(editor.positionAt(1, 1), 0);
    QCOMPARE(editor.positionAt(2, 1), 3);
    QCOMPARE(editor.positionAt(2, 4), 6);  // byte columns: é is two bytes
    QCOMPARE(editor.positionAt(2, 99), 8); // clamped to the line end
    editor.jumpTo(2, 5);
    QCOMPARE(editor.currentPosition(), 7);
}

QTEST_MAIN(TestScriptEditor)
#include "test_script_editor.moc"
