// The probe capabilities a module may need, named as `tstap
// --probe-capabilities --json` names them (runtime/capability_probe.cpp).
#pragma once

#include <QString>
#include <QStringList>

namespace tapdash {

inline const QStringList& capabilityNames() {
    static const QStringList names{"tracepoint", "raw_tracepoint", "kprobe",     "kretprobe",
                                   "fentry",     "fexit",          "uprobe",     "uprobe_multi",
                                   "perf_event", "ring_buffer",    "bpf_loop",   "btf"};
    return names;
}

} // namespace tapdash
