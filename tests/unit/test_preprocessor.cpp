// Pass 1b: %( %? %: %) conditionals and @define macros over the lexer's
// tokens. Conditions are evaluated against a TargetInfo built here (so the
// results do not depend on the machine); behaviour checked against stap 4.8.
#include "parser.h"
#include "preprocessor.h"

#include <QElapsedTimer>
#include <QtTest>

#include <memory>
#include <string>
#include <vector>

using namespace tap;

namespace {

TargetInfo testTarget() {
    TargetInfo t;
    t.kernelRelease = "6.1.0-13-amd64";
    t.kernelBaseRelease = "6.1.0";
    t.arch = "x86_64";
    t.runtime = "bpf";
    t.systemtapVersion = "4.8";
    t.privilege = "stapdev";
    t.guruMode = false;
    t.setKernelConfig({{"CONFIG_SMP", "y"},
                       {"CONFIG_MODULES", "m"},
                       {"CONFIG_NR_CPUS", "64"},
                       {"CONFIG_HZ", "250"},
                       {"CONFIG_LOCALVERSION", "hello world"}});
    return t;
}

struct Run {
    SourceManager sm;
    DiagnosticSink diags;
    QString tokens; // token texts joined by spaces
    QString errors() const {
        QStringList out;
        for (const Diagnostic& d : diags.all())
            out << QString("%1%2:%3: %4 [%5]")
                       .arg(d.severity == Severity::Warning ? "warning " : "")
                       .arg(d.loc.line)
                       .arg(d.loc.col)
                       .arg(QString::fromStdString(d.message), QString::fromStdString(d.subject));
        return out.join('\n');
    }
};

// Preprocesses `text` as one file. `library` makes it a .stpm library file
// whose macros go to `macros`.
std::unique_ptr<Run> preprocess(const std::string& text, const TargetInfo& target, MacroTable& macros,
                                bool library = false,
                                const std::vector<std::string>* args = nullptr) {
    auto r = std::make_unique<Run>();
    FileId id = r->sm.addFile(library ? "lib.stpm" : "t.stp", text, library);
    Lexer lexer(r->sm, id, r->diags, args);
    Preprocessor pp(lexer, r->diags, target, macros, library);
    QStringList out;
    for (int guard = 0; guard < 100000; ++guard) {
        Token t = pp.next();
        if (t.kind == Tok::Eof)
            break;
        out << QString::fromStdString(std::string(t.text));
    }
    r->tokens = out.join(' ');
    return r;
}

std::unique_ptr<Run> preprocess(const std::string& text, const std::vector<std::string>* args = nullptr) {
    static TargetInfo target = testTarget();
    MacroTable macros;
    return preprocess(text, target, macros, false, args);
}

// Which branch `%( COND %? yes %: no %)` takes: "yes", "no", or "error".
QString branch(const std::string& cond, const TargetInfo& target) {
    MacroTable macros;
    auto r = preprocess("%( " + cond + " %? yes %: no %)", target, macros);
    if (r->diags.hasErrors())
        return "error";
    return r->tokens;
}

} // namespace

class PreprocessorTest : public QObject {
    Q_OBJECT
private slots:
    void conditions_data();
    void conditions();
    void guruMode();
    void runtimeAndVersionFollowTheTarget();
    void kernelConfigFromOverride();
    void conditionalWithoutElse();
    void nestedConditionals_data();
    void nestedConditionals();
    void conditionalsAcrossTokensKinds();
    void conditionErrors_data();
    void conditionErrors();
    void strayMarkers_data();
    void strayMarkers();
    void missingClose();
    void scriptArgumentsInConditions();
    void macroWithoutParameters();
    void macroWithParameters();
    void macroArgumentsNest();
    void macroBodyConditionalIsEvaluatedAtUse();
    void macroUsesLaterMacro();
    void macroErrors_data();
    void macroErrors();
    void macroRedefinitionInOneFile();
    void recursiveMacroIsBounded();
    void macroHidingBuiltinWarns();
    void unknownAtNamePassesThrough();
    void macrosAreFileLocal();
    void libraryMacrosAreGlobal();
    void localMacroShadowsLibraryMacro();
    void stpmThroughParseFile();
};

// ---------------------------------------------------------------- conditions

void PreprocessorTest::conditions_data() {
    QTest::addColumn<QString>("cond");
    QTest::addColumn<QString>("taken");
    // literals
    QTest::newRow("1 == 1") << "1 == 1" << "yes";
    QTest::newRow("1 != 1") << "1 != 1" << "no";
    QTest::newRow("numeric, not lexical") << "2 < 10" << "yes";
    QTest::newRow("10 >= 10") << "10 >= 10" << "yes";
    QTest::newRow("10 > 10") << "10 > 10" << "no";
    QTest::newRow("9 <= 8") << "9 <= 8" << "no";
    QTest::newRow("strings") << "\"a\" < \"b\"" << "yes";
    QTest::newRow("strings reversed") << "\"b\" < \"a\"" << "no";
    QTest::newRow("string equal") << "\"abc\" == \"abc\"" << "yes";
    QTest::newRow("string literal no wildcard") << "\"abc\" == \"a*\"" << "no";
    // kernel_v / kernel_vr: strverscmp, == and != accept wildcards
    QTest::newRow("kernel_v >= 6.0") << "kernel_v >= \"6.0\"" << "yes";
    QTest::newRow("kernel_v > 6.1") << "kernel_v > \"6.1\"" << "yes";
    QTest::newRow("kernel_v < 6.10 (version order)") << "kernel_v < \"6.10\"" << "yes";
    QTest::newRow("kernel_v < 6.1.1") << "kernel_v < \"6.1.1\"" << "yes";
    QTest::newRow("kernel_v == exact") << "kernel_v == \"6.1.0\"" << "yes";
    QTest::newRow("kernel_v == prefix only") << "kernel_v == \"6.1\"" << "no";
    QTest::newRow("kernel_v == wildcard") << "kernel_v == \"6.1.*\"" << "yes";
    QTest::newRow("kernel_v != wildcard") << "kernel_v != \"5.*\"" << "yes";
    QTest::newRow("kernel_v ? wildcard") << "kernel_v == \"6.?.0\"" << "yes";
    QTest::newRow("kernel_vr == release") << "kernel_vr == \"6.1.0-13-amd64\"" << "yes";
    QTest::newRow("kernel_vr == *amd64") << "kernel_vr == \"*amd64\"" << "yes";
    QTest::newRow("kernel_vr vs kernel_v") << "kernel_vr == \"6.1.0\"" << "no";
    QTest::newRow("kernel_vr >") << "kernel_vr > \"6.1.0\"" << "yes";
    // arch: == / != with wildcards
    QTest::newRow("arch ==") << "arch == \"x86_64\"" << "yes";
    QTest::newRow("arch glob") << "arch == \"x86*\"" << "yes";
    QTest::newRow("arch !=") << "arch != \"arm*\"" << "yes";
    QTest::newRow("arch other") << "arch == \"i386\"" << "no";
    // runtime
    QTest::newRow("runtime bpf") << "runtime == \"bpf\"" << "yes";
    QTest::newRow("runtime kernel") << "runtime == \"kernel\"" << "no";
    QTest::newRow("runtime !=") << "runtime != \"kernel\"" << "yes";
    // systemtap_v: strverscmp like kernel_v
    QTest::newRow("systemtap_v >= 4.0") << "systemtap_v >= \"4.0\"" << "yes";
    QTest::newRow("systemtap_v == 4.8") << "systemtap_v == \"4.8\"" << "yes";
    QTest::newRow("systemtap_v < 4.10") << "systemtap_v < \"4.10\"" << "yes";
    QTest::newRow("systemtap_v > 5.0") << "systemtap_v > \"5.0\"" << "no";
    // systemtap_privilege: exact
    QTest::newRow("privilege") << "systemtap_privilege == \"stapdev\"" << "yes";
    QTest::newRow("privilege other") << "systemtap_privilege == \"stapusr\"" << "no";
    QTest::newRow("privilege no glob") << "systemtap_privilege == \"stap*\"" << "no";
    // guru_mode is a number
    QTest::newRow("guru_mode == 0") << "guru_mode == 0" << "yes";
    QTest::newRow("guru_mode == 1") << "guru_mode == 1" << "no";
    QTest::newRow("guru_mode != 0") << "guru_mode != 0" << "no";
    // CONFIG_
    QTest::newRow("CONFIG y") << "CONFIG_SMP == \"y\"" << "yes";
    QTest::newRow("CONFIG m") << "CONFIG_MODULES == \"m\"" << "yes";
    QTest::newRow("CONFIG m is not y") << "CONFIG_MODULES == \"y\"" << "no";
    QTest::newRow("CONFIG unset == y") << "CONFIG_NOT_THERE == \"y\"" << "no";
    QTest::newRow("CONFIG unset == empty") << "CONFIG_NOT_THERE == \"\"" << "yes";
    QTest::newRow("CONFIG unset != y") << "CONFIG_NOT_THERE != \"y\"" << "yes";
    QTest::newRow("CONFIG glob") << "CONFIG_SMP == \"*\"" << "yes";
    QTest::newRow("CONFIG string glob") << "CONFIG_LOCALVERSION == \"hello*\"" << "yes";
    QTest::newRow("CONFIG number >") << "CONFIG_NR_CPUS > 1" << "yes";
    QTest::newRow("CONFIG number ==") << "CONFIG_NR_CPUS == 64" << "yes";
    QTest::newRow("CONFIG number <") << "CONFIG_NR_CPUS < 64" << "no";
    QTest::newRow("CONFIG vs CONFIG") << "CONFIG_HZ > CONFIG_NR_CPUS" << "yes";
    QTest::newRow("CONFIG vs CONFIG <") << "CONFIG_HZ < CONFIG_NR_CPUS" << "no";
    // && binds tighter than ||; no short-circuit surprises
    QTest::newRow("a && b || c") << "1 == 1 && 2 == 3 || 4 == 4" << "yes";
    QTest::newRow("a || b && c") << "1 == 1 || 2 == 3 && 4 == 5" << "yes";
    QTest::newRow("f || t && f") << "1 == 2 || 2 == 2 && 3 == 4" << "no";
    QTest::newRow("f && t || t") << "1 == 2 && 2 == 2 || 3 == 3" << "yes";
    QTest::newRow("t && t && f") << "1 == 1 && 2 == 2 && 3 == 4" << "no";
    QTest::newRow("f || f || t") << "1 == 2 || 2 == 3 || 3 == 3" << "yes";
    QTest::newRow("mixed families") << "arch == \"x86_64\" && kernel_v >= \"5.0\" && CONFIG_SMP == \"y\""
                                    << "yes";
}

void PreprocessorTest::conditions() {
    QFETCH(QString, cond);
    QFETCH(QString, taken);
    QCOMPARE(branch(cond.toStdString(), testTarget()), taken);
}

void PreprocessorTest::guruMode() {
    TargetInfo t = testTarget();
    t.guruMode = true;
    QCOMPARE(branch("guru_mode == 1", t), QString("yes"));
    QCOMPARE(branch("guru_mode == 0", t), QString("no"));
}

void PreprocessorTest::runtimeAndVersionFollowTheTarget() {
    TargetInfo t = testTarget();
    t.runtime = "kernel";
    t.systemtapVersion = "3.0"; // --compatible=3.0
    t.arch = "arm64";
    t.kernelBaseRelease = "4.19.0";
    QCOMPARE(branch("runtime == \"kernel\"", t), QString("yes"));
    QCOMPARE(branch("systemtap_v < \"4.0\"", t), QString("yes"));
    QCOMPARE(branch("arch == \"x86_64\"", t), QString("no"));
    QCOMPARE(branch("kernel_v < \"5.0\"", t), QString("yes"));
}

void PreprocessorTest::kernelConfigFromOverride() {
    TargetInfo t = testTarget();
    QCOMPARE(t.kernelConfig("CONFIG_SMP"), std::string("y"));
    QCOMPARE(t.kernelConfig("CONFIG_NOT_THERE"), std::string());
    t.setKernelConfig({{"CONFIG_SMP", "n"}});
    QCOMPARE(branch("CONFIG_SMP == \"y\"", t), QString("no"));
    QCOMPARE(branch("CONFIG_NR_CPUS == 64", t), QString("no")); // replaced, not merged
}

void PreprocessorTest::conditionalWithoutElse() {
    auto t = preprocess("a %( 1 == 1 %? b %) c");
    QCOMPARE(t->tokens, QString("a b c"));
    auto f = preprocess("a %( 1 == 2 %? b %) c");
    QCOMPARE(f->tokens, QString("a c"));
    QVERIFY(!f->diags.hasErrors());
}

void PreprocessorTest::nestedConditionals_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("tokens");
    QTest::newRow("t(t)") << "%( 1 == 1 %? %( 2 == 2 %? a %: b %) %: %( 3 == 3 %? c %: d %) %)" << "a";
    QTest::newRow("t(f)") << "%( 1 == 1 %? %( 2 == 3 %? a %: b %) %: %( 3 == 3 %? c %: d %) %)" << "b";
    QTest::newRow("f(t)") << "%( 1 == 2 %? %( 2 == 2 %? a %: b %) %: %( 3 == 3 %? c %: d %) %)" << "c";
    QTest::newRow("f(f)") << "%( 1 == 2 %? %( 2 == 2 %? a %: b %) %: %( 3 == 4 %? c %: d %) %)" << "d";
    QTest::newRow("skipped branch with its own %:") << "x %( 1 == 2 %? %( 1 == 1 %? a %: b %) y %) z"
                                                    << "x z";
    QTest::newRow("three deep") << "%( 1 == 1 %? %( 1 == 1 %? %( 1 == 2 %? a %: b %) c %) d %)"
                                << "b c d";
    QTest::newRow("sequence") << "%( 1 == 1 %? a %) %( 1 == 2 %? b %: c %) %( 1 == 1 %? d %: e %)"
                              << "a c d";
}

void PreprocessorTest::nestedConditionals() {
    QFETCH(QString, input);
    QFETCH(QString, tokens);
    auto r = preprocess(input.toStdString());
    QCOMPARE(r->errors(), QString());
    QCOMPARE(r->tokens, tokens);
}

void PreprocessorTest::conditionalsAcrossTokensKinds() {
    // Branches hold any tokens, including strings, embedded code and unbalanced braces.
    auto r = preprocess("probe begin { %( arch == \"x86_64\" %? x = \"a\" } %: %{ c %} %) y");
    QCOMPARE(r->errors(), QString());
    QCOMPARE(r->tokens, QString("probe begin { x = a } y"));
}

void PreprocessorTest::conditionErrors_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("error"); // the first error
    QTest::newRow("no operator") << "%( 1 %? a %: b %)"
                                 << "1:6: expected comparison operator [operator '%?']";
    QTest::newRow("dangling &&") << "%( 1 == 1 && %? a %)"
                                 << "1:14: expected comparison operator [operator '%?']";
    QTest::newRow("unknown name") << "%( foo == 1 %? a %)"
                                  << "1:4: expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v',\n or "
                                     "comparison between strings or integers [identifier 'foo']";
    QTest::newRow("number vs string") << "%( 1 == \"a\" %? a %)"
                                      << "1:9: expected number literal as right value [string 'a']";
    QTest::newRow("string vs number") << "%( \"a\" == 1 %? a %)"
                                      << "1:11: expected string literal as right value [number '1']";
    QTest::newRow("kernel_v needs a string") << "%( kernel_v == 1 %? a %)"
                                             << "1:16: expected string literal [number '1']";
    QTest::newRow("arch needs a string") << "%( arch == 1 %? a %)" << "1:12: expected string literal [number '1']";
    QTest::newRow("arch order") << "%( arch < \"x\" %? a %)" << "1:9: expected '==' or '!=' [operator '<']";
    QTest::newRow("wildcard with order") << "%( kernel_v < \"6.*\" %? a %)"
                                         << "1:13: wildcard not allowed with order comparison operators "
                                            "[operator '<']";
    QTest::newRow("guru_mode needs a number") << "%( guru_mode == \"1\" %? a %)"
                                              << "1:17: expected number literal [string '1']";
    QTest::newRow("trailing token") << "%( 1 == 1 2 %? a %)"
                                    << "1:11: expected '%?' marker for conditional [number '2']";
    QTest::newRow("empty condition") << "%( %? a %)"
                                     << "1:4: expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v',\n or "
                                        "comparison between strings or integers [operator '%?']";
    QTest::newRow("bad number") << "%( 0x10 == 16 %? a %)" << "1:4: bad lexical cast [number '0x10']";
    QTest::newRow("duplicate %:") << "%( 1 == 1 %? a %: b %: c %)"
                                  << "1:21: invalid conditional - duplicate '%:' [operator '%:']";
    QTest::newRow("duplicate %: in skipped") << "%( 1 == 2 %? a %: b %: c %)"
                                             << "1:21: invalid conditional - duplicate '%:' [operator '%:']";
}

void PreprocessorTest::conditionErrors() {
    QFETCH(QString, input);
    QFETCH(QString, error);
    auto r = preprocess(input.toStdString());
    QVERIFY(r->diags.hasErrors());
    QCOMPARE(r->errors().split('\n').mid(0, error.count('\n') + 1).join('\n'), error);
    QCOMPARE(r->diags.all()[0].phase, Phase::Parse);
}

void PreprocessorTest::strayMarkers_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("error");
    QTest::newRow("%)") << "a %) b" << "1:3: incomplete conditional - unexpected '%)' [operator '%)']";
    QTest::newRow("%:") << "a %: b" << "1:3: incomplete conditional - unexpected '%:' [operator '%:']";
    QTest::newRow("%?") << "a %? b" << "1:3: incomplete conditional - unexpected '%?' [operator '%?']";
}

void PreprocessorTest::strayMarkers() {
    QFETCH(QString, input);
    QFETCH(QString, error);
    auto r = preprocess(input.toStdString());
    QCOMPARE(r->errors(), error);
    QCOMPARE(r->tokens, QString("a b")); // the marker is dropped, the rest kept
}

void PreprocessorTest::missingClose() {
    // Untaken branch running to the end: reported at the %( that opened it.
    auto skipped = preprocess("x\n  %( 1 == 2 %? a b");
    QCOMPARE(skipped->errors(), QString("2:3: missing '%)' for conditional [operator '%(']"));
    // Taken branch running to the end.
    auto taken = preprocess("%( 1 == 1 %? a b");
    QCOMPARE(taken->errors(), QString("1:17: incomplete conditional at end of file [end of input]"));
    QCOMPARE(taken->tokens, QString("a b"));
}

void PreprocessorTest::scriptArgumentsInConditions() {
    std::vector<std::string> two = {"x", "y"};
    QCOMPARE(preprocess("%( $# == 2 %? two %: other %)", &two)->tokens, QString("two"));
    QCOMPARE(preprocess("%( $# == 2 %? two %: other %)")->tokens, QString("other"));
    QCOMPARE(preprocess("%( @1 == \"x\" %? a %: b %)", &two)->tokens, QString("a"));
    // $N pastes before the condition is evaluated.
    std::vector<std::string> cmp = {"3 > 2"};
    QCOMPARE(preprocess("%( $1 %? a %: b %)", &cmp)->tokens, QString("a"));
    // An out-of-range argument in the untaken branch is no error (stap agrees) ...
    auto untaken = preprocess("%( $# > 0 %? $1 %: 0 %)");
    QCOMPARE(untaken->errors(), QString());
    QCOMPARE(untaken->tokens, QString("0"));
    // ... but it is in the taken one.
    auto taken = preprocess("%( $# == 0 %? $1 %: 0 %)");
    QCOMPARE(taken->errors(), QString("1:15: command line argument out of range [1-0] [unknown '$1']"));
}

// -------------------------------------------------------------------- macros

void PreprocessorTest::macroWithoutParameters() {
    auto r = preprocess("@define answer %( 40 + 2 %)\nx = @answer * @answer");
    QCOMPARE(r->errors(), QString());
    QCOMPARE(r->tokens, QString("x = 40 + 2 * 40 + 2")); // token pasting, no parentheses
}

void PreprocessorTest::macroWithParameters() {
    auto r = preprocess("@define add(a, b) %( (@a + @b) %)\n@define swap(a,b) %( @b @a %)\n"
                        "x = @add(1, y * 2); @swap(\"p\", \"q\")");
    QCOMPARE(r->errors(), QString());
    QCOMPARE(r->tokens, QString("x = ( 1 + y * 2 ) ; q p"));
    // An @name in the body that is not a parameter stays (a macro or an operator).
    auto op = preprocess("@define c(s) %( @count(@s) %) @c(v)");
    QCOMPARE(op->tokens, QString("@count ( v )"));
}

void PreprocessorTest::macroArgumentsNest() {
    // Commas inside (), [] and {} do not split arguments.
    auto r = preprocess("@define one(a) %( [@a] %)\n@one(f(1, 2)) @one(a[1, 2]) @one({x, y})");
    QCOMPARE(r->errors(), QString());
    QCOMPARE(r->tokens, QString("[ f ( 1 , 2 ) ] [ a [ 1 , 2 ] ] [ { x , y } ]"));
    // As in stap, a parameter list cannot be empty.
    auto empty = preprocess("@define zero() %( z %)");
    QCOMPARE(empty->errors().split('\n').first(),
             QString("1:14: expected macro parameter name [operator ')']"));
}

void PreprocessorTest::macroBodyConditionalIsEvaluatedAtUse() {
    auto r = preprocess("@define pick %( %( arch == \"x86_64\" %? intel %: other %) %)\n@pick @pick");
    QCOMPARE(r->errors(), QString());
    QCOMPARE(r->tokens, QString("intel intel"));
    // Arguments can feed the condition.
    auto arg = preprocess("@define big(n) %( %( @n > 10 %? big %: small %) %)\n@big(20) @big(3)");
    QCOMPARE(arg->errors(), QString());
    QCOMPARE(arg->tokens, QString("big small"));
}

void PreprocessorTest::macroUsesLaterMacro() {
    // Bodies are expanded at the use, so a macro may use one defined after it.
    auto r = preprocess("@define outer %( [@inner] %)\n@define inner %( 7 %)\n@outer");
    QCOMPARE(r->errors(), QString());
    QCOMPARE(r->tokens, QString("[ 7 ]"));
}

void PreprocessorTest::macroErrors_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("error"); // the first error
    QTest::newRow("name is a number") << "@define 1 %( 1 %)" << "1:9: expected literal macro name [number '1']";
    QTest::newRow("name is a keyword") << "@define probe %( 1 %)" << "1:9: expected literal macro name [keyword]";
    QTest::newRow("no body") << "@define foo 1" << "1:13: expected '%(' [number '1']";
    QTest::newRow("bad parameter") << "@define foo(1) %( 1 %)"
                                   << "1:13: expected macro parameter name [number '1']";
    QTest::newRow("unclosed parameters") << "@define foo(a %( 1 %)" << "1:15: expected ',' or ')' [operator '%(']";
    QTest::newRow("unterminated body") << "@define foo %( 1" << "1:1: unterminated macro definition [operator '@define']";
    QTest::newRow("missing (") << "@define f(a) %( @a %)\n@f + 1"
                               << "2:4: expected '(' in invocation of macro '@f' taking 1 parameter [operator '+']";
    QTest::newRow("missing ( of two") << "@define f(a,b) %( @a %)\n@f"
                                      << "2:3: expected '(' in invocation of macro '@f' taking 2 parameters "
                                         "[end of input]";
    QTest::newRow("too many") << "@define f(a) %( @a %)\n@f(1, 2)"
                              << "2:1: invalid number of parameters for macro '@f' (1 expected, 2 given) "
                                 "[operator '@f']";
    QTest::newRow("too few") << "@define f(a, b) %( @a %)\n@f(1)"
                             << "2:1: invalid number of parameters for macro '@f' (2 expected, 1 given) "
                                "[operator '@f']";
    QTest::newRow("unclosed invocation") << "@define f(a) %( @a %)\n@f(1, "
                                         << "2:1: could not find matching ')' for macro invocation [operator '@f']";
}

void PreprocessorTest::macroErrors() {
    QFETCH(QString, input);
    QFETCH(QString, error);
    auto r = preprocess(input.toStdString());
    QVERIFY(r->diags.hasErrors());
    QCOMPARE(r->errors().split('\n').first(), error);
}

void PreprocessorTest::macroRedefinitionInOneFile() {
    auto r = preprocess("@define foo %( 1 %)\n@define foo %( 2 %)\n@foo");
    QCOMPARE(r->errors(), QString("2:9: attempt to redefine macro '@foo' in the same file [identifier 'foo']"));
    QCOMPARE(r->tokens, QString("1")); // the first definition stays
}

void PreprocessorTest::recursiveMacroIsBounded() {
    auto r = preprocess("@define a %( x @a %)\n@a");
    QVERIFY(r->errors().contains("macro expansion too deep (recursive macro?)"));
    auto mutual = preprocess("@define a %( @b %)\n@define b %( @a %)\n@a");
    QVERIFY(mutual->errors().contains("macro expansion too deep"));
    // Found by the fuzzer: an argument used twice doubles at every level,
    // exhausting memory long before the depth limit.
    QElapsedTimer timer;
    timer.start();
    auto doubling = preprocess("@define SQ(x) %( @SQ((@x) * (@x)) %)\n@SQ(2)");
    QVERIFY2(doubling->errors().contains("macro expansion too large"), qPrintable(doubling->errors()));
    QVERIFY(timer.elapsed() < 5000);
}

void PreprocessorTest::macroHidingBuiltinWarns() {
    auto r = preprocess("@define count %( 1 %)\n@count");
    QVERIFY(!r->diags.hasErrors());
    QCOMPARE(r->errors(),
             QString("warning 1:9: macro '@count' hides the built-in operator of that name [identifier 'count']"));
    QCOMPARE(r->tokens, QString("1")); // and the macro wins
}

void PreprocessorTest::unknownAtNamePassesThrough() {
    // Not a macro: left for the parser (an operator or an error there).
    auto r = preprocess("@nope(1) @cast");
    QCOMPARE(r->errors(), QString());
    QCOMPARE(r->tokens, QString("@nope ( 1 ) @cast"));
}

void PreprocessorTest::macrosAreFileLocal() {
    TargetInfo target = testTarget();
    MacroTable library;
    auto a = preprocess("@define mine %( 1 %)\n@mine", target, library);
    QCOMPARE(a->tokens, QString("1"));
    QVERIFY(library.empty());
    auto b = preprocess("@mine", target, library);
    QCOMPARE(b->tokens, QString("@mine")); // not visible in another script file
    // The same name may be defined again in another file.
    auto c = preprocess("@define mine %( 2 %)\n@mine", target, library);
    QCOMPARE(c->errors(), QString());
    QCOMPARE(c->tokens, QString("2"));
}

void PreprocessorTest::libraryMacrosAreGlobal() {
    TargetInfo target = testTarget();
    MacroTable library;
    auto lib = preprocess("@define shared(x) %( <@x> %)\n@define other %( o %)", target, library, true);
    QCOMPARE(lib->errors(), QString());
    QCOMPARE(lib->tokens, QString());
    QCOMPARE(library.size(), size_t(2));
    QVERIFY(library.count("shared"));
    QCOMPARE(library.at("shared")->params, std::vector<std::string>{"x"});
    auto user = preprocess("@shared(1) @other", target, library);
    QCOMPARE(user->errors(), QString());
    QCOMPARE(user->tokens, QString("< 1 > o"));
    // A later library file may redefine a library macro without error.
    auto again = preprocess("@define other %( p %)", target, library, true); // owns the body's text
    QCOMPARE(again->errors(), QString());
    QCOMPARE(preprocess("@other", target, library)->tokens, QString("p"));
}

void PreprocessorTest::localMacroShadowsLibraryMacro() {
    TargetInfo target = testTarget();
    MacroTable library;
    auto lib = preprocess("@define m %( lib %)", target, library, true); // owns the body's text
    auto r = preprocess("@define m %( local %)\n@m", target, library);
    QCOMPARE(r->errors(), QString());
    QCOMPARE(r->tokens, QString("local"));
    QCOMPARE(preprocess("@m", target, library)->tokens, QString("lib"));
}

void PreprocessorTest::stpmThroughParseFile() {
    // parseFile treats a library file whose name ends in .stpm as a macro library.
    SourceManager sm;
    DiagnosticSink diags;
    TargetInfo target = testTarget();
    MacroTable macros;
    ParseOptions po;
    po.target = &target;
    po.libraryMacros = &macros;
    parseFile(sm, sm.addFile("/t/defs.stpm", "@define lib_m %( 5 %)", true), diags, po);
    QVERIFY(macros.count("lib_m"));
    // A script file with that name, or a library .stp file, keeps its macros local.
    parseFile(sm, sm.addFile("/t/user.stpm", "@define user_m %( 6 %)"), diags, po);
    parseFile(sm, sm.addFile("/t/lib.stp", "@define stp_m %( 7 %)", true), diags, po);
    QVERIFY(!macros.count("user_m"));
    QVERIFY(!macros.count("stp_m"));
    auto ast = parseFile(sm, sm.addFile("s.stp", "global g = @lib_m"), diags, po);
    QVERIFY(!diags.hasErrors());
    QCOMPARE(ast->globals.size(), size_t(1));
    QCOMPARE(static_cast<NumberExpr*>(ast->globals[0]->init)->value, int64_t(5));
}

QTEST_GUILESS_MAIN(PreprocessorTest)
#include "test_preprocessor.moc"
