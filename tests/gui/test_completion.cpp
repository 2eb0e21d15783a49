// Completion in the editor: the items offered at a table of cursor positions
// (probe families, next components, tracepoints, tapset functions with
// signatures, $variables with types, alias variables, globals, locals,
// keywords; nothing in comments and plain strings), fuzzy ranking, signature
// help, hover docs, and the list in a live editor.
#include "catalogue_indexer.h"
#include "completion_doc_popup.h"
#include "completion_engine.h"
#include "elf_symbols.h"
#include "document_tabs.h"
#include "editor_completion.h"
#include "script_analysis.h"
#include "script_editor.h"

#include <QtTest>

using namespace tapide;

namespace {

CatalogueSnapshotPtr fullSnapshot() {
    static CatalogueSnapshotPtr snap = [] {
        CatalogueIndexer indexer;
        indexer.start();
        indexer.waitForFinished();
        return indexer.snapshot();
    }();
    return snap;
}

// `text` with a | marking the cursor.
struct Probe {
    std::string text;
    int cursor;
};

Probe withCursor(const QString& marked) {
    std::string s = marked.toStdString();
    size_t bar = s.find('|');
    Q_ASSERT(bar != std::string::npos);
    s.erase(bar, 1);
    return {s, int(bar)};
}

QStringList labels(const CompletionResult& r) {
    QStringList out;
    for (const CompletionItem& i : r.items)
        out << i.label;
    return out;
}

} // namespace

class TestCompletion : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void items_data();
    void items();
    void ranking();
    void contexts();
    void partialIndex();
    void signatureHelp();
    void hover();
    void editorList();
    void editorApplyAndCallTip();
    void familyContinues();
    void membersAfterArrow();
    void docBesideTheList();
    void latency();
};

void TestCompletion::initTestCase() {
    QVERIFY(fullSnapshot()->complete);
    QVERIFY(fullSnapshot()->library);
    QVERIFY(!fullSnapshot()->library->functions().empty());
}

void TestCompletion::items_data() {
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("expected"); // labels that must be offered
    QTest::addColumn<QStringList>("absent");   // labels that must not be
    QTest::addColumn<bool>("needsTracefs");
    auto row = [](const char* name, const char* script, QStringList expected, QStringList absent = {},
                  bool tracefs = false) {
        QTest::newRow(name) << QString::fromUtf8(script) << expected << absent << tracefs;
    };
    row("families after probe", "probe |",
        {"begin", "end", "error", "never", "timer.…", "kernel.…", "syscall.…", "scheduler.…", "process.…", "perf.…"});
    row("family prefix", "probe sch|", {"scheduler.…"}, {"begin"});
    row("family fuzzy (substring)", "probe sysc|", {"syscall.…", "nd_syscall.…"});
    row("whole point by fuzzy match", "probe ctxsw|", {"scheduler.ctxswitch"});
    row("timer components", "probe timer.|", {"ms(N)", "s(N)", "hz(N)", "profile"});
    row("syscall component", "probe syscall.op|", {"open", "openat"}, {"read"});
    row("alias components", "probe scheduler.|", {"ctxswitch", "cpu_off", "wakeup"});
    row("kernel components", "probe kernel.|", {"trace(\"…\")"});
    row("return component", "probe syscall.open.|", {"return"});
    row("second point after comma", "probe begin, e|", {"end", "error"});
    row("alias target", "probe myalias = sched|", {"scheduler.…"});
    row("tracepoint names", "probe kernel.trace(\"sched_sw|\")", {"sched:sched_switch"}, {}, true);
    row("tracepoint by system", "probe kernel.trace(\"sched:|", {"sched:sched_switch", "sched:sched_wakeup"}, {}, true);
    row("top level keywords", "|", {"probe", "global", "function", "private", "@define"});
    row("top level prefix", "glo|", {"global"}, {"probe"});
    row("top level snippet", "probe begin {}\npro|", {"probe", "probe begin { ... }"});
    row("tapset function with signature", "probe begin { strl|", {"strlen(s:string) : long"});
    row("function by prefix", "probe begin { exec|", {"execname() : string"});
    row("function by fuzzy", "probe begin { exnm|", {"execname() : string"});
    row("function in an argument", "probe begin { printf(\"%d\", pi|", {"pid() : long"});
    row("print builtins", "probe begin { prin|", {"printf(format:string, ...)", "println(value, ...)"});
    row("@ operators", "probe begin { @co|", {"@count(stat)"});
    row("keywords in a body", "probe begin { fore|", {"foreach"});
    row("global of the file", "global counts\nprobe begin { cou|", {"counts"});
    row("global typed after analysis", "global counts\nprobe begin { counts[1] = 2 }\nprobe end { cou| }",
        {"counts : long[long]"});
    row("local of the probe", "probe begin { total = 1; tot|", {"total"});
    row("local not from another probe", "probe begin { alpha = 1 }\nprobe end { alp|", {}, {"alpha"});
    row("script function", "function twice(a:long) { return 2 * a }\nprobe begin { twi|",
        {"twice(a:long)"});
    row("function parameter", "function twice(value:long) { return val|", {"value : long"});
    row("no $variables in begin", "probe begin { $|", {}, {"$prev : struct task_struct*"});
    row("tracepoint $variables with types", "probe kernel.trace(\"sched:sched_switch\") { $|",
        {"$prev : struct task_struct*", "$next : struct task_struct*"}, {}, true);
    row("tracepoint $variable prefix", "probe kernel.trace(\"sched:sched_switch\") { x = $ne|",
        {"$next : struct task_struct*"}, {"$prev : struct task_struct*"}, true);
    row("alias variables", "probe scheduler.ctxswitch { prev_p|", {"prev_pid : long", "prev_priority : long"}, {},
        true);
    row("a program's $variables from DWARF, with C types",
        "probe process(\"" TAP_UPROG_O0 "\").function(\"point_sum\") { $|", {"$p : struct point*", "$total : long int"},
        {"$prev : struct task_struct*"});
    row("$return of a program function", "probe process(\"" TAP_UPROG_O0 "\").function(\"greet\").return { $re|",
        {"$return : char const*"});
    row("alias $variables", "probe scheduler.ctxswitch { $pr|", {"$prev : struct task_struct*"}, {}, true);
    row("syscall variables", "probe syscall.open { file|", {"filename : string"});
    row("syscall $variables", "probe syscall.openat { $fl|", {"$flags : int"});
    row("return probe $return", "probe syscall.open.return { $ret|", {"$return : long"});
    row("timer probe locals only", "probe timer.s(1) { n = 1; |", {"n", "execname() : string"});
    row("nothing in a comment", "probe begin { # strl|\n}", {}, {"strlen(s:string) : long"});
    row("nothing in a block comment", "/* probe sch| */", {}, {"scheduler.…"});
    row("nothing in a string", "probe begin { x = \"strl|\" }", {}, {"strlen(s:string) : long"});
    row("nothing naming a global", "global cou|", {}, {"counts"});
    row("nothing after a complete point", "probe begin |", {}, {"begin", "end"});
    row("second function of a file", "probe begin { x = strlen(\"a\") + substr(\"ab\", 0, 1); subs|",
        {"substr(str:string, start:long, length:long) : string"});
}

void TestCompletion::items() {
    QFETCH(QString, script);
    QFETCH(QStringList, expected);
    QFETCH(QStringList, absent);
    QFETCH(bool, needsTracefs);
    if (needsTracefs && fullSnapshot()->tracepoints.empty())
        QSKIP("no tracefs on this machine");
    Probe p = withCursor(script);
    CompletionEngine engine;
    ScriptAnalysis analysis = analyseScript(p.text, "t.stp");
    CompletionResult r = engine.complete(p.text, p.cursor, analysis, fullSnapshot());
    if (!r.pendingBinary.isEmpty()) { // as the editor does: load the program, then complete again
        readElfFunctions(r.pendingBinary);
        r = engine.complete(p.text, p.cursor, analysis, fullSnapshot());
        QVERIFY(r.pendingBinary.isEmpty());
    }
    QStringList got = labels(r);
    for (const QString& e : expected)
        QVERIFY2(got.contains(e), qPrintable(QString("missing '%1' in [%2]").arg(e, got.mid(0, 40).join(" | "))));
    for (const QString& a : absent)
        QVERIFY2(!got.contains(a), qPrintable(QString("unexpected '%1'").arg(a)));
    QVERIFY(!r.partial);
}

void TestCompletion::ranking() {
    CompletionEngine engine;
    ScriptAnalysis none;
    // An exact prefix wins over a fuzzy match.
    Probe p = withCursor("probe begin { strl|");
    CompletionResult r = engine.complete(p.text, p.cursor, none, fullSnapshot());
    QVERIFY(!r.items.isEmpty());
    QCOMPARE(r.items.front().name, QString("strlen"));
    // A local beats a function with the same score.
    p = withCursor("probe begin { pid_count = 1; pid|");
    r = engine.complete(p.text, p.cursor, analyseScript(p.text, "t.stp"), fullSnapshot());
    QCOMPARE(r.items.front().name, QString("pid"));
    int local = -1, fn = -1;
    for (int i = 0; i < r.items.size(); ++i) {
        if (r.items[i].name == "pid_count")
            local = i;
        if (r.items[i].name == "ppid")
            fn = i;
    }
    QVERIFY(local >= 0);
    QVERIFY(fn < 0 || local < fn);
    // The replaced range is the word under the cursor.
    p = withCursor("probe begin { exe|cname() }");
    r = engine.complete(p.text, p.cursor, none, fullSnapshot());
    QCOMPARE(r.context.replaceStart, int(std::string("probe begin { ").size()));
    QCOMPARE(r.context.replaceEnd, int(std::string("probe begin { execname").size()));
    QCOMPARE(QString::fromStdString(r.context.prefix), QString("exe"));
}

void TestCompletion::contexts() {
    auto kind = [](const char* marked) { Probe p = withCursor(marked); return CompletionEngine::contextAt(p.text, p.cursor).kind; };
    QCOMPARE(kind("probe |"), CompletionContextKind::ProbePoint);
    QCOMPARE(kind("probe a.b(\"|"), CompletionContextKind::ProbeString);
    QCOMPARE(kind("probe begin { | }"), CompletionContextKind::Body);
    QCOMPARE(kind("probe begin { if (1) { | } }"), CompletionContextKind::Body);
    QCOMPARE(kind("probe begin { } |"), CompletionContextKind::TopLevel);
    QCOMPARE(kind("function f(|"), CompletionContextKind::None);
    QCOMPARE(kind("probe begin if (|"), CompletionContextKind::None);
    QCOMPARE(kind("probe timer.ms(|"), CompletionContextKind::None);
    Probe p = withCursor("probe kernel.trace(\"x\"), syscall.open { |");
    CompletionContext c = CompletionEngine::contextAt(p.text, p.cursor);
    QCOMPARE(QString::fromStdString(c.header), QString("kernel.trace(\"x\"), syscall.open"));
    p = withCursor("probe kernel.trace(\"sch|");
    c = CompletionEngine::contextAt(p.text, p.cursor);
    QCOMPARE(c.components.size(), size_t(2));
    QCOMPARE(QString::fromStdString(c.prefix), QString("sch"));
}

void TestCompletion::partialIndex() {
    auto snap = std::make_shared<CatalogueSnapshot>();
    snap->library = fullSnapshot()->library;
    snap->tracepoints = {"sched:sched_switch"};
    CompletionEngine engine;
    Probe p = withCursor("probe |");
    CompletionResult r = engine.complete(p.text, p.cursor, {}, snap);
    QVERIFY(r.partial);
    QStringList got = labels(r);
    for (const char* e : {"begin", "timer.…", "scheduler.…", "kernel.…"})
        QVERIFY2(got.contains(e), e);
    p = withCursor("probe kernel.trace(\"sw|");
    r = engine.complete(p.text, p.cursor, {}, snap);
    QVERIFY(labels(r).contains("sched:sched_switch"));
    // Without any snapshot: keywords still work.
    p = withCursor("probe begin { fore|");
    r = engine.complete(p.text, p.cursor, {}, nullptr);
    QVERIFY(labels(r).contains("foreach"));
}

void TestCompletion::signatureHelp() {
    CompletionEngine engine;
    Probe p = withCursor("probe begin { x = substr(\"abc\", |");
    SignatureHelp h = engine.signatureAt(p.text, p.cursor, {}, fullSnapshot());
    QVERIFY(h.valid);
    QCOMPARE(h.signature, QString("substr:string (str:string, start:long, length:long)"));
    QCOMPARE(h.argument, 1);
    QCOMPARE(h.signature.mid(h.paramStart, h.paramEnd - h.paramStart), QString("start:long"));
    QVERIFY(h.summary.contains("substring", Qt::CaseInsensitive));
    // Nested calls: the innermost one.
    p = withCursor("probe begin { x = substr(sprintf(\"%d\", |");
    h = engine.signatureAt(p.text, p.cursor, {}, fullSnapshot());
    QVERIFY(h.valid);
    QVERIFY(h.signature.startsWith("sprintf"));
    QCOMPARE(h.signature.mid(h.paramStart, h.paramEnd - h.paramStart), QString("..."));
    // Commas inside strings do not count.
    p = withCursor("probe begin { x = substr(\"a,b,c\", |");
    QCOMPARE(engine.signatureAt(p.text, p.cursor, {}, fullSnapshot()).argument, 1);
    // A script function.
    p = withCursor("function add(a:long, b:long) { return a + b }\nprobe begin { add(1, |");
    h = engine.signatureAt(p.text, p.cursor, analyseScript(p.text, "t.stp"), fullSnapshot());
    QVERIFY(h.valid);
    QCOMPARE(h.signature.mid(h.paramStart, h.paramEnd - h.paramStart), QString("b:long"));
    // After the call: none.
    p = withCursor("probe begin { x = strlen(\"a\") |");
    QVERIFY(!engine.signatureAt(p.text, p.cursor, {}, fullSnapshot()).valid);
}

void TestCompletion::hover() {
    CompletionEngine engine;
    std::string text = "global g\nprobe scheduler.ctxswitch { g = strlen(prev_task_name) + $prev->pid }\n";
    ScriptAnalysis a = analyseScript(text, "h.stp");
    QString fn = engine.hoverAt(text, int(text.find("strlen")) + 2, a, fullSnapshot());
    QVERIFY2(fn.contains("strlen:long (s:string)") && fn.contains("length of a string"), qPrintable(fn));
    QString alias = engine.hoverAt(text, int(text.find("ctxswitch")), a, fullSnapshot());
    QVERIFY2(alias.contains("scheduler.ctxswitch") && alias.contains("context switch"), qPrintable(alias));
    QString target = engine.hoverAt(text, int(text.find("$prev")) + 1, a, fullSnapshot());
    if (!fullSnapshot()->tracepoints.empty())
        QVERIFY2(target.contains("struct task_struct"), qPrintable(target));
    QString global = engine.hoverAt(text, int(text.find("g = ")), a, fullSnapshot());
    QVERIFY2(global.contains("global g"), qPrintable(global));
    QVERIFY(engine.hoverAt(text, int(text.find("{")), a, fullSnapshot()).isEmpty());
}

// Issue 14, item 16: nothing at all after `->`, not even "no suggestions".
void TestCompletion::membersAfterArrow() {
    if (fullSnapshot()->tracepoints.empty())
        QSKIP("no tracefs on this machine");
    CompletionEngine engine;
    auto complete = [&](const char* script, const ScriptAnalysis& analysis) {
        Probe p = withCursor(script);
        return engine.complete(p.text, p.cursor, analysis, fullSnapshot());
    };
    ScriptAnalysis none;
    // A kernel $variable: the struct's members from BTF, with their C types.
    CompletionResult r = complete("probe kernel.trace(\"sched:sched_switch\") { x = $prev->|", none);
    QStringList got = labels(r);
    QVERIFY2(got.contains("pid : pid_t") && got.contains("comm : char [16]") && got.contains("mm : struct mm_struct *"),
             qPrintable(got.mid(0, 30).join(" | ")));
    QCOMPARE(r.items.front().kind, CompletionKind::Member);
    QCOMPARE(r.items.front().insert, r.items.front().name);
    r = complete("probe scheduler.ctxswitch { x = $next->co|", none);
    QVERIFY(labels(r).contains("comm : char [16]"));
    QVERIFY(!labels(r).contains("pid : pid_t"));
    // Through members.
    r = complete("probe kernel.trace(\"sched:sched_switch\") { x = $prev->mm->|", none);
    QVERIFY2(labels(r).contains("pgd : pgd_t *"), qPrintable(labels(r).mid(0, 30).join(" | ")));
    // Nothing to offer, and why.
    r = complete("probe kernel.trace(\"sched:sched_switch\") { x = $prev->pid->|", none);
    QVERIFY(r.items.isEmpty());
    QCOMPARE(r.emptyReason, QString("$prev->pid is a pid_t, not a struct or a pointer to one"));
    r = complete("probe kernel.trace(\"sched:sched_switch\") { x = $prev->nosuch->|", none);
    QCOMPARE(r.emptyReason, QString("struct task_struct has no member 'nosuch'"));
    r = complete("probe begin { x = $prev->|", none);
    QCOMPARE(r.emptyReason, QString("this probe has no $prev"));

    // A program's $variable: the members from its DWARF, once the script elaborated.
    const std::string header = "probe process(\"" TAP_UPROG_O0 "\").function(\"point_sum\")";
    ScriptAnalysis good = analyseScript(header + " { println($p->x) }\n", "t.stp");
    QVERIFY(good.elaborated);
    auto names = [](const CompletionResult& result) {
        QStringList out;
        for (const CompletionItem& i : result.items)
            out << i.name;
        return out;
    };
    r = complete((header + " { x = $p->|").c_str(), good);
    QCOMPARE(names(r), QStringList({"label", "next", "tag", "x", "y"})); // by name, as every list
    QVERIFY2(labels(r).contains("x : int"), qPrintable(labels(r).join(" | ")));
    r = complete((header + " { x = $p->next->ta|").c_str(), good);
    QCOMPARE(names(r), QStringList({"tag"}));
    r = complete((header + " { x = $p->|").c_str(), none);
    QCOMPARE(r.emptyReason, QString("a program's struct members are known once the script elaborates"));

    // The editor says so where the list would be.
    DocumentTabs tabs([] { return fullSnapshot(); });
    tabs.resize(800, 500);
    tabs.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tabs));
    ScriptEditor* e = tabs.newDocument("probe kernel.trace(\"sched:sched_switch\") {\n    x = $prev->pid\n}\n");
    e->setCursorPosition(1, 18);
    EditorCompletion* c = tabs.completionFor(e);
    QTest::keyClicks(e, "->");
    QCOMPARE(c->notice(), QString("No suggestions: $prev->pid is a pid_t, not a struct or a pointer to one"));
    QVERIFY(e->SendScintilla(QsciScintillaBase::SCI_CALLTIPACTIVE));
    e->setModified(false);
}

// Issue 14, item 15: the doc of the selected item was one line in the
// status bar; it is a panel beside the list that follows the selection.
void TestCompletion::docBesideTheList() {
    DocumentTabs tabs([] { return fullSnapshot(); });
    tabs.resize(900, 500);
    tabs.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tabs));
    ScriptEditor* e = tabs.newDocument("probe begin {\n    x = \n}\n");
    e->setCursorPosition(1, 8);
    EditorCompletion* c = tabs.completionFor(e);
    QTest::keyClicks(e, "subs"); // substr and its kin: tapset functions with docs
    QTRY_VERIFY(c->listActive());
    CompletionDocPopup* doc = c->docPopup();
    QTRY_VERIFY(doc->isVisible());
    const CompletionItem& first = c->lastResult().items.front();
    QVERIFY(!first.doc.isEmpty());
    QVERIFY2(doc->text().contains(first.label.toHtmlEscaped()), qPrintable(doc->text()));
    QVERIFY2(doc->text().contains(first.doc.section('\n', 0, 0).toHtmlEscaped()), qPrintable(doc->text()));
    // Beside the list, not over it.
    QRect list = c->listGeometry();
    QVERIFY(list.isValid());
    QRect panel(doc->mapToGlobal(QPoint(0, 0)), doc->size());
    QVERIFY2(!panel.intersects(list), qPrintable(QString("list %1,%2 %3x%4, doc %5,%6 %7x%8")
                                                    .arg(list.x()).arg(list.y()).arg(list.width()).arg(list.height())
                                                    .arg(panel.x()).arg(panel.y()).arg(panel.width()).arg(panel.height())));
    // The list closes: so does the doc.
    QTest::keyClick(e, Qt::Key_Escape);
    QVERIFY(!c->listActive());
    QTRY_VERIFY(!doc->isVisible());
    e->setModified(false);
}

void TestCompletion::editorList() {
    DocumentTabs tabs([] { return fullSnapshot(); });
    tabs.resize(800, 500);
    tabs.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tabs));
    ScriptEditor* e = tabs.newDocument("probe sched");
    e->setCurrentPosition(int(e->utf8Text().size()));
    EditorCompletion* c = tabs.completionFor(e);
    QVERIFY(c);
    int shown = c->complete(false);
    QVERIFY(shown >= 1);
    QVERIFY(c->listActive() || shown == 1);
    if (shown == 1) // the only candidate was inserted at once
        QCOMPARE(e->text(), QString("probe scheduler"));
    else
        QCOMPARE(c->lastResult().items.front().label, QString("scheduler.…"));
    e->cancelList();

    // Typing a name opens the list by itself once two characters are typed.
    e->setText("probe begin {\n    \n}\n");
    e->setCursorPosition(1, 4);
    QTest::keyClicks(e, "ex");
    QTRY_VERIFY(c->listActive());
    QVERIFY(labels(c->lastResult()).contains("execname() : string"));
    QTest::keyClick(e, Qt::Key_Escape);
    QVERIFY(!c->listActive());
}

void TestCompletion::editorApplyAndCallTip() {
    DocumentTabs tabs([] { return fullSnapshot(); });
    tabs.resize(800, 500);
    tabs.show();
    ScriptEditor* e = tabs.newDocument("probe begin {\n    x = substr\n}\n");
    e->setCursorPosition(1, 14);
    EditorCompletion* c = tabs.completionFor(e);
    c->complete(false); // explicit requests insert a single candidate at once
    const CompletionItem* sub = nullptr;
    for (const CompletionItem& i : c->lastResult().items)
        if (i.name == "substr")
            sub = &i;
    QVERIFY(sub);
    CompletionItem item = *sub;
    e->cancelList();
    c->apply(item);
    QCOMPARE(e->text(1), QString("    x = substr()\n"));
    int line, index;
    e->getCursorPosition(&line, &index);
    QCOMPARE(index, 15); // inside the parentheses
    QVERIFY(c->signatureVisible());
    QCOMPARE(c->signature().argument, 0);
    QTest::keyClicks(e, "\"abc\",");
    QTRY_COMPARE(c->signature().argument, 1);
    QTest::keyClicks(e, " 1, 2)");
    QTRY_VERIFY(!c->signatureVisible());

    // Choosing a component that takes a string argument puts the cursor in the quotes.
    e->setText("probe kernel.\n");
    e->setCursorPosition(0, 13);
    c->complete(false);
    const CompletionItem* trace = nullptr;
    for (const CompletionItem& i : c->lastResult().items)
        if (i.name == "trace")
            trace = &i;
    QVERIFY(trace);
    item = *trace;
    e->cancelList();
    c->apply(item);
    QCOMPARE(e->text(0), QString("probe kernel.trace(\"\")\n"));
    e->getCursorPosition(&line, &index);
    QCOMPARE(index, 20);

    // Issue 14, item 2: in a string left open, accepting a tracepoint
    // closes the string and the parenthesis (the rest of the file became a
    // string), the caret after them.
    e->setText("probe kernel.trace(\"sched:sched_swi\n");
    e->setCursorPosition(0, 34);
    c->complete(false);
    const CompletionItem* tp = nullptr;
    for (const CompletionItem& i : c->lastResult().items)
        if (i.insert == "sched:sched_switch")
            tp = &i;
    QVERIFY(tp);
    item = *tp;
    e->cancelList();
    c->apply(item);
    QCOMPARE(e->text(0), QString("probe kernel.trace(\"sched:sched_switch\")\n"));
    e->getCursorPosition(&line, &index);
    QCOMPARE(index, 40);
    // A closed string stays as it was.
    e->setText("probe kernel.trace(\"sched:sched_swi\") {}\n");
    e->setCursorPosition(0, 34);
    c->complete(false);
    e->cancelList();
    c->apply(item);
    QCOMPARE(e->text(0), QString("probe kernel.trace(\"sched:sched_switch\") {}\n"));
}

void TestCompletion::familyContinues() {
    // Issue 14, item 3: `probe sysc` + Enter on "syscall.…" inserted
    // `syscall` with no dot and opened no next-level list.
    DocumentTabs tabs([] { return fullSnapshot(); });
    tabs.resize(800, 500);
    tabs.show();
    ScriptEditor* e = tabs.newDocument("probe sysc\n");
    e->setCursorPosition(0, 10);
    EditorCompletion* c = tabs.completionFor(e);
    c->complete(false);
    const CompletionItem* family = nullptr;
    for (const CompletionItem& i : c->lastResult().items)
        if (i.name == "syscall")
            family = &i;
    QVERIFY(family);
    QCOMPARE(family->label, QString("syscall.…"));
    CompletionItem item = *family;
    e->cancelList();
    c->apply(item);
    QCOMPARE(e->text(0), QString("probe syscall.\n"));
    QTRY_VERIFY(e->isListActive());
    bool calls = false;
    for (const CompletionItem& i : c->lastResult().items)
        calls = calls || i.name == "openat";
    QVERIFY(calls);
    e->cancelList();
}

void TestCompletion::latency() {
    // A 2,000-line script: completion at its end stays well under the 30 ms target.
    std::string script;
    for (int i = 0; i < 400; ++i)
        script += "probe timer.ms(" + std::to_string(i + 1) + ") {\n    counts[" + std::to_string(i) +
                  "] = strlen(execname())\n    total += counts[" + std::to_string(i) + "]\n}\n\n";
    script = "global counts, total\n" + script + "probe end {\n    exe";
    ScriptAnalysis a = analyseScript(script, "big.stp");
    CompletionEngine engine;
    engine.complete(script, int(script.size()), a, fullSnapshot()); // warm the caches
    QElapsedTimer t;
    t.start();
    const int runs = 20;
    for (int i = 0; i < runs; ++i)
        engine.complete(script, int(script.size()), a, fullSnapshot());
    double ms = double(t.elapsed()) / runs;
    qInfo("completion on a %zu-line script: %.1f ms per request", size_t(std::count(script.begin(), script.end(), '\n')), ms);
    QVERIFY2(ms < 30, qPrintable(QString::number(ms)));
}

QTEST_MAIN(TestCompletion)
#include "test_completion.moc"
