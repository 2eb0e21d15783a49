// uprobe_multi links (Linux 6.6+), made with the bpf() syscall: libbpf 1.1
// cannot make them. Unlike perf-event uprobes, whose releases the kernel
// serializes (a grace period each: 100 uprobes took 8 s to detach), they
// are released in parallel, and they attach without a perf event.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tap::rt {

// BPF_TRACE_UPROBE_MULTI: the expected attach type of such programs,
// which must be set before they are loaded.
constexpr uint32_t kAttachUprobeMulti = 48;

// Whether this kernel makes uprobe_multi links (probed once).
bool uprobeMultiSupported();

// A link of the loaded program `progFd` at `offsets` of `path` (with their
// SDT semaphores, 0 for none, and BPF cookies; either list may be empty);
// pid 0 for every process. The link's fd, or -errno.
int attachUprobeMulti(int progFd, const std::string& path, const std::vector<uint64_t>& offsets,
                      const std::vector<uint64_t>& refCtrOffsets, const std::vector<uint64_t>& cookies, bool isReturn,
                      int pid);

} // namespace tap::rt
