// Where pass 2 reads the kernel's facts (BTF, tracepoint formats, kallsyms,
// release, configuration, loaded modules, allowed attach kinds): the running
// kernel's files, or a copy of another kernel's made there by
// scripts/kernel-facts.sh (tstap -r DIR), to translate and compile for that
// kernel on this machine.
#pragma once

#include <string>

namespace tap::kernel {

// Reads the facts from DIR from now on; call before anything asks (the
// readers load once). Returns an error when DIR holds no kernel facts.
std::string useKernelFacts(const std::string& dir);
// Whether the facts are another kernel's (tstap -r).
bool otherKernel();
// A kernel file by its path on the running kernel ("/proc/kallsyms"), in
// the facts directory when there is one.
std::string kernelFile(const std::string& path);
// The release (uname -r) of the kernel the facts are about.
std::string kernelRelease();

} // namespace tap::kernel
