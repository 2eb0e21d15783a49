// The numbers of x86-64 system calls by their tracepoint name (the NAME of
// syscalls:sys_enter_NAME), from the system's <asm/unistd_64.h> at build
// time and a list of the calls added since: a syscall.* wildcard runs as one
// program on raw_syscalls that dispatches on the number. The numbering is the
// kernel's ABI, so a newer kernel only adds calls; those not listed, and every
// call on a machine built without the header, keep a program on their own
// tracepoint.
#pragma once

#include <optional>
#include <string_view>

namespace tap::kernel {

std::optional<long> syscallNumber(std::string_view tracepointName);

} // namespace tap::kernel
