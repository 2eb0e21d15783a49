// tstap's command line, parsed as stap 4.8 parses its own (GNU getopt):
// clustered short options, values attached or separate, options anywhere
// until `--`, -D/-G safety patterns, and stap's error messages.
#include "cli_options.h"

#include <QtTest>

#include <string>
#include <vector>

using namespace tap;

namespace {

struct Parsed {
    CliOptions o;
    QString error;
};

Parsed parse(const QStringList& args) {
    std::vector<std::string> storage = {"tstap"};
    for (const QString& a : args)
        storage.push_back(a.toStdString());
    std::vector<char*> argv;
    for (std::string& s : storage)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    Parsed p;
    p.error = QString::fromStdString(parseCommandLine(int(storage.size()), argv.data(), p.o));
    return p;
}

QStringList q(const std::vector<std::string>& v) {
    QStringList out;
    for (const std::string& s : v)
        out << QString::fromStdString(s);
    return out;
}

QStringList q(const std::vector<std::pair<std::string, std::string>>& v) {
    QStringList out;
    for (const auto& [k, val] : v)
        out << QString::fromStdString(k + "=" + val);
    return out;
}

} // namespace

class CliOptionsTest : public QObject {
    Q_OBJECT
private slots:
    void defaults();
    void scriptFileAndArguments();
    void stdinScript();
    void scriptText();
    void onlyOneScript();
    void optionsAfterTheScript();
    void doubleDashEndsOptions();
    void passNumber_data();
    void passNumber();
    void clusteredFlags();
    void verbosity_data();
    void verbosity();
    void includeDirs();
    void defines_data();
    void defines();
    void globalSets_data();
    void globalSets();
    void runTimeOptions();
    void probeCapabilities();
    void languageServer();
    void numericValues_data();
    void numericValues();
    void missingValue_data();
    void missingValue();
    void unknownOptions_data();
    void unknownOptions();
    void longOptions();
    void noScriptNeeded_data();
    void noScriptNeeded();
    void compiledSessions();
    void compiledSessionConflicts_data();
    void compiledSessionConflicts();
    void usageMentionsEveryOption();
};

void CliOptionsTest::defaults() {
    Parsed p = parse({"s.stp"});
    QCOMPARE(p.error, QString());
    QCOMPARE(p.o.lastPass, 5);
    QCOMPARE(p.o.verbose, 0);
    QVERIFY(!p.o.guru && !p.o.noWarnings && !p.o.warningsAsErrors && !p.o.unoptimized);
    QVERIFY(!p.o.bulk && !p.o.json && !p.o.hitReport && !p.o.noGlobalDisplay);
    QVERIFY(!p.o.scriptText && !p.o.outputFile && !p.o.command && !p.o.listPattern);
    QVERIFY(!p.o.targetPid && !p.o.timeoutSeconds && !p.o.compatible);
    QVERIFY(p.o.includeDirs.empty() && p.o.defines.empty() && p.o.globalSets.empty());
}

void CliOptionsTest::scriptFileAndArguments() {
    Parsed p = parse({"-p2", "top.stp", "a", "b c", "42"});
    QCOMPARE(p.error, QString());
    QCOMPARE(*p.o.scriptFile, std::string("top.stp"));
    QCOMPARE(q(p.o.scriptArgs), QStringList({"a", "b c", "42"}));
    QCOMPARE(p.o.lastPass, 2);
}

void CliOptionsTest::stdinScript() {
    Parsed p = parse({"-", "x"});
    QCOMPARE(p.error, QString());
    QCOMPARE(*p.o.scriptFile, std::string("-"));
    QCOMPARE(q(p.o.scriptArgs), QStringList({"x"}));
}

void CliOptionsTest::scriptText() {
    // With -e every positional word is a script argument.
    Parsed p = parse({"-e", "probe begin { println($1) }", "one", "two"});
    QCOMPARE(p.error, QString());
    QCOMPARE(*p.o.scriptText, std::string("probe begin { println($1) }"));
    QVERIFY(!p.o.scriptFile);
    QCOMPARE(q(p.o.scriptArgs), QStringList({"one", "two"}));
    // The value may be attached: -eSCRIPT.
    Parsed attached = parse({"-eprobe begin {}"});
    QCOMPARE(*attached.o.scriptText, std::string("probe begin {}"));
    // A script text that looks like an option is still the value.
    Parsed dash = parse({"-e", "-p1"});
    QCOMPARE(*dash.o.scriptText, std::string("-p1"));
    QCOMPARE(dash.o.lastPass, 5);
}

void CliOptionsTest::onlyOneScript() {
    Parsed p = parse({"-e", "a", "-e", "b"});
    QCOMPARE(p.error, QString("Only one script can be given on the command line."));
}

void CliOptionsTest::optionsAfterTheScript() {
    // stap: `stap s.stp a -p2 b` runs pass 2 with arguments a and b.
    Parsed file = parse({"s.stp", "a", "-p2", "b", "-v"});
    QCOMPARE(file.error, QString());
    QCOMPARE(*file.o.scriptFile, std::string("s.stp"));
    QCOMPARE(q(file.o.scriptArgs), QStringList({"a", "b"}));
    QCOMPARE(file.o.lastPass, 2);
    QCOMPARE(file.o.verbose, 1);
    Parsed text = parse({"-e", "probe begin {}", "a", "-p1"});
    QCOMPARE(q(text.o.scriptArgs), QStringList({"a"}));
    QCOMPARE(text.o.lastPass, 1);
}

void CliOptionsTest::doubleDashEndsOptions() {
    Parsed p = parse({"-p1", "s.stp", "--", "-v", "--x", "-"});
    QCOMPARE(p.error, QString());
    QCOMPARE(q(p.o.scriptArgs), QStringList({"-v", "--x", "-"}));
    QCOMPARE(p.o.verbose, 0);
    // Before the script, too: `stap -- -e` names a script file "-e".
    Parsed first = parse({"--", "-e"});
    QCOMPARE(*first.o.scriptFile, std::string("-e"));
    QVERIFY(!first.o.scriptText);
    Parsed text = parse({"-e", "probe begin {}", "--", "-v", "x"});
    QCOMPARE(q(text.o.scriptArgs), QStringList({"-v", "x"}));
}

void CliOptionsTest::passNumber_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("pass"); // 0 = error
    QTest::newRow("-p1") << QStringList({"-p1", "s"}) << 1;
    QTest::newRow("-p 2") << QStringList({"-p", "2", "s"}) << 2;
    QTest::newRow("-p5") << QStringList({"-p5", "s"}) << 5;
    QTest::newRow("last wins") << QStringList({"-p1", "-p3", "s"}) << 3;
    QTest::newRow("-p0") << QStringList({"-p0", "s"}) << 0;
    QTest::newRow("-p6") << QStringList({"-p6", "s"}) << 0;
    QTest::newRow("-px") << QStringList({"-px", "s"}) << 0;
    QTest::newRow("-p2v (value is 2v)") << QStringList({"-p2v", "s"}) << 0;
    QTest::newRow("-p -1") << QStringList({"-p", "-1", "s"}) << 0;
}

void CliOptionsTest::passNumber() {
    QFETCH(QStringList, args);
    QFETCH(int, pass);
    Parsed p = parse(args);
    if (pass == 0) {
        QCOMPARE(p.error, QString("Invalid pass number (should be 1-5)."));
        return;
    }
    QCOMPARE(p.error, QString());
    QCOMPARE(p.o.lastPass, pass);
}

void CliOptionsTest::clusteredFlags() {
    Parsed p = parse({"-gwuWbt", "s.stp"});
    QCOMPARE(p.error, QString());
    QVERIFY(p.o.guru && p.o.noWarnings && p.o.unoptimized && p.o.warningsAsErrors && p.o.bulk && p.o.hitReport);
    // A value-taking option ends the cluster and takes the rest: -vgp2, -gIdir.
    Parsed v = parse({"-vgp2", "-gI/opt/taps", "s.stp"});
    QCOMPARE(v.error, QString());
    QCOMPARE(v.o.verbose, 1);
    QVERIFY(v.o.guru);
    QCOMPARE(v.o.lastPass, 2);
    QCOMPARE(q(v.o.includeDirs), QStringList({"/opt/taps"}));
    // ... or the next argument when it is the cluster's last letter.
    Parsed next = parse({"-gp", "1", "s.stp"});
    QCOMPARE(next.o.lastPass, 1);
    QCOMPARE(*next.o.scriptFile, std::string("s.stp"));
}

void CliOptionsTest::verbosity_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("level");
    QTest::newRow("-v") << QStringList({"-v"}) << 1;
    QTest::newRow("-vvv") << QStringList({"-vvv"}) << 3;
    QTest::newRow("-v -v") << QStringList({"-v", "-v"}) << 2;
    QTest::newRow("-vv -vvv") << QStringList({"-vv", "-vvv"}) << 5;
    QTest::newRow("-vvvp1") << QStringList({"-vvvp1"}) << 3;
}

void CliOptionsTest::verbosity() {
    QFETCH(QStringList, args);
    QFETCH(int, level);
    Parsed p = parse(args + QStringList({"s.stp"}));
    QCOMPARE(p.error, QString());
    QCOMPARE(p.o.verbose, level);
}

void CliOptionsTest::includeDirs() {
    Parsed p = parse({"-I", "/a", "-I/b", "-Ic", "s.stp"});
    QCOMPARE(p.error, QString());
    QCOMPARE(q(p.o.includeDirs), QStringList({"/a", "/b", "c"})); // in order
}

void CliOptionsTest::defines_data() {
    QTest::addColumn<QString>("arg");
    QTest::addColumn<QString>("define"); // "" = rejected
    QTest::newRow("NAME=VAL") << "MAXSTRINGLEN=1024" << "MAXSTRINGLEN=1024";
    QTest::newRow("name only") << "STP_NO_OVERLOAD" << "STP_NO_OVERLOAD=";
    QTest::newRow("negative") << "X=-1" << "X=-1";
    QTest::newRow("word value") << "X=-a_1" << "X=-a_1";
    QTest::newRow("lower case") << "maxactions=10" << "maxactions=10";
    QTest::newRow("underscore start") << "_X=1" << "_X=1";
    QTest::newRow("space in value") << "X=1 2" << "";
    QTest::newRow("digit first") << "3X=1" << "";
    QTest::newRow("empty value") << "X=" << "";
    QTest::newRow("shell characters") << "X=1;rm" << "";
    QTest::newRow("double minus") << "X=--1" << "";
    QTest::newRow("dot") << "X=1.5" << "";
    QTest::newRow("no name") << "=1" << "";
}

void CliOptionsTest::defines() {
    QFETCH(QString, arg);
    QFETCH(QString, define);
    Parsed sep = parse({"-D", arg, "s.stp"});
    Parsed attached = parse({"-D" + arg, "s.stp"});
    if (define.isEmpty()) {
        const QString msg = "Safety pattern mismatch for -D parameter ('" + arg +
                            "' vs. '^[a-z_][a-z_0-9]*(=-?[a-z_0-9]+)?$')";
        QCOMPARE(sep.error, msg);
        QCOMPARE(attached.error, msg);
        return;
    }
    QCOMPARE(sep.error, QString());
    QCOMPARE(q(sep.o.defines), QStringList({define}));
    QCOMPARE(q(attached.o.defines), QStringList({define}));
}

void CliOptionsTest::globalSets_data() {
    QTest::addColumn<QString>("arg");
    QTest::addColumn<QString>("set"); // "" = rejected
    QTest::newRow("number") << "limit=10" << "limit=10";
    QTest::newRow("word with . and -") << "X=A.b-1" << "X=A.b-1";
    QTest::newRow("negative") << "x=-5" << "x=-5";
    QTest::newRow("no value") << "x" << "";
    QTest::newRow("empty value") << "x=" << "";
    QTest::newRow("digit first") << "1x=2" << "";
    QTest::newRow("space") << "x=a b" << "";
    QTest::newRow("quote") << "x=\"s\"" << "";
}

void CliOptionsTest::globalSets() {
    QFETCH(QString, arg);
    QFETCH(QString, set);
    Parsed p = parse({"-G", arg, "s.stp"});
    if (set.isEmpty()) {
        QCOMPARE(p.error, "Safety pattern mismatch for -G parameter ('" + arg +
                              "' vs. '^[a-z_][a-z0-9_]*=[a-z0-9_.-]+$')");
        return;
    }
    QCOMPARE(p.error, QString());
    QCOMPARE(q(p.o.globalSets), QStringList({set}));
    // Several, in order.
    Parsed two = parse({"-G", arg, "-Gother=1", "s.stp"});
    QCOMPARE(q(two.o.globalSets), QStringList({set, "other=1"}));
}

void CliOptionsTest::runTimeOptions() {
    Parsed p = parse({"-o", "out-%Y.txt", "-c", "ls -l", "-x", "1234", "-T", "10", "-b", "-t", "s.stp"});
    QCOMPARE(p.error, QString());
    QCOMPARE(*p.o.outputFile, std::string("out-%Y.txt"));
    QCOMPARE(*p.o.command, std::string("ls -l"));
    QCOMPARE(*p.o.targetPid, 1234L);
    QCOMPARE(*p.o.timeoutSeconds, 10L);
    QVERIFY(p.o.bulk && p.o.hitReport);
}

void CliOptionsTest::probeCapabilities() {
    // Needs no script; --json asks for the JSON report; off unless given.
    Parsed text = parse({"--probe-capabilities"});
    QCOMPARE(text.error, QString());
    QVERIFY(text.o.probeCapabilities);
    QVERIFY(!text.o.json);
    QVERIFY(!text.o.scriptFile);
    Parsed json = parse({"--json", "--probe-capabilities"});
    QCOMPARE(json.error, QString());
    QVERIFY(json.o.probeCapabilities && json.o.json);
    QVERIFY(!parse({"s.stp"}).o.probeCapabilities);
    QCOMPARE(parse({"--probe-capabilities=yes"}).error, QString("unrecognized option '--probe-capabilities=yes'"));
}

void CliOptionsTest::languageServer() {
    // Needs no script; off unless given.
    Parsed p = parse({"--language-server"});
    QCOMPARE(p.error, QString());
    QVERIFY(p.o.languageServer);
    QVERIFY(!p.o.scriptFile);
    QVERIFY(!parse({"s.stp"}).o.languageServer);
}

void CliOptionsTest::numericValues_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("error");
    QTest::newRow("-x word") << QStringList({"-x", "abc"}) << "Invalid target process ID number.";
    QTest::newRow("-x 0") << QStringList({"-x", "0"}) << "Invalid target process ID number.";
    QTest::newRow("-x trailing junk") << QStringList({"-x", "12ab"}) << "Invalid target process ID number.";
    QTest::newRow("-T 0") << QStringList({"-T", "0"}) << "Invalid timeout interval.";
    QTest::newRow("-T word") << QStringList({"-T", "soon"}) << "Invalid timeout interval.";
    QTest::newRow("-T -5") << QStringList({"-T", "-5"}) << "Invalid timeout interval.";
}

void CliOptionsTest::numericValues() {
    QFETCH(QStringList, args);
    QFETCH(QString, error);
    QCOMPARE(parse(args + QStringList({"s.stp"})).error, error);
}

void CliOptionsTest::missingValue_data() {
    QTest::addColumn<QString>("option");
    for (const char* o : {"-p", "-I", "-D", "-G", "-e", "-o", "-c", "-x", "-T", "-l", "-L"})
        QTest::newRow(o) << QString(o);
}

void CliOptionsTest::missingValue() {
    QFETCH(QString, option);
    // As the last argument, with nothing after it (GNU getopt's wording).
    Parsed p = parse({"-v", option});
    QCOMPARE(p.error, "option requires an argument -- '" + option.mid(1) + "'");
}

void CliOptionsTest::unknownOptions_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("error");
    QTest::newRow("-y") << QStringList({"-y", "s"}) << "invalid option -- 'y'";
    QTest::newRow("in a cluster") << QStringList({"-vyv", "s"}) << "invalid option -- 'y'";
    QTest::newRow("--foo") << QStringList({"--foo", "s"}) << "unrecognized option '--foo'";
    QTest::newRow("--help=x") << QStringList({"--help=x"}) << "unrecognized option '--help=x'";
    QTest::newRow("after the script") << QStringList({"s", "-y"}) << "invalid option -- 'y'";
    QTest::newRow("no script") << QStringList({"-v"}) << "A script must be specified.";
    QTest::newRow("nothing") << QStringList() << "A script must be specified.";
}

void CliOptionsTest::unknownOptions() {
    QFETCH(QStringList, args);
    QFETCH(QString, error);
    QCOMPARE(parse(args).error, error);
}

void CliOptionsTest::longOptions() {
    Parsed p = parse({"--json", "--no-global-var-display", "--compatible=3.0", "s.stp"});
    QCOMPARE(p.error, QString());
    QVERIFY(p.o.json && p.o.noGlobalDisplay);
    QCOMPARE(*p.o.compatible, std::string("3.0"));
    QVERIFY(parse({"--help"}).o.showHelp);
    QVERIFY(parse({"--version"}).o.showVersion);
    QCOMPARE(*parse({"--http", "9400", "s.stp"}).o.http, std::string("9400"));
    QCOMPARE(*parse({"s.stp", "--http=[::1]:0"}).o.http, std::string("[::1]:0"));
    QCOMPARE(parse({"s.stp", "--http"}).error, QString("option '--http' requires an argument"));
    // stap's symbol options: tstap reads every module's symbols on demand.
    Parsed symbols = parse({"-d", "/usr/bin/ls", "--ldd", "--all-modules", "-d/bin/sh", "s.stp"});
    QCOMPARE(symbols.error, QString());
    QCOMPARE(*symbols.o.scriptFile, std::string("s.stp"));
    QCOMPARE(parse({"s.stp", "-d"}).error, QString("option requires an argument -- 'd'"));
}

void CliOptionsTest::noScriptNeeded_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("-h") << QStringList({"-h"});
    QTest::newRow("--help") << QStringList({"--help"});
    QTest::newRow("-V") << QStringList({"-V"});
    QTest::newRow("-l") << QStringList({"-l", "timer.*"});
    QTest::newRow("-L") << QStringList({"-L", "begin"});
}

void CliOptionsTest::noScriptNeeded() {
    QFETCH(QStringList, args);
    Parsed p = parse(args);
    QCOMPARE(p.error, QString());
    if (args[0] == "-l" || args[0] == "-L") {
        QCOMPARE(*p.o.listPattern, args[1].toStdString());
        QCOMPARE(p.o.listVariables, args[0] == "-L");
    }
}

void CliOptionsTest::usageMentionsEveryOption() {
    const QString usage = usageText();
    for (const char* o : {"-p NUM", "-v", "-w", "-W", "-u", "-g", "-I DIR", "-D NM=VAL", "-G VAR=VAL", "-e SCRIPT",
                          "-d MODULE", "--ldd", "--all-modules", "-o FILE", "-b", "-c CMD", "-x PID", "-T SEC", "-t",
                          "-l PROBE", "-L PROBE", "--json", "--http [ADDR:]PORT", "--no-global-var-display",
                          "--probe-capabilities", "--save-compiled DIR|-", "--run-compiled DIR|-",
                          "--remote [ssh://][USER@]HOST[:PORT]", "--remote-prefix", "--remote-id N",
                          "--remote-uri URI", "TSTAP_SSH", "TSTAP_REMOTE_TSTAP", "--"})
        QVERIFY2(usage.contains(o), o);
}

void CliOptionsTest::compiledSessions() {
    Parsed save = parse({"--save-compiled", "out", "s.stp", "arg"});
    QCOMPARE(save.error, QString());
    QCOMPARE(*save.o.saveCompiled, std::string("out"));
    QCOMPARE(q(save.o.scriptArgs), QStringList({"arg"}));
    // --run-compiled needs no script: the session has it.
    Parsed run = parse({"--run-compiled=-", "-T", "3", "--json"});
    QCOMPARE(run.error, QString());
    QCOMPARE(*run.o.runCompiled, std::string("-"));
    QVERIFY(!run.o.scriptFile && !run.o.scriptText);
    Parsed remote = parse({"--remote", "a", "--remote=ssh://root@b:2222", "--remote-prefix", "-e", "probe begin {}"});
    QCOMPARE(remote.error, QString());
    QCOMPARE(q(remote.o.remotes), QStringList({"a", "ssh://root@b:2222"}));
    QVERIFY(remote.o.remotePrefix);
}

void CliOptionsTest::compiledSessionConflicts_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("error");
    QTest::newRow("run with a script") << QStringList{"--run-compiled", "d", "s.stp"}
        << "--run-compiled runs the script of the compiled session: give no script (it has 's.stp')";
    QTest::newRow("run and save") << QStringList{"--run-compiled", "d", "--save-compiled", "e"}
        << "--run-compiled runs a session here: --save-compiled and --remote take a script";
    QTest::newRow("save and remote") << QStringList{"--save-compiled", "d", "--remote", "h", "s.stp"}
        << "--save-compiled and --remote: choose one (--remote sends the compiled session itself)";
    QTest::newRow("remote without a host") << QStringList{"s.stp", "--remote"}
        << "option '--remote' requires an argument";
    QTest::newRow("remote id without a session") << QStringList{"--remote-id", "1", "s.stp"}
        << "--remote-id and --remote-uri go with --run-compiled (--remote passes them to each host)";
    QTest::newRow("remote id not a number") << QStringList{"--run-compiled", "d", "--remote-id", "-1"}
        << "--remote-id takes the host's index, a number from 0";
}

void CliOptionsTest::compiledSessionConflicts() {
    QFETCH(QStringList, args);
    QFETCH(QString, error);
    QCOMPARE(parse(args).error, error);
}

QTEST_GUILESS_MAIN(CliOptionsTest)
#include "test_cli_options.moc"
