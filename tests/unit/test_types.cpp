// Pass 2, types: inference of long / string / stats through assignments,
// arrays (keys and values), function parameters and returns, foreach and
// catch; the diagnostics for conflicts (stap's "type mismatch (T)" with the
// note "type was first inferred here (U)"), statistics misuse, and printf's
// argument checks. Results checked against stap 4.8 (`stap -p2`); where our
// wording differs from stap's the row name says so.
#include "ast_walk.h"
#include "frontend.h"
#include "program_printer.h"

#include <QtTest>

#include <memory>
#include <sstream>
#include <string>

using namespace tap;

namespace {

struct Run {
    std::unique_ptr<Frontend> fe;
    bool ok = false;
    QString p2() const {
        std::ostringstream o;
        printProgram(o, fe->program());
        return QString::fromStdString(o.str());
    }
    // "L:C message [subject]" per error and per note, in order.
    QStringList errors() const {
        QStringList out;
        auto line = [](const Diagnostic& d) {
            return QString("%1:%2 %3 [%4]")
                .arg(d.loc.line)
                .arg(d.loc.col)
                .arg(QString::fromStdString(d.message), QString::fromStdString(d.subject));
        };
        for (const Diagnostic& d : fe->diagnostics().all()) {
            if (d.severity != Severity::Error)
                continue;
            out << line(d);
            for (const Diagnostic& n : d.notes)
                out << line(n);
        }
        return out;
    }
};

std::unique_ptr<Run> check(const std::string& script) {
    auto r = std::make_unique<Run>();
    r->fe = std::make_unique<Frontend>(CompileOptions{});
    r->fe->addScriptText("<input>", script);
    r->ok = r->fe->elaborate();
    return r;
}

} // namespace

class TypesTest : public QObject {
    Q_OBJECT
private slots:
    void inference_data();
    void inference();
    void mismatch_data();
    void mismatch();
    void statsMisuse_data();
    void statsMisuse();
    void printfChecks_data();
    void printfChecks();
    void printfAccepts_data();
    void printfAccepts();
    void mismatchNoteIsAnError();
    void eachConflictReportedOnce();
    void regexIsCompiled();
    void expressionTypesAreRecorded();
    void returnTypeFromCallSiteOnlyWithoutReturns();
    void fixedPointAcrossFunctions();
};

void TypesTest::inference_data() {
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("p2"); // stap -p2 output, verbatim
    QTest::newRow("array keyed by string") << QString("global a; probe begin { a[\"x\"] = 1; println(a[\"x\"]) }")
        << QString("# globals\na:long [string]\n# probes\nbegin /* <- begin */\n");
    QTest::newRow("stats array") << QString("global h; probe begin { h[\"x\", 2] <<< 1; println(@count(h[\"x\", 2])) }")
        << QString("# globals\nh:stats [string, long]\n# probes\nbegin /* <- begin */\n");
    QTest::newRow("param and return through concat") << QString("function f(x) { return x . \"s\" } probe begin { println(f(\"a\")) }")
        << QString("# functions\nf:string (x:string)\n# probes\nbegin /* <- begin */\n");
    QTest::newRow("identity function long") << QString("function f(x) { return x } probe begin { println(f(1)) }")
        << QString("# functions\nf:long (x:long)\n# probes\nbegin /* <- begin */\n");
    QTest::newRow("identity function string") << QString("function f(x) { return x } probe begin { println(f(\"s\")) }")
        << QString("# functions\nf:string (x:string)\n# probes\nbegin /* <- begin */\n");
    QTest::newRow("foreach keys from array keys") << QString("global a; probe begin { a[\"k\", 1] = \"v\"; foreach ([s, n] in a) printf(\"%s %d %s\\n\", s, n, a[s, n]) }")
        << QString("# globals\na:string [string, long]\n# probes\nbegin /* <- begin */\n  # locals\n  s:string\n  n:long\n");
    QTest::newRow("foreach value") << QString("global a; probe begin { a[1] = \"v\"; foreach (v = [k] in a) println(v, k) }")
        << QString("# globals\na:string [long]\n# probes\nbegin /* <- begin */\n  # locals\n  k:long\n  v:string\n");
    QTest::newRow("chained locals") << QString("probe begin { x = y; y = z; z = \"deep\"; println(x) }")
        << QString("# probes\nbegin /* <- begin */\n  # locals\n  x:string\n  y:string\n  z:string\n");
    QTest::newRow("ternary") << QString("probe begin { x = 1 ? \"a\" : \"b\"; println(x) }")
        << QString("# probes\nbegin /* <- begin */\n  # locals\n  x:string\n");
    QTest::newRow("catch variable") << QString("probe begin { try { error(\"e\") } catch (m) { println(m) } }")
        << QString("# functions\nerror:unknown (msg:string)\n# probes\nbegin /* <- begin */\n  # locals\n  m:string\n");
    QTest::newRow("recursion") << QString("function g(n) { return n > 0 ? g(n - 1) + 1 : 0 } probe begin { println(g(3)) }")
        << QString("# functions\ng:long (n:long)\n# probes\nbegin /* <- begin */\n");
    QTest::newRow("call chain") << QString("function a1(x) { return b1(x) } function b1(y) { return y . \"!\" } probe begin { println(a1(\"q\")) }")
        << QString("# functions\na1:string (x:string)\nb1:string (y:string)\n# probes\nbegin /* <- begin */\n");
    QTest::newRow("global through function") << QString("global cnt; function bump() { cnt++ } probe begin { bump(); println(cnt) }")
        << QString("# globals\ncnt:long\n# functions\nbump:unknown ()\n# probes\nbegin /* <- begin */\n");
    QTest::newRow("histogram iteration") << QString("global st; probe begin { st <<< 3; foreach (b in @hist_log(st)) println(b, @hist_log(st)[b]) }")
        << QString("# globals\nst:stats\n# probes\nbegin /* <- begin */\n  # locals\n  b:long\n");
    QTest::newRow("compound assignment") << QString("probe begin { s = \"a\"; s .= \"b\"; n = 1; n += 2; println(s, n) }")
        << QString("# probes\nbegin /* <- begin */\n  # locals\n  s:string\n  n:long\n");
    QTest::newRow("global initializer") << QString("global g = \"init\"; probe begin { println(g . \"x\") }")
        << QString("# globals\ng:string\n# probes\nbegin /* <- begin */\n");
    QTest::newRow("membership and delete") << QString("global arr; probe begin { arr[1] = 1; if ([1] in arr) println(1); delete arr[1] }")
        << QString("# globals\narr:long [long]\n# probes\nbegin /* <- begin */\n");
    QTest::newRow("string comparison is long") << QString("probe begin { x = \"a\" < \"b\"; y = \"a\" == \"b\"; println(x + y) }")
        << QString("# probes\nbegin /* <- begin */\n  # locals\n  x:long\n  y:long\n");
    QTest::newRow("while loop") << QString("probe begin { x = 0; while (x < 3) x++; println(x) }")
        << QString("# probes\nbegin /* <- begin */\n  # locals\n  x:long\n");
    QTest::newRow("declared types") << QString("function f:string(a:long) { return sprint(a) } probe begin { println(f(1)) }")
        << QString("# functions\nf:string (a:long)\n# probes\nbegin /* <- begin */\n");
    QTest::newRow("tapset functions") << QString("probe begin { println(strlen(\"abc\") + 1, substr(\"abc\", 1, 1) . \"x\") }")
        << QString("# functions\nstrlen:long (s:string)\nsubstr:string (str:string, start:long, length:long)\n# probes\nbegin /* <- begin */\n");
}

void TypesTest::inference() {
    QFETCH(QString, script);
    QFETCH(QString, p2);
    auto r = check(script.toStdString());
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->p2(), p2);
}

void TypesTest::mismatch_data() {
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("errors"); // errors and notes: "L:C message [subject]"
    QTest::newRow("reassigned local") << QString("probe begin { x = 1; x = \"a\"; println(x) }")
        << QStringList({"1:22 type mismatch (string) [identifier 'x']", "1:15 type was first inferred here (long) [identifier 'x']"});
    QTest::newRow("local used in the wrong context") << QString("probe begin { x = \"a\"; println(x + 1) }")
        << QStringList({"1:32 type mismatch (long) [identifier 'x']", "1:15 type was first inferred here (string) [identifier 'x']"});
    QTest::newRow("array value") << QString("global a; probe begin { a[1] = 1; a[2] = \"s\"; println(a[1]) }")
        << QStringList({"1:35 type mismatch (string) [identifier 'a']", "1:25 type was first inferred here (long) [identifier 'a']"});
    QTest::newRow("array key") << QString("global a; probe begin { a[1, \"x\"] = 1; a[2, 3] = 1; println(a[1,\"x\"]) }")
        << QStringList({"1:45 index 1 type mismatch (long) [number '3']", "1:30 type of index 1 was first inferred here (string) [string 'x']"});
    QTest::newRow("two returns") << QString("function f() { return 1; return \"a\" } probe begin { println(f()) }")
        << QStringList({"1:33 type mismatch (string) [string 'a']", "1:23 type was first inferred here (long) [number '1']"});
    QTest::newRow("call in the wrong context") << QString("function f() { return 1 } probe begin { x = f() . \"a\"; println(x) }")
        << QStringList({"1:45 type mismatch (string) [identifier 'f']", "1:23 type was first inferred here (long) [number '1']"});
    QTest::newRow("parameter typed by its call") << QString("function f(x) { return x + 1 } probe begin { println(f(\"a\")) }")
        << QStringList({"1:24 type mismatch (long) [identifier 'x']", "1:56 type was first inferred here (string) [string 'a']"});
    QTest::newRow("assigning a typed variable") << QString("probe begin { x = 1; y = \"a\"; x = y; println(x) }")
        << QStringList({"1:35 type mismatch (long) [identifier 'y']", "1:22 type was first inferred here (string) [identifier 'y']"});
    QTest::newRow("foreach key") << QString("global a; probe begin { a[\"x\"] = 1; foreach (k in a) println(k + 1) }")
        << QStringList({"1:62 type mismatch (long) [identifier 'k']", "1:46 type was first inferred here (string) [identifier 'k']"});
    QTest::newRow(".= on a long") << QString("probe begin { x = 1; x .= \"a\"; println(x) }")
        << QStringList({"1:22 type mismatch (string) [identifier 'x']", "1:15 type was first inferred here (long) [identifier 'x']"});
    QTest::newRow("+= on a string") << QString("probe begin { x = \"a\"; x += 1; println(x) }")
        << QStringList({"1:24 type mismatch (long) [identifier 'x']", "1:15 type was first inferred here (string) [identifier 'x']"});
    QTest::newRow("++ on a string") << QString("probe begin { x = \"a\"; x++; println(x) }")
        << QStringList({"1:24 type mismatch (long) [identifier 'x']", "1:15 type was first inferred here (string) [identifier 'x']"});
    QTest::newRow("declared return type") << QString("function f:string() { return 1 } probe begin { println(f()) }")
        << QStringList({"1:30 type mismatch: expected long but found string [number '1']"});
    QTest::newRow("declared parameter type") << QString("function f:long(x:string) { return 1 } probe begin { println(f(2)) }")
        << QStringList({"1:64 type mismatch: expected long but found string [number '2']"});
    QTest::newRow("literal operand") << QString("probe begin { x = 1 + \"a\"; println(x) }")
        << QStringList({"1:23 type mismatch: expected long but found string [string 'a']"});
    QTest::newRow("literal concatenated") << QString("probe begin { x = \"a\" . 1; println(x) }")
        << QStringList({"1:25 type mismatch: expected string but found long [number '1']"});
    QTest::newRow("global typed by its initializer") << QString("global g = 1; probe begin { g = \"x\"; println(g) }")
        << QStringList({"1:29 type mismatch: expected string but found long [identifier 'g']"});
    QTest::newRow("string condition") << QString("probe begin { if (\"a\") println(1) }")
        << QStringList({"1:19 type mismatch: expected long but found string [string 'a']"});
    QTest::newRow("ternary branches") << QString("probe begin { x = 1 ? \"a\" : 2; println(x) }")
        << QStringList({"1:29 type mismatch: expected string but found long [number '2']"});
    QTest::newRow("unary minus of a string") << QString("probe begin { x = -\"a\"; println(x) }")
        << QStringList({"1:20 type mismatch: expected long but found string [string 'a']"});
    QTest::newRow("foreach limit") << QString("global a; probe begin { a[1] = 1; foreach (k in a limit \"x\") println(k) }")
        << QStringList({"1:57 type mismatch: expected long but found string [string 'x']"});
    QTest::newRow("string compared with a number") << QString("probe begin { x = \"a\" < 1; println(x) }")
        << QStringList({"1:25 type mismatch: expected string but found long [number '1']"});
    QTest::newRow("sprintf is a string") << QString("probe begin { x = sprintf(\"%d\", 1) + 1; println(x) }")
        << QStringList({"1:19 type mismatch: expected long but found string [identifier 'sprintf']"});
    QTest::newRow("tapset function argument") << QString("probe begin { println(strlen(1)) }")
        << QStringList({"1:30 type mismatch: expected long but found string [number '1']"});
    QTest::newRow("unresolved") << QString("probe begin { println(x) }")
        << QStringList({"1:23 unresolved type  [identifier 'x']"});
    QTest::newRow("unresolved global") << QString("global never_set; probe begin { println(never_set) }")
        << QStringList({"1:41 unresolved type  [identifier 'never_set']", "1:8 unresolved type  [identifier 'never_set']"});
    QTest::newRow("return without value") << QString("function f() { if (1) return 1; return } probe begin { println(f()) }")
        << QStringList({"1:33 return without a value in a function returning long [keyword]"});
}

void TypesTest::mismatch() {
    QFETCH(QString, script);
    QFETCH(QStringList, errors);
    auto r = check(script.toStdString());
    QVERIFY(!r->ok);
    QCOMPARE(r->errors(), errors);
}

void TypesTest::statsMisuse_data() {
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("errors");
    QTest::newRow("stat local") << QString("probe begin { s <<< 1; println(@count(s)) }")
        << QStringList({"1:15 stat locals not supported [identifier 's']"});
    QTest::newRow("stat as a scalar") << QString("global s; probe begin { s <<< 1; println(s + 1) }")
        << QStringList({"1:42 statistic used as a scalar value; use an extractor such as @count [identifier 's']"});
    QTest::newRow("stat assigned") << QString("global s; probe begin { s <<< 1; s = 2 }")
        << QStringList({"1:34 statistic used as a scalar value; use an extractor such as @count [identifier 's']"});
    QTest::newRow("stat copied") << QString("global s; probe begin { s <<< 1; x = s; println(x) }")
        << QStringList({"1:38 statistic used as a scalar value; use an extractor such as @count [identifier 's']", "1:49 unresolved type  [identifier 'x']", "1:34 unresolved type  [identifier 'x']"});
    QTest::newRow("stat element copied") << QString("global a; probe begin { a[1] <<< 1; x = a[1]; println(x) }")
        << QStringList({"1:41 statistic used as a scalar value; use an extractor such as @count [identifier 'a']", "1:55 unresolved type  [identifier 'x']", "1:37 unresolved type  [identifier 'x']"});
    QTest::newRow("string added to a stat") << QString("global s; probe begin { s <<< \"a\" }")
        << QStringList({"1:31 type mismatch: expected long but found string [string 'a']"});
    QTest::newRow("extractor of a long") << QString("probe begin { x = 5; println(@count(x)) }")
        << QStringList({"1:37 type mismatch: expected stats but found long [identifier 'x']"});
    QTest::newRow("stat as an array key") << QString("global a, s; probe begin { s <<< 1; a[s] = 1 }")
        << QStringList({"1:39 statistic used as a scalar value; use an extractor such as @count [identifier 's']"});
    QTest::newRow("stat as an argument") << QString("global s; function f(x) { return x } probe begin { s <<< 1; println(f(s)) }")
        << QStringList({"1:71 statistic used as a scalar value; use an extractor such as @count [identifier 's']", "1:69 unresolved type  [identifier 'f']", "1:34 unresolved type  [identifier 'x']", "1:22 unresolved type  [identifier 'x']"});
    QTest::newRow("stat compared") << QString("global s; probe begin { s <<< 1; if (s == 1) println(1) }")
        << QStringList({"1:38 statistic used as a scalar value; use an extractor such as @count [identifier 's']"});
    QTest::newRow("stat in printf") << QString("global s; probe begin { s <<< 1; printf(\"%d\\n\", s) }")
        << QStringList({"1:49 statistic used as a scalar value; use an extractor such as @count [identifier 's']"});
    QTest::newRow("histogram parameters") << QString("global s; probe begin { s <<< 1; print(@hist_linear(s, 0, x, 10)) }")
        << QStringList({"1:59 histogram parameters must be literal numbers [identifier 'x']"});
    QTest::newRow("histogram not alone") << QString("global s; probe begin { s <<< 1; print(@hist_log(s), 1) }")
        << QStringList({"1:40 a histogram must be printed alone [operator '@hist_log']"});
    QTest::newRow("histogram as a value") << QString("global s; probe begin { s <<< 1; x = @hist_log(s); println(x) }")
        << QStringList({"1:38 base histogram operator where expression expected [operator '@hist_log']"});
    QTest::newRow("aggregate sort of a non-stat") << QString("global a; probe begin { a[1] = 1; foreach (k in a @sum-) println(k) }")
        << QStringList({"1:49 sorting by an aggregate needs a statistics array [identifier 'a']"});
    QTest::newRow("stat indexed as an array") << QString("global s; probe begin { s <<< 1; println(@count(s[1])) }")
        << QStringList({"1:49 inconsistent arity (0 vs 1) [identifier 's']", "1:25 arity 0 first inferred here [identifier 's']"});
}

void TypesTest::statsMisuse() {
    QFETCH(QString, script);
    QFETCH(QStringList, errors);
    auto r = check(script.toStdString());
    QVERIFY(!r->ok);
    QCOMPARE(r->errors(), errors);
}

void TypesTest::printfChecks_data() {
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("errors");
    QTest::newRow("%d given a string") << QString("probe begin { printf(\"%d\\n\", \"a\") }")
        << QStringList({"1:30 type mismatch: expected long but found string [string 'a']"});
    QTest::newRow("%s given a long") << QString("probe begin { printf(\"%s\\n\", 1) }")
        << QStringList({"1:30 type mismatch: expected string but found long [number '1']"});
    QTest::newRow("too few") << QString("probe begin { printf(\"%d %s\\n\", 1) }")
        << QStringList({"1:15 Wrong number of args to formatted print operator [identifier 'printf']"});
    QTest::newRow("too many") << QString("probe begin { printf(\"%d\\n\", 1, 2) }")
        << QStringList({"1:15 Wrong number of args to formatted print operator [identifier 'printf']"});
    QTest::newRow("none for a directive") << QString("probe begin { printf(\"%d\\n\") }")
        << QStringList({"1:15 Wrong number of args to formatted print operator [identifier 'printf']"});
    QTest::newRow("invalid directive") << QString("probe begin { printf(\"%q\\n\", 1) }")
        << QStringList({"1:22 invalid or missing conversion specifier [string '%q\\n']"});
    QTest::newRow("%lld") << QString("probe begin { printf(\"%lld\\n\", 1) }")
        << QStringList({"1:22 invalid or missing conversion specifier [string '%lld\\n']"});
    QTest::newRow("width * given a string") << QString("probe begin { printf(\"%*d\\n\", \"a\", 1) }")
        << QStringList({"1:31 type mismatch: expected long but found string [string 'a']"});
    QTest::newRow("precision * given a string") << QString("probe begin { printf(\"%.*s\\n\", \"2\", \"abc\") }")
        << QStringList({"1:32 type mismatch: expected long but found string [string '2']"});
    QTest::newRow("sprintf checked too") << QString("probe begin { x = sprintf(\"%s\", 1); println(x) }")
        << QStringList({"1:33 type mismatch: expected string but found long [number '1']"});
    QTest::newRow("typed through a variable") << QString("probe begin { x = \"s\"; printf(\"%d\\n\", x) }")
        << QStringList({"1:39 type mismatch (long) [identifier 'x']", "1:15 type was first inferred here (string) [identifier 'x']"});
    QTest::newRow("print has no value") << QString("probe begin { x = 1 + printf(\"a\") ; println(x) }")
        << QStringList({"1:23 print functions have no value [identifier 'printf']"});
}

void TypesTest::printfChecks() {
    QFETCH(QString, script);
    QFETCH(QStringList, errors);
    auto r = check(script.toStdString());
    QVERIFY(!r->ok);
    QCOMPARE(r->errors(), errors);
}

void TypesTest::printfAccepts_data() {
    QTest::addColumn<QString>("call");
    QTest::newRow("every directive") << R"(printf("%b %c %d %i %m %M %o %p %s %u %x %X %%\n", 1, 65, 1, 1, 0, 0, 8, 0, "s", 1, 255, 255))";
    // %m and %M print memory at an address: a long, as in stap.
    QTest::newRow("flags width precision") << R"(printf("%-5d|%+d|% d|%#x|%05d|%.3s|%10.2s\n", 1, 2, 3, 255, 7, "abcdef", "xyz"))";
    QTest::newRow("star width and precision") << R"(printf("%*d|%.*s|%-*.*s\n", 4, 1, 2, "abc", 6, 2, "xyz"))";
    QTest::newRow("l is ignored") << R"(printf("%ld %lu %lx\n", 1, 2, 3))";
    QTest::newRow("binary widths") << R"(printf("%1b%2b%4b%8b", 1, 2, 3, 4))";
    QTest::newRow("no directives") << R"(printf("plain\n"))";
    QTest::newRow("sprintf") << R"(println(sprintf("%s=%d", "k", 3)))";
    QTest::newRow("values from variables") << R"(x = 1; s = "a"; printf("%d %s\n", x, s))";
    QTest::newRow("stat extractors") << R"(st <<< 1; printf("%d %d\n", @count(st), @avg(st)))";
}

void TypesTest::printfAccepts() {
    QFETCH(QString, call);
    auto r = check("global st\nprobe begin { " + call.toStdString() + " }");
    QCOMPARE(r->errors(), QStringList());
}

void TypesTest::mismatchNoteIsAnError() {
    // The note hangs off its error (the IDE shows it as related information),
    // it is not a separate diagnostic.
    auto r = check("probe begin { x = 1; x = \"a\"; println(x) }");
    const auto& all = r->fe->diagnostics().all();
    QCOMPARE(all.size(), size_t(1));
    QCOMPARE(r->fe->diagnostics().errorCount(), size_t(1));
    QCOMPARE(all[0].notes.size(), size_t(1));
    QCOMPARE(all[0].notes[0].phase, Phase::Semantic);
    QCOMPARE(all[0].notes[0].loc.line, 1u);
    QCOMPARE(all[0].notes[0].loc.col, 15u);
}

void TypesTest::eachConflictReportedOnce() {
    // The inference runs to a fixed point; errors come from the last round only.
    auto r = check("global g\nprobe begin { g = 1 }\nprobe end { g = \"a\"; println(g) }\nprobe error { g = \"b\" }");
    QCOMPARE(r->errors(), QStringList({"3:13 type mismatch (string) [identifier 'g']",
                                       "2:15 type was first inferred here (long) [identifier 'g']",
                                       "4:15 type mismatch (string) [identifier 'g']",
                                       "2:15 type was first inferred here (long) [identifier 'g']"}));
}

void TypesTest::regexIsCompiled() {
    auto bad = check("probe begin { x = \"abc\" =~ \"(\"; println(x) }");
    QCOMPARE(bad->errors().size(), 1);
    QVERIFY(bad->errors()[0].startsWith("1:28 regex compilation error"));
    QVERIFY(bad->errors()[0].endsWith("[string '(']"));
    auto good = check("probe begin { x = \"abc\" =~ \"^a(b|c)+$\"; y = \"q\" !~ \"[[:digit:]]\"; println(x, y) }");
    QCOMPARE(good->errors(), QStringList());
    // Both sides are strings; the result is a long.
    auto lhs = check("probe begin { x = 1 =~ \"a\"; println(x) }");
    QCOMPARE(lhs->errors(), QStringList({"1:19 type mismatch: expected string but found long [number '1']"}));
}

void TypesTest::expressionTypesAreRecorded() {
    auto r = check("global a\nprobe begin { a[\"k\"] = 1; s = \"x\" . sprint(a[\"k\"]); n = strlen(s) < 3; println(s, n) }");
    QCOMPARE(r->errors(), QStringList());
    std::map<std::string, Type> seen;
    walkExprs(static_cast<Stmt*>(r->fe->program().probes.at(0).body), [&](Expr* e) {
        std::ostringstream o;
        if (e->kind == ExprKind::Binary)
            seen[std::string("binary ") + std::string(opText(static_cast<BinaryExpr*>(e)->op))] = e->type;
        if (e->kind == ExprKind::Index)
            seen["index"] = e->type;
        if (e->kind == ExprKind::Call)
            seen["call " + static_cast<CallExpr*>(e)->name] = e->type;
        if (e->kind == ExprKind::Print)
            seen["print " + static_cast<PrintExpr*>(e)->name] = e->type;
    });
    QCOMPARE(seen["binary ."], Type::String);
    QCOMPARE(seen["binary <"], Type::Long);
    QCOMPARE(seen["index"], Type::Long);
    QCOMPARE(seen["call strlen"], Type::Long);
    QCOMPARE(seen["print sprint"], Type::String);
    QCOMPARE(seen["print println"], Type::Unknown);
}

void TypesTest::returnTypeFromCallSiteOnlyWithoutReturns() {
    // stap accepts a function without a value-returning return used as a
    // string: the call's context types it ...
    auto none = check("function f() { } probe begin { println(f() . \"a\") }");
    QCOMPARE(none->errors(), QStringList());
    QVERIFY(none->p2().contains("f:string ()"));
    // ... but a return statement types it first; the call is then the conflict.
    auto ret = check("function f(a) { return a } probe begin { println(f(1) . \"x\") }");
    QCOMPARE(ret->errors(), QStringList({"1:50 type mismatch (string) [identifier 'f']",
                                         "1:24 type was first inferred here (long) [identifier 'a']"}));
}

void TypesTest::fixedPointAcrossFunctions() {
    // Types flow backwards through calls and across statements until nothing
    // changes (stap -p2 output, verbatim).
    auto r = check("global out\n"
                   "function a_outer(v) { return b_inner(v) }\n"
                   "function b_inner(w) { return w }\n"
                   "probe end { println(out) }\n"
                   "probe begin { out = a_outer(x); x = y; y = \"s\"; println(x) }");
    QCOMPARE(r->errors(), QStringList());
    QCOMPARE(r->p2(), QString("# globals\nout:string\n# functions\na_outer:string (v:string)\n"
                              "b_inner:string (w:string)\n# probes\nend /* <- end */\nbegin /* <- begin */\n"
                              "  # locals\n  x:string\n  y:string\n"));
}

QTEST_GUILESS_MAIN(TypesTest)
#include "test_types.moc"
