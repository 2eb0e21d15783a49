// core/dwarf/header_types: @cast modules of C headers ("<sys/time.h>"),
// compiled into a shared object whose DWARF gives the headers' types, kept
// in the cache directory until a header it included changes. Skipped where
// no C compiler is installed.
#include "dwarf/dwarf_index.h"
#include "dwarf/header_types.h"
#include "kernel/kernel_types.h"

#include <QtTest>

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <string>

using namespace tap;
using namespace tap::dwarf;

namespace {

bool haveCompiler() {
    for (const char* c : {"cc", "gcc", "clang"})
        if (!QStandardPaths::findExecutable(c).isEmpty())
            return true;
    return false;
}

} // namespace

class TestHeaderTypes : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        // The objects go to a cache of this test's own.
        qputenv("TAPSTUDIO_CACHE", QByteArray((dir_.path() + "/cache").toUtf8()));
    }

    void modulesNamingHeaders() {
        using V = std::vector<std::string>;
        QCOMPARE(moduleHeaders("<sys/time.h>"), V({"sys/time.h"}));
        QCOMPARE(moduleHeaders("</usr/include/stdio.h>"), V({"/usr/include/stdio.h"}));
        QCOMPARE(moduleHeaders("<stddef.h><stdio.h>"), V({"stddef.h", "stdio.h"}));
        for (const char* notHeaders : {"", "kernel", "kernel<linux/sched.h>", "/bin/ls", "<>", "<a.h>x", "<a.h",
                                       "<a<b.h>"})
            QVERIFY2(moduleHeaders(notHeaders).empty(), notHeaders);
    }

    void moduleListsSplitOutsideHeaders() {
        using V = std::vector<std::string>;
        QCOMPARE(kernel::castModules(""), V({""}));
        QCOMPARE(kernel::castModules("kernel"), V({"kernel"}));
        QCOMPARE(kernel::castModules("kernel:</usr/include/stdio.h>"), V({"kernel", "</usr/include/stdio.h>"}));
        QCOMPARE(kernel::castModules("</odd:dir/x.h>:/bin/ls"), V({"</odd:dir/x.h>", "/bin/ls"}));
        QVERIFY(kernel::isKernelCastModule("kernel<linux/sched.h><linux/fs_struct.h>"));
        QVERIFY(!kernel::isKernelCastModule("<sys/time.h>"));
    }

    void typesOfAHeader() {
        if (!haveCompiler())
            QSKIP("no C compiler");
        std::string header = dir_.path().toStdString() + "/tap_types.h";
        std::ofstream(header) << "struct tap_pair { char c; long value; struct tap_pair *next; };\n"
                                 "typedef struct tap_pair tap_pair_t;\n";
        std::string error;
        std::string object = headerTypesObject("<" + header + ">", error);
        QVERIFY2(!object.empty(), error.c_str());
        QVERIFY(object.rfind(dir_.path().toStdString() + "/cache/headers/", 0) == 0);
        const DebugInfo* d = DebugInfo::of(object, error);
        QVERIFY(d);
        int id = d->typeByName("struct tap_pair");
        QVERIFY(id >= 0);
        QCOMPARE(d->typeByName("tap_pair_t"), id); // the typedef names the struct
        const UserType& pair = d->types().at(id);
        QCOMPARE(pair.size, int64_t(sizeof(long) * 3));
        QCOMPARE(pair.member("value")->offset, int64_t(sizeof(long)));
        QCOMPARE(pair.member("next")->offset, int64_t(2 * sizeof(long)));
        // Once per process; the same object from the cache for another.
        QCOMPARE(headerTypesObject("<" + header + ">", error), object);
    }

    void headersInSequenceAndTheSystemsOwn() {
        if (!haveCompiler())
            QSKIP("no C compiler");
        std::string error;
        std::string object = headerTypesObject("<stddef.h><sys/time.h>", error);
        QVERIFY2(!object.empty(), error.c_str());
        const DebugInfo* d = DebugInfo::of(object, error);
        int timeval = d->typeByName("struct timeval");
        QVERIFY(timeval >= 0);
        QCOMPARE(d->types().at(timeval).member("tv_usec")->offset, int64_t(sizeof(time_t)));
        QVERIFY(d->typeByName("size_t") >= 0);
    }

    void changedHeaderIsCompiledAgain() {
        if (!haveCompiler())
            QSKIP("no C compiler");
        std::string header = dir_.path().toStdString() + "/tap_changing.h";
        std::string module = "<" + header + ">";
        std::ofstream(header) << "struct tap_changing { int a; };\n";
        std::string error;
        std::string object = compileHeaderTypes(module, error);
        QVERIFY2(!object.empty(), error.c_str());
        struct stat made {};
        QCOMPARE(stat(object.c_str(), &made), 0);
        // Unchanged: the cached object, not compiled again.
        QCOMPARE(compileHeaderTypes(module, error), object);
        struct stat same {};
        QCOMPARE(stat(object.c_str(), &same), 0);
        QCOMPARE(same.st_ino, made.st_ino);
        // Changed: compiled again (a new file renamed into place).
        QTest::qWait(20);
        std::ofstream(header) << "struct tap_changing { int a; long b; };\n";
        QCOMPARE(compileHeaderTypes(module, error), object);
        struct stat remade {};
        QCOMPARE(stat(object.c_str(), &remade), 0);
        QVERIFY(remade.st_ino != made.st_ino);
        // DebugInfo keeps what it read by path: read the new one elsewhere.
        std::string copy = dir_.path().toStdString() + "/changed.so";
        QVERIFY(QFile::copy(QString::fromStdString(object), QString::fromStdString(copy)));
        const DebugInfo* d = DebugInfo::of(copy, error);
        QVERIFY(d);
        QVERIFY(d->types().at(d->typeByName("struct tap_changing")).member("b"));
    }

    void errorsSayWhatTheCompilerSaid() {
        if (!haveCompiler())
            QSKIP("no C compiler");
        std::string error;
        QVERIFY(headerTypesObject("<tap_no_such_header.h>", error).empty());
        const std::string prefix = "cannot compile <tap_no_such_header.h>: ";
        QVERIFY2(error.rfind(prefix, 0) == 0, error.c_str());
        QVERIFY2(error.find("tap_no_such_header.h", prefix.size()) != std::string::npos, error.c_str());
        QVERIFY2(error.find("tapstudio-header-types.c") == std::string::npos, error.c_str()); // not our source
        // An error inside a header keeps its file:line:column.
        std::string bad = dir_.path().toStdString() + "/tap_bad.h";
        std::ofstream(bad) << "struct ok { int a; };\nint int broken;\n";
        QVERIFY(headerTypesObject("<" + bad + ">", error).empty());
        QVERIFY2(error.find(bad + ":2:5: ") != std::string::npos, error.c_str());
    }
};

QTEST_MAIN(TestHeaderTypes)
#include "test_header_types.moc"
