// Pass 2, resolution: probe aliases (prologue/epilogue order), wildcards,
// ? and !, begin(N), unknown probe points, functions (overloads by arity,
// unresolved, arity errors, private), symbols and arrays, and stap's dead-code
// elision. Expected results checked against stap 4.8 (`stap -p2`).
#include "ast_printer.h"
#include "elaborator.h"
#include "frontend.h"
#include "program_printer.h"

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <unistd.h>

using namespace tap;
namespace fs = std::filesystem;

namespace {

struct Run {
    std::unique_ptr<Frontend> fe;
    bool ok = false;

    const Program& program() const { return fe->program(); }
    QString p2() const {
        std::ostringstream o;
        printProgram(o, fe->program());
        return QString::fromStdString(o.str());
    }
    // "L:C message [subject]" per error (notes indented below their error).
    QStringList errors() const {
        QStringList out;
        for (const Diagnostic& d : fe->diagnostics().all()) {
            if (d.severity != Severity::Error)
                continue;
            out << line(d);
            for (const Diagnostic& n : d.notes)
                out << "  note " + line(n);
        }
        return out;
    }
    QStringList warnings() const {
        QStringList out;
        for (const Diagnostic& d : fe->diagnostics().all())
            if (d.severity == Severity::Warning)
                out << line(d);
        return out;
    }
    static QString line(const Diagnostic& d) {
        return QString("%1:%2 %3 [%4]")
            .arg(d.loc.line)
            .arg(d.loc.col)
            .arg(QString::fromStdString(d.message), QString::fromStdString(d.subject));
    }
    // The probe's assembled body on one line: {{pro};{handler};{epi};}
    QString body(size_t i) const {
        std::ostringstream o;
        printStmt(o, fe->program().probes.at(i).body);
        return QString::fromStdString(o.str()).remove('\n');
    }
    QStringList points() const {
        QStringList out;
        for (const ResolvedProbe& p : fe->program().probes)
            out << QString::fromStdString(p.point.str());
        return out;
    }
};

std::unique_ptr<Run> elaborate(const std::string& script, CompileOptions options = {}) {
    auto r = std::make_unique<Run>();
    r->fe = std::make_unique<Frontend>(std::move(options));
    r->fe->addScriptText("<input>", script);
    r->ok = r->fe->elaborate();
    return r;
}

} // namespace

class ElaboratorTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void aliasPrologueRunsBeforeHandler();
    void aliasEpilogueRunsAfterHandler();
    void aliasPrologueAndEpilogue();
    void nestedAliasesOrder();
    void aliasWithSeveralTargets();
    void aliasSuffixIsAppended();
    void aliasTargetOptionalAndSufficient();
    void aliasTargetCondition();
    void aliasFromTapsetDirectory();
    void wildcards_data();
    void wildcards();
    void wildcardOverAliases();
    void optionalPoints();
    void sufficientPoints();
    void beginEndPriority();
    void unknownProbePoint();
    void providerChecksArguments_data();
    void providerChecksArguments();
    void derivationText();
    void overloadsByArity();
    void sameArityOverloadWithPriority();
    void unresolvedFunction();
    void arityMismatch();
    void privateFunctionsAndGlobals();
    void arrayArity();
    void undeclaredArray();
    void returnAndContextRules();
    void foreachModification();
    void probeConditionRules();
    void elisionRemovesEmptyProbes();
    void elisionWarnings();
    void elisionKeepsEffects();
    void unoptimizedKeepsEverything();
    void onlyReachableFunctionsAndGlobals();
    void programPrinter();

private:
    fs::path tapsetDir_;
};

void ElaboratorTest::initTestCase() {
    tapsetDir_ = fs::temp_directory_path() / ("tap_elab_test_" + std::to_string(::getpid()));
    fs::create_directories(tapsetDir_);
    std::ofstream(tapsetDir_ / "mylib.stp")
        << "private function secret() { return 41 }\n"
           "function pub() { return secret() + 1 }\n"
           "private global hidden = 3\n"
           "function peek_hidden() { return hidden }\n"
           "probe mylib.tick = timer.ms(100) { tick_local = 1 }\n"
           "probe mylib.wrap = begin { println(\"pro\") }, { println(\"epi\") }\n";
}

void ElaboratorTest::cleanupTestCase() {
    std::error_code ec;
    fs::remove_all(tapsetDir_, ec);
}

// --------------------------------------------------------------- aliases

void ElaboratorTest::aliasPrologueRunsBeforeHandler() {
    auto r = elaborate("probe my.a = begin { println(\"A\") }\nprobe my.a { println(\"H\") }");
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->points(), QStringList({"begin"}));
    QCOMPARE(r->body(0), QString("{{println(\"A\");};{println(\"H\");};}"));
    QCOMPARE(r->program().probes[0].handlerIndex, size_t(1));
    QVERIFY(r->program().probes[0].viaAlias);
}

void ElaboratorTest::aliasEpilogueRunsAfterHandler() {
    auto r = elaborate("probe my.a += end { println(\"E\") }\nprobe my.a { println(\"H\") }");
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->points(), QStringList({"end"}));
    QCOMPARE(r->body(0), QString("{{println(\"H\");};{println(\"E\");};}"));
    QCOMPARE(r->program().probes[0].handlerIndex, size_t(0));
}

void ElaboratorTest::aliasPrologueAndEpilogue() {
    auto r = elaborate("probe my.a = begin { println(\"P\") }, { println(\"E\") }\nprobe my.a { println(\"H\") }");
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->body(0), QString("{{println(\"P\");};{println(\"H\");};{println(\"E\");};}"));
}

void ElaboratorTest::nestedAliasesOrder() {
    // stap -p3 runs B, A, H, A-epi, B-epi: the inner alias's prologue first,
    // the outer alias's epilogue first.
    auto r = elaborate("probe a = b { println(\"A\") }, { println(\"A-epi\") }\n"
                       "probe b = begin { println(\"B\") }, { println(\"B-epi\") }\n"
                       "probe a { println(\"H\") }");
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->body(0), QString("{{println(\"B\");};{println(\"A\");};{println(\"H\");};"
                                 "{println(\"A-epi\");};{println(\"B-epi\");};}"));
    QCOMPARE(r->program().probes[0].handlerIndex, size_t(2));
    // `+=` over `=`: B, H, A+.
    auto e = elaborate("probe a += b { println(\"A+\") }\nprobe b = begin { println(\"B\") }\n"
                       "probe a { println(\"H\") }");
    QCOMPARE(e->body(0), QString("{{println(\"B\");};{println(\"H\");};{println(\"A+\");};}"));
}

void ElaboratorTest::aliasWithSeveralTargets() {
    auto r = elaborate("probe both = begin, end { x = 1 }\nprobe both { println(x) }");
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->points(), QStringList({"begin", "end"}));
    // Each derived probe has its own copy of the body.
    QVERIFY(r->program().probes[0].body != r->program().probes[1].body);
    QCOMPARE(r->program().probes[0].locals.size(), size_t(1));
    QVERIFY(r->program().probes[0].locals[0] != r->program().probes[1].locals[0]);
}

void ElaboratorTest::aliasSuffixIsAppended() {
    // Components after the alias name go to the end of its targets.
    auto r = elaborate("probe tick = timer { }\nprobe tick.ms(250) { println(1) }");
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->points(), QStringList({"timer.ms(250)"}));
}

void ElaboratorTest::aliasTargetOptionalAndSufficient() {
    auto opt = elaborate("probe my.a = nosuch?, end { }\nprobe my.a { println(1) }");
    QCOMPARE(opt->errors(), QStringList());
    QCOMPARE(opt->points(), QStringList({"end"}));
    auto suff = elaborate("probe my.a = begin!, end { }\nprobe my.a { println(1) }");
    QCOMPARE(suff->points(), QStringList({"begin"}));
    auto fallback = elaborate("probe my.a = nosuch!, end { }\nprobe my.a { println(1) }");
    QCOMPARE(fallback->points(), QStringList({"end"}));
    // A non-optional unknown target is an error for the alias's user.
    auto bad = elaborate("probe my.a = nosuch { }\nprobe my.a { println(1) }");
    QVERIFY(!bad->ok);
    QCOMPARE(bad->errors().value(0),
             QString("2:10 probe point mismatch in 'nosuch', the expansion of 'my.a' [identifier 'a']"));
}

void ElaboratorTest::aliasTargetCondition() {
    auto r = elaborate("global on\nprobe my.a = begin if (on) { }\nprobe my.a if (on > 1) { println(1) }");
    QCOMPARE(r->errors(), QStringList());
    const Expr* c = r->program().probes.at(0).condition;
    QVERIFY(c);
    std::ostringstream o;
    printExpr(o, c);
    QCOMPARE(o.str(), std::string("(on) && ((on) > (1))")); // the alias's condition, then the user's
}

void ElaboratorTest::aliasFromTapsetDirectory() {
    CompileOptions o;
    o.includeDirs = {tapsetDir_.string()};
    auto r = elaborate("probe mylib.wrap { println(\"H\") }\nprobe mylib.tick { println(2) }", o);
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->points(), QStringList({"begin", "timer.ms(100)"}));
    QCOMPARE(r->body(0), QString("{{println(\"pro\");};{println(\"H\");};{println(\"epi\");};}"));
    // stap does not warn about dead code in tapsets (tick_local = 1 is elided silently).
    QCOMPARE(r->warnings(), QStringList());
}

// ------------------------------------------------------ wildcards, ? and !

void ElaboratorTest::wildcards_data() {
    QTest::addColumn<QString>("point");
    QTest::addColumn<QStringList>("expected"); // in stap's order
    QTest::newRow("e*") << "e*" << QStringList({"end", "error"});
    QTest::newRow("*(5)") << "*(5)" << QStringList({"begin(5)", "end(5)", "error(5)"});
    QTest::newRow("timer.*(100)") << "timer.*(100)"
                                  << QStringList({"timer.hz(100)", "timer.jiffies(100)", "timer.ms(100)",
                                                  "timer.msec(100)", "timer.s(100)", "timer.sec(100)",
                                                  "timer.us(100)", "timer.usec(100)"});
    QTest::newRow("timer.m*(100)") << "timer.m*(100)" << QStringList({"timer.ms(100)", "timer.msec(100)"});
    // usec(1) is below the 100us minimum: dropped from the wildcard silently, as stap does.
    QTest::newRow("timer.*sec(1)") << "timer.*sec(1)" << QStringList({"timer.msec(1)", "timer.sec(1)"});
    QTest::newRow("timer.*") << "timer.*" << QStringList({"timer.profile"});
    QTest::newRow("timer.** (one or more)") << "timer.**" << QStringList({"timer.profile", "timer.profile.tick"});
    // randomize needs its number: nothing matches (an error, as in stap).
    QTest::newRow("timer.ms(1).*") << "timer.ms(1).*" << QStringList();
}

void ElaboratorTest::wildcards() {
    QFETCH(QString, point);
    QFETCH(QStringList, expected);
    auto r = elaborate("probe " + point.toStdString() + " { println(1) }");
    if (expected.isEmpty()) {
        QVERIFY(!r->ok);
        QCOMPARE(r->errors().value(0).section(' ', 1, 3), QString("probe point mismatch"));
        return;
    }
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->points(), expected);
    for (const ResolvedProbe& p : r->program().probes)
        QCOMPARE(p.derivation, point.toStdString());
}

void ElaboratorTest::wildcardOverAliases() {
    auto r = elaborate("probe my.one = begin { }\nprobe my.two = end { }\nprobe my.* { println(1) }");
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->points(), QStringList({"begin", "end"}));
    QVERIFY(r->program().probes[0].viaAlias);
}

void ElaboratorTest::optionalPoints() {
    auto r = elaborate("probe nosuch?, begin { println(1) }");
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->points(), QStringList({"begin"}));
    // Every point optional and none resolves: nothing to run.
    auto none = elaborate("probe nosuch.a?, timer.ms(0)? { println(1) }");
    QCOMPARE(none->errors().value(0), QString("0:0 no probes found []"));
    // ... with a note saying why the first dropped point resolved to nothing.
    QCOMPARE(none->errors().value(1),
             QString("  note 0:0 every probe point was optional and none resolved; the first: "
                     "timer.ms(0): interval value out of range (1, 86400000) []"));
}

void ElaboratorTest::sufficientPoints() {
    // The first point that resolves ends the list.
    auto r = elaborate("probe begin!, end { println(1) }");
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->points(), QStringList({"begin"}));
    auto skip = elaborate("probe nosuch!, end, error { println(1) }");
    QCOMPARE(skip->points(), QStringList({"end", "error"}));
}

void ElaboratorTest::beginEndPriority() {
    auto r = elaborate("probe begin(10), begin(-5), end(0x10), error(1) { println(1) }");
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->points(), QStringList({"begin(10)", "begin(-5)", "end(16)", "error(1)"}));
    QCOMPARE(*r->program().probes[1].point.components[0].number, int64_t(-5));
    // never takes no number; begin no string.
    QVERIFY(!elaborate("probe never(1) { println(1) }")->ok);
    QVERIFY(!elaborate("probe begin(\"x\") { println(1) }")->ok);
}

void ElaboratorTest::unknownProbePoint() {
    auto r = elaborate("probe begin { println(1) }\nprobe  kernel.nosuch(\"x\") { println(2) }");
    QVERIFY(!r->ok);
    QCOMPARE(r->errors(), QStringList({"2:15 probe point mismatch [identifier 'nosuch']"}));
    // A suffix no family has.
    auto suffix = elaborate("probe begin(1).foo { println(1) }");
    QCOMPARE(suffix->errors().value(0), QString("1:16 probe point mismatch [identifier 'foo']"));
    // Every unknown point is reported, not just the first.
    auto two = elaborate("probe foo { println(1) }\nprobe bar { println(2) }");
    QCOMPARE(two->errors().filter("probe point mismatch").size(), 2);
}

void ElaboratorTest::providerChecksArguments_data() {
    QTest::addColumn<QString>("point");
    QTest::addColumn<QString>("note"); // "" = accepted
    QTest::newRow("ms 0") << "timer.ms(0)" << "interval value out of range (1, 86400000)";
    QTest::newRow("ms 1") << "timer.ms(1)" << "";
    QTest::newRow("s max") << "timer.s(86400)" << "";
    QTest::newRow("s over") << "timer.s(86401)" << "interval value out of range (1, 86400)";
    QTest::newRow("ns min") << "timer.ns(100000)" << "";
    QTest::newRow("ns under") << "timer.ns(99999)" << "interval value out of range (100000, 86400000000000)";
    QTest::newRow("hz 0") << "timer.hz(0)" << "interval value out of range (1, 10000)";
    QTest::newRow("hz 10000") << "timer.hz(10000)" << "";
    QTest::newRow("hz 10001 (under 100us)") << "timer.hz(10001)" << "interval value out of range (1, 10000)";
    QTest::newRow("us 99") << "timer.us(99)" << "interval value out of range (100, 86400000000)";
    QTest::newRow("us 100") << "timer.us(100)" << "";
    QTest::newRow("usec max") << "timer.usec(86400000000)" << "";
    QTest::newRow("jiffies max") << "timer.jiffies(1000000)" << "";
    QTest::newRow("randomize ok") << "timer.ms(100).randomize(100)" << "";
    QTest::newRow("randomize over") << "timer.ms(100).randomize(101)" << "randomization value out of range (0, 100)";
    QTest::newRow("hz has no randomize") << "timer.hz(10).randomize(1)" << "probe point mismatch";
    QTest::newRow("string argument") << "timer.s(\"1\")" << "probe point mismatch";
}

void ElaboratorTest::providerChecksArguments() {
    QFETCH(QString, point);
    QFETCH(QString, note);
    auto r = elaborate("probe " + point.toStdString() + " { println(1) }");
    if (note.isEmpty()) {
        QCOMPARE(r->errors(), QStringList());
        QCOMPARE(r->points(), QStringList({point}));
        return;
    }
    QCOMPARE(r->errors().size(), 1);
    QVERIFY2(r->errors()[0].contains(" " + note + " [identifier '"), qPrintable(r->errors()[0]));
}

void ElaboratorTest::derivationText() {
    auto r = elaborate("probe begin, end? if (1) { println(1) }");
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->program().probes[0].derivation, std::string("begin,end? if (1)"));
    QCOMPARE(r->program().probes[0].decl, r->program().probes[1].decl);
}

// ------------------------------------------------------------- functions

void ElaboratorTest::overloadsByArity() {
    auto r = elaborate("function f(a) { return a + 1 }\nfunction f(a, b) { return a . b }\n"
                       "probe begin { println(f(1), f(\"x\", \"y\")) }");
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->p2(), QString("# functions\nf:long (a:long)\nf:string (a:string, b:string)\n# probes\n"
                              "begin /* <- begin */\n"));
}

void ElaboratorTest::sameArityOverloadWithPriority() {
    // The lower priority number is called first.
    auto r = elaborate("function f(a):2 { return 2 }\nfunction f(a) { if (a) next; return 1 }\n"
                       "probe begin { println(f(1)) }");
    QCOMPARE(r->errors(), QStringList());
    const Program& p = r->program();
    QCOMPARE(p.probes.size(), size_t(1));
    // Both same-arity functions are part of the program (the first may `next`).
    QCOMPARE(p.functions.size(), size_t(2));
    QCOMPARE(r->p2().count("f:long (a:long)"), 2);
}

void ElaboratorTest::unresolvedFunction() {
    auto r = elaborate("probe begin {\n  println(nosuch(1))\n}");
    QCOMPARE(r->errors(), QStringList({"2:11 unresolved function nosuch [identifier 'nosuch']"}));
    // Only reachable code is resolved, as stap: an unused function's calls are not.
    auto unused = elaborate("function never_called() { return nosuch() }\nprobe begin { println(1) }");
    QCOMPARE(unused->errors(), QStringList());
}

void ElaboratorTest::arityMismatch() {
    auto r = elaborate("function f(x) { return 1 }\nprobe begin { println(f(1, 2)) }");
    QCOMPARE(r->errors(), QStringList({"2:23 arity mismatch found (function 'f' takes 1 args) [identifier 'f']",
                                       "  note 1:10 function defined here [identifier 'f']"}));
    // A tapset function with the wrong number of arguments.
    auto lib = elaborate("probe begin { println(strlen()) }");
    QCOMPARE(lib->errors().value(0),
             QString("1:23 arity mismatch found (function 'strlen' takes 1 args) [identifier 'strlen']"));
}

void ElaboratorTest::privateFunctionsAndGlobals() {
    CompileOptions o;
    o.includeDirs = {tapsetDir_.string()};
    // A tapset's private function is not visible to the script (stap: unresolved).
    auto hidden = elaborate("probe begin { println(secret()) }", o);
    QCOMPARE(hidden->errors(), QStringList({"1:23 unresolved function secret [identifier 'secret']"}));
    // It is visible inside its own file.
    auto pub = elaborate("probe begin { println(pub()) }", o);
    QCOMPARE(pub->errors(), QStringList());
    QCOMPARE(pub->program().functions.size(), size_t(2));
    // A tapset's private global is a fresh local in the script ...
    auto g = elaborate("probe begin { println(hidden) }", o);
    QCOMPARE(g->errors(), QStringList({"1:23 unresolved type  [identifier 'hidden']"}));
    // ... and the global in its own file.
    auto peek = elaborate("probe begin { println(peek_hidden()) }", o);
    QCOMPARE(peek->errors(), QStringList());
    QCOMPARE(peek->p2(), QString("# globals\nhidden:long\n# functions\npeek_hidden:long ()\n# probes\n"
                                 "begin /* <- begin */\n"));
}

// ---------------------------------------------------------------- symbols

void ElaboratorTest::arrayArity() {
    auto r = elaborate("global a\nprobe begin { a[1] = 1; println(a[1, 2]) }");
    QCOMPARE(r->errors(), QStringList({"2:33 inconsistent arity (1 vs 2) [identifier 'a']",
                                       "  note 2:15 arity 1 first inferred here [identifier 'a']"}));
    auto fe = elaborate("global a\nprobe begin { a[1] = 1; foreach ([k, l] in a) println(k) }");
    QCOMPARE(fe->errors().value(0), QString("2:44 inconsistent arity (1 vs 2) [identifier 'a']"));
    // A global used as a scalar and as an array.
    auto mixed = elaborate("global a\nprobe begin { a = 1; a[1] = 2 }");
    QCOMPARE(mixed->errors().value(0), QString("2:22 inconsistent arity (0 vs 1) [identifier 'a']"));
    // Sized and wrapping globals are arrays.
    auto sized = elaborate("global a[4], w%\nprobe begin { a = 1; w = 2 }");
    QCOMPARE(sized->errors(), QStringList({"1:8 inconsistent arity [identifier 'a']",
                                           "1:14 wrapping not supported for scalars [identifier 'w']"}));
}

void ElaboratorTest::undeclaredArray() {
    auto r = elaborate("probe begin { x[1] = 1 }");
    QCOMPARE(r->errors(),
             QStringList({"1:15 unresolved arity-1 global array x, missing global declaration? [identifier 'x']"}));
    auto param = elaborate("function f(p) { return p[1] }\nprobe begin { println(f(1)) }");
    QCOMPARE(param->errors().value(0), QString("1:24 function parameter 'p' used as an array [identifier 'p']"));
}

void ElaboratorTest::returnAndContextRules() {
    auto entry = elaborate("probe begin { println(@entry(1)) }");
    QCOMPARE(entry->errors(), QStringList({"1:23 @entry is only valid in .return probes [operator '@entry']"}));
    auto write = elaborate("global x\nprobe begin { @probewrite(x) }");
    QCOMPARE(write->errors().value(0), QString("2:15 unexpected @probewrite [operator '@probewrite']"));
    auto target = elaborate("probe begin { println($foo) }");
    QCOMPARE(target->errors().value(0), QString("1:23 unresolved target-symbol expression [identifier '$foo']"));
    // @defined folds: no error for what it guards.
    auto defined = elaborate("probe begin { println(@defined($foo) ? $foo : 7) }");
    QCOMPARE(defined->errors(), QStringList());
    auto wildcard = elaborate("global a\nprobe begin { a[1] = 1; println(a[*]) }");
    QCOMPARE(wildcard->errors().value(0), QString("2:33 wildcard not allowed in array index [identifier 'a']"));
}

void ElaboratorTest::foreachModification() {
    // stap reports these at the array written (1:50 and 1:57 as stap).
    auto assign = elaborate("global a; probe begin { a[1]=1; foreach (k in a) a[k] = 2 }");
    QCOMPARE(assign->errors(),
             QStringList({"1:50 variable 'a' modified during 'foreach' iteration [identifier 'a']"}));
    auto del = elaborate("global a; probe begin { a[1]=1; foreach (k in a) delete a[k] }");
    QCOMPARE(del->errors(),
             QStringList({"1:57 variable 'a' modified during 'foreach' iteration [identifier 'a']"}));
    auto incr = elaborate("global a; probe begin { a[1]=1; foreach (k in a) a[k]++ }");
    QCOMPARE(incr->errors().size(), 1);
    auto call = elaborate("global a\nfunction clear() { delete a[1]; a[2] = 1 }\n"
                          "probe begin { a[1]=1; foreach (k in a) clear() }");
    QCOMPARE(call->errors(), QStringList({"3:40 function call modifies var 'a' during 'foreach' iteration "
                                          "[identifier 'clear']"}));
    // Reading, or writing another array, is fine.
    auto ok = elaborate("global a, b; probe begin { a[1]=1; foreach (k in a) b[k] = a[k] }");
    QCOMPARE(ok->errors(), QStringList());
}

void ElaboratorTest::probeConditionRules() {
    auto local = elaborate("probe begin if (x > 0) { println(1) }");
    QCOMPARE(local->errors(), QStringList({"1:17 probe condition must use only global variables [identifier 'x']"}));
    auto modify = elaborate("global x\nprobe begin if (x++ > 0) { println(1) }");
    QCOMPARE(modify->errors(), QStringList({"2:18 probe condition must not modify any variables [operator '++']"}));
    auto call = elaborate("global x\nprobe begin if (f()) { println(1) }\nfunction f() { return 1 }");
    QCOMPARE(call->errors().value(0), QString("2:17 probe condition must not reference function [identifier 'f']"));
    auto ok = elaborate("global x = 2\nprobe begin if (x > 1 && x < 3) { println(1) }");
    QCOMPARE(ok->errors(), QStringList());
}

// ---------------------------------------------------------------- elision

void ElaboratorTest::elisionRemovesEmptyProbes() {
    auto r = elaborate("probe begin {}");
    QVERIFY(!r->ok);
    QCOMPARE(r->warnings(), QStringList({"1:1 Probe 'begin' has been elided [keyword]"}));
    QCOMPARE(r->errors(), QStringList({"0:0 no probes found []"}));
    // A probe whose statements are all dead is elided too.
    auto dead = elaborate("probe begin { x = 1; if (x) { } ; 3 + 4 }\nprobe end { println(1) }");
    QCOMPARE(dead->errors(), QStringList());
    QCOMPARE(dead->points(), QStringList({"end"}));
}

void ElaboratorTest::elisionWarnings() {
    auto r = elaborate("probe begin { x = 1; println(2) }");
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->warnings(), QStringList({"1:17 Eliding assignment to 'x' [operator '=']",
                                         "1:19 Eliding side-effect-free expression  [number '1']"}));
    QVERIFY(r->program().probes[0].locals.empty()); // and x is gone
    // Side-effect-free loops go silently, as in stap (even an endless one).
    auto loop = elaborate("probe begin { while (0) {} ; println(1) }");
    QCOMPARE(loop->warnings(), QStringList());
    QCOMPARE(loop->errors(), QStringList());
    auto endless = elaborate("probe begin { for (;;) ; }");
    QCOMPARE(endless->errors(), QStringList({"0:0 no probes found []"}));
    // A loop with effects stays.
    auto counting = elaborate("probe begin { for (i = 0; i < 3; i++) {} }");
    QCOMPARE(counting->errors(), QStringList());
}

void ElaboratorTest::elisionKeepsEffects() {
    // A value-returning function call with no effects is elided; one that
    // prints, writes a global or is embedded code is kept.
    auto pure = elaborate("function f() { return 1 }\nprobe begin { f() }");
    QVERIFY(!pure->ok); // "no probes found", as stap
    auto prints = elaborate("function f() { println(1) }\nprobe begin { f() }");
    QCOMPARE(prints->errors(), QStringList());
    auto global = elaborate("global g\nfunction f() { g = 1; return 1 }\nprobe begin { f() }");
    QCOMPARE(global->errors(), QStringList());
    auto deleting = elaborate("global a\nprobe begin { delete a }\nprobe end { a[1] = 2 }");
    QCOMPARE(deleting->errors(), QStringList());
    QCOMPARE(deleting->points(), QStringList({"begin", "end"}));
    // A local read later is kept.
    auto used = elaborate("probe begin { x = 1; println(x) }");
    QCOMPARE(used->warnings(), QStringList());
    QCOMPARE(used->program().probes[0].locals.size(), size_t(1));
}

void ElaboratorTest::unoptimizedKeepsEverything() {
    CompileOptions o;
    o.unoptimized = true; // -u
    auto r = elaborate("probe begin {}", o);
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->points(), QStringList({"begin"}));
    auto local = elaborate("probe begin { x = 1 }", o);
    QCOMPARE(local->warnings(), QStringList());
    QCOMPARE(local->p2(), QString("# probes\nbegin /* <- begin */\n  # locals\n  x:long\n"));
}

void ElaboratorTest::onlyReachableFunctionsAndGlobals() {
    auto r = elaborate("global used, unused\nfunction f() { return used }\nfunction g() { return 2 }\n"
                       "probe begin { used = 1; println(f()) }");
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->program().globals.size(), size_t(1));
    QCOMPARE(r->program().globals[0]->name, std::string("used"));
    QCOMPARE(r->program().functions.size(), size_t(1));
    QCOMPARE(r->program().functions[0]->name, std::string("f"));
    QVERIFY(r->program().globals[0]->read && r->program().globals[0]->written);
}

void ElaboratorTest::programPrinter() {
    // stap -p2 output, verbatim.
    auto r = elaborate("global a%[5], b[7], s, arr\n"
                       "function z(p:string) { return strlen(p) }\nfunction add(x, y) { return x + y }\n"
                       "probe begin { a[1] = 1; b[\"k\"] = \"v\"; s <<< 1; arr[1, \"x\"] = add(1, 2);\n"
                       "  t = z(\"q\"); println(a[1], b[\"k\"], @count(s), arr[1, \"x\"], t) }");
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->p2(), QString("# globals\n"
                              "a%[5]:long [long]\n"
                              "b[7]:string [string]\n"
                              "s:stats\n"
                              "arr:long [long, string]\n"
                              "# functions\n"
                              "add:long (x:long, y:long)\n"
                              "strlen:long (s:string)\n"
                              "z:long (p:string)\n"
                              "# probes\n"
                              "begin /* <- begin */\n"
                              "  # locals\n"
                              "  t:long\n"));
}

QTEST_GUILESS_MAIN(ElaboratorTest)
#include "test_elaborator.moc"
