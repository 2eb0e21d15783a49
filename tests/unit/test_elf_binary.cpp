// core/elf: symbols, file offsets, SDT notes, PLT stubs and DT_NEEDED of
// the tap_uprog test programs and of libc, checked against what binutils
// (nm, readelf, objdump) report for the same files; the SDT argument
// parser; program and library path resolution. A fixture program compiled
// at test time (with cc) adds what tap_uprog lacks: a semaphore, %rip
// operands, a moved .stapsdt.base, DT_RUNPATH and DT_RPATH.
#include "elf/elf_binary.h"

#include <QtTest>

#include <map>
#include <memory>
#include <optional>
#include <string>

using namespace tap::elf;

namespace {

QString run(const QString& program, const QStringList& arguments) {
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit)
        qFatal("%s did not run", qPrintable(program));
    return QString::fromLocal8Bit(process.readAllStandardOutput());
}

struct NmSymbol {
    quint64 address = 0;
    quint64 size = 0;
};

// Defined symbols by name, as `nm -S` lists them. Versioned names lose the
// version; the default version ("@@") wins over hidden ones ("@").
std::map<QString, NmSymbol> nmSymbols(const QString& path, bool dynamic = false) {
    QStringList arguments = {"-S", "--defined-only", path};
    if (dynamic)
        arguments.prepend("-D");
    std::map<QString, NmSymbol> symbols;
    for (const QString& line : run("nm", arguments).split('\n', Qt::SkipEmptyParts)) {
        QStringList fields = line.split(' ', Qt::SkipEmptyParts);
        if (fields.size() < 3)
            continue;
        QString name = fields.last();
        bool hiddenVersion = name.contains('@') && !name.contains("@@");
        name = name.section('@', 0, 0);
        if (hiddenVersion && symbols.count(name))
            continue;
        NmSymbol symbol{fields[0].toULongLong(nullptr, 16),
                        fields.size() == 4 ? fields[1].toULongLong(nullptr, 16) : 0};
        symbols[name] = symbol;
    }
    return symbols;
}

// objdump's "<name@plt>" labels: the stub address of each imported function.
std::map<QString, quint64> objdumpPltStubs(const QString& path) {
    std::map<QString, quint64> stubs;
    static const QRegularExpression label("^([0-9a-f]+) <([^@>*]+)@plt>:$");
    for (const QString& line :
         run("objdump", {"-d", "-j", ".plt", "-j", ".plt.sec", path}).split('\n'))
        if (auto match = label.match(line); match.hasMatch())
            stubs[match.captured(2)] = match.captured(1).toULongLong(nullptr, 16);
    return stubs;
}

std::unique_ptr<ElfBinary> openOrFail(const QString& path) {
    std::string error;
    auto binary = ElfBinary::open(path.toStdString(), error);
    if (!binary)
        qWarning("%s", error.c_str());
    return binary;
}

const SdtProbe* findProbe(const ElfBinary& binary, const std::string& provider,
                          const std::string& name) {
    for (const SdtProbe& probe : binary.sdtProbes())
        if (probe.provider == provider && probe.name == name)
            return &probe;
    return nullptr;
}

QString canonical(const QString& path) { return QFileInfo(path).canonicalFilePath(); }

// Sets an environment variable for one scope.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const QByteArray& value)
        : name_(name), hadValue_(qEnvironmentVariableIsSet(name)), old_(qgetenv(name)) {
        qputenv(name, value);
    }
    ~ScopedEnv() {
        if (hadValue_)
            qputenv(name_, old_);
        else
            qunsetenv(name_);
    }

private:
    const char* name_;
    bool hadValue_;
    QByteArray old_;
};

// The fixture program: an SDT marker with a semaphore (sys/sdt.h), and a
// global for %rip operands. Built with -D_SDT_HAS_SEMAPHORES=1 -include
// sys/sdt.h because moc reads '#' lines even inside raw strings.
const char* fixtureProgram = R"(
unsigned short fixture_ping_semaphore __attribute__((unused, section(".probes")));
struct { long first, second; } pair;

int main(int argc, char **argv) {
    (void)argv;
    pair.first = argc;
    if (fixture_ping_semaphore)
        STAP_PROBE1(fixture, ping, argc);
    return 0;
}
)";

// Hand-written notes: argument forms gcc does not pick on its own (the last
// two after an unsupported one), and a base 0x100 below .stapsdt.base, as
// if prelink had moved the program by 0x100 since it was linked.
const char* fixtureNotes = R"(
    .pushsection .stapsdt.base, "aG", "progbits", .stapsdt.base, comdat
    .weak _.stapsdt.base
    .hidden _.stapsdt.base
_.stapsdt.base:
    .space 1
    .size _.stapsdt.base, 1
    .popsection

    .text
    .globl fixture_custom
fixture_custom:
    nop
    .globl fixture_moved
fixture_moved:
    nop
    ret

    .pushsection .note.stapsdt, "", "note"
    .balign 4
    .4byte 2f-1f, 4f-3f, 3
1:  .asciz "stapsdt"
2:  .balign 4
3:  .8byte fixture_custom, _.stapsdt.base, 0
    .asciz "fixture"
    .asciz "custom"
    .asciz "-4@%edi 8@-16(%rbp) 2@$5 8@pair(%rip) -8@8+pair(%rip) 1@%sil 8@(%rax,%rbx,4) 4@%eax"
4:  .balign 4

    .balign 4
    .4byte 2f-1f, 4f-3f, 3
1:  .asciz "stapsdt"
2:  .balign 4
3:  .8byte fixture_moved, _.stapsdt.base-0x100, 0
    .asciz "fixture"
    .asciz "moved"
    .asciz ""
4:  .balign 4
    .popsection

    .section .note.GNU-stack, "", @progbits
)";

} // namespace

class ElfBinaryTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();

    void openErrors_data();
    void openErrors();
    void functionsMatchNm_data();
    void functionsMatchNm();
    void functionsSortedAndUnique();
    void globalVariable();
    void fileOffsetsFollowLoadSegments_data();
    void fileOffsetsFollowLoadSegments();
    void sdtMarkerMatchesReadelf_data();
    void sdtMarkerMatchesReadelf();
    void pltMatchesObjdump_data();
    void pltMatchesObjdump();
    void neededLibraries();
    void libcFunctions();

    void sdtArgument_data();
    void sdtArgument();
    void sdtSemaphore();
    void sdtHandWrittenArguments();
    void sdtMovedBase();

    void resolveExecutable_data();
    void resolveExecutable();
    void resolveExecutableEmptyPathElement();
    void resolveScriptToInterpreter();
    void resolveLibc_data();
    void resolveLibc();
    void resolveLibraryMissing();
    void resolveLibraryFromLdLibraryPath();
    void runPathAndRPath();

private:
    // Compiles the fixture (once) into fixtureDir_/bin with DT_RUNPATH
    // "$ORIGIN/../lib", and a DT_RPATH twin; false when there is no cc.
    bool buildFixture();
    QString fixture() const { return fixtureDir_.filePath("bin/fixture"); }
    QString rpathFixture() const { return fixtureDir_.filePath("bin/fixture_rpath"); }

    QString libc_;
    QTemporaryDir fixtureDir_;
    std::optional<bool> fixtureBuilt_;
};

void ElfBinaryTest::initTestCase() {
    for (const char* tool : {"nm", "readelf", "objdump"})
        QVERIFY2(!QStandardPaths::findExecutable(tool).isEmpty(), tool);
    libc_ = QString::fromStdString(resolveLibrary("libc.so.6", TAP_UPROG_O0));
    QVERIFY(!libc_.isEmpty());
}

bool ElfBinaryTest::buildFixture() {
    if (fixtureBuilt_)
        return *fixtureBuilt_;
    fixtureBuilt_ = false;
    QString compiler = QStandardPaths::findExecutable("cc");
    if (compiler.isEmpty() || !fixtureDir_.isValid())
        return false;
    QDir(fixtureDir_.path()).mkpath("bin");
    QDir(fixtureDir_.path()).mkpath("lib");
    auto write = [&](const QString& name, const char* text) {
        QFile file(fixtureDir_.filePath(name));
        return file.open(QIODevice::WriteOnly) && file.write(text) >= 0;
    };
    if (!write("fixture.c", fixtureProgram) || !write("notes.s", fixtureNotes))
        return false;
    auto compile = [&](const QString& output, const QStringList& linkOptions) {
        QProcess cc;
        cc.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        cc.start(compiler,
                 QStringList{"-O2", "-fPIE", "-pie", "-D_SDT_HAS_SEMAPHORES=1", "-include",
                             "sys/sdt.h", "-o", output, fixtureDir_.filePath("fixture.c"),
                             fixtureDir_.filePath("notes.s")} +
                     linkOptions);
        return cc.waitForFinished(60000) && cc.exitStatus() == QProcess::NormalExit &&
               cc.exitCode() == 0;
    };
    fixtureBuilt_ =
        compile(fixture(), {"-Wl,--enable-new-dtags", "-Wl,-rpath,$ORIGIN/../lib"}) &&
        compile(rpathFixture(), {"-Wl,--disable-new-dtags", "-Wl,-rpath,${ORIGIN}/rp:/opt/x"});
    return *fixtureBuilt_;
}

void ElfBinaryTest::openErrors_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("error");
    QString text = TAPSTUDIO_SOURCE_DIR "/tests/workload/tap_uprog.c";
    QTest::newRow("missing") << "/nonexistent"
                             << "cannot open '/nonexistent': No such file or directory";
    QTest::newRow("text file") << text << "'" + text + "' is not an ELF file";
    QTest::newRow("directory") << "/" << "cannot open '/': Is a directory";
    QTest::newRow("empty file") << "/dev/null" << "'/dev/null' is not an ELF file";
}

void ElfBinaryTest::openErrors() {
    QFETCH(QString, path);
    QFETCH(QString, error);
    std::string message;
    QVERIFY(!ElfBinary::open(path.toStdString(), message));
    QCOMPARE(QString::fromStdString(message), error);
}

void ElfBinaryTest::functionsMatchNm_data() {
    QTest::addColumn<QString>("path");
    QTest::newRow("O0") << TAP_UPROG_O0;
    QTest::newRow("O2") << TAP_UPROG_O2;
}

void ElfBinaryTest::functionsMatchNm() {
    QFETCH(QString, path);
    auto binary = openOrFail(path);
    QVERIFY(binary);
    QVERIFY(binary->isSharedObject()); // PIE
    auto nm = nmSymbols(path);
    for (const char* name : {"add", "point_sum", "greet", "fib", "main"}) {
        const Symbol* function = binary->function(name);
        QVERIFY2(function, name);
        QVERIFY2(nm.count(name), name);
        QCOMPARE(function->address, nm[name].address);
        QCOMPARE(function->size, nm[name].size);
        QVERIFY(function->size > 0);
        QCOMPARE(binary->functionAt(function->address), function);
        QCOMPARE(binary->functionAt(function->address + function->size - 1), function);
        QVERIFY(binary->functionAt(function->address + function->size) != function);
        QCOMPARE(binary->symbolAddress(name), std::optional<uint64_t>(function->address));
    }
    QVERIFY(!binary->function("tap_rounds")); // an object, not a function
    QVERIFY(!binary->function("strlen"));     // imported, undefined here
    QVERIFY(!binary->function("no_such_function"));
}

void ElfBinaryTest::functionsSortedAndUnique() {
    auto binary = openOrFail(libc_);
    QVERIFY(binary);
    const auto& functions = binary->functions();
    QVERIFY(functions.size() > 1000);
    for (size_t i = 1; i < functions.size(); ++i)
        QVERIFY2(functions[i - 1].name < functions[i].name, functions[i].name.c_str());
    for (const Symbol& f : functions)
        QVERIFY2(f.address != 0 && f.name.find('@') == std::string::npos, f.name.c_str());
}

void ElfBinaryTest::globalVariable() {
    auto binary = openOrFail(TAP_UPROG_O0);
    QVERIFY(binary);
    auto nm = nmSymbols(TAP_UPROG_O0);
    QVERIFY(nm.count("tap_rounds"));
    QCOMPARE(binary->symbolAddress("tap_rounds"),
             std::optional<uint64_t>(nm["tap_rounds"].address));
    QVERIFY(!binary->symbolAddress("no_such_symbol"));
}

void ElfBinaryTest::fileOffsetsFollowLoadSegments_data() { functionsMatchNm_data(); }

void ElfBinaryTest::fileOffsetsFollowLoadSegments() {
    QFETCH(QString, path);
    auto binary = openOrFail(path);
    QVERIFY(binary);
    struct Load {
        quint64 offset, vaddr, filesz;
    };
    std::vector<Load> loads;
    for (const QString& line : run("readelf", {"-lW", path}).split('\n')) {
        QStringList fields = line.split(' ', Qt::SkipEmptyParts);
        if (fields.size() > 5 && fields[0] == "LOAD")
            loads.push_back({fields[1].toULongLong(nullptr, 16), fields[2].toULongLong(nullptr, 16),
                             fields[4].toULongLong(nullptr, 16)});
    }
    QVERIFY(!loads.empty());
    auto expected = [&](quint64 address) -> std::optional<uint64_t> {
        for (const Load& load : loads)
            if (address >= load.vaddr && address < load.vaddr + load.filesz)
                return address - load.vaddr + load.offset;
        return std::nullopt;
    };
    std::vector<uint64_t> addresses;
    for (const char* name : {"add", "main", "fib"}) {
        QVERIFY2(binary->function(name), name);
        addresses.push_back(binary->function(name)->address);
        QVERIFY(binary->fileOffset(addresses.back()));
    }
    QVERIFY(binary->symbolAddress("tap_rounds"));
    addresses.push_back(*binary->symbolAddress("tap_rounds")); // in .bss: no file bytes
    addresses.push_back(0x7fffffff0000);
    for (uint64_t address : addresses)
        QCOMPARE(binary->fileOffset(address), expected(address));
    QVERIFY(!binary->fileOffset(0x7fffffff0000));
}

void ElfBinaryTest::sdtMarkerMatchesReadelf_data() { functionsMatchNm_data(); }

void ElfBinaryTest::sdtMarkerMatchesReadelf() {
    QFETCH(QString, path);
    auto binary = openOrFail(path);
    QVERIFY(binary);
    QCOMPARE(binary->sdtProbes().size(), size_t(2)); // tick and guarded
    const SdtProbe* tick = findProbe(*binary, "tap_uprog", "tick");
    QVERIFY(tick);
    QVERIFY(findProbe(*binary, "tap_uprog", "guarded"));

    QString notes = run("readelf", {"-n", path});
    static const QRegularExpression note("Name: (\\w+)\\s+Location: 0x([0-9a-f]+), Base: 0x[0-9a-f]+, "
                                         "Semaphore: 0x([0-9a-f]+)\\s+Arguments: ([^\\n]*)");
    int seen = 0;
    for (auto it = note.globalMatch(notes); it.hasNext(); ++seen) {
        auto match = it.next();
        const SdtProbe* probe = findProbe(*binary, "tap_uprog", match.captured(1).toStdString());
        QVERIFY2(probe, qPrintable(match.captured(1)));
        QCOMPARE(probe->address, match.captured(2).toULongLong(nullptr, 16));
        QCOMPARE(probe->semaphore, match.captured(3).toULongLong(nullptr, 16));
        QCOMPARE(QString::fromStdString(probe->argText), match.captured(4).trimmed());
        // Both have semaphores (the program defines _SDT_HAS_SEMAPHORES): in .probes, in the file.
        QVERIFY(probe->semaphore != 0);
        QVERIFY(probe->semaphoreOffset != 0);
        QVERIFY(binary->functionAt(probe->address));
        QCOMPARE(binary->functionAt(probe->address)->name, std::string("main"));
        QVERIFY(binary->fileOffset(probe->address));
    }
    QCOMPARE(seen, 2);

    QCOMPARE(QString::fromStdString(tick->argError), QString());
    QCOMPARE(tick->args.size(), size_t(2));
    // tick(i, name): a long and a pointer, in a register or a stack slot.
    QCOMPARE(tick->args[0].size, 8);
    QVERIFY(tick->args[0].isSigned);
    QCOMPARE(tick->args[1].size, 8);
    QVERIFY(!tick->args[1].isSigned);
    for (const SdtArg& arg : tick->args) {
        QVERIFY(arg.kind == SdtArg::Kind::Register || arg.kind == SdtArg::Kind::Memory);
        QVERIFY(!arg.reg.empty());
        QVERIFY(tick->argText.find(arg.text) != std::string::npos);
    }
}

void ElfBinaryTest::pltMatchesObjdump_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("imports");
    QTest::newRow("O0") << TAP_UPROG_O0 << QStringList{"strlen", "getpid", "snprintf"};
    QTest::newRow("O2") << TAP_UPROG_O2 << QStringList{"strlen", "getpid"};
    // libc's stubs are not in .rela.plt order: its IRELATIVE slots come first.
    QTest::newRow("libc") << libc_ << QStringList{"calloc", "realloc"};
}

void ElfBinaryTest::pltMatchesObjdump() {
    QFETCH(QString, path);
    QFETCH(QStringList, imports);
    auto binary = openOrFail(path);
    QVERIFY(binary);
    auto stubs = objdumpPltStubs(path);
    QVERIFY(!stubs.empty());
    QStringList names;
    for (const Symbol& entry : binary->pltEntries()) {
        QString name = QString::fromStdString(entry.name);
        names << name;
        QVERIFY2(stubs.count(name), qPrintable(name));
        QCOMPARE(entry.address, stubs[name]);
        QVERIFY(binary->fileOffset(entry.address));
    }
    QCOMPARE(size_t(names.size()), stubs.size());
    for (const QString& name : imports)
        QVERIFY2(names.contains(name), qPrintable(name));
}

void ElfBinaryTest::neededLibraries() {
    auto binary = openOrFail(TAP_UPROG_O2);
    QVERIFY(binary);
    QCOMPARE(binary->needed(), std::vector<std::string>{"libc.so.6"});
    QVERIFY(binary->runPaths().empty());
}

void ElfBinaryTest::libcFunctions() {
    auto libc = openOrFail(libc_);
    QVERIFY(libc);
    QVERIFY(libc->isSharedObject());
    QVERIFY(libc->sdtProbes().empty() || !libc->sdtProbes()[0].provider.empty());
    auto nm = nmSymbols(libc_, true);
    // memcpy has two versions at two addresses; the default one must win.
    for (const char* name : {"malloc", "free", "memcpy"}) {
        const Symbol* function = libc->function(name);
        QVERIFY2(function, name);
        QVERIFY2(nm.count(name), name);
        QCOMPARE(function->address, nm[name].address);
        QVERIFY(libc->functionAt(function->address));
        QCOMPARE(libc->functionAt(function->address)->address, function->address);
        QVERIFY(libc->fileOffset(function->address));
    }
}

void ElfBinaryTest::sdtArgument_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error"); // a part of the error, "" when it parses
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("reg");
    QTest::addColumn<int>("size");
    QTest::addColumn<bool>("isSigned");
    QTest::addColumn<qint64>("value");
    QTest::addColumn<quint64>("address");
    const int reg = int(SdtArg::Kind::Register), mem = int(SdtArg::Kind::Memory),
              constant = int(SdtArg::Kind::Constant), global = int(SdtArg::Kind::Global);
    auto ok = [](const char* text, int kind, const char* reg, int size, bool isSigned,
                 qint64 value = 0, quint64 address = 0) {
        QTest::newRow(text) << text << "" << kind << reg << size << isSigned << value << address;
    };
    auto bad = [](const char* text, const char* error) {
        QTest::newRow(text) << text << error << 0 << "" << 0 << false << qint64(0) << quint64(0);
    };
    ok("-4@%edi", reg, "di", 4, true);
    ok("8@%rax", reg, "ax", 8, false);
    ok("1@%al", reg, "ax", 1, false);
    ok("-1@%sil", reg, "si", 1, true);
    ok("2@%bp", reg, "bp", 2, false);
    ok("8@%rsp", reg, "sp", 8, false);
    ok("4@%r8d", reg, "r8", 4, false);
    ok("2@%r9w", reg, "r9", 2, false);
    ok("1@%r10b", reg, "r10", 1, false);
    ok("8@%r15", reg, "r15", 8, false);
    ok("-4@%edx", reg, "dx", 4, true);
    ok("8@%rcx", reg, "cx", 8, false);
    ok("8@%rbx", reg, "bx", 8, false);
    ok("%rsi", reg, "si", 8, false); // old notes: no size, unsigned 64-bit
    ok("8@-16(%rbp)", mem, "bp", 8, false, -16);
    ok("-4@(%rsp)", mem, "sp", 4, true, 0);
    ok("8@24(%r12)", mem, "r12", 8, false, 24);
    ok("8@0x10(%rbx)", mem, "bx", 8, false, 16);
    ok("-16(%rbp)", mem, "bp", 8, false, -16);
    ok("4@$42", constant, "", 4, false, 42);
    ok("-2@$-5", constant, "", 2, true, -5);
    ok("8@$0x1f", constant, "", 8, false, 31);
    ok("8@counter(%rip)", global, "", 8, false, 0, 0x4000);
    ok("-8@counter+8(%rip)", global, "", 8, true, 0, 0x4008);
    ok("8@8+counter(%rip)", global, "", 8, false, 0, 0x4008);
    ok("4@counter-4(%rip)", global, "", 4, false, 0, 0x3ffc);
    bad("1@%ah", "unsupported register '%ah' in SDT argument '1@%ah'");
    bad("8@%xmm0", "unsupported register '%xmm0'");
    bad("8@(%rax,%rbx,4)", "unsupported SDT argument '8@(%rax,%rbx,4)'");
    bad("8@8(,%rax,8)", "unsupported SDT argument");
    bad("8@counter(%rax)", "unsupported SDT argument");
    bad("8@missing(%rip)", "unknown symbol 'missing' in SDT argument '8@missing(%rip)'");
    bad("3@%eax", "invalid size in SDT argument '3@%eax'");
    bad("8@$", "unsupported SDT argument");
    bad("8@$x", "unsupported SDT argument");
    bad("8@", "unsupported SDT argument");
    bad("8@counter", "unsupported SDT argument");
    bad("8@12(%rbp", "unsupported SDT argument");
}

void ElfBinaryTest::sdtArgument() {
    QFETCH(QString, text);
    QFETCH(QString, error);
    auto symbols = [](const std::string& name) -> std::optional<uint64_t> {
        if (name == "counter")
            return 0x4000;
        return std::nullopt;
    };
    std::string message;
    auto arg = parseSdtArg(text.toStdString(), symbols, message);
    if (!error.isEmpty()) {
        QVERIFY(!arg);
        QVERIFY2(QString::fromStdString(message).contains(error), message.c_str());
        return;
    }
    QVERIFY2(arg, message.c_str());
    QFETCH(int, kind);
    QFETCH(QString, reg);
    QFETCH(int, size);
    QFETCH(bool, isSigned);
    QFETCH(qint64, value);
    QFETCH(quint64, address);
    QCOMPARE(int(arg->kind), kind);
    QCOMPARE(QString::fromStdString(arg->reg), reg);
    QCOMPARE(arg->size, size);
    QCOMPARE(arg->isSigned, isSigned);
    QCOMPARE(arg->value, value);
    QCOMPARE(arg->address, address);
    QCOMPARE(QString::fromStdString(arg->text), text);
}

void ElfBinaryTest::sdtSemaphore() {
    if (!buildFixture())
        QSKIP("no C compiler to build the fixture");
    auto binary = openOrFail(fixture());
    QVERIFY(binary);
    const SdtProbe* ping = findProbe(*binary, "fixture", "ping");
    QVERIFY(ping);
    auto nm = nmSymbols(fixture());
    QCOMPARE(ping->semaphore, nm["fixture_ping_semaphore"].address);
    QVERIFY(ping->semaphore != 0);
    // ref_ctr_offset: where the semaphore is in the file, through .probes.
    static const QRegularExpression probes("\\] \\.probes\\s+PROGBITS\\s+([0-9a-f]+) ([0-9a-f]+)");
    auto match = probes.match(run("readelf", {"-SW", fixture()}));
    QVERIFY(match.hasMatch());
    quint64 sectionAddress = match.captured(1).toULongLong(nullptr, 16);
    quint64 sectionOffset = match.captured(2).toULongLong(nullptr, 16);
    QCOMPARE(ping->semaphoreOffset, ping->semaphore - sectionAddress + sectionOffset);
    QCOMPARE(binary->fileOffset(ping->semaphore), std::optional<uint64_t>(ping->semaphoreOffset));
    QCOMPARE(binary->functionAt(ping->address)->name, std::string("main"));
    QCOMPARE(ping->args.size(), size_t(1));
    QCOMPARE(ping->args[0].size, 4);
    QVERIFY(ping->args[0].isSigned);
}

void ElfBinaryTest::sdtHandWrittenArguments() {
    if (!buildFixture())
        QSKIP("no C compiler to build the fixture");
    auto binary = openOrFail(fixture());
    QVERIFY(binary);
    const SdtProbe* custom = findProbe(*binary, "fixture", "custom");
    QVERIFY(custom);
    auto nm = nmSymbols(fixture());
    QCOMPARE(custom->address, nm["fixture_custom"].address);
    QCOMPARE(custom->semaphore, uint64_t(0));
    QCOMPARE(custom->semaphoreOffset, uint64_t(0));
    // Parsing stops at the first unsupported argument.
    QCOMPARE(QString::fromStdString(custom->argError),
             QString("unsupported SDT argument '8@(%rax,%rbx,4)'"));
    QCOMPARE(custom->args.size(), size_t(6));
    const auto& args = custom->args;
    QCOMPARE(args[0].kind, SdtArg::Kind::Register);
    QCOMPARE(args[0].reg, std::string("di"));
    QCOMPARE(args[1].kind, SdtArg::Kind::Memory);
    QCOMPARE(args[1].value, int64_t(-16));
    QCOMPARE(args[2].kind, SdtArg::Kind::Constant);
    QCOMPARE(args[2].value, int64_t(5));
    QCOMPARE(args[2].size, 2);
    QCOMPARE(args[3].kind, SdtArg::Kind::Global);
    QCOMPARE(args[3].address, nm["pair"].address);
    QCOMPARE(args[4].kind, SdtArg::Kind::Global);
    QCOMPARE(args[4].address, nm["pair"].address + 8);
    QVERIFY(args[4].isSigned);
    QCOMPARE(args[5].reg, std::string("si"));
    QCOMPARE(args[5].size, 1);
}

void ElfBinaryTest::sdtMovedBase() {
    if (!buildFixture())
        QSKIP("no C compiler to build the fixture");
    auto binary = openOrFail(fixture());
    QVERIFY(binary);
    const SdtProbe* moved = findProbe(*binary, "fixture", "moved");
    QVERIFY(moved);
    // The note says .stapsdt.base was 0x100 lower: everything moved by 0x100.
    QCOMPARE(moved->address, nmSymbols(fixture())["fixture_moved"].address + 0x100);
    QVERIFY(moved->args.empty());
    QCOMPARE(moved->argError, std::string());
}

void ElfBinaryTest::resolveExecutable_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    QTest::newRow("ls in $PATH") << "ls" << canonical("/usr/bin/ls");
    QTest::newRow("absolute") << TAP_UPROG_O0 << canonical(TAP_UPROG_O0);
    QFileInfo programDir(QFileInfo(TAP_UPROG_O2).absolutePath());
    QTest::newRow("dot-dot") << programDir.filePath() + "/../" + programDir.fileName() + "/" +
                                    QFileInfo(TAP_UPROG_O2).fileName()
                             << canonical(TAP_UPROG_O2);
    QTest::newRow("missing") << "no-such-tap-program" << "";
    QTest::newRow("missing path") << "/nonexistent/ls" << "";
    QTest::newRow("not executable") << TAPSTUDIO_SOURCE_DIR "/tests/workload/tap_uprog.c" << "";
    QTest::newRow("directory") << "/usr/bin/" << "";
    QTest::newRow("empty") << "" << "";
}

void ElfBinaryTest::resolveExecutable() {
    QFETCH(QString, name);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(tap::elf::resolveExecutable(name.toStdString())), expected);
}

void ElfBinaryTest::resolveExecutableEmptyPathElement() {
    // An empty $PATH element is the current directory.
    QString programDir = QFileInfo(TAP_UPROG_O0).absolutePath();
    QString program = QFileInfo(TAP_UPROG_O0).fileName();
    QString previous = QDir::currentPath();
    QVERIFY(QDir::setCurrent(programDir));
    std::string found;
    {
        ScopedEnv path("PATH", "/nonexistent:");
        found = tap::elf::resolveExecutable(program.toStdString());
    }
    QDir::setCurrent(previous);
    QCOMPARE(QString::fromStdString(found), canonical(TAP_UPROG_O0));
}

void ElfBinaryTest::resolveScriptToInterpreter() {
    // stapprobes: a script's interpreter is probed; "#!/usr/bin/env NAME"
    // finds NAME in $PATH; a script whose interpreter is no ELF file stays itself.
    QTemporaryDir dir;
    auto script = [&](const QString& name, const QByteArray& firstLine) {
        QFile f(dir.filePath(name));
        f.open(QIODevice::WriteOnly);
        f.write(firstLine + "\necho hi\n");
        f.setPermissions(f.permissions() | QFileDevice::ExeOwner);
        return dir.filePath(name).toStdString();
    };
    QString program = QFileInfo(TAP_UPROG_O0).fileName();
    QCOMPARE(QString::fromStdString(tap::elf::resolveExecutable(script("direct", "#!" + QByteArray(TAP_UPROG_O0) + " -x"))),
             canonical(TAP_UPROG_O0));
    {
        ScopedEnv path("PATH", QFileInfo(TAP_UPROG_O0).absolutePath().toUtf8());
        QCOMPARE(QString::fromStdString(tap::elf::resolveExecutable(script("env", "#!/usr/bin/env " + program.toUtf8()))),
                 canonical(TAP_UPROG_O0));
    }
    std::string plain = script("plain", "echo no interpreter line");
    QCOMPARE(tap::elf::resolveExecutable(plain), QFileInfo(QString::fromStdString(plain)).canonicalFilePath().toStdString());
}

void ElfBinaryTest::resolveLibc_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("soname") << "libc.so.6";
    QTest::newRow("without .so") << "libc";
    QTest::newRow("unversioned .so") << "libc.so"; // libc.so itself is a linker script
    QTest::newRow("absolute") << libc_;
}

void ElfBinaryTest::resolveLibc() {
    QFETCH(QString, name);
    QString found = QString::fromStdString(resolveLibrary(name.toStdString(), TAP_UPROG_O0));
    QVERIFY2(found.endsWith("/libc.so.6"), qPrintable(found));
    QVERIFY(QFileInfo(found).isFile());
    QCOMPARE(found, canonical(found));
    QCOMPARE(found, libc_);
    auto libc = openOrFail(found);
    QVERIFY(libc && libc->function("malloc"));
}

void ElfBinaryTest::resolveLibraryMissing() {
    QCOMPARE(resolveLibrary("libno-such-tap-library.so.1", TAP_UPROG_O0), std::string());
    QCOMPARE(resolveLibrary("libno-such-tap-library", TAP_UPROG_O0), std::string());
    QCOMPARE(resolveLibrary("/nonexistent/libc.so.6", TAP_UPROG_O0), std::string());
    QCOMPARE(resolveLibrary("", TAP_UPROG_O0), std::string());
}

void ElfBinaryTest::resolveLibraryFromLdLibraryPath() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString library = dir.filePath("libtapenv.so.2");
    QVERIFY(QFile::copy(libc_, library));
    // A linker script under the shorter name: not a library, skipped.
    QFile script(dir.filePath("libtapenv.so"));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write("GROUP ( libtapenv.so.2 )\n");
    script.close();

    QCOMPARE(resolveLibrary("libtapenv.so.2", TAP_UPROG_O0), std::string());
    ScopedEnv path("LD_LIBRARY_PATH", ("/nonexistent:" + dir.path()).toLocal8Bit());
    QCOMPARE(QString::fromStdString(resolveLibrary("libtapenv.so.2", TAP_UPROG_O0)),
             canonical(library));
    QCOMPARE(QString::fromStdString(resolveLibrary("libtapenv", TAP_UPROG_O0)), canonical(library));
}

void ElfBinaryTest::runPathAndRPath() {
    if (!buildFixture())
        QSKIP("no C compiler to build the fixture");
    QString binDir = canonical(fixtureDir_.filePath("bin"));
    auto fixtureBinary = openOrFail(fixture());
    QVERIFY(fixtureBinary);
    QCOMPARE(fixtureBinary->runPaths(),
             std::vector<std::string>{(binDir + "/../lib").toStdString()});
    QVERIFY(std::find(fixtureBinary->needed().begin(), fixtureBinary->needed().end(),
                      "libc.so.6") != fixtureBinary->needed().end());

    auto rpathBinary = openOrFail(rpathFixture());
    QVERIFY(rpathBinary);
    QCOMPARE(rpathBinary->runPaths(),
             (std::vector<std::string>{(binDir + "/rp").toStdString(), "/opt/x"}));

    // The fixture's DT_RUNPATH comes before the system directories.
    QString library = fixtureDir_.filePath("lib/libtapfixture.so.1");
    QVERIFY(QFile::copy(libc_, library));
    QCOMPARE(QString::fromStdString(resolveLibrary("libtapfixture.so.1", fixture().toStdString())),
             canonical(library));
    QCOMPARE(QString::fromStdString(resolveLibrary("libtapfixture", fixture().toStdString())),
             canonical(library));
    QCOMPARE(resolveLibrary("libtapfixture.so.1", TAP_UPROG_O0), std::string());
}

QTEST_GUILESS_MAIN(ElfBinaryTest)
#include "test_elf_binary.moc"
