// The kernel probe families: kernel.trace, syscall.* / nd_syscall.*,
// perf.*, process.begin/end, kernel.function / module().function /
// kprobe.function / kernel.statement, kernel.data, netfilter.hook. Pass 2 only: resolution, $variable
// typing and listing; the BPF translator consumes their AttachSpec and
// ContextVars.
#pragma once

#include "probe_provider.h"
#include "kernel/tracefs.h"

#include <memory>
#include <string>
#include <vector>

namespace tap {

// Adds every kernel probe provider to `registry`.
void addKernelProviders(ProbeRegistry& registry);

namespace kernel {

std::unique_ptr<ProbeProvider> makeKernelTraceProvider();
std::unique_ptr<ProbeProvider> makeSyscallProvider(const std::string& family); // "syscall", "nd_syscall"
std::unique_ptr<ProbeProvider> makePerfProvider();
std::unique_ptr<ProbeProvider> makeProcessProvider();
std::unique_ptr<ProbeProvider> makeKernelFunctionProvider();
std::unique_ptr<ProbeProvider> makeKernelDataProvider();
std::unique_ptr<ProbeProvider> makeNetfilterProvider();

// What this kernel allows for kernel.function & co, e.g. "fentry no: fentry
// programs (EPERM); kprobes no: kprobes (no kprobe PMU ...)". Found out once;
// the environment variable TAPSTUDIO_ASSUME_KERNEL_PROBES ("fentry",
// "kprobe", "fentry,kprobe", "none") overrides it (tests, code generation
// for other kernels).
std::string kernelFunctionSupport();
// How a kernel.function (kprobe.function, ...) point is probed, for -v:
// "fentry", "kprobe on finish_task_switch.isra.0; fentry: ...", with why
// the ways before it were not taken.
std::string kernelFunctionMechanism(const ConcretePoint& point);

// A tracepoint with its variables (BTF arguments, or record fields).
struct TraceInfo {
    TraceEvent event;
    bool typed = false; // BTF arguments (tp_btf); else the tracefs record
    std::vector<ContextVar> vars;
};
// "system:name" or an unambiguous "name"; null when there is no such event.
const TraceInfo* traceInfo(const std::string& event);
// Why tracefs cannot be read ("... needs root").
std::string tracefsProblem();
// Tracepoints ("system:name", sorted) matching a glob on "name" or "system:name".
std::vector<std::string> matchTracepoints(const std::string& spec);

} // namespace kernel
} // namespace tap
