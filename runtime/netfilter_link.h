// Netfilter hooks for BPF programs (Linux 6.4+), made with the bpf()
// syscall: Debian 12's libbpf 1.1 knows neither the program type nor the
// link.
#pragma once

#include <cstdint>

namespace tap::rt {

// BPF_PROG_TYPE_NETFILTER and BPF_NETFILTER, set on such programs before
// they are loaded.
constexpr uint32_t kProgTypeNetfilter = 32;
constexpr uint32_t kAttachNetfilter = 45;

// A link of the loaded program `progFd` at netfilter hook `hook` (NF_INET_*)
// of protocol family `family` (NFPROTO_IPV4/IPV6) at `priority`. The link's
// fd, or -errno.
int attachNetfilter(int progFd, int family, int hook, int priority);

} // namespace tap::rt
