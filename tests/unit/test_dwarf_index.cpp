// core/dwarf: functions, probe addresses, variable locations, statements and
// types of the tap_uprog test program at -O0 and -O2, checked against what
// the program's source and the machine's calling convention say they must be
// (not against offsets copied from one compiler run).
#include "dwarf/dwarf_index.h"

#include <QtTest>

#include <fstream>
#include <string>

using namespace tap;
using namespace tap::dwarf;

namespace {

const Function* find(const DebugInfo& d, const std::string& name) {
    for (const Function& f : d.functions())
        if (f.name == name && !f.inlined)
            return &f;
    return nullptr;
}

const Variable* variable(const std::vector<Variable>& vars, const std::string& name) {
    for (const Variable& v : vars)
        if (v.name == name)
            return &v;
    return nullptr;
}

// The line of the program's source that contains `text`.
int sourceLine(const std::string& text) {
    std::ifstream in(TAPSTUDIO_SOURCE_DIR "/tests/workload/tap_uprog.c");
    std::string line;
    for (int n = 1; std::getline(in, line); ++n)
        if (line.find(text) != std::string::npos)
            return n;
    return 0;
}

// The line defining function `name`: "TAP_NOINLINE int add(int a, int b)".
int definitionLine(const std::string& name) {
    std::ifstream in(TAPSTUDIO_SOURCE_DIR "/tests/workload/tap_uprog.c");
    std::string line;
    for (int n = 1; std::getline(in, line); ++n)
        if (size_t at = line.find(name + "("); at != std::string::npos && at > 0 && line[0] != ' ' &&
                                               line[0] != '\t' && (line[at - 1] == ' ' || line[at - 1] == '*') &&
                                               line.find(';') == std::string::npos)
            return n;
    return 0;
}

} // namespace

class TestDwarfIndex : public QObject {
    Q_OBJECT

private slots:
    void functionsHaveSourcePlacesAndProbeAddresses() {
        std::string error;
        const DebugInfo* d = DebugInfo::of(TAP_UPROG_O0, error);
        QVERIFY2(d, error.c_str());
        QVERIFY(d->hasDwarf());
        for (const char* name : {"add", "point_sum", "greet", "fib", "main"}) {
            const Function* f = find(*d, name);
            QVERIFY2(f, name);
            QVERIFY(f->file.size() >= 11 && f->file.substr(f->file.size() - 11) == "tap_uprog.c");
            QCOMPARE(f->line, definitionLine(name));
            // -O0 code has a prologue (push rbp; mov rbp,rsp; spills): probes go after it.
            QVERIFY(f->probePc > f->lowPc);
        }
        QCOMPARE(find(*d, "add")->parameterCount, size_t(2));
        QVERIFY(DebugInfo::of(TAP_UPROG_O0, error) == d); // cached
    }

    void unoptimizedVariablesLiveInTheFrame() {
        std::string error;
        const DebugInfo* d = DebugInfo::of(TAP_UPROG_O0, error);
        const Function* add = find(*d, "add");
        auto vars = d->variables(*add, add->probePc);
        QCOMPARE(vars.size(), size_t(3));
        QCOMPARE(vars[0].name, std::string("a"));
        QCOMPARE(vars[1].name, std::string("b"));
        QVERIFY(vars[0].parameter && vars[1].parameter && !vars[2].parameter);
        for (const Variable& v : vars) {
            QVERIFY2(v.locationError.empty(), v.locationError.c_str());
            QCOMPARE(v.location.kind, UserLocation::Kind::Memory);
            QCOMPARE(v.location.reg, std::string("bp")); // frame base = CFA = rbp + 16 after the prologue
            QVERIFY(v.location.offset < 0);
            QCOMPARE(v.typeName, std::string("int"));
        }
        QVERIFY(vars[0].location.offset != vars[1].location.offset);
        UserLocation cfa = d->frameAddress(add->probePc);
        QCOMPARE(cfa.reg, std::string("bp"));
        QCOMPARE(cfa.offset, int64_t(16));
        cfa = d->frameAddress(add->lowPc); // before push rbp: rsp + 8
        QCOMPARE(cfa.reg, std::string("sp"));
        QCOMPARE(cfa.offset, int64_t(8));

        const Function* greet = find(*d, "greet");
        const Variable* buffer = variable(d->variables(*greet, greet->probePc), "buffer");
        QVERIFY(buffer);
        QCOMPARE(buffer->location.kind, UserLocation::Kind::Memory);
        QVERIFY(buffer->location.relocated); // a static: link-time address
        QVERIFY(buffer->location.reg.empty());
        QCOMPARE(buffer->typeName, std::string("char[]"));
    }

    void optimizedParametersAreInArgumentRegisters() {
        std::string error;
        const DebugInfo* d = DebugInfo::of(TAP_UPROG_O2, error);
        QVERIFY2(d, error.c_str());
        const Function* add = find(*d, "add");
        auto vars = d->variables(*add, add->probePc);
        // System V x86_64: the first two integer arguments in rdi, rsi.
        QCOMPARE(variable(vars, "a")->location.kind, UserLocation::Kind::Register);
        QCOMPARE(variable(vars, "a")->location.reg, std::string("di"));
        QCOMPARE(variable(vars, "b")->location.reg, std::string("si"));
        // Optimized code is probed at the entry, as stap does: the arguments
        // are in their registers there, and no later instruction has to be
        // single-stepped.
        for (const Function& f : d->functions())
            QCOMPARE(f.probePc, f.lowPc);
        const Function* main = find(*d, "main");
        const Variable* n = variable(d->variables(*main, main->probePc), "n");
        QVERIFY(n);
        QVERIFY(n->locationError.find("optimized out") != std::string::npos);
    }

    void statementsByLine() {
        std::string error;
        const DebugInfo* d = DebugInfo::of(TAP_UPROG_O0, error);
        const Function* fib = find(*d, "fib");
        int line = sourceLine("return fib(n - 1)");
        auto at = d->statements(*fib, line);
        QCOMPARE(at.size(), size_t(1));
        QCOMPARE(at[0].line, line);
        QVERIFY(at[0].pc > fib->lowPc);
        auto all = d->statements(*fib, 0);
        QVERIFY(all.size() >= 3);
        for (const Statement& s : all)
            QVERIFY(s.line >= fib->line);
        QVERIFY(d->statements(*fib, 1).empty());
    }

    void typesByName() {
        std::string error;
        const DebugInfo* d = DebugInfo::of(TAP_UPROG_O0, error);
        int id = d->typeByName("struct point");
        QVERIFY(id >= 0);
        QCOMPARE(d->typeByName("point"), id);
        const UserType& point = d->types().at(id);
        QCOMPARE(point.kind, UserType::Kind::Struct);
        QCOMPARE(point.size, int64_t(40));
        QStringList names;
        for (const UserType::Member& m : point.members)
            names << QString::fromStdString(m.name);
        QCOMPARE(names, QStringList({"x", "y", "tag", "label", "next"}));
        QCOMPARE(point.member("y")->offset, int64_t(8));
        const UserType& tag = d->types().at(point.member("tag")->type);
        QCOMPARE(tag.kind, UserType::Kind::Array);
        QCOMPARE(tag.count, int64_t(8));
        QVERIFY(d->types().at(tag.target).isChar);
        const UserType& next = d->types().at(point.member("next")->type);
        QCOMPARE(next.kind, UserType::Kind::Pointer);
        QCOMPARE(next.target, id); // the same struct, not a copy
        QVERIFY(d->types().at(d->typeByName("long int")).isSigned);
        QVERIFY(d->typeByName("struct nosuch") < 0);
        int pointer = d->typeByName("struct point *");
        QCOMPARE(d->types().at(pointer).target, id);
    }

    void notElf() {
        std::string error;
        QVERIFY(!DebugInfo::of(TAPSTUDIO_SOURCE_DIR "/README.md", error));
        QVERIFY(error.find("is not an ELF file") != std::string::npos);
        QVERIFY(!DebugInfo::of("/nonexistent/program", error));
        QVERIFY(error.find("cannot open") != std::string::npos);
    }
};

QTEST_MAIN(TestDwarfIndex)
#include "test_dwarf_index.moc"
