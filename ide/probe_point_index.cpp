#include "probe_point_index.h"

#include <fnmatch.h>

namespace tapide {

namespace {

using tap::ConcreteComponent;

bool globMatches(const std::string& pattern, const std::string& text) {
    if (pattern.find_first_of("*?[") == std::string::npos)
        return pattern == text;
    return fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

bool componentNames(const ConcreteComponent& p, const ConcreteComponent& c) {
    if (!globMatches(p.functor, c.functor))
        return false;
    if (p.number)
        return c.number && *c.number == *p.number;
    if (p.string) {
        if (!c.string)
            return false;
        if (globMatches(*p.string, *c.string))
            return true;
        // kernel.trace("sched_switch") names "sched:sched_switch".
        size_t colon = c.string->find(':');
        return colon != std::string::npos && p.string->find(':') == std::string::npos &&
               globMatches(*p.string, c.string->substr(colon + 1));
    }
    return true; // no argument in the pattern: any argument
}

bool pointNames(const std::vector<ConcreteComponent>& pat, size_t pi, const std::vector<ConcreteComponent>& pt,
                size_t ti) {
    if (pi == pat.size() || ti == pt.size())
        return pi == pat.size() && ti == pt.size();
    if (pat[pi].functor == "**" && !pat[pi].number && !pat[pi].string) {
        for (size_t n = 1; ti + n <= pt.size(); ++n)
            if (pointNames(pat, pi + 1, pt, ti + n))
                return true;
        return false;
    }
    return componentNames(pat[pi], pt[ti]) && pointNames(pat, pi + 1, pt, ti + 1);
}

} // namespace

ProbePointIndex::ProbePointIndex(std::shared_ptr<const tap::ProbeIndex> index) : core_(std::move(index)) {}

ProbePointIndex::ProbePointIndex(std::vector<tap::ListedProbe> probes) : own_(std::move(probes)) {}

std::shared_ptr<const ProbePointIndex> ProbePointIndex::build(const tap::CompileOptions& options) {
    return std::make_shared<const ProbePointIndex>(tap::ProbeIndex::build(options));
}

std::vector<const tap::ListedProbe*> ProbePointIndex::query(const std::string& pattern, size_t limit) const {
    std::vector<const tap::ListedProbe*> out;
    std::vector<ConcreteComponent> pat;
    if (!tap::splitProbePoint(pattern, pat))
        return out;
    for (const tap::ListedProbe& p : all()) {
        if (out.size() >= limit)
            break;
        if (pointNames(pat, 0, p.components, 0))
            out.push_back(&p);
    }
    return out;
}

} // namespace tapide
