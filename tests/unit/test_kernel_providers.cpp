// The kernel probe providers (pass 2): kernel.trace, syscall.* /
// nd_syscall.*, perf.*, process.*, kernel.function & co, the tapset aliases
// of tapsets/linux/, and -l/-L listing. Most checks need the running
// kernel's tracefs and BTF (root); they are skipped without them.
#include "frontend.h"
#include "kernel/btf.h"
#include "kernel/kernel_types.h"
#include "kernel/providers.h"
#include "kernel/tracefs.h"
#include "listing.h"

#include <bpf/libbpf.h>

#include <fstream>

#include <QCoreApplication>
#include <QProcess>
#include <QtTest>

#include <unistd.h>

#include <memory>
#include <sstream>
#include <string>

using namespace tap;

namespace {

struct Run {
    std::unique_ptr<Frontend> fe;
    bool ok = false;
    std::string errors() const {
        std::string out;
        for (const Diagnostic& d : fe->diagnostics().all())
            if (d.severity == Severity::Error) {
                out += d.message + "\n";
                for (const Diagnostic& n : d.notes)
                    out += "  " + n.message + "\n";
            }
        return out;
    }
    const ResolvedProbe& probe(size_t i) const { return fe->program().probes.at(i); }
    std::vector<std::string> points() const {
        std::vector<std::string> out;
        for (const ResolvedProbe& p : fe->program().probes)
            out.push_back(p.point.str());
        return out;
    }
    const ContextVar* var(size_t i, const std::string& name) const {
        for (const ContextVar& v : probe(i).context)
            if (v.name == name)
                return &v;
        return nullptr;
    }
    Type localType(size_t i, const std::string& name) const {
        for (const VarDecl* l : probe(i).locals)
            if (l->name == name)
                return l->type;
        return Type::Unknown;
    }
};

std::unique_ptr<Run> elaborate(const std::string& script, bool unoptimized = false) {
    auto r = std::make_unique<Run>();
    CompileOptions options;
    options.unoptimized = unoptimized;
    r->fe = std::make_unique<Frontend>(options);
    r->fe->addScriptText("<input>", script);
    r->ok = r->fe->elaborate();
    return r;
}

bool haveKernel() {
    return geteuid() == 0 && !kernel::Tracefs::root().empty() && kernel::Btf::vmlinux() != nullptr;
}

#define NEED_KERNEL()                                                                              \
    do {                                                                                           \
        if (!haveKernel())                                                                         \
            QSKIP("needs root, tracefs and kernel BTF");                                           \
    } while (0)

#define EXPECT_OK(run) QVERIFY2((run)->ok, (run)->errors().c_str())

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

std::string listing(const std::string& pattern, bool withVariables) {
    ListingResult r = listProbePoints(CompileOptions{}, pattern, withVariables);
    std::ostringstream out, err;
    printListing(r, withVariables, out, err);
    return out.str();
}

QString tstapPath() { return QCoreApplication::applicationDirPath() + "/../app/tstap"; }

} // namespace

class KernelProvidersTest : public QObject {
    Q_OBJECT
private slots:
    // Without the kernel
    void stapTypeSpelling();
    void attachSections();
    // BTF
    void btfTracepointArguments();
    void btfTracepointClassNames();
    // kernel.trace
    void traceResolvesToSystemAndName();
    void traceWildcardsSorted();
    void traceUnknownTracepoint();
    void traceTypedVariables();
    void traceMemberErrors();
    void traceRecordFieldsWithoutBtf();
    void traceAttachesWithoutReadingVariables();
    // syscall.*
    void syscallEntry();
    void syscallReturn();
    void syscallWildcardsAndStapNames();
    void syscallFlagHelpersRun();
    void syscallAny();
    // perf.*, process.*, kernel.function
    void perfEvents();
    void processPoints();
    void kernelFunctionOnThisKernel();
    void kernelFunctionWhereAllowed();
    void kernelFunctionObjects();
    // tapset aliases
    void tapsetAliasesResolve();
    void aliasVariables();
    // listing
    void listTracepoint();
    void listAliasesAndSyscalls();
    void listNothing();
    void probeIndex();
};

void KernelProvidersTest::stapTypeSpelling() {
    QCOMPARE(kernel::stapTypeSpelling("struct task_struct *"), std::string("struct task_struct*"));
    QCOMPARE(kernel::stapTypeSpelling("const char *"), std::string("char const*"));
    QCOMPARE(kernel::stapTypeSpelling("const char *const *"), std::string("char const* const*"));
    QCOMPARE(kernel::stapTypeSpelling("unsigned int"), std::string("unsigned int"));
    QCOMPARE(kernel::stapTypeSpelling("char[16]"), std::string("char[16]"));
    QCOMPARE(kernel::stapTypeSpelling("__data_loc char[]"), std::string("__data_loc char[]"));
}

void KernelProvidersTest::attachSections() {
    AttachSpec a;
    a.kind = AttachSpec::Kind::Fentry;
    a.target = "do_exit";
    QCOMPARE(a.section(), std::string("fentry/do_exit"));
    a.isReturn = true;
    QCOMPARE(a.section(), std::string("fexit/do_exit"));
}

void KernelProvidersTest::btfTracepointArguments() {
    kernel::Btf* btf = kernel::Btf::vmlinux();
    if (!btf)
        QSKIP("no kernel BTF");
    auto params = btf->tracepointParams("sched_switch");
    QVERIFY(params);
    QCOMPARE(params->size(), size_t(4));
    QCOMPARE((*params)[0].name, std::string("preempt"));
    QCOMPARE((*params)[1].name, std::string("prev"));
    QCOMPARE(btf->declare((*params)[1].type), std::string("struct task_struct *"));
    QCOMPARE((*params)[3].name, std::string("prev_state"));
    QVERIFY(!btf->tracepointParams("no_such_tracepoint_xyz"));
    QVERIFY(btf->findType("umode_t") > 0);
    QCOMPARE(btf->size(btf->findType("umode_t")), int64_t(2));
    QCOMPARE(btf->size(btf->findType("unsigned long")), int64_t(8));
    QVERIFY(btf->functionParams("do_exit"));
}

// DEFINE_EVENT tracepoints take their argument names from their class.
void KernelProvidersTest::btfTracepointClassNames() {
    kernel::Btf* btf = kernel::Btf::vmlinux();
    if (!btf)
        QSKIP("no kernel BTF");
    for (const char* tp : {"sched_wakeup", "sched_wakeup_new", "sched_process_free"}) {
        auto params = btf->tracepointParams(tp);
        QVERIFY2(params, tp);
        QCOMPARE(params->size(), size_t(1));
        QCOMPARE((*params)[0].name, std::string("p"));
    }
}

void KernelProvidersTest::traceResolvesToSystemAndName() {
    NEED_KERNEL();
    auto r = elaborate("probe kernel.trace(\"sched_switch\") { println($prev->pid) }");
    EXPECT_OK(r);
    QCOMPARE(r->points(), std::vector<std::string>{"kernel.trace(\"sched:sched_switch\")"});
    const ResolvedProbe& p = r->probe(0);
    QVERIFY(p.site == ProbeSite::Kernel);
    AttachSpec a = p.provider->attach(p.point);
    QVERIFY(a.kind == AttachSpec::Kind::TpBtf);
    QCOMPARE(a.section(), std::string("tp_btf/sched_switch"));
    const ContextVar* next = r->var(0, "$next");
    QVERIFY(next);
    QCOMPARE(next->argIndex, 2);
    QVERIFY(next->btfType > 0);
    QCOMPARE(next->cType, std::string("struct task_struct *"));
    auto same = elaborate("probe kernel.trace(\"sched:sched_switch\") { println($preempt) }");
    EXPECT_OK(same);
    QCOMPARE(same->points(), r->points());
}

void KernelProvidersTest::traceWildcardsSorted() {
    NEED_KERNEL();
    auto r = elaborate("probe kernel.trace(\"sched:sched_process_*\") { println(1) }");
    EXPECT_OK(r);
    std::vector<std::string> pts = r->points();
    QVERIFY(pts.size() >= 5);
    QVERIFY(std::is_sorted(pts.begin(), pts.end()));
    for (const char* e : {"exec", "exit", "fork", "free", "wait"})
        QVERIFY2(std::find(pts.begin(), pts.end(),
                           std::string("kernel.trace(\"sched:sched_process_") + e + "\")") != pts.end(),
                 e);
}

void KernelProvidersTest::traceUnknownTracepoint() {
    NEED_KERNEL();
    auto r = elaborate("probe kernel.trace(\"no_such_tp_at_all\") { println(1) }");
    QVERIFY(!r->ok);
    QVERIFY2(contains(r->errors(), "no kernel tracepoint matches \"no_such_tp_at_all\""), r->errors().c_str());
    auto opt = elaborate("probe kernel.trace(\"no_such_tp_at_all\")?, begin { println(1) }");
    EXPECT_OK(opt);
}

void KernelProvidersTest::traceTypedVariables() {
    NEED_KERNEL();
    auto r = elaborate("probe kernel.trace(\"sched_switch\") {\n"
                       "  a = $prev->comm; b = $prev$; c = $$vars; d = $$parms$\n"
                       "  e = &$prev->se; f = $prev->comm[2]; g = $next->se->vruntime\n"
                       "  printf(\"%d %s %s %s %d %d %d %s\\n\", a, b, c, d, e, f, g, kernel_string($next->comm))\n"
                       "}");
    EXPECT_OK(r);
    QCOMPARE(r->localType(0, "a"), Type::Long);
    QCOMPARE(r->localType(0, "b"), Type::String);
    QCOMPARE(r->localType(0, "c"), Type::String);
    QCOMPARE(r->localType(0, "d"), Type::String);
    QCOMPARE(r->localType(0, "e"), Type::Long);
    QCOMPARE(r->localType(0, "g"), Type::Long);
    auto defined = elaborate("probe kernel.trace(\"sched_switch\") {\n"
                             "  println(@defined($prev->no_such) ? 1 : 2)\n"
                             "  println(@choose_defined($prev->__state, $prev->state))\n"
                             "}");
    EXPECT_OK(defined);
}

void KernelProvidersTest::traceMemberErrors() {
    NEED_KERNEL();
    struct Case {
        const char* expr;
        const char* error;
    } cases[] = {
        {"$prev->foo", "unable to find member 'foo' for struct task_struct"},
        {"$prev->se", "'struct sched_entity' is being accessed instead of a member"},
        {"$preempt->x", "invalid access '->x' vs 'bool'"},
        {"$prev->comm[16]", "index 16 is out of bounds"},
        {"$prev_state[1]", "not a pointer or array"},
        {"$nosuch", "unable to find variable '$nosuch' (alternatives: $preempt $prev $next $prev_state)"},
        {"$return", "'$return' is only available in .return probes"},
    };
    for (const Case& c : cases) {
        auto r = elaborate(std::string("probe kernel.trace(\"sched_switch\") { println(") + c.expr + ") }");
        QVERIFY2(!r->ok, c.expr);
        QVERIFY2(contains(r->errors(), c.error), (std::string(c.expr) + ": " + r->errors()).c_str());
    }
}

void KernelProvidersTest::traceRecordFieldsWithoutBtf() {
    NEED_KERNEL();
    // syscalls:* events have no BTF prototype: their tracefs record fields.
    auto r = elaborate("probe kernel.trace(\"syscalls:sys_enter_openat\") { println($dfd + $flags + $filename) }");
    EXPECT_OK(r);
    AttachSpec a = r->probe(0).provider->attach(r->probe(0).point);
    QVERIFY(a.kind == AttachSpec::Kind::Tracepoint);
    QCOMPARE(a.section(), std::string("tracepoint/syscalls/sys_enter_openat"));
    const ContextVar* dfd = r->var(0, "$dfd");
    QVERIFY(dfd);
    QCOMPARE(dfd->offset, 16);
    QCOMPARE(dfd->size, 4); // int, stored in 8 bytes
    QVERIFY(dfd->isSigned);
    const ContextVar* mode = r->var(0, "$mode");
    QVERIFY(mode);
    QCOMPARE(mode->size, 2); // umode_t
    QVERIFY(!mode->isSigned);
    auto bad = elaborate("probe kernel.trace(\"syscalls:sys_enter_openat\") { println($filename->x) }");
    QVERIFY(!bad->ok);
    QVERIFY2(contains(bad->errors(), "has no kernel type information"), bad->errors().c_str());
    // __data_loc strings are addresses of their bytes (isString).
    auto loc = elaborate("probe kernel.trace(\"sched:sched_process_exec\") { println($bprm) }");
    EXPECT_OK(loc);
}

// A handler that names no variable neither lists the point's variables
// nor reads the kernel's BTF for them (start-up): whether the tracepoint is
// typed comes from a per-boot list kept next to the BTF copy.
void KernelProvidersTest::traceAttachesWithoutReadingVariables() {
    NEED_KERNEL();
    kernel::Btf* btf = kernel::Btf::vmlinux();
    if (!btf)
        QSKIP("no kernel BTF");
    for (const char* tp : {"sched_switch", "sched_wakeup", "sys_enter", "sys_enter_openat", "no_such_tracepoint_xyz"})
        QVERIFY2(kernel::tracepointHasBtf(tp) == btf->tracepointParams(tp).has_value(), tp);
    std::string copy = kernel::vmlinuxBtfPath();
    if (copy.ends_with(".btf")) {
        std::ifstream list(copy.substr(0, copy.size() - 4) + ".tracepoints");
        std::string line, last;
        size_t lines = 0;
        while (std::getline(list, line))
            last = line, ++lines;
        QCOMPARE(last, std::string("# end"));
        QVERIFY(lines > 100);
    }
    auto quiet = elaborate("global n; probe kernel.trace(\"sched_switch\") { n++ }");
    EXPECT_OK(quiet);
    QVERIFY(quiet->probe(0).context.empty());
    QVERIFY(quiet->probe(0).provider->attach(quiet->probe(0).point).kind == AttachSpec::Kind::TpBtf);
    auto reads = elaborate("global n; probe kernel.trace(\"sched_switch\") { n += $prev_state }");
    EXPECT_OK(reads);
    QCOMPARE(reads->probe(0).context.size(), size_t(4));
}

void KernelProvidersTest::syscallEntry() {
    NEED_KERNEL();
    auto r = elaborate("probe syscall.openat { printf(\"%s %s %s %d %d\\n\", name, filename, argstr, flags, mode) }");
    EXPECT_OK(r);
    QCOMPARE(r->points(), std::vector<std::string>{"syscall.openat"});
    const ResolvedProbe& p = r->probe(0);
    AttachSpec a = p.provider->attach(p.point);
    QVERIFY(a.kind == AttachSpec::Kind::Tracepoint);
    QCOMPARE(a.target, std::string("syscalls/sys_enter_openat"));
    QVERIFY(!p.provider->isReturnProbe(p.point));
    std::string pro = p.provider->prologue(p.point);
    QVERIFY2(contains(pro, "name = \"openat\""), pro.c_str());
    QVERIFY2(contains(pro, "filename = user_string_quoted($filename)"), pro.c_str());
    QVERIFY2(contains(pro, "argstr = sprintf(\"%s, %s, %s\", dfd_str, filename, flags_str)") || contains(pro, "dfd_str, filename, flags_str"), pro.c_str());
    QVERIFY2(contains(pro, "_sys_open_flag_str(flags)"), pro.c_str());
    QVERIFY2(contains(pro, "dfd_str = _dfd_str(dfd)"), pro.c_str());
    QCOMPARE(r->localType(0, "name"), Type::String);
    QCOMPARE(r->localType(0, "filename"), Type::String);
    QCOMPARE(r->localType(0, "argstr"), Type::String);
    QCOMPARE(r->localType(0, "flags"), Type::Long);
    QVERIFY(r->var(0, "$filename"));
    QVERIFY(!r->var(0, "$__syscall_nr"));
    // Unused alias variables are elided, as in stap.
    auto lean = elaborate("probe syscall.openat { println(pid()) }");
    EXPECT_OK(lean);
    QVERIFY(lean->probe(0).locals.empty());
    QVERIFY(lean->fe->diagnostics().warningCount() == 0);
}

void KernelProvidersTest::syscallReturn() {
    NEED_KERNEL();
    auto r = elaborate("probe syscall.openat.return { printf(\"%s %s %d %d\\n\", name, retstr, retval, $return) }");
    EXPECT_OK(r);
    const ResolvedProbe& p = r->probe(0);
    QVERIFY(p.isReturn);
    QCOMPARE(p.provider->attach(p.point).target, std::string("syscalls/sys_exit_openat"));
    const ContextVar* ret = r->var(0, "$return");
    QVERIFY(ret);
    QCOMPARE(ret->size, 8);
    QVERIFY(ret->isSigned);
    QVERIFY(contains(p.provider->prologue(p.point), "retstr = return_str(1, $return)"));
    auto mmap = elaborate("probe syscall.mmap2.return { println(retstr) }");
    EXPECT_OK(mmap);
    QVERIFY(contains(mmap->probe(0).provider->prologue(mmap->probe(0).point), "return_str(2, $return)"));
    auto bad = elaborate("probe syscall.openat.return { println(argstr) }");
    QVERIFY(!bad->ok);
}

void KernelProvidersTest::syscallWildcardsAndStapNames() {
    NEED_KERNEL();
    auto all = elaborate("probe syscall.* { println(name) }");
    EXPECT_OK(all);
    size_t enters = kernel::tracefs().match("syscalls:sys_enter_*").size();
    QVERIFY(all->points().size() >= enters - 5);
    QVERIFY(all->points().size() > 200);
    auto rets = elaborate("probe nd_syscall.open*.return { println(retstr) }");
    EXPECT_OK(rets);
    for (const std::string& pt : rets->points())
        QVERIFY2(pt.rfind("nd_syscall.open", 0) == 0 && contains(pt, ".return"), pt.c_str());
    // stap's names for renamed calls: syscall.stat is sys_newstat.
    if (kernel::traceInfo("syscalls:sys_enter_newstat")) {
        auto stat = elaborate("probe syscall.stat { println(name) }");
        EXPECT_OK(stat);
        QCOMPARE(stat->probe(0).provider->attach(stat->probe(0).point).target,
                 std::string("syscalls/sys_enter_newstat"));
        QVERIFY(contains(stat->probe(0).provider->prologue(stat->probe(0).point), "name = \"stat\""));
    }
    auto none = elaborate("probe syscall.no_such_call { println(1) }");
    QVERIFY(!none->ok);
}

// The argstr helpers run in the user-space executor like any script code.
void KernelProvidersTest::syscallFlagHelpersRun() {
    QString tstap = tstapPath();
    if (!QFile::exists(tstap))
        QSKIP("tstap is not built next to the tests");
    QProcess p;
    p.start(tstap, {"-e",
                    "probe begin {\n"
                    " println(_sys_open_flag_str(02000000))\n"
                    " println(_sys_open_flag_str(01101))\n"
                    " println(_sys_open_flag_str(2 | 0100000000))\n"
                    " println(_dfd_str(-100) . \" \" . _dfd_str(3))\n"
                    " println(_mprotect_prot_str(0) . \" \" . _mprotect_prot_str(3))\n"
                    " println(_mmap_flags(0x22))\n"
                    " println(__fork_flags(0x1200111))\n"
                    " println(__fork_flags(17))\n"
                    " println(_signal_name(9) . \" \" . _signal_name(29))\n"
                    " println(_access_mode_str(0) . \" \" . _access_mode_str(6))\n"
                    " println(_at_flag_str(0x200) . \" \" . _seek_whence_str(2))\n"
                    " println(_futex_op_str(128) . \" \" . _futex_op_str(0x189))\n"
                    " exit()\n}"});
    QVERIFY(p.waitForFinished(30000));
    QString out = QString::fromUtf8(p.readAllStandardOutput());
    QString err = QString::fromUtf8(p.readAllStandardError());
    if (p.exitCode() != 0 && err.contains("not available"))
        QSKIP("this tstap cannot run scripts yet");
    QCOMPARE(out, QString("O_RDONLY|O_CLOEXEC\n"
                          "O_WRONLY|O_CREAT|O_TRUNC\n"
                          "O_RDWR|0x1000000\n"
                          "AT_FDCWD 3\n"
                          "PROT_NONE PROT_READ|PROT_WRITE\n"
                          "MAP_PRIVATE|MAP_ANONYMOUS\n"
                          "CLONE_VM|CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD\n"
                          "0x0|SIGCHLD\n"
                          "SIGKILL SIGIO\n"
                          "F_OK R_OK|W_OK\n"
                          "AT_REMOVEDIR SEEK_END\n"
                          "FUTEX_WAIT_PRIVATE FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME\n"));
}

void KernelProvidersTest::syscallAny() {
    NEED_KERNEL();
    auto r = elaborate("probe syscall_any { println(syscall_nr) } probe syscall_any.return { println(retval + syscall_nr) }");
    EXPECT_OK(r);
    // name = syscall_name(...) brings in syscall_table.stp, whose init probe
    // fills the name table (as stap's does).
    QCOMPARE(r->points(), (std::vector<std::string>{"kernel.trace(\"raw_syscalls:sys_enter\")",
                                                    "kernel.trace(\"raw_syscalls:sys_exit\")",
                                                    "begin(-9223372036854775808)"}));
}

void KernelProvidersTest::perfEvents() {
    auto r = elaborate("probe perf.sw.cpu_clock.sample(1000) { println(1) }\n"
                       "probe perf.type(1).config(3).hz(99) { println(2) }\n"
                       "probe perf.sw.page_faults { println(3) }");
    EXPECT_OK(r);
    AttachSpec a = r->probe(0).provider->attach(r->probe(0).point);
    QVERIFY(a.kind == AttachSpec::Kind::PerfEvent);
    QCOMPARE(a.perfType, uint64_t(1));
    QCOMPARE(a.perfConfig, uint64_t(0));
    QCOMPARE(a.samplePeriod, uint64_t(1000));
    QCOMPARE(a.cpu, -1);
    AttachSpec b = r->probe(1).provider->attach(r->probe(1).point);
    QCOMPARE(b.perfConfig, uint64_t(3));
    QCOMPARE(b.sampleFrequency, uint64_t(99));
    QCOMPARE(b.samplePeriod, uint64_t(0));
    AttachSpec c = r->probe(2).provider->attach(r->probe(2).point);
    QCOMPARE(c.perfConfig, uint64_t(2));
    QCOMPARE(c.samplePeriod, uint64_t(1000000));
    auto bad = elaborate("probe perf.sw.cpu_clock.sample(0) { println(1) }");
    QVERIFY(!bad->ok);
    QVERIFY2(contains(bad->errors(), "must be positive"), bad->errors().c_str());
    // Hardware events need a hardware PMU: either they resolve or pass 2 says why.
    auto hw = elaborate("probe perf.hw.cpu_cycles { println(1) }");
    QVERIFY2(hw->ok || contains(hw->errors(), "hardware performance counters"), hw->errors().c_str());
    auto cache = elaborate("probe perf.hw_cache.l1d.read.miss.sample(10) { println(1) }");
    if (cache->ok) {
        AttachSpec h = cache->probe(0).provider->attach(cache->probe(0).point);
        QCOMPARE(h.perfType, uint64_t(3));
        QCOMPARE(h.perfConfig, uint64_t(0x10000));
    }
}

void KernelProvidersTest::processPoints() {
    NEED_KERNEL();
    auto r = elaborate("probe process.begin { println(pid()) }\n"
                       "probe process(\"ls\").end { println(pid()) }\n"
                       "probe process(4242).end { println(pid()) }\n"
                       "probe process(\"/bin/sh\").begin { println(pid()) }\n"
                       "probe process.thread.end { println(tid()) }");
    EXPECT_OK(r);
    QCOMPARE(r->probe(0).point.str(), std::string("process.begin"));
    AttachSpec begin = r->probe(0).provider->attach(r->probe(0).point);
    QVERIFY(begin.kind == AttachSpec::Kind::TpBtf);
    QCOMPARE(begin.target, std::string("sched_process_fork"));
    QCOMPARE(begin.taskArgIndex, 1);
    QVERIFY(contains(r->probe(0).provider->prologue(r->probe(0).point), "$child->pid != $child->tgid"));

    const ResolvedProbe& ls = r->probe(1);
    QVERIFY2(contains(ls.point.str(), "process(\"/") && contains(ls.point.str(), "/ls\").end"), ls.point.str().c_str());
    AttachSpec end = ls.provider->attach(ls.point);
    QCOMPARE(end.target, std::string("sched_process_exit"));
    QCOMPARE(end.taskArgIndex, -1);
    std::string pro = ls.provider->prologue(ls.point);
    QVERIFY2(contains(pro, "i_ino != ") && contains(pro, "next"), pro.c_str());

    AttachSpec pid = r->probe(2).provider->attach(r->probe(2).point);
    QCOMPARE(pid.filterPid, int64_t(4242));
    QCOMPARE(r->probe(3).provider->attach(r->probe(3).point).target, std::string("sched_process_exec"));

    auto missing = elaborate("probe process(\"/no/such/program\").begin { println(1) }");
    QVERIFY(!missing->ok);
    QVERIFY2(contains(missing->errors(), "cannot find executable '/no/such/program'"), missing->errors().c_str());
}

void KernelProvidersTest::kernelFunctionOnThisKernel() {
    NEED_KERNEL();
    std::string support = kernel::kernelFunctionSupport();
    qInfo("kernel.function support: %s", support.c_str());
    auto r = elaborate("probe kernel.function(\"__switch_to\") { println(1) }");
    if (contains(support, "fentry no") && contains(support, "kprobes no")) {
        QVERIFY(!r->ok);
        QVERIFY2(contains(r->errors(), "this kernel refuses"), r->errors().c_str());
        QVERIFY2(contains(r->errors(), "use kernel.trace(\"sched_switch\") or scheduler.ctxswitch"),
                 r->errors().c_str());
        auto exitf = elaborate("probe kernel.function(\"do_exit\").return { println(1) }");
        QVERIFY(contains(exitf->errors(), "kernel.trace(\"sched_process_exit\") or kprocess.exit"));
        auto sys = elaborate("probe kprobe.function(\"__x64_sys_openat\") { println(1) }");
        QVERIFY2(contains(sys->errors(), "use syscall.openat"), sys->errors().c_str());
        auto optional = elaborate("probe kernel.function(\"__switch_to\")?, scheduler.ctxswitch { println(1) }");
        EXPECT_OK(optional);
    } else if (contains(support, "fentry yes")) {
        EXPECT_OK(r);
        auto typed = elaborate("probe kernel.function(\"do_exit\") { println($code) }");
        EXPECT_OK(typed);
        QVERIFY(typed->probe(0).provider->attach(typed->probe(0).point).kind == AttachSpec::Kind::Fentry);
    }
}

// On kernels that allow fentry: BTF parameters. Simulated with the override.
void KernelProvidersTest::kernelFunctionWhereAllowed() {
    NEED_KERNEL();
    QString tstap = tstapPath();
    if (!QFile::exists(tstap))
        QSKIP("tstap is not built next to the tests");
    auto run = [&](const QString& assume, const QStringList& args) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("TAPSTUDIO_ASSUME_KERNEL_PROBES", assume);
        p.setProcessEnvironment(env);
        p.start(tstap, args);
        p.waitForFinished(30000);
        return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
    };
    QCOMPARE(run("fentry", {"-L", "kernel.function(\"do_exit\")"}),
             QString("kernel.function(\"do_exit\") $code:long int\n"));
    QString ret = run("fentry", {"-L", "kernel.function(\"vfs_read\").return"});
    QVERIFY2(ret.startsWith("kernel.function(\"vfs_read\").return $file:struct file* ") && ret.contains(" $return:"),
             qPrintable(ret));
    QString p2 = run("fentry", {"-p2", "-e", "probe kernel.function(\"vfs_read\") { println($file->f_inode->i_ino) }"});
    QVERIFY2(p2.contains("kernel.function(\"vfs_read\")") && !p2.contains("error"), qPrintable(p2));
    QString bad = run("fentry", {"-p2", "-e", "probe kernel.function(\"vfs_read\") { println($file->nosuch) }"});
    QVERIFY2(bad.contains("unable to find member 'nosuch' for struct file"), qPrintable(bad));
    QCOMPARE(run("kprobe", {"-L", "kprobe.function(\"do_exit\")"}), QString("kprobe.function(\"do_exit\")\n"));
    QString none = run("none", {"-p2", "-e", "probe kernel.function(\"do_exit\") { println(1) }"});
    QVERIFY2(none.contains("kernel.trace(\"sched_process_exit\") or kprocess.exit"), qPrintable(none));
}

// For kernels that allow fentry or kprobes (simulated): the generated C
// compiles (tstap -p4) and libbpf, which attaches each program by its
// section, opens the object as fentry/fexit (tracing) or kprobe/kretprobe
// programs.
void KernelProvidersTest::kernelFunctionObjects() {
    NEED_KERNEL();
    QString tstap = tstapPath();
    if (!QFile::exists(tstap))
        QSKIP("tstap is not built next to the tests");
    struct Case {
        const char* assume;
        const char* entrySection;
        const char* returnSection;
        bpf_prog_type type;
    };
    for (const Case& c : {Case{"fentry", "fentry/vfs_read", "fexit/vfs_read", BPF_PROG_TYPE_TRACING},
                          Case{"kprobe", "kprobe/vfs_read", "kretprobe/vfs_read", BPF_PROG_TYPE_KPROBE}}) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("TAPSTUDIO_ASSUME_KERNEL_PROBES", c.assume);
        p.setProcessEnvironment(env);
        p.start(tstap, {"-p4", "-e",
                        "probe kernel.function(\"vfs_read\") { printf(\"%d %d\\n\", $count, $file->f_inode->i_ino) }\n"
                        "probe kernel.function(\"vfs_read\").return { printf(\"%d\\n\", $return) }"});
        QVERIFY(p.waitForFinished(60000));
        QString object = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
        QVERIFY2(p.exitCode() == 0 && QFile::exists(object), qPrintable(object + p.readAllStandardError()));
        bpf_object* obj = bpf_object__open_file(object.toUtf8().constData(), nullptr);
        QVERIFY(obj);
        QStringList sections;
        bpf_program* prog;
        bpf_object__for_each_program(prog, obj) {
            sections << bpf_program__section_name(prog);
            QCOMPARE(bpf_program__type(prog), c.type);
            if (c.type == BPF_PROG_TYPE_TRACING)
                QCOMPARE(bpf_program__expected_attach_type(prog),
                         sections.back().startsWith("fentry") ? BPF_TRACE_FENTRY : BPF_TRACE_FEXIT);
        }
        bpf_object__close(obj);
        QVERIFY2(sections.contains(c.entrySection) && sections.contains(c.returnSection), qPrintable(sections.join(" ")));
    }
}

void KernelProvidersTest::tapsetAliasesResolve() {
    NEED_KERNEL();
    auto r = elaborate("probe scheduler.*, scheduler.kthread_stop.return, signal.send, signal.handle,\n"
                       "  kprocess.*, ioblock_trace.*, netdev.*, vm.*, irq_handler.*, softirq.*,\n"
                       "  syscall_any, syscall_any.return { println(pp()) }",
                       true);
    EXPECT_OK(r);
    QVERIFY(r->points().size() >= 30);
}

void KernelProvidersTest::aliasVariables() {
    NEED_KERNEL();
    auto r = elaborate("probe scheduler.ctxswitch {\n"
                       "  printf(\"%s %d %s %d %d %d\\n\", prev_task_name, prev_pid, next_task_name, next_pid,\n"
                       "         prevtsk_state, next_priority)\n"
                       "}\n"
                       "probe signal.send { printf(\"%s %d %s\\n\", sig_name, sig_pid, pid_name) }\n"
                       "probe kprocess.exec { println(filename) }\n"
                       "probe ioblock_trace.request { printf(\"%s %d %d\\n\", devname, sector, bytes_done) }");
    EXPECT_OK(r);
    QCOMPARE(r->localType(0, "prev_task_name"), Type::String);
    QCOMPARE(r->localType(0, "prev_pid"), Type::Long);
    QCOMPARE(r->localType(1, "sig_name"), Type::String);
    QCOMPARE(r->localType(3, "devname"), Type::String);
}

void KernelProvidersTest::listTracepoint() {
    NEED_KERNEL();
    QCOMPARE(listing("kernel.trace(\"sched_switch\")", true),
             std::string("kernel.trace(\"sched:sched_switch\") $preempt:bool $prev:struct task_struct* "
                         "$next:struct task_struct* $prev_state:unsigned int\n"));
    QCOMPARE(listing("kernel.trace(\"sched_switch\")", false), std::string("kernel.trace(\"sched:sched_switch\")\n"));
    std::string wild = listing("kernel.trace(\"sched:sched_process_*\")", false);
    QVERIFY(contains(wild, "kernel.trace(\"sched:sched_process_exec\")\n"));
}

void KernelProvidersTest::listAliasesAndSyscalls() {
    NEED_KERNEL();
    std::string open = listing("syscall.openat", true);
    QVERIFY2(open.rfind("syscall.openat name:string ", 0) == 0, open.c_str());
    QVERIFY2(contains(open, " filename:string ") && contains(open, " argstr:string ") &&
                 contains(open, " $filename:char const*") && contains(open, " $mode:umode_t"),
             open.c_str());
    std::string ret = listing("syscall.openat.return", true);
    QCOMPARE(ret, std::string("syscall.openat.return name:string retval:long retstr:string $return:long\n"));
    std::string sched = listing("scheduler.*", false);
    QVERIFY(contains(sched, "scheduler.ctxswitch\n"));
    QVERIFY(contains(sched, "scheduler.process_exit\n"));
    QVERIFY(!contains(sched, "scheduler.kthread_stop.return"));
    std::string ctx = listing("scheduler.ctxswitch", true);
    QVERIFY2(contains(ctx, "scheduler.ctxswitch name:string ") && contains(ctx, " prev_pid:long") &&
                 contains(ctx, " next_task_name:string") && contains(ctx, " $next:struct task_struct*"),
             ctx.c_str());
    std::string perf = listing("perf.sw.*", false);
    QVERIFY(contains(perf, "perf.sw.cpu_clock\n"));
    std::string proc = listing("process.*", true);
    QVERIFY2(contains(proc, "process.begin $parent:struct task_struct* $child:struct task_struct*\n"), proc.c_str());
}

void KernelProvidersTest::listNothing() {
    ListingResult none = listProbePoints(CompileOptions{}, "no_such_family.*", false);
    QVERIFY(none.probes.empty());
    std::ostringstream out, err;
    QCOMPARE(printListing(none, false, out, err), 1);
    QVERIFY(out.str().empty());
    ListingResult bad = listProbePoints(CompileOptions{}, "syscall.(", false);
    QVERIFY(bad.probes.empty());
    QVERIFY(!bad.error.empty());
}

void KernelProvidersTest::probeIndex() {
    NEED_KERNEL();
    QElapsedTimer t;
    t.start();
    auto index = ProbeIndex::build(CompileOptions{});
    qInfo("index: %zu probe points in %lld ms", index->all().size(), static_cast<long long>(t.elapsed()));
    QVERIFY(index->all().size() > 2000);
    auto ctx = index->query("scheduler.ctx*");
    QCOMPARE(ctx.size(), size_t(1));
    QCOMPARE(ctx[0]->point, std::string("scheduler.ctxswitch"));
    QVERIFY(ctx[0]->isAlias);
    QCOMPARE(ctx[0]->doc, std::string("A context switch is occuring."));
    QVERIFY(!ctx[0]->variables.empty());
    auto sw = index->query("kernel.trace(\"sched_switch\")");
    QCOMPARE(sw.size(), size_t(1));
    QCOMPARE(sw[0]->line(true), listing("kernel.trace(\"sched_switch\")", true).substr(0, sw[0]->line(true).size()));
    QVERIFY(index->query("syscall.open*").size() >= 3);
    QVERIFY(!index->query("timer.ms").empty()); // the pattern timer.ms(N)
    QElapsedTimer q;
    q.start();
    for (int i = 0; i < 100; ++i)
        index->query("sys*.*");
    qInfo("100 queries in %lld ms", static_cast<long long>(q.elapsed()));
    // Every alias of tapsets/linux/ has a documented summary.
    for (const ListedProbe& p : index->all())
        if (p.isAlias)
            for (const char* prefix : {"scheduler.", "signal.", "kprocess.", "ioblock_trace.", "netdev.", "vm.",
                                       "irq_handler.", "softirq.", "syscall_any"})
                if (p.point.rfind(prefix, 0) == 0)
                    QVERIFY2(!p.doc.empty(), p.point.c_str());
}

QTEST_GUILESS_MAIN(KernelProvidersTest)
#include "test_kernel_providers.moc"
