#include "probe_provider.h"

#include <fnmatch.h>

#include <algorithm>

namespace tap {

std::string ConcretePoint::str() const {
    std::string s;
    for (size_t i = 0; i < components.size(); ++i) {
        if (components[i].hidden)
            continue;
        if (i)
            s += ".";
        s += components[i].functor;
        if (components[i].number)
            s += "(" + std::to_string(*components[i].number) + ")";
        else if (components[i].string)
            s += "(\"" + *components[i].string + "\")";
    }
    return s;
}

bool isTaskContextFunction(const std::string& name) {
    static const char* const kNames[] = {
        "pid", "tid", "ppid", "pgrp", "sid", "uid", "euid", "gid", "egid", "execname", "pexecname",
        "cpu", "task_current", "ns_pid", "ns_tid", "ns_ppid", "ns_pgrp", "ns_sid", "ns_uid",
        "ns_euid", "ns_gid", "ns_egid", "user_mode", "is_myproc", "cmdline_args", "cmdline_str"};
    for (const char* n : kNames)
        if (name == n)
            return true;
    return false;
}

std::string AttachSpec::section() const {
    switch (kind) {
    case Kind::None: return {};
    case Kind::TpBtf: return "tp_btf/" + target;
    case Kind::Tracepoint: return "tracepoint/" + target;
    case Kind::RawTracepoint: return "raw_tp/" + target;
    case Kind::PerfEvent: return "perf_event";
    case Kind::Kprobe: return (isReturn ? "kretprobe/" : "kprobe/") + target;
    case Kind::Uprobe: return isReturn ? "uretprobe" : "uprobe";
    case Kind::Fentry: return (isReturn ? "fexit/" : "fentry/") + target;
    case Kind::TaskIter: return "iter/task";
    case Kind::Netfilter: return "netfilter";
    }
    return {};
}

std::string ProbeProvider::typeTarget(const ConcretePoint& point, const TargetExpr& target,
                                      Type& type) const {
    for (const ContextVar& v : contextVariables(point)) {
        if (v.name != target.name)
            continue;
        type = v.type;
        for (const TargetComponent& c : target.components)
            if (c.kind == TargetComponent::Pretty)
                type = Type::String;
        return {};
    }
    return "unresolved target-symbol expression";
}

namespace {

// A plain loop: find_first_of("*?[") called memchr once per character, a
// fifth of the IDE's cold index (every point against every pattern).
bool hasWildcard(const std::string& s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c == '*' || c == '?' || c == '['; });
}

} // namespace

bool componentMatches(const std::string& pattern, const std::string& name) {
    if (!hasWildcard(pattern))
        return pattern == name;
    return fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

struct ProbeRegistry::PatternCache {
    std::mutex mutex;
    std::vector<std::optional<std::vector<ProbePattern>>> patterns;
    std::vector<std::optional<std::unordered_map<std::string, std::vector<size_t>>>> byPath;
};

namespace {

template <typename Components> std::string functorPath(const Components& components) {
    std::string path;
    for (const auto& c : components)
        (path += c.functor) += '.';
    return path;
}

} // namespace

void ProbeRegistry::add(std::unique_ptr<ProbeProvider> provider) {
    providers_.push_back(std::move(provider));
    if (!patternCache_)
        patternCache_ = std::make_shared<PatternCache>();
}

const std::vector<ProbePattern>& ProbeRegistry::patternsOf(size_t i) const {
    PatternCache* cache = patternCache_.get(); // made by add()
    std::lock_guard<std::mutex> lock(cache->mutex);
    if (cache->patterns.size() < providers_.size())
        cache->patterns.resize(providers_.size());
    if (!cache->patterns[i])
        cache->patterns[i] = providers_[i]->patterns();
    return *cache->patterns[i];
}

const std::unordered_map<std::string, std::vector<size_t>>& ProbeRegistry::patternsByPath(size_t i) const {
    const std::vector<ProbePattern>& patterns = patternsOf(i);
    PatternCache* cache = patternCache_.get();
    std::lock_guard<std::mutex> lock(cache->mutex);
    if (cache->byPath.size() < providers_.size())
        cache->byPath.resize(providers_.size());
    if (!cache->byPath[i]) {
        auto& index = cache->byPath[i].emplace();
        for (size_t k = 0; k < patterns.size(); ++k)
            index[functorPath(patterns[k].components)].push_back(k);
    }
    return *cache->byPath[i];
}

const std::vector<ProbePattern>& ProbeRegistry::patternsOf(const ProbeProvider& provider) const {
    for (size_t i = 0; i < providers_.size(); ++i)
        if (providers_[i].get() == &provider)
            return patternsOf(i);
    static const std::vector<ProbePattern> none;
    return none;
}

namespace {

ArgKind argKindOf(const Expr* arg) {
    if (!arg)
        return ArgKind::None;
    return arg->kind == ExprKind::Number ? ArgKind::Number : ArgKind::String;
}

// Matches user components [ui..] against pattern components [pi..]; `**`
// matches one or more whole components.
bool matchFrom(const std::vector<ProbePointComponent>& user, size_t ui,
               const std::vector<PatternComponent>& pattern, size_t pi, ConcretePoint& out) {
    if (ui == user.size() || pi == pattern.size())
        return ui == user.size() && pi == pattern.size();
    const ProbePointComponent& u = user[ui];
    if (u.functor == "**" && !u.arg) {
        for (size_t n = 1; pi + n <= pattern.size(); ++n) {
            ConcretePoint trial = out;
            bool argsOk = true;
            for (size_t k = 0; k < n; ++k) {
                if (pattern[pi + k].arg != ArgKind::None)
                    argsOk = false;
                trial.components.push_back({pattern[pi + k].functor, {}, {}});
            }
            if (argsOk && matchFrom(user, ui + 1, pattern, pi + n, trial)) {
                out = std::move(trial);
                return true;
            }
        }
        return false;
    }
    const PatternComponent& p = pattern[pi];
    if (!componentMatches(u.functor, p.functor) || argKindOf(u.arg) != p.arg)
        return false;
    ConcreteComponent c{p.functor, {}, {}};
    if (u.arg && u.arg->kind == ExprKind::Number)
        c.number = static_cast<const NumberExpr*>(u.arg)->value;
    else if (u.arg)
        c.string = static_cast<const StringExpr*>(u.arg)->value;
    out.components.push_back(std::move(c));
    return matchFrom(user, ui + 1, pattern, pi + 1, out);
}

} // namespace

std::vector<ProbeRegistry::Match> ProbeRegistry::match(const ProbePoint& point,
                                                       std::string& error) const {
    std::vector<Match> matches;
    bool literal = std::none_of(point.components.begin(), point.components.end(),
                                [](const ProbePointComponent& c) { return hasWildcard(c.functor); });
    std::string path = literal ? functorPath(point.components) : std::string();
    for (size_t pi = 0; pi < providers_.size(); ++pi) {
        const auto& provider = providers_[pi];
        if (std::optional<std::string> lead = provider->leadingFunctor();
            lead && !point.components.empty() && point.components[0].functor != "**" &&
            !componentMatches(point.components[0].functor, *lead))
            continue;
        const std::vector<ProbePattern>& patterns = patternsOf(pi);
        auto tryPattern = [&](const ProbePattern& pattern) {
            ConcretePoint concrete;
            if (!matchFrom(point.components, 0, pattern.components, 0, concrete))
                return;
            std::string problem = provider->check(concrete);
            if (!problem.empty()) {
                error = problem;
                return;
            }
            for (ConcretePoint& each : provider->expand(concrete))
                matches.push_back({provider.get(), std::move(each)});
        };
        if (!literal) {
            for (const ProbePattern& pattern : patterns)
                tryPattern(pattern);
            continue;
        }
        const auto& byPath = patternsByPath(pi);
        if (auto it = byPath.find(path); it != byPath.end())
            for (size_t k : it->second)
                tryPattern(patterns[k]);
    }
    // Wildcard matches come in name order, component by component, as stap
    // lists them (timer.*(100): hz, jiffies, ms, msec, s, sec, us, usec).
    std::stable_sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
        const auto& x = a.point.components;
        const auto& y = b.point.components;
        return std::lexicographical_compare(
            x.begin(), x.end(), y.begin(), y.end(),
            [](const ConcreteComponent& l, const ConcreteComponent& r) { return l.functor < r.functor; });
    });
    return matches;
}

} // namespace tap
