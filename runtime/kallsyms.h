// Looking a kernel symbol up by name in /proc/kallsyms (root sees the
// addresses; data symbols are there when the kernel has CONFIG_KALLSYMS_ALL).
#pragma once

#include <cstdint>
#include <string>

namespace tap::rt {

// The address of the first symbol called `name`, 0 when there is none.
uint64_t kernelSymbolAddress(const std::string& name);

} // namespace tap::rt
