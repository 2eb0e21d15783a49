// Run configurations: the stap options per script (-v -p -o -b -c -x -G -D
// -T -g and script arguments) saved with QSettings by path, edited in the
// dialog, and used by F5 (the command line tstap gets).
#include "document_tabs.h"
#include "ide_perspective.h"
#include "main_window.h"
#include "run_configuration.h"
#include "run_console.h"
#include "run_dock.h"
#include "script_editor.h"
#include "../support/test_files.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QCheckBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace tapide;

class TestRunConfiguration : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init() { QSettings().clear(); }
    void options();
    void savedPerScript();
    void dialog();
    void labelsAndOkButton();
    void f5UsesTheConfiguration();
    void hosts();
    void f5RunsOnEveryHost();
};

void TestRunConfiguration::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("TapStudioTest");
    QCoreApplication::setApplicationName("tapstudio-gui-test-runconfig");
}

void TestRunConfiguration::options() {
    RunConfiguration c;
    QVERIFY(c.isDefault());
    QVERIFY(c.tstapOptions().isEmpty());
    QCOMPARE(c.commandLine("/x/top.stp"), QString("tstap top.stp"));
    c.verbose = 2;
    c.lastPass = 3;
    c.outputFile = "/tmp/out file.txt";
    c.bulk = true;
    c.command = "ls -l /";
    c.timeoutSeconds = 5;
    c.guru = true;
    c.defines = {"MAXSTRINGLEN=1024"};
    c.globals = {"limit=10"};
    c.arguments = "10 'two words' \"x\"";
    QCOMPARE(c.tstapOptions(), (QStringList{"-v", "-v", "-p", "3", "-o", "/tmp/out file.txt", "-b", "-c", "ls -l /",
                                            "-T", "5", "-g", "-D", "MAXSTRINGLEN=1024", "-G", "limit=10"}));
    QCOMPARE(c.translationOptions(), (QStringList{"-g", "-D", "MAXSTRINGLEN=1024", "-G", "limit=10"}));
    QCOMPARE(c.scriptArgs(), (QStringList{"10", "two words", "x"}));
    QCOMPARE(c.commandLine("/x/top.stp"),
             QString("tstap -v -v -p 3 -o '/tmp/out file.txt' -b -c 'ls -l /' -T 5 -g -D MAXSTRINGLEN=1024 "
                     "-G limit=10 top.stp 10 'two words' x"));
    QVERIFY(c.problems().isEmpty());
    RunConfiguration x;
    x.targetPid = 1;
    QCOMPARE(x.tstapOptions(), (QStringList{"-x", "1"}));
    x.command = "true";
    x.defines = {"bad"};
    x.globals = {"=1"};
    QCOMPARE(x.problems().size(), 3);
}

void TestRunConfiguration::savedPerScript() {
    RunConfiguration a;
    a.timeoutSeconds = 7;
    a.arguments = "1 2";
    a.save("/tmp/a/one.stp");
    RunConfiguration b;
    b.verbose = 1;
    b.save("/tmp/b/one.stp");
    QCOMPARE(RunConfiguration::load("/tmp/a/one.stp"), a);
    QCOMPARE(RunConfiguration::load("/tmp/b/one.stp"), b);
    QVERIFY(RunConfiguration::load("/tmp/c/one.stp").isDefault());
    // Back to the defaults: nothing kept.
    RunConfiguration{}.save("/tmp/a/one.stp");
    QVERIFY(RunConfiguration::load("/tmp/a/one.stp").isDefault());
    QVERIFY(!QSettings().childGroups().isEmpty()); // b is still there
}

void TestRunConfiguration::dialog() {
    RunConfiguration c;
    c.timeoutSeconds = 3;
    c.arguments = "42";
    RunConfigurationDialog d("/tmp/s/top.stp", c);
    QCOMPARE(d.findChild<QSpinBox*>("timeout")->value(), 3);
    QCOMPARE(d.findChild<QLineEdit*>("arguments")->text(), QString("42"));
    QCOMPARE(d.preview(), QString("tstap -T 3 top.stp 42"));
    d.findChild<QCheckBox*>("guru")->setChecked(true);
    d.findChild<QSpinBox*>("verbose")->setValue(1);
    d.findChild<QPlainTextEdit*>("defines")->setPlainText("MAXMAPENTRIES=100\n\n");
    d.findChild<QLineEdit*>("command")->setText("sleep 1");
    RunConfiguration out = d.configuration();
    QVERIFY(out.guru);
    QCOMPARE(out.verbose, 1);
    QCOMPARE(out.defines, QStringList{"MAXMAPENTRIES=100"});
    QCOMPARE(out.command, QString("sleep 1"));
    QCOMPARE(d.preview(), QString("tstap -v -c 'sleep 1' -T 3 -g -D MAXMAPENTRIES=100 top.stp 42"));
    // Invalid values keep the dialog open.
    d.findChild<QPlainTextEdit*>("globals")->setPlainText("nonsense");
    d.show();
    d.accept();
    QVERIFY(d.isVisible());
    QCOMPARE(d.result(), int(QDialog::Rejected));
    d.findChild<QPlainTextEdit*>("globals")->setPlainText("");
    d.accept();
    QCOMPARE(d.result(), int(QDialog::Accepted));
}

void TestRunConfiguration::labelsAndOkButton() {
    // Every label's & is a mnemonic, not text (issue 14: "&Output file
    // (-o):" showed literally), and OK is disabled while the dialog would
    // refuse the input.
    RunConfigurationDialog d("/tmp/s/top.stp", RunConfiguration{});
    for (QLabel* label : d.findChildren<QLabel*>()) {
        if (!label->text().contains('&') || label->text().contains("<"))
            continue;
        QVERIFY2(label->buddy(), qPrintable(label->text()));
    }
    auto* form = d.findChild<QLineEdit*>("outputFile");
    QLabel* outputLabel = nullptr;
    for (QLabel* label : d.findChildren<QLabel*>())
        if (label->buddy() == form)
            outputLabel = label;
    QVERIFY(outputLabel);
    QPushButton* ok = d.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    QVERIFY(ok->isEnabled());
    d.findChild<QPlainTextEdit*>("defines")->setPlainText("NOEQUALS");
    QVERIFY(!ok->isEnabled());
    d.findChild<QPlainTextEdit*>("defines")->setPlainText("MAXACTION=10");
    QVERIFY(ok->isEnabled());
}

void TestRunConfiguration::f5UsesTheConfiguration() {
    if (qEnvironmentVariable("TAPSTUDIO_TSTAP").isEmpty())
        QSKIP("tstap is not built");
    QTemporaryDir dir;
    QString path = dir.filePath("args.stp");
    QVERIFY(testsupport::writeFile(path, "global g = 1\nprobe begin { printf(\"%s %d g=%d\\n\", @1, $2, g); exit() }\n"));
    RunConfiguration c;
    c.arguments = "'hello world' 41";
    c.globals = {"g=5"};
    c.verbose = 1;
    c.save(path);

    MainWindow w;
    w.show();
    w.openFiles({path});
    QVERIFY(w.action("run.configure")->isEnabled());
    QCOMPARE(w.action("run.configure")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_F5));
    w.action("run.run")->trigger();
    RunDock* dock = w.ide()->console();
    QTRY_VERIFY_WITH_TIMEOUT(dock->currentConsole() && dock->currentConsole()->finished(), 20000);
    RunConsole* console = dock->currentConsole();
    QVERIFY2(console->plainText().contains("hello world 41 g=5"), qPrintable(console->plainText()));
    QStringList args = console->session()->command().arguments;
    QVERIFY2(args.contains("-v") && args.contains("-G") && args.endsWith("41"), qPrintable(args.join(' ')));
    QCOMPARE(console->exitCode(), 0);
}

void TestRunConfiguration::hosts() {
    RunConfiguration c;
    c.timeoutSeconds = 2;
    c.hosts = {"db1", "ssh://root@db2:2222"};
    QCOMPARE(c.commandLine("/x/top.stp"),
             QString("tstap --remote db1 -T 2 top.stp\ntstap --remote ssh://root@db2:2222 -T 2 top.stp"));
    QVERIFY(c.problems().isEmpty());
    c.save("/tmp/h/top.stp");
    QCOMPARE(RunConfiguration::load("/tmp/h/top.stp").hosts, c.hosts);
    c.hosts << "two words" << "-oProxyCommand=x";
    c.outputFile = "out.txt";
    QCOMPARE(c.problems(), (QStringList{"a host is [ssh://][USER@]HOST[:PORT], one per line: two words",
                                        "a host is [ssh://][USER@]HOST[:PORT], one per line: -oProxyCommand=x",
                                        "-o cannot go with hosts: each host's output comes to its console"}));

    RunConfigurationDialog d("/tmp/s/top.stp", RunConfiguration{});
    d.findChild<QPlainTextEdit*>("hosts")->setPlainText("a\n\n b \n");
    QCOMPARE(d.configuration().hosts, (QStringList{"a", "b"}));
    QCOMPARE(d.preview(), QString("tstap --remote a top.stp\ntstap --remote b top.stp"));
    QVERIFY(d.findChild<QLabel*>("preview")->text().contains("top.stp<br>tstap --remote b"));

    // A run on a host is never elevated here: the host's login has the rights.
    taprun::RunOptions o;
    o.tstap = "/usr/bin/tstap";
    o.script = "/x/top.stp";
    o.needsPrivileges = true;
    o.hosts = {"db1"};
    taprun::RunCommand command = taprun::RunSession::commandFor(o, false, true, true, true);
    QCOMPARE(command.program, QString("/usr/bin/tstap"));
    QCOMPARE(command.arguments, (QStringList{"--json", "--remote", "db1", "/x/top.stp"}));
}

void TestRunConfiguration::f5RunsOnEveryHost() {
    // ssh is a stand-in that runs the remote command here, so each "host"
    // runs the real tstap --run-compiled on the compiled session.
    if (qEnvironmentVariable("TAPSTUDIO_TSTAP").isEmpty())
        QSKIP("tstap is not built");
    QTemporaryDir dir;
    QString fakeSsh = dir.filePath("ssh");
    QVERIFY(testsupport::writeFile(fakeSsh, "#!/bin/sh\n"
                                            "while [ $# -gt 2 ]; do shift; done\n" // options, --, then HOST COMMAND
                                            "exec sh -c \"$2\"\n"));
    QVERIFY(QFile::setPermissions(fakeSsh, QFile::permissions(fakeSsh) | QFileDevice::ExeOwner));
    qputenv("TSTAP_SSH", fakeSsh.toUtf8());
    qputenv("TSTAP_REMOTE_TSTAP", qgetenv("TAPSTUDIO_TSTAP"));
    QString path = dir.filePath("hosts.stp");
    QVERIFY(testsupport::writeFile(path, "probe begin { printf(\"hello from %s\\n\", @1); exit() }\n"));
    RunConfiguration c;
    c.arguments = "everywhere";
    c.hosts = {"alpha", "beta"};
    c.save(path);

    MainWindow w;
    w.show();
    w.openFiles({path});
    w.action("run.run")->trigger();
    RunDock* dock = w.ide()->console();
    QTRY_COMPARE_WITH_TIMEOUT(dock->consoles().size(), 2, 20000);
    for (RunConsole* console : dock->consoles())
        QTRY_VERIFY_WITH_TIMEOUT(console->finished(), 20000);
    QStringList titles;
    for (int i = 0; i < dock->tabs()->count(); ++i)
        titles << dock->tabs()->tabText(i);
    QCOMPARE(titles, (QStringList{"hosts.stp @ alpha #1", "hosts.stp @ beta #2"}));
    for (RunConsole* console : dock->consoles()) {
        QVERIFY2(console->plainText().contains("hello from everywhere"), qPrintable(console->plainText()));
        QCOMPARE(console->exitCode(), 0);
    }
    QVERIFY(dock->consoles()[1]->session()->command().arguments.contains("beta"));
    qunsetenv("TSTAP_SSH");
    qunsetenv("TSTAP_REMOTE_TSTAP");
}

QTEST_MAIN(TestRunConfiguration)
#include "test_run_configuration.moc"
