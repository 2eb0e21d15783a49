// User-space probes on a program's code: uprobes and uretprobes.
//
//   process("PATH"|PID).function("NAME[@FILE[:LINE]]")[.call|.inline|.return]
//   process(...).statement("FUNC@FILE:LINE")
//   process(...).library("LIB").function(...)[.call|.return] / .statement / .mark / .plt
//   process(...).plt("NAME")[.return]
//   process(...)[.provider("P")].mark("NAME")   SDT markers (.note.stapsdt)
//
// Functions come from DWARF (core/dwarf) where the binary has it, else from
// its ELF symbols (no $variables then); markers, PLT entries and file
// offsets from core/elf. $variables carry their DWARF location at the probe
// address and their type; the translator reads them from the registers and
// user memory of the interrupted task.
#include "user/user_providers.h"

#include "user/uprobe_point.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

namespace tap::user {

namespace {

// One place a point probes: its link-time address and what is there.
struct Site {
    uint64_t pc = 0;
    const dwarf::Function* function = nullptr; // with DWARF
    const elf::SdtProbe* mark = nullptr;
};

class UprobeProvider : public ProbeProvider {
    std::string target_; // the -c/-x executable

public:
    explicit UprobeProvider(std::string targetExecutable) : target_(std::move(targetExecutable)) {}
    std::string family() const override { return "process"; }

    std::vector<ProbePattern> patterns() const override {
        using P = PatternComponent;
        std::vector<ProbePattern> out;
        const P fn{"function", ArgKind::String}, ret{"return", ArgKind::None}, call{"call", ArgKind::None},
            inl{"inline", ArgKind::None}, stmt{"statement", ArgKind::String}, plt{"plt", ArgKind::String},
            nearest{"nearest", ArgKind::None}, label{"label", ArgKind::String},
            mark{"mark", ArgKind::String}, prov{"provider", ArgKind::String}, lib{"library", ArgKind::String};
        for (ArgKind target : {ArgKind::String, ArgKind::Number, ArgKind::None}) {
            const P proc{"process", target};
            std::string who = target == ArgKind::String ? "PATH" : target == ArgKind::Number ? "process PID"
                                                                                            : "the -c/-x process";
            for (bool inLibrary : {false, true}) {
                std::vector<P> base{proc};
                std::string where = who;
                if (inLibrary) {
                    base.push_back(lib);
                    where = "a library of " + who;
                }
                auto with = [&](std::vector<P> tail, std::string doc) {
                    std::vector<P> c = base;
                    c.insert(c.end(), tail.begin(), tail.end());
                    out.push_back({c, doc});
                };
                with({fn}, "entry of a function of " + where + " (uprobe)");
                with({fn, call}, "entry of a function of " + where + ", not inlined copies");
                with({fn, ret}, "return from a function of " + where + " (uretprobe; $return)");
                with({fn, label}, "a C label in a function of " + where + " (variables in scope there)");
                with({stmt}, "a source line of " + where + " (\"FUNC@FILE:LINE\")");
                with({stmt, nearest}, "a source line of " + where + ", or the nearest line with code");
                with({plt}, "a PLT entry of " + where + " (a call into a shared library)");
                with({plt, ret}, "return from a PLT entry of " + where);
                with({mark}, "an SDT marker of " + where + " ($arg1..$argN)");
                with({prov, mark}, "an SDT marker of a provider of " + where);
                if (!inLibrary)
                    with({fn, inl}, "inlined copies of a function of " + where);
            }
        }
        return out;
    }

    std::string check(const ConcretePoint& point) const override {
        if (std::optional<std::string> pattern = processPattern(point)) {
            const std::vector<std::string>& files = filesMatching(*pattern);
            if (files.empty())
                return "no program or library matches '" + *pattern + "'";
            std::string firstProblem;
            for (const std::string& file : files) {
                std::string problem = check(withProcess(point, file));
                if (problem.empty())
                    return {};
                if (firstProblem.empty())
                    firstProblem = problem;
            }
            return files.size() == 1 ? firstProblem
                                     : firstProblem + " (nor in the " + std::to_string(files.size() - 1) +
                                           " other files that match '" + *pattern + "')";
        }
        Point u = pointOf(point, target_);
        const auto& c = point.components;
        if (u.bare && u.exe.empty())
            return "process." + c[1].functor + "(...) without a path needs -c CMD or -x PID (or write process(\"PATH\"))";
        if (c[0].number && u.exe.empty())
            return "cannot find the executable of process " + std::to_string(u.pid) + " (no such process?)";
        if (c[0].string && u.exe.empty())
            return "cannot find executable '" + *c[0].string + "'";
        if (std::optional<std::string> pattern = libraryPattern(point)) {
            std::vector<std::string> libraries = librariesMatching(*pattern, u.exe);
            if (libraries.empty())
                return "no library that '" + u.exe + "' loads at start-up matches '" + *pattern + "'";
            for (const std::string& library : libraries)
                if (check(withLibrary(point, library)).empty())
                    return {};
            return "no match for " + what(u) + " in the libraries of '" + u.exe + "' that match '" + *pattern + "'";
        }
        for (const ConcreteComponent& k : c)
            if (k.functor == "library" && u.library.empty())
                return "cannot find library '" + k.string.value_or("") + "' of '" + u.exe + "'";
        const Binary& b = binaryOf(u.binary());
        if (!b.elf)
            return b.error;
        if (expandNames(point).empty()) {
            const elf::Symbol* entry = b.elf->functionAt(b.elf->entryAddress());
            if (u.isReturn && entry && entry->name == u.spec)
                return "'" + u.spec + "' is the program's entry point: it never returns (a uretprobe would "
                       "overwrite argc where a return address would be)";
            std::string hint;
            if ((u.kind == Kind::Function || u.kind == Kind::Statement) && (!b.debug || !b.debug->hasDwarf()))
                hint = " (it has no debugging information: build it with -g or install its debug symbols)";
            return "no match for " + what(u) + " in '" + u.binary() + "'" + hint;
        }
        return {};
    }

    std::vector<ConcretePoint> expand(const ConcretePoint& point) const override {
        std::vector<ConcretePoint> out;
        if (std::optional<std::string> pattern = processPattern(point)) {
            for (const std::string& file : filesMatching(*pattern))
                if (ConcretePoint each = withProcess(point, file); check(each).empty())
                    for (ConcretePoint& p : expand(each))
                        out.push_back(std::move(p));
            return out;
        }
        Point u = pointOf(point, target_);
        if (std::optional<std::string> pattern = libraryPattern(point)) {
            for (const std::string& library : librariesMatching(*pattern, u.exe))
                if (ConcretePoint each = withLibrary(point, library); check(each).empty())
                    for (ConcretePoint& p : expand(each))
                        out.push_back(std::move(p));
            return out;
        }
        for (const auto& [spec, count] : expandNames(point)) {
            ConcretePoint p = point;
            if (!u.bare) {
                p.components[0].string = u.exe;
                p.components[0].number.reset();
            }
            if (u.pid >= 0)
                p.components[0] = {"process", u.pid, std::nullopt};
            for (ConcreteComponent& k : p.components) {
                if (k.functor == "library")
                    k.string = u.library;
                if (k.functor == "function" || k.functor == "statement" || k.functor == "plt" || k.functor == "mark")
                    k.string = spec;
            }
            if (u.label) {
                // One point per label the pattern names.
                std::set<std::string> names;
                for (const auto& [function, l] : labelsOf(pointOf(p, target_)))
                    names.insert(l.name);
                for (const std::string& name : names) {
                    ConcretePoint each = p;
                    for (ConcreteComponent& k : each.components)
                        if (k.functor == "label")
                            k.string = name;
                    out.push_back(each);
                }
                continue;
            }
            // Several places under one name (inlined copies, a marker used
            // twice): one point per place, told apart by .site(N).
            for (size_t i = 0; i < count; ++i) {
                ConcretePoint each = p;
                if (count > 1)
                    each.components.push_back({"site", int64_t(i), std::nullopt, true});
                out.push_back(each);
            }
        }
        return out;
    }

    std::vector<ContextVar> contextVariables(const ConcretePoint& point) const override { return variablesOf(point); }

    std::vector<ContextVar> findVariables(const ConcretePoint& point) const {
        Point u = pointOf(point, target_);
        const Site* at = siteOf(point, u);
        if (!at)
            return {};
        const Site& site = *at;
        const Binary& b = binaryOf(u.binary());
        std::vector<ContextVar> out;
        if (site.mark) {
            for (size_t i = 0; i < site.mark->args.size(); ++i) {
                const elf::SdtArg& a = site.mark->args[i];
                ContextVar v;
                v.name = "$arg" + std::to_string(i + 1);
                v.cType = "long"; // as stap lists every marker argument
                v.userTypes = &b.debugTypes();
                v.size = a.size;
                v.isSigned = a.isSigned;
                switch (a.kind) {
                case elf::SdtArg::Kind::Register: v.userLocation = {UserLocation::Kind::Register, a.reg, 0, false}; break;
                case elf::SdtArg::Kind::Memory: v.userLocation = {UserLocation::Kind::Memory, a.reg, a.value, false}; break;
                case elf::SdtArg::Kind::Constant: v.userLocation = {UserLocation::Kind::Value, "", a.value, false}; break;
                case elf::SdtArg::Kind::Global: v.userLocation = {UserLocation::Kind::Memory, "", int64_t(a.address), true}; break;
                }
                out.push_back(v);
            }
            if (!site.mark->argError.empty())
                for (size_t i = site.mark->args.size(); i < 12; ++i) {
                    ContextVar v;
                    v.name = "$arg" + std::to_string(i + 1);
                    v.userTypes = &b.debugTypes();
                    v.locationError = site.mark->argError;
                    out.push_back(v);
                }
            return out;
        }
        if (u.isReturn) {
            if (site.function && b.debug) {
                std::string spelled;
                int type = b.debug->returnType(*site.function, &spelled);
                if (type >= 0) {
                    ContextVar r = userVariable(b, "$return", type, spelled, {UserLocation::Kind::Register, "ax", 0, false});
                    out.push_back(r);
                }
            } else {
                // No DWARF: the return register as a number, as stap does for symbol-only functions.
                ContextVar r;
                r.name = "$return";
                r.cType = "long";
                r.userTypes = &b.debugTypes();
                r.userLocation = {UserLocation::Kind::Register, "ax", 0, false};
                out.push_back(r);
            }
            return out;
        }
        if (site.function && b.debug)
            for (const dwarf::Variable& v : b.debug->variables(*site.function, site.pc)) {
                ContextVar c = userVariable(b, "$" + v.name, v.type, v.typeName, v.location);
                c.locationError = v.locationError;
                c.isParameter = v.parameter;
                out.push_back(c);
            }
        return out;
    }

    std::string typeTarget(const ConcretePoint& point, const TargetExpr& target, Type& type) const override {
        const std::vector<ContextVar>& vars = variablesOf(point);
        const std::string& n = target.name;
        if (n == "$$vars" || n == "$$parms" || n == "$$locals" || n == "$$return") {
            if (n == "$$return" && !pointOf(point, target_).isReturn)
                return "'$$return' is only available in .return probes";
            for (const TargetComponent& c : target.components)
                if (c.kind != TargetComponent::Pretty)
                    return "invalid access to '" + n + "': it is a string of all the variables";
            type = Type::String;
            return {};
        }
        auto local = std::find_if(vars.begin(), vars.end(), [&](const ContextVar& v) { return v.name == n; });
        const std::optional<ContextVar>& fileGlobal = local == vars.end() ? fileVariableOf(point, n) : std::nullopt;
        const ContextVar* named = local != vars.end() ? &*local : fileGlobal ? &*fileGlobal : nullptr;
        if (named) {
            if (!named->locationError.empty())
                return "cannot read '" + n + "' at this probe point: " + named->locationError;
            return checkUserTarget(*named->userTypes, named->userType, target, type);
        }
        if (n == "$return")
            return pointOf(point, target_).isReturn ? "'$return' is not available: the function returns void"
                                           : "'$return' is only available in .return probes";
        std::string alternatives;
        for (const ContextVar& v : vars)
            alternatives += (alternatives.empty() ? "" : " ") + v.name;
        return "unable to find local '" + n.substr(1) + "', [man error::dwarf] dieoffset in '" +
               pointOf(point, target_).binary() + "'" + (alternatives.empty() ? "" : " (alternatives: " + alternatives + ")");
    }

    ProbeSite site(const ConcretePoint&) const override { return ProbeSite::Kernel; }

    AttachSpec attach(const ConcretePoint& point) const override {
        Point u = pointOf(point, target_);
        AttachSpec a;
        a.kind = AttachSpec::Kind::Uprobe;
        a.target = u.binary();
        a.isReturn = u.isReturn;
        a.filterPid = u.pid;
        a.targetOnly = u.bare;
        const Site* at = siteOf(point, u);
        if (!at)
            return a;
        const Site& site = *at;
        const Binary& b = binaryOf(u.binary());
        a.address = site.pc;
        a.offset = b.elf->fileOffset(site.pc).value_or(0);
        if (site.mark)
            a.refCtrOffset = site.mark->semaphoreOffset;
        const elf::Symbol* symbol = b.elf->functionAt(site.pc);
        if (site.function)
            a.symbol = site.function->name;
        else if (symbol)
            a.symbol = symbol->name;
        if (u.kind == Kind::Plt)
            a.symbol = u.spec + "@plt";
        if (u.isReturn) {
            // After the return the stack pointer is the caller's again.
            a.frameRegister = "sp";
        } else if (b.debug) {
            UserLocation cfa = b.debug->frameAddress(site.pc);
            a.frameRegister = cfa.reg;
            a.frameOffset = cfa.offset;
        }
        if (a.frameRegister.empty() && !u.isReturn &&
            (u.kind == Kind::Plt || (symbol && symbol->address == site.pc))) {
            // A function's first instruction: the call has just pushed the
            // return address, whatever the CFI (or its absence) says.
            a.frameRegister = "sp";
            a.frameOffset = 8;
        }
        return a;
    }

    std::string prologue(const ConcretePoint& point) const override {
        Point u = pointOf(point, target_);
        // A library's code runs in every process that maps it; stap probes it
        // only in the named executable.
        if (u.library.empty() || u.pid >= 0 || u.bare)
            return {};
        std::string inode = std::to_string(inodeOf(u.exe));
        return "\tif (@cast(task_current(), \"task_struct\", \"kernel\")->mm->exe_file->f_inode->i_ino != " + inode + ") next\n";
    }

    bool isReturnProbe(const ConcretePoint& point) const override { return pointOf(point, target_).isReturn; }

    std::optional<ConcretePoint> entryPoint(const ConcretePoint& point) const override {
        Point u = pointOf(point, target_);
        if (!u.isReturn || u.kind != Kind::Function)
            return std::nullopt;
        ConcretePoint entry = point;
        auto& c = entry.components;
        c.erase(std::remove_if(c.begin(), c.end(), [](const ConcreteComponent& k) { return k.functor == "return"; }),
                c.end());
        c.push_back({"call", std::nullopt, std::nullopt});
        return entry;
    }

    std::optional<ContextVar> fileScopeVariable(const ConcretePoint& point, const std::string& name) const override {
        return fileVariableOf(point, name);
    }

private:
    // The keys of a point's remembered variables: its .site(N) counts.
    static std::string variablesKey(const ConcretePoint& point) {
        const ConcreteComponent& last = point.components.back();
        return point.str() + (last.hidden ? "#" + std::to_string(last.number.value_or(0)) : "");
    }

    const std::vector<ContextVar>& variablesOf(const ConcretePoint& point) const {
        return remembered(variablesCache_, variablesKey(point), [&] { return findVariables(point); });
    }

    // Asked for by typeTarget() and again by pass 2 for each $name read.
    const std::optional<ContextVar>& fileVariableOf(const ConcretePoint& point, const std::string& name) const {
        return remembered(fileVariablesCache_, variablesKey(point) + "\n" + name,
                          [&] { return findFileVariable(point, name); });
    }

    std::optional<ContextVar> findFileVariable(const ConcretePoint& point, const std::string& name) const {
        Point u = pointOf(point, target_);
        const Site* at = siteOf(point, u);
        if (u.isReturn || !at || name.size() < 2 || name[0] != '$' || name[1] == '$')
            return std::nullopt; // a return's $variables are its entry's
        const Site& site = *at;
        const Binary& b = binaryOf(u.binary());
        if (site.mark || !site.function || !b.debug)
            return std::nullopt;
        std::optional<dwarf::Variable> v = b.debug->fileVariable(*site.function, name.substr(1));
        if (!v)
            return std::nullopt;
        ContextVar c = userVariable(b, name, v->type, v->typeName, v->location);
        c.locationError = v->locationError;
        c.fileScope = true;
        return c;
    }

    // process("/lib*/libc.so.*"): stap probes each file the glob names.
    static std::optional<std::string> processPattern(const ConcretePoint& point) {
        const std::optional<std::string>& path = point.components.front().string;
        if (path && path->find('/') != std::string::npos && path->find_first_of("*?[{") != std::string::npos)
            return path;
        return std::nullopt;
    }

    const std::vector<std::string>& filesMatching(const std::string& pattern) const {
        return remembered(globCache_, pattern, [&] { return elf::executablesMatching(pattern); });
    }

    static ConcretePoint withProcess(const ConcretePoint& point, const std::string& path) {
        ConcretePoint each = point;
        each.components.front().string = path;
        return each;
    }

    // .library("PATTERN") with wildcards: stap matches it against the
    // libraries the program loads at start-up.
    static std::optional<std::string> libraryPattern(const ConcretePoint& point) {
        for (const ConcreteComponent& k : point.components)
            if (k.functor == "library" && k.string && k.string->find_first_of("*?[") != std::string::npos)
                return k.string;
        return std::nullopt;
    }

    // By full path or by file name ("libc*", "/usr/lib/*").
    std::vector<std::string> librariesMatching(const std::string& pattern, const std::string& executable) const {
        std::vector<std::string> out;
        if (executable.empty())
            return out;
        for (const std::string& library : remembered(neededCache_, executable, [&] { return elf::neededLibraries(executable); }))
            if (globMatch(pattern, library) || globMatch(pattern, library.substr(library.rfind('/') + 1)))
                out.push_back(library);
        return out;
    }

    static ConcretePoint withLibrary(const ConcretePoint& point, const std::string& library) {
        ConcretePoint each = point;
        for (ConcreteComponent& k : each.components)
            if (k.functor == "library")
                k.string = library;
        return each;
    }

    static ContextVar userVariable(const Binary& b, const std::string& name, int type, const std::string& spelled,
                                   const UserLocation& where) {
        ContextVar c;
        c.name = name;
        c.cType = spelled;
        c.userTypes = &b.debugTypes();
        c.userType = type;
        c.userLocation = where;
        if (type >= 0) {
            const UserType& t = b.debugTypes().at(type);
            c.size = int(t.size);
            c.isSigned = t.isSigned;
        }
        return c;
    }

    static std::string what(const Point& u) {
        switch (u.kind) {
        case Kind::Function:
            return !u.label ? "function '" + u.spec + "'" : "label '" + *u.label + "' in function '" + u.spec + "'";
        case Kind::Statement: return "statement '" + u.spec + "'";
        case Kind::Plt: return "PLT entry '" + u.spec + "'";
        case Kind::Mark: return "marker '" + u.spec + "'";
        }
        return {};
    }

    // The functions a point's spec names: DWARF functions, then ELF symbols
    // that DWARF does not describe.
    static std::vector<const dwarf::Function*> dwarfFunctions(const Binary& b, const Point& u, const FunctionSpec& s) {
        std::vector<const dwarf::Function*> out;
        if (!b.debug)
            return out;
        // A name that exists is meant literally (C++'s "operator[]" and
        // "operator*" look like wildcards); only a wildcard walks every function.
        std::vector<const dwarf::Function*> candidates = b.debug->functionsNamed(s.name);
        bool literal = !candidates.empty() || s.name.find_first_of("*?[") == std::string::npos;
        if (!literal)
            for (const dwarf::Function& f : b.debug->functions())
                candidates.push_back(&f);
        for (const dwarf::Function* candidate : candidates) {
            const dwarf::Function& f = *candidate;
            if ((!literal && !globMatch(s.name, f.name)) || !dwarf::sourceFileMatches(s.file, f.file) ||
                !scopeMatches(s, f))
                continue;
            if (s.firstLine && (f.line < s.firstLine || f.line > s.lastLine))
                continue;
            if (f.inlined && (u.isCall || u.isReturn || u.kind != Kind::Function))
                continue;
            if (!f.inlined && u.isInline)
                continue;
            out.push_back(&f);
        }
        return out;
    }

    // The out-of-line functions a statement point's FUNC@FILE names (its
    // lines are matched by the caller).
    // .nearest, as stap: each line asked for that has no code moves to the
    // closest line of its file that has (of two as close, the later: code
    // usually follows the blank or comment line asked for); a function then
    // has the point only when that line is one of its own.
    static std::set<int> nearestLinesWithCode(const dwarf::DebugInfo& debug, const std::string& file, const FunctionSpec& s) {
        std::set<int> code = debug.linesWithCode(file), out;
        for (int line = s.firstLine; line <= s.lastLine && !code.empty(); ++line) {
            auto after = code.lower_bound(line);
            if (after != code.end() && (*after == line || after == code.begin() || *after - line <= line - *std::prev(after)))
                out.insert(*after);
            else
                out.insert(*std::prev(after));
        }
        return out;
    }

    // The labels a point names: of the (out-of-line) functions its spec
    // names, whose name matches its .label pattern; a line in the spec is
    // the label's, as stap lists "f@file.c:LINE".label("L").
    static std::vector<std::pair<const dwarf::Function*, dwarf::Label>> labelsOf(const Point& u) {
        const Binary& b = binaryOf(u.binary());
        FunctionSpec s = parseSpec(u.spec), byName = s;
        byName.firstLine = byName.lastLine = 0;
        std::vector<std::pair<const dwarf::Function*, dwarf::Label>> out;
        for (const dwarf::Function* f : dwarfFunctions(b, u, byName))
            if (!f->inlined)
                for (const dwarf::Label& l : b.debug->labels(*f))
                    if (globMatch(*u.label, l.name) && (!s.firstLine || (l.line >= s.firstLine && l.line <= s.lastLine)))
                        out.push_back({f, l});
        return out;
    }

    static std::vector<const dwarf::Function*> statementFunctions(const Binary& b, const Point& u, const FunctionSpec& s) {
        Point asFunction = u;
        asFunction.kind = Kind::Function;
        asFunction.isCall = true;
        FunctionSpec fs = s;
        fs.firstLine = fs.lastLine = 0;
        return dwarfFunctions(b, asFunction, fs);
    }

    // Expanded spec strings with the number of places each names.
    std::vector<std::pair<std::string, size_t>> expandNames(const ConcretePoint& point) const {
        return remembered(namesCache_, point.str(), [&] { return findNames(pointOf(point, target_)); });
    }

    std::vector<std::pair<std::string, size_t>> findNames(const Point& u) const {
        const Binary& b = binaryOf(u.binary());
        std::vector<std::pair<std::string, size_t>> out;
        if (!b.elf)
            return out;
        std::map<std::string, size_t> counts;
        switch (u.kind) {
        case Kind::Function: {
            FunctionSpec s = parseSpec(u.spec);
            if (u.label) {
                // As stap names them: the function at the label's line.
                for (const auto& [f, l] : labelsOf(u))
                    counts[f->name + "@" + f->file + ":" + std::to_string(l.line)] = 1;
                break;
            }
            std::set<std::string> described;
            for (const dwarf::Function* f : dwarfFunctions(b, u, s)) {
                counts[functionSpecOf(*f, s)]++;
                described.insert(f->name);
            }
            // ELF symbols DWARF does not name: the DWARF function at the same
            // address when there is one (libc's malloc is __libc_malloc), as
            // stap lists them; else the bare symbol.
            if (s.file.empty() && !u.isInline && s.scope.empty() && !s.globalScope)
                for (const elf::Symbol& sym : b.elf->functions()) {
                    if (described.count(sym.name) || !globMatch(s.name, sym.name))
                        continue;
                    const dwarf::Function* f = b.debug ? b.debug->functionStartingAt(sym.address) : nullptr;
                    if (f && !described.count(f->name) && scopeMatches(s, *f)) {
                        counts[functionSpecOf(*f, s)]++;
                        described.insert(f->name);
                    } else if (!f) {
                        counts[sym.name] = 1;
                    }
                }
            if (u.isReturn)
                // The program's entry point is jumped to and never returns; a
                // uretprobe there would overwrite argc, which sits where a
                // return address would.
                for (const elf::Symbol& sym : b.elf->functions())
                    if (sym.address == b.elf->entryAddress())
                        counts.erase(sym.name);
            break;
        }
        case Kind::Statement: {
            FunctionSpec s = parseSpec(u.spec);
            std::map<std::string, std::set<int>> nearestLines; // .nearest: per source file
            for (const dwarf::Function* f : statementFunctions(b, u, s)) {
                std::set<int> wanted;
                if (u.isNearest && s.firstLine && !s.anyLine) {
                    auto known = nearestLines.find(f->file);
                    if (known == nearestLines.end())
                        known = nearestLines.emplace(f->file, nearestLinesWithCode(*b.debug, f->file, s)).first;
                    wanted = known->second;
                }
                for (const dwarf::Statement& st : b.debug->statements(*f, 0))
                    if (u.isNearest && s.firstLine && !s.anyLine ? wanted.count(st.line) > 0
                                                                : s.anyLine || !s.firstLine ||
                                                                      (st.line >= s.firstLine && st.line <= s.lastLine))
                        counts[f->name + "@" + st.file + ":" + std::to_string(st.line)] = 1;
            }
            break;
        }
        case Kind::Plt:
            for (const elf::Symbol& e : b.elf->pltEntries())
                if (globMatch(u.spec, e.name))
                    counts[e.name] = 1;
            break;
        case Kind::Mark:
            for (const elf::SdtProbe& m : b.elf->sdtProbes())
                if (globMatch(u.spec, m.name) && (u.provider.empty() || globMatch(u.provider, m.provider)))
                    counts[m.name]++;
            break;
        }
        out.assign(counts.begin(), counts.end());
        return out;
    }

    // A point's places, names and variables are asked for many times (per
    // $variable, per .site(N) of a name with thousands of inlined copies, by
    // check() and then expand()): each is worked out once per point, and
    // kept (map nodes stay put, so callers may hold on to a reference).
    template <typename Value, typename Compute>
    const Value& remembered(std::map<std::string, Value>& cache, const std::string& key, Compute&& compute) const {
        {
            std::lock_guard lock(cacheMutex_);
            if (auto it = cache.find(key); it != cache.end())
                return it->second;
        }
        Value value = compute(); // unlocked: it may ask for other remembered values
        std::lock_guard lock(cacheMutex_);
        return cache.emplace(key, std::move(value)).first->second;
    }

    // The places a concrete point probes (its .site(N) left out: str() omits it).
    const std::vector<Site>& sites(const ConcretePoint& point) const {
        return remembered(sitesCache_, point.str(), [&] {
            ConcretePoint all = point; // every place, not the one .site(N) picks
            if (!all.components.empty() && all.components.back().hidden)
                all.components.pop_back();
            return findSites(all);
        });
    }

    // The place a concrete point probes: the one its .site(N) picks, else
    // the first; null when there is none.
    const Site* siteOf(const ConcretePoint& point, const Point& u) const {
        const std::vector<Site>& s = sites(point);
        return s.empty() ? nullptr : &s[u.site >= 0 && size_t(u.site) < s.size() ? size_t(u.site) : 0];
    }

    mutable std::mutex cacheMutex_;
    mutable std::map<std::string, std::vector<Site>> sitesCache_;
    mutable std::map<std::string, std::vector<std::pair<std::string, size_t>>> namesCache_;
    mutable std::map<std::string, std::vector<ContextVar>> variablesCache_;
    mutable std::map<std::string, std::optional<ContextVar>> fileVariablesCache_;
    mutable std::map<std::string, std::vector<std::string>> neededCache_; // executable -> its libraries
    mutable std::map<std::string, std::vector<std::string>> globCache_;   // process("GLOB") -> its files

    std::vector<Site> findSites(const ConcretePoint& point) const {
        Point u = pointOf(point, target_);
        const Binary& b = binaryOf(u.binary());
        std::vector<Site> out;
        if (!b.elf)
            return out;
        switch (u.kind) {
        case Kind::Function: {
            FunctionSpec s = parseSpec(u.spec);
            if (s.anyLine)
                return out; // not concrete
            if (u.label) {
                for (const auto& [function, l] : labelsOf(u))
                    if (l.name == *u.label)
                        out.push_back({l.pc, function, nullptr});
                break;
            }
            // Expanded points name functions literally (also "operator[]").
            for (const dwarf::Function* f : dwarfFunctions(b, u, s))
                if (functionSpecOf(*f, s) == u.spec || (s.file.empty() && f->name == s.name))
                    out.push_back({u.isReturn ? f->lowPc : f->probePc, f, nullptr});
            if (out.empty() && s.file.empty())
                if (const elf::Symbol* sym = b.elf->function(s.name))
                    out.push_back({sym->address, nullptr, nullptr});
            if (!u.isInline && !u.isReturn) {
                // One out-of-line definition first, as stap lists it.
                std::stable_sort(out.begin(), out.end(), [](const Site& x, const Site& y) {
                    return (x.function && !x.function->inlined) > (y.function && !y.function->inlined);
                });
            }
            if (s.file.empty() && out.size() > 1 && u.site < 0)
                out.resize(1); // a plain name: the definition
            break;
        }
        case Kind::Statement: {
            FunctionSpec s = parseSpec(u.spec);
            if (!s.firstLine || s.lastLine != s.firstLine)
                return out;
            for (const dwarf::Function* f : statementFunctions(b, u, s))
                for (const dwarf::Statement& st : b.debug->statements(*f, s.firstLine))
                    if (dwarf::sourceFileMatches(s.file, st.file))
                        out.push_back({st.pc, f, nullptr});
            break;
        }
        case Kind::Plt:
            for (const elf::Symbol& e : b.elf->pltEntries())
                if (e.name == u.spec)
                    out.push_back({e.address, nullptr, nullptr});
            break;
        case Kind::Mark:
            for (const elf::SdtProbe& m : b.elf->sdtProbes())
                if (m.name == u.spec && (u.provider.empty() || globMatch(u.provider, m.provider)))
                    out.push_back({m.address, nullptr, &m});
            break;
        }
        return out;
    }
};

} // namespace

std::unique_ptr<ProbeProvider> makeUprobeProvider(const std::string& targetExecutable) {
    return std::make_unique<UprobeProvider>(targetExecutable);
}

} // namespace tap::user
