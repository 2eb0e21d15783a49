// Compiled sessions as tstap --remote sends them: the tar stream read back
// from a pipe without reading past its end, the manifest's round trip, and
// the --remote host syntax.
#include "compiled_session.h"
#include "remote_hosts.h"
#include "tar_archive.h"

#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

using namespace tap::rt;

class CompiledSessionTest : public QObject {
    Q_OBJECT
  private slots:
    void tarStopsAtItsEnd();
    void tarErrors();
    void manifestRoundTrip();
    void unsafeNamesRefused();
    void remoteHosts_data();
    void remoteHosts();
};

void CompiledSessionTest::tarStopsAtItsEnd() {
    std::vector<TarEntry> files = {
        {"manifest", "a\nb\n"}, {"tapsets/0/x.stp", std::string(1000, 'x')}, {"empty", ""}};
    std::string stream = writeTar(files) + "what follows is not the archive's";
    int fds[2];
    QVERIFY(pipe(fds) == 0);
    QCOMPARE(write(fds[1], stream.data(), stream.size()), ssize_t(stream.size()));
    close(fds[1]);
    std::vector<TarEntry> read;
    QCOMPARE(QString::fromStdString(readTar(fds[0], read)), QString());
    QCOMPARE(read.size(), files.size());
    for (size_t i = 0; i < files.size(); ++i) {
        QCOMPARE(read[i].path, files[i].path);
        QCOMPARE(read[i].content, files[i].content);
    }
    char rest[64] = {};
    QCOMPARE(QByteArray(rest, int(::read(fds[0], rest, sizeof rest))),
             QByteArray("what follows is not the archive's"));
    close(fds[0]);
}

void CompiledSessionTest::tarErrors() {
    auto readString = [](const std::string& stream) {
        int fds[2];
        if (pipe(fds) != 0) return std::string("pipe");
        if (write(fds[1], stream.data(), stream.size()) != ssize_t(stream.size()))
            return std::string("write");
        close(fds[1]);
        std::vector<TarEntry> entries;
        std::string error = readTar(fds[0], entries);
        close(fds[0]);
        return error;
    };
    std::string archive = writeTar({{"manifest", "text"}});
    QCOMPARE(readString(archive.substr(0, 700)), std::string("the archive ends early"));
    std::string corrupt = archive;
    corrupt[0] = 'M';
    QCOMPARE(readString(corrupt), std::string("a tar header's checksum is wrong"));
    QCOMPARE(readString(std::string(512, 'x')), std::string("not a tar archive (no ustar header)"));
}

void CompiledSessionTest::manifestRoundTrip() {
    CompiledSession sent;
    sent.scriptName = "/home/me/top.stp";
    sent.scriptText = "probe begin { println(@1) }\n";
    sent.scriptArgs = {"two\nlines", "back\\slash", ""};
    sent.defines = {{"MAXSTRINGLEN", "1024"}};
    sent.globalSets = {{"limit", "5"}};
    sent.guru = true;
    sent.compatible = "4.8";
    sent.compiledOnKernel = "6.1.0-18-amd64";
    sent.programDigest = "00112233445566778899aabbccddeeff";
    sent.object = std::string("\x7f"
                              "ELF\0\1",
                              6);
    sent.tapsetFiles = {{"tapsets/0/a.stp", "function a() { return 1 }"},
                        {"tapsets/1/sub/b.stpm", "@define b %( 2 %)"}};
    QTemporaryDir dir;
    QCOMPARE(QString::fromStdString(saveSession(sessionFiles(sent), dir.path().toStdString())),
             QString());

    CompiledSession got;
    std::vector<std::string> tapsetDirs;
    std::string objectPath;
    QCOMPARE(
        QString::fromStdString(loadSession(dir.path().toStdString(), got, tapsetDirs, objectPath)),
        QString());
    QCOMPARE(got.scriptName, sent.scriptName);
    QCOMPARE(got.scriptText, sent.scriptText);
    QCOMPARE(got.scriptArgs, sent.scriptArgs);
    QCOMPARE(got.defines, sent.defines);
    QCOMPARE(got.globalSets, sent.globalSets);
    QVERIFY(got.guru && !got.unoptimized);
    QCOMPARE(got.compatible, sent.compatible);
    QCOMPARE(got.compiledOnKernel, sent.compiledOnKernel);
    QCOMPARE(got.programDigest, sent.programDigest);
    QCOMPARE(tapsetDirs, (std::vector<std::string>{dir.path().toStdString() + "/tapsets/0",
                                                   dir.path().toStdString() + "/tapsets/1"}));
    QCOMPARE(objectPath, dir.path().toStdString() + "/program.o");
    QFile object(QString::fromStdString(objectPath));
    QVERIFY(object.open(QIODevice::ReadOnly));
    QCOMPARE(object.readAll().toStdString(), sent.object);

    // The tapsets as addTapsetDirectories takes them from folders.
    CompiledSession again;
    QCOMPARE(QString::fromStdString(addTapsetDirectories(again, tapsetDirs)), QString());
    QCOMPARE(again.tapsetFiles.size(), size_t(2));
    QCOMPARE(again.tapsetFiles[1].path, std::string("tapsets/1/sub/b.stpm"));
    QCOMPARE(again.tapsetFiles[1].content, std::string("@define b %( 2 %)"));
}

void CompiledSessionTest::unsafeNamesRefused() {
    QTemporaryDir dir;
    QCOMPARE(saveSession({{"../escape", "x"}}, dir.path().toStdString()),
             std::string("the file name '../escape' leads out of the session folder"));
    QCOMPARE(saveSession({{"/etc/escape", "x"}}, dir.path().toStdString()),
             std::string("the file name '/etc/escape' leads out of the session folder"));
    CompiledSession got;
    std::vector<std::string> dirs;
    std::string object;
    QVERIFY(QString::fromStdString(loadSession(dir.path().toStdString(), got, dirs, object))
                .contains("not a compiled session: tstap --save-compiled writes one"));
}

void CompiledSessionTest::remoteHosts_data() {
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("port");
    QTest::addColumn<QString>("error");
    QTest::newRow("host") << "db1"
                          << ""
                          << "db1"
                          << ""
                          << "";
    QTest::newRow("url") << "ssh://root@db1:2222"
                         << "root"
                         << "db1"
                         << "2222"
                         << "";
    QTest::newRow("user") << "me@10.0.0.2"
                          << "me"
                          << "10.0.0.2"
                          << ""
                          << "";
    QTest::newRow("ipv6") << "ssh://[fe80::1]:22/"
                          << ""
                          << "fe80::1"
                          << "22"
                          << "";
    QTest::newRow("other scheme") << "http://h"
                                  << ""
                                  << ""
                                  << ""
                                  << "--remote http://h: only ssh:// hosts are supported";
    QTest::newRow("no host") << "me@"
                             << ""
                             << ""
                             << ""
                             << "--remote me@: no host name";
    QTest::newRow("bad port") << "h:0"
                              << ""
                              << ""
                              << ""
                              << "--remote h:0: the port must be a number from 1 to 65535";
    QTest::newRow("option") << "-oProxyCommand=x"
                            << ""
                            << ""
                            << ""
                            << "--remote -oProxyCommand=x: a host name cannot start with '-'";
}

void CompiledSessionTest::remoteHosts() {
    QFETCH(QString, spec);
    QFETCH(QString, user);
    QFETCH(QString, host);
    QFETCH(QString, port);
    QFETCH(QString, error);
    RemoteHost parsed;
    QCOMPARE(QString::fromStdString(parseRemoteHost(spec.toStdString(), parsed)), error);
    if (!error.isEmpty()) return;
    QCOMPARE(QString::fromStdString(parsed.user), user);
    QCOMPARE(QString::fromStdString(parsed.host), host);
    QCOMPARE(QString::fromStdString(parsed.port), port);
}

QTEST_GUILESS_MAIN(CompiledSessionTest)
#include "test_compiled_session.moc"
