// runtime/symbolizer: stap's address formats (_stp_snprint_addr, one row per
// format and case), naming addresses of a running process through its map,
// of an exited one through the build ids BPF noted, and kernel addresses
// through /proc/kallsyms.
#include "elf/elf_binary.h"
#include "symbolizer.h"

#include <QtTest>

#include <unistd.h>

#include <fstream>
#include <sstream>

using tap::rt::SymbolInfo;
using tap::rt::Symbolizer;
using Style = Symbolizer::Style;

extern "C" __attribute__((noinline, used)) int tap_symbolizer_probe_me(int x) { return x * 3 + 1; }

class TestSymbolizer : public QObject {
    Q_OBJECT
private slots:
    void formats_data() {
        QTest::addColumn<int>("which"); // 0 name and module, 1 module only, 2 nothing
        QTest::addColumn<int>("style");
        QTest::addColumn<QString>("expected");
        auto row = [](const char* name, int which, Style style, const char* expected) {
            QTest::newRow(name) << which << int(style) << QString(expected);
        };
        row("hex", 0, Style::Hex, "0x4005d6");
        row("symname", 0, Style::Symbol, "main");
        row("symdata", 0, Style::Data, "main+0x1a/0x30 [/tmp/a.out]");
        row("modname", 0, Style::Module, "/tmp/a.out");
        row("brief", 0, Style::Brief, "main+0x1a\n");
        row("simple (sprint_backtrace)", 0, Style::Simple, "main+0x1a [a.out]\n");
        row("full (print_backtrace)", 0, Style::Full, " 0x4005d6 : main+0x1a/0x30 [/tmp/a.out]\n");
        row("print_syms line", 0, Style::Syms, " 0x4005d6 : main+0x1a/0x30 [/tmp/a.out]\n");
        row("module only: symname", 1, Style::Symbol, "0x4005d6");
        row("module only: symdata", 1, Style::Data, "0x4005d6 [/tmp/a.out+0x1234/0x0]");
        row("module only: brief", 1, Style::Brief, "0x4005d6\n");
        row("module only: simple", 1, Style::Simple, "0x4005d6 [a.out+0x1234]\n");
        row("module only: full", 1, Style::Full, " 0x4005d6 [/tmp/a.out+0x1234/0x0]\n");
        row("unknown: full", 2, Style::Full, " 0x4005d6\n");
        row("unknown: simple", 2, Style::Simple, "0x4005d6\n");
        row("unknown: modname", 2, Style::Module, "<unknown>");
        row("unknown: print_syms line", 2, Style::Syms, " 0x4005d6 : 0x4005d6\n");
        row("fuller (print_backtrace_fileline)", 0, Style::Fuller,
            " 0x4005d6 : main+0x1a/0x30 at /src/a.c:42 [/tmp/a.out]\n");
        row("symfile", 0, Style::File, "/src/a.c");
        row("symline", 0, Style::Line, "42");
        row("symfileline", 0, Style::FileLine, "/src/a.c:42");
        row("module only: fuller", 1, Style::Fuller, " 0x4005d6 [/tmp/a.out+0x1234/0x0]\n");
        row("unknown: symfileline", 2, Style::FileLine, "0x4005d6");
        row("unknown: symline", 2, Style::Line, "0x4005d6");
    }
    void formats() {
        QFETCH(int, which);
        QFETCH(int, style);
        QFETCH(QString, expected);
        SymbolInfo info;
        if (which == 0)
            info = {"main", 0x1a, 0x30, "/tmp/a.out", 0x5d6, true, "/src/a.c", 42};
        else if (which == 1)
            info = {"", 0, 0, "/tmp/a.out", 0x1234};
        QCOMPARE(QString::fromStdString(Symbolizer::format(info, 0x4005d6, Style(style))), expected);
    }

    void runningProcess() {
        Symbolizer symbols;
        auto address = reinterpret_cast<uint64_t>(&tap_symbolizer_probe_me);
        SymbolInfo info = symbols.user(getpid(), address + 2);
        QCOMPARE(QString::fromStdString(info.name), QString("tap_symbolizer_probe_me"));
        QCOMPARE(info.offset, uint64_t(2));
        QCOMPARE(QString::fromStdString(info.module),
                 QFileInfo(QCoreApplication::applicationFilePath()).canonicalFilePath());
    }

    // What BPF notes for a user stack (build id, address - file offset) is
    // enough once /proc/PID/maps is gone.
    void exitedProcessThroughBuildId() {
        std::string error;
        auto elf = tap::elf::ElfBinary::open(TAP_UPROG_O0, error);
        QVERIFY2(elf, error.c_str());
        QVERIFY(!elf->buildId().empty());
        const tap::elf::Symbol* add = elf->function("add");
        QVERIFY(add);
        const int gone = 0x3ffffffe; // above pid_max: no such process
        const uint64_t bias = 0x55aa00000000;
        Symbolizer symbols;
        symbols.addCandidateProgram(TAP_UPROG_O0);
        symbols.noteModule(gone, elf->buildId(), bias);
        uint64_t address = bias + *elf->fileOffset(add->address) + 4;
        QCOMPARE(QString::fromStdString(symbols.formatAddress(true, gone, address, Style::Data)),
                 QString("add+0x4/0x%1 [%2]").arg(add->size, 0, 16).arg(TAP_UPROG_O0));
        QCOMPARE(symbols.lastProcess(), gone);
        // Without the note, nothing names it.
        QCOMPARE(QString::fromStdString(symbols.formatAddress(true, gone + 1, address, Style::Symbol)),
                 QString("0x%1").arg(address, 0, 16));
    }

    // Stacks of several processes kept as hex strings: each address is
    // named after the process whose file mapping holds it.
    void addressesOfSeveralProcesses() {
        std::string error;
        auto elf = tap::elf::ElfBinary::open(TAP_UPROG_O0, error);
        QVERIFY2(elf, error.c_str());
        const tap::elf::Symbol* add = elf->function("add");
        const tap::elf::Symbol* fib = elf->function("fib");
        QVERIFY(add && fib);
        Symbolizer symbols;
        symbols.addCandidateProgram(TAP_UPROG_O0);
        const int first = 0x3ffffff0, second = 0x3ffffff1;
        symbols.noteModule(first, elf->buildId(), 0x561100000000);
        symbols.noteModule(second, elf->buildId(), 0x562200000000);
        uint64_t inFirst = 0x561100000000 + *elf->fileOffset(add->address);
        uint64_t inSecond = 0x562200000000 + *elf->fileOffset(fib->address);
        for (int preferred : {first, second, 0}) {
            QCOMPARE(QString::fromStdString(symbols.userAnywhere(preferred, inFirst).name), QString("add"));
            QCOMPARE(QString::fromStdString(symbols.userAnywhere(preferred, inSecond).name), QString("fib"));
        }
        QVERIFY(symbols.userAnywhere(first, 0x1000).module.empty());
    }

    void kernelThroughKallsyms() {
        std::ifstream in("/proc/kallsyms");
        std::string line;
        uint64_t address = 0;
        while (std::getline(in, line))
            if (line.size() > 19 && line.compare(16, std::string::npos, " T vfs_read") == 0) {
                address = std::stoull(line.substr(0, 16), nullptr, 16);
                break;
            }
        if (!address)
            QSKIP("/proc/kallsyms shows no addresses here (not root, or kptr_restrict)");
        Symbolizer symbols;
        SymbolInfo info = symbols.kernel(address + 3);
        QCOMPARE(QString::fromStdString(info.name), QString("vfs_read"));
        QCOMPARE(info.offset, uint64_t(3));
        QCOMPARE(QString::fromStdString(info.module), QString("kernel"));
        QVERIFY(info.size > 3);
    }

    void stackLists() {
        Symbolizer symbols; // pid 0: nothing is known, every line is hex
        QCOMPARE(QString::fromStdString(symbols.formatStack(true, 0, "0x10 0x20 ", Style::Full, std::string::npos)),
                 QString(" 0x10\n 0x20\n"));
        // Whole lines only, as sprint_ubacktrace() cuts at MAXSTRINGLEN.
        QCOMPARE(QString::fromStdString(symbols.formatStack(true, 0, "0x10 0x20", Style::Full, 7)), QString(" 0x10\n"));
        QCOMPARE(QString::fromStdString(symbols.formatStack(true, 0, "0x10  junk 0x20", Style::Hex, 100)),
                 QString("0x10 0x20 "));
    }
};

QTEST_GUILESS_MAIN(TestSymbolizer)
#include "test_symbolizer.moc"
