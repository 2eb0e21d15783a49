// Which open files a child process of tstap keeps: those tstap was started
// with, as a shell's child would, and none that tstap or its libraries opened
// (libfuse's unmount socket, BPF maps, perf events), whatever their flags:
// the -c command or a system() command holding libfuse's socket kept a
// killed session's procfs files mounted.
#pragma once

#include <vector>

namespace tap::rt {

// Called first thing in main, before anything is opened.
void rememberInheritedDescriptors();

// In a forked child: closes every descriptor from 3 up that tstap was not
// started with. Async-signal-safe.
void closeOwnDescriptors();

// In a forked child: closes every descriptor from 3 up but KEEP (sorted,
// without duplicates). Async-signal-safe.
void closeAllDescriptorsExcept(const std::vector<int>& keep);

} // namespace tap::rt
