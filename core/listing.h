// Probe point listing: `tstap -l PATTERN` / `-L PATTERN` in stap's format,
// and the index of every probe point that the IDE's catalogue and
// completion query (built once in a background thread, then queried per
// keystroke).
#pragma once

#include "frontend.h"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace tap {

struct ListedVariable {
    std::string name; // "prev_pid", "$prev"
    std::string type; // "long", "string", "struct task_struct*"
    bool operator==(const ListedVariable&) const = default;
};

struct ListedProbe {
    std::string point;                   // kernel.trace("sched:sched_switch"), syscall.openat, scheduler.ctxswitch
    std::vector<ListedVariable> variables; // alias/prologue variables first, then the $variables
    std::string doc;                     // one line (the alias's summary, or the provider's pattern doc)
    bool isAlias = false;
    std::vector<ConcreteComponent> components; // the point, split (for matching)
    // stap's output line: the point, and with variables ` name:type` for each.
    std::string line(bool withVariables) const;
};

struct ListingResult {
    std::vector<ListedProbe> probes; // sorted, one per distinct line
    std::string error;               // a bad pattern, or why nothing matched (when known)
};

// The probe points `pattern` names (wildcards as in a script; tapset aliases
// included), with their variables and types when `withVariables` (-L).
ListingResult listProbePoints(const CompileOptions& options, const std::string& pattern,
                              bool withVariables);

// Writes the listing as stap does: one line each, sorted. Returns stap's exit
// status: 0, or 1 when nothing matched (the reason, if known, on `err`).
int printListing(const ListingResult& result, bool withVariables, std::ostream& out, std::ostream& err);

// Every probe point of this system with its variables: all tapset aliases,
// every tracepoint, syscall, perf event, process and timer point. Families
// whose arguments are free (timer.ms(N), process("PATH"), kernel.function)
// appear once by their pattern, e.g. `timer.ms(N)`. Building takes a while
// (BTF, tracefs, tapsets); queries are fast and thread-safe.
class ProbeIndex {
public:
    ProbeIndex() = default;
    // An index of points listed earlier (e.g. read back from the IDE's disk
    // cache), sorted as build() sorts them.
    explicit ProbeIndex(std::vector<ListedProbe> probes) : probes_(std::move(probes)) {}
    static std::shared_ptr<const ProbeIndex> build(const CompileOptions& options);
    const std::vector<ListedProbe>& all() const { return probes_; }
    // Entries matching a probe point pattern ("sched*", "syscall.open*",
    // "kernel.trace(\"sched_*\")"); a component without an argument matches
    // any argument. At most `limit` results, in index order (sorted).
    std::vector<const ListedProbe*> query(const std::string& pattern, size_t limit = SIZE_MAX) const;

private:
    std::vector<ListedProbe> probes_;
};

// Splits probe point text into components: `kernel.trace("a.b").return` ->
// kernel, trace("a.b"), return. False when it is malformed.
bool splitProbePoint(const std::string& text, std::vector<ConcreteComponent>& out);

} // namespace tap
