#include "listing.h"

#include "ast_printer.h"
#include "kernel/kernel_types.h"

#include <cctype>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <sstream>

namespace tap {

std::string ListedProbe::line(bool withVariables) const {
    std::string s = point;
    if (withVariables)
        for (const ListedVariable& v : variables)
            s += " " + v.name + ":" + v.type;
    return s;
}

namespace {

std::string escaped(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out;
}

// A concrete point as script text (string arguments escaped).
std::string pointText(const std::vector<ConcreteComponent>& comps) {
    std::string s;
    for (size_t i = 0; i < comps.size(); ++i) {
        if (comps[i].hidden)
            continue; // as ConcretePoint::str(): listed once
        if (i)
            s += ".";
        s += comps[i].functor;
        if (comps[i].number)
            s += "(" + std::to_string(*comps[i].number) + ")";
        else if (comps[i].string)
            s += "(\"" + escaped(*comps[i].string) + "\")";
    }
    return s;
}

std::vector<ConcreteComponent> componentsOf(const ProbePoint& p) {
    std::vector<ConcreteComponent> out;
    for (const ProbePointComponent& c : p.components) {
        ConcreteComponent cc{c.functor, {}, {}};
        if (c.arg && c.arg->kind == ExprKind::Number)
            cc.number = static_cast<const NumberExpr*>(c.arg)->value;
        else if (c.arg && c.arg->kind == ExprKind::String)
            cc.string = static_cast<const StringExpr*>(c.arg)->value;
        out.push_back(std::move(cc));
    }
    return out;
}

// Does pattern component `p` name point component `c`? `anyArg`: a pattern
// component without an argument matches one with an argument (index queries).
bool componentNames(const ConcreteComponent& p, const ConcreteComponent& c, bool anyArg) {
    if (!componentMatches(p.functor, c.functor))
        return false;
    if (p.number)
        return c.number && *c.number == *p.number;
    if (p.string) {
        if (!c.string)
            return false;
        if (componentMatches(*p.string, *c.string))
            return true;
        // kernel.trace("sched_switch") names "sched:sched_switch".
        size_t colon = c.string->find(':');
        return colon != std::string::npos && p.string->find(':') == std::string::npos &&
               componentMatches(*p.string, c.string->substr(colon + 1));
    }
    return anyArg || (!c.number && !c.string);
}

bool pointNames(const std::vector<ConcreteComponent>& pat, size_t pi, const std::vector<ConcreteComponent>& pt,
                size_t ti, bool anyArg) {
    if (pi == pat.size() || ti == pt.size())
        return pi == pat.size() && ti == pt.size();
    if (pat[pi].functor == "**" && !pat[pi].number && !pat[pi].string) {
        for (size_t n = 1; ti + n <= pt.size(); ++n)
            if (pointNames(pat, pi + 1, pt, ti + n, anyArg))
                return true;
        return false;
    }
    return componentNames(pat[pi], pt[ti], anyArg) && pointNames(pat, pi + 1, pt, ti + 1, anyArg);
}

// The one-line summary of the /** */ comment right before an alias:
// " * probe NAME - summary".
std::string aliasDoc(const SourceManager& sources, SourceLoc loc) {
    if (!loc.valid())
        return {};
    std::string_view text = sources.text(loc.file);
    // Offset of the alias's line.
    size_t at = 0;
    for (uint32_t line = 1; line < loc.line && at < text.size(); ++line) {
        size_t nl = text.find('\n', at);
        if (nl == std::string_view::npos)
            return {};
        at = nl + 1;
    }
    size_t end = at;
    while (end > 0 && std::isspace(static_cast<unsigned char>(text[end - 1])))
        --end;
    if (end < 2 || text.substr(end - 2, 2) != "*/")
        return {};
    size_t start = text.rfind("/**", end - 2);
    if (start == std::string_view::npos)
        return {};
    std::string comment(text.substr(start, end - start));
    std::istringstream in(comment);
    std::string line;
    while (std::getline(in, line)) {
        size_t p = line.find("probe ");
        size_t dash = line.find(" - ");
        if (p != std::string::npos && dash != std::string::npos && dash > p)
            return line.substr(dash + 3);
    }
    return {};
}

struct Candidate {
    std::string point;
    std::vector<ConcreteComponent> components;
    std::string doc;
    bool isAlias = false;
    bool concrete = true; // false: a pattern like timer.ms(N), listed without variables
};

std::string providerDoc(const std::vector<ProbePattern>& patterns, const ConcretePoint& point) {
    for (const ProbePattern& pat : patterns) {
        if (pat.components.size() != point.components.size())
            continue;
        bool same = true;
        for (size_t i = 0; i < pat.components.size() && same; ++i) {
            const auto& pc = pat.components[i];
            const auto& c = point.components[i];
            ArgKind k = c.number ? ArgKind::Number : c.string ? ArgKind::String : ArgKind::None;
            same = pc.functor == c.functor && pc.arg == k;
        }
        if (same)
            return pat.doc;
    }
    return {};
}

void addAliases(Frontend& fe, const std::vector<ConcreteComponent>* pattern, bool showInternal,
                std::vector<Candidate>& out) {
    for (const auto& file : fe.libraryFiles()) {
        for (const AliasDecl* a : file->aliases) {
            for (const ProbePoint* name : a->names) {
                if (name->components.empty())
                    continue;
                std::vector<ConcreteComponent> comps = componentsOf(*name);
                if (!showInternal && comps[0].functor.rfind("_", 0) == 0)
                    continue;
                if (pattern && !pointNames(*pattern, 0, comps, 0, false))
                    continue;
                Candidate c;
                c.point = pointText(comps);
                c.components = std::move(comps);
                c.isAlias = true;
                c.doc = aliasDoc(fe.sources(), a->loc);
                out.push_back(std::move(c));
            }
        }
    }
}

// Elaborates `probe POINT? {}` for every candidate (without elision) and
// reads each one's variables: the locals its prologues set, then the
// $variables of the point(s) it resolves to. One ListedProbe per distinct
// variable list.
void listWithVariables(const CompileOptions& options, const std::vector<Candidate>& cands,
                       std::vector<ListedProbe>& out, bool withVariables) {
    std::vector<std::vector<std::vector<ListedVariable>>> varLists(cands.size());
    // Elaborates cands[first, first+count); on an error (one bad point spoils
    // type inference for all), halves the batch until the bad one is alone.
    std::function<void(size_t, size_t)> run = [&](size_t first, size_t count) {
        CompileOptions o = options;
        o.unoptimized = true;
        o.contextVariables = withVariables ? CompileOptions::ContextVariables::All : CompileOptions::ContextVariables::None;
        Frontend fe(o);
        std::string script;
        std::vector<size_t> index;
        for (size_t i = first; i < first + count; ++i) {
            if (!cands[i].concrete)
                continue;
            script += "probe " + cands[i].point + "? {}\n";
            index.push_back(i);
        }
        if (index.empty())
            return;
        // A batch whose optional points all fail to resolve (kernel functions
        // on a kernel that refuses them) is no error: without this probe it
        // is "no probes found", and the halving elaborated every point alone.
        script += "probe never {}\n";
        fe.addScriptText("<listing>", script);
        bool parsed = fe.parse();
        bool ok = parsed && fe.elaborate();
        if (!ok && count > 1) {
            run(first, count / 2);
            run(first + count / 2, count - count / 2);
            return;
        }
        if (!parsed || fe.scriptFiles().empty())
            return;
        std::map<const ProbeDecl*, size_t> which;
        const auto& decls = fe.scriptFiles()[0]->probes;
        for (size_t d = 0; d < decls.size() && d < index.size(); ++d)
            which[decls[d]] = index[d];
        for (const ResolvedProbe& rp : fe.program().probes) {
            auto it = which.find(rp.decl);
            if (it == which.end())
                continue;
            // Points told apart only by a hidden component (a function's
            // inlined copies) are listed once, with the first one's variables.
            if (!rp.point.components.empty() && rp.point.components.back().hidden &&
                rp.point.components.back().number.value_or(0) > 0)
                continue;
            std::vector<ListedVariable> vars;
            for (const VarDecl* l : rp.locals) {
                if (l->name.rfind("__", 0) == 0 || l->type == Type::Unknown)
                    continue;
                vars.push_back({l->name, typeName(l->type)});
            }
            for (const ContextVar& v : rp.context) {
                if (!v.locationError.empty())
                    continue; // like stap: only what can be read at the probe address
                // A program's types are spelled from DWARF as stap spells them already.
                std::string t = v.cType.empty() ? typeName(v.type)
                                : v.isUser()    ? v.cType
                                                : kernel::stapTypeSpelling(v.cType);
                vars.push_back({v.name, t});
            }
            // A program function's .return also reads its parameters (entry values).
            if (rp.hasEntryPoint)
                for (const ContextVar& v : rp.entryContext)
                    if (v.isUser() && v.isParameter && v.locationError.empty())
                        vars.push_back({v.name, v.cType});
            auto& lists = varLists[it->second];
            if (std::find(lists.begin(), lists.end(), vars) == lists.end())
                lists.push_back(std::move(vars));
        }
    };
    if (withVariables && !cands.empty())
        run(0, cands.size());
    for (size_t i = 0; i < cands.size(); ++i) {
        ListedProbe p;
        p.point = cands[i].point;
        p.doc = cands[i].doc;
        p.isAlias = cands[i].isAlias;
        p.components = cands[i].components;
        if (varLists[i].empty()) {
            out.push_back(p);
            continue;
        }
        for (auto& vars : varLists[i]) {
            ListedProbe q = p;
            q.variables = vars;
            out.push_back(std::move(q));
        }
    }
}

void sortUnique(std::vector<ListedProbe>& probes, bool withVariables) {
    // Each line is made once: made in the comparison, they were a tenth of
    // the IDE's cold index.
    std::vector<std::pair<std::string, size_t>> lines;
    lines.reserve(probes.size());
    for (size_t i = 0; i < probes.size(); ++i)
        lines.emplace_back(probes[i].line(withVariables), i);
    std::sort(lines.begin(), lines.end());
    lines.erase(std::unique(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
                lines.end());
    std::vector<ListedProbe> sorted;
    sorted.reserve(lines.size());
    for (const auto& [line, i] : lines)
        sorted.push_back(std::move(probes[i]));
    probes = std::move(sorted);
}

} // namespace

bool splitProbePoint(const std::string& text, std::vector<ConcreteComponent>& out) {
    out.clear();
    size_t i = 0;
    auto skipSpace = [&] {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
            ++i;
    };
    skipSpace();
    while (i < text.size()) {
        ConcreteComponent c;
        while (i < text.size() && text[i] != '.' && text[i] != '(' && !std::isspace(static_cast<unsigned char>(text[i])))
            c.functor += text[i++];
        skipSpace();
        if (i < text.size() && text[i] == '(') {
            ++i;
            skipSpace();
            if (i < text.size() && text[i] == '"') {
                std::string s;
                ++i;
                while (i < text.size() && text[i] != '"') {
                    if (text[i] == '\\' && i + 1 < text.size())
                        ++i;
                    s += text[i++];
                }
                if (i == text.size())
                    return false;
                ++i;
                c.string = s;
            } else {
                size_t used = 0;
                try {
                    c.number = std::stoll(text.substr(i), &used, 0);
                } catch (...) {
                    return false;
                }
                i += used;
            }
            skipSpace();
            if (i == text.size() || text[i] != ')')
                return false;
            ++i;
            skipSpace();
        }
        if (c.functor.empty())
            return false;
        out.push_back(std::move(c));
        if (i < text.size()) {
            if (text[i] != '.')
                return false;
            ++i;
            if (i == text.size())
                return false; // "syscall." is incomplete
        }
    }
    return !out.empty();
}

ListingResult listProbePoints(const CompileOptions& options, const std::string& pattern, bool withVariables) {
    ListingResult result;
    CompileOptions o = options;
    o.unoptimized = true;
    o.contextVariables = CompileOptions::ContextVariables::None; // this pass only loads the tapsets and matches
    Frontend fe(o);
    fe.addScriptText("<pattern>", "probe " + pattern + " {}\n");
    if (!fe.parse() || fe.scriptFiles().empty() || fe.scriptFiles()[0]->probes.empty()) {
        result.error = "invalid probe point '" + pattern + "'";
        for (const Diagnostic& d : fe.diagnostics().all())
            if (d.severity == Severity::Error) {
                result.error += ": " + d.message;
                break;
            }
        return result;
    }
    const ProbeDecl* decl = fe.scriptFiles()[0]->probes[0];
    fe.elaborate(); // loads the tapsets; whether the pattern itself resolves does not matter here
    std::vector<Candidate> cands;
    std::string why;
    for (const ProbePoint* up : decl->points) {
        std::vector<ConcreteComponent> pat = componentsOf(*up);
        bool internal = !pat.empty() && pat[0].functor.rfind("_", 0) == 0;
        addAliases(fe, &pat, internal, cands);
        std::string error;
        for (const auto& m : fe.registry().match(*up, error)) {
            Candidate c;
            c.components = m.point.components;
            c.point = pointText(c.components);
            c.doc = providerDoc(fe.registry().patternsOf(*m.provider), m.point);
            cands.push_back(std::move(c));
        }
        if (!error.empty() && why.empty())
            why = error;
    }
    std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) { return a.point < b.point; });
    cands.erase(std::unique(cands.begin(), cands.end(),
                            [](const Candidate& a, const Candidate& b) { return a.point == b.point; }),
                cands.end());
    listWithVariables(options, cands, result.probes, withVariables);
    sortUnique(result.probes, withVariables);
    if (result.probes.empty())
        result.error = why;
    return result;
}

int printListing(const ListingResult& result, bool withVariables, std::ostream& out, std::ostream& err) {
    for (const ListedProbe& p : result.probes)
        out << p.line(withVariables) << "\n";
    if (result.probes.empty()) {
        if (!result.error.empty())
            err << "tstap: " << result.error << "\n";
        return 1;
    }
    return 0;
}

std::shared_ptr<const ProbeIndex> ProbeIndex::build(const CompileOptions& options) {
    auto index = std::make_shared<ProbeIndex>();
    CompileOptions o = options;
    o.unoptimized = true;
    Frontend fe(o);
    fe.addScriptText("<index>", "probe never {}\n");
    fe.elaborate();
    std::vector<Candidate> cands;
    addAliases(fe, nullptr, false, cands);
    Arena arena;
    for (const auto& provider : fe.registry().providers()) {
        for (const ProbePattern& pat : fe.registry().patternsOf(*provider)) {
            bool hasNumber = false, hasString = false;
            for (const PatternComponent& c : pat.components) {
                hasNumber |= c.arg == ArgKind::Number;
                hasString |= c.arg == ArgKind::String;
            }
            if (hasString && provider->family() == "kernel.function") {
                // Listed only where the kernel allows these probes.
                ConcretePoint any;
                for (const PatternComponent& pc : pat.components)
                    any.components.push_back(
                        {pc.functor, {}, pc.arg == ArgKind::String ? std::optional<std::string>("*") : std::nullopt});
                if (!provider->check(any).empty())
                    continue;
            }
            if (hasNumber || (hasString && provider->family() != "kernel.trace")) {
                // Free arguments: the pattern itself, e.g. timer.ms(N), process("PATH").begin.
                Candidate c;
                c.concrete = false;
                c.doc = pat.doc;
                for (const PatternComponent& pc : pat.components) {
                    ConcreteComponent cc{pc.functor, {}, {}};
                    c.point += (c.point.empty() ? "" : ".") + pc.functor;
                    if (pc.arg == ArgKind::Number)
                        c.point += "(N)";
                    else if (pc.arg == ArgKind::String) {
                        c.point += provider->family() == "process" ? "(\"PATH\")"
                                   : pc.functor == "module"        ? "(\"MODULE\")"
                                                                   : "(\"NAME\")";
                        cc.string = "*";
                    }
                    c.components.push_back(std::move(cc));
                }
                cands.push_back(std::move(c));
                continue;
            }
            ProbePoint up;
            for (const PatternComponent& pc : pat.components) {
                ProbePointComponent u;
                u.functor = pc.functor;
                if (pc.arg == ArgKind::String) {
                    auto* s = arena.make<StringExpr>(SourceLoc{});
                    s->value = "*";
                    s->raw = "\"*\"";
                    u.arg = s;
                }
                up.components.push_back(u);
            }
            if (!hasString) {
                ConcretePoint cp;
                for (const PatternComponent& pc : pat.components)
                    cp.components.push_back({pc.functor, {}, {}});
                if (!provider->check(cp).empty())
                    continue;
                Candidate c;
                c.components = cp.components;
                c.point = pointText(c.components);
                c.doc = pat.doc;
                cands.push_back(std::move(c));
                continue;
            }
            std::string error;
            for (const auto& m : fe.registry().match(up, error)) {
                if (m.provider != provider.get())
                    continue;
                Candidate c;
                c.components = m.point.components;
                c.point = pointText(c.components);
                c.doc = pat.doc;
                cands.push_back(std::move(c));
            }
        }
    }
    std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) { return a.point < b.point; });
    cands.erase(std::unique(cands.begin(), cands.end(),
                            [](const Candidate& a, const Candidate& b) { return a.point == b.point; }),
                cands.end());
    listWithVariables(options, cands, index->probes_, true);
    sortUnique(index->probes_, true);
    return index;
}

std::vector<const ListedProbe*> ProbeIndex::query(const std::string& pattern, size_t limit) const {
    std::vector<const ListedProbe*> out;
    std::vector<ConcreteComponent> pat;
    if (!splitProbePoint(pattern, pat))
        return out;
    for (const ListedProbe& p : probes_) {
        if (out.size() >= limit)
            break;
        if (pointNames(pat, 0, p.components, 0, true))
            out.push_back(&p);
    }
    return out;
}

} // namespace tap
