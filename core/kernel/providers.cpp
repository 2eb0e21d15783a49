#include "kernel/providers.h"

namespace tap {

void addKernelProviders(ProbeRegistry& registry) {
    registry.add(kernel::makeKernelTraceProvider());
    registry.add(kernel::makeSyscallProvider("syscall"));
    registry.add(kernel::makeSyscallProvider("nd_syscall"));
    registry.add(kernel::makePerfProvider());
    registry.add(kernel::makeProcessProvider());
    registry.add(kernel::makeKernelFunctionProvider());
    registry.add(kernel::makeKernelDataProvider());
    registry.add(kernel::makeNetfilterProvider());
}

} // namespace tap
