#include "netfilter_link.h"

#include <linux/bpf.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tap::rt {

namespace {

// union bpf_attr's link_create with its netfilter member, as in the 6.4+
// uapi header (Debian 12's predates it).
struct LinkCreateNetfilter {
    uint32_t progFd, targetFd, attachType, flags;
    uint32_t pf, hooknum;
    int32_t priority;
    uint32_t netfilterFlags;
};

} // namespace

int attachNetfilter(int progFd, int family, int hook, int priority) {
    union {
        LinkCreateNetfilter link;
        char attr[128];
    } u;
    std::memset(&u, 0, sizeof u);
    u.link.progFd = uint32_t(progFd);
    u.link.attachType = kAttachNetfilter;
    u.link.pf = uint32_t(family);
    u.link.hooknum = uint32_t(hook);
    u.link.priority = priority;
    int fd = int(syscall(__NR_bpf, BPF_LINK_CREATE, &u, sizeof u));
    return fd >= 0 ? fd : -errno;
}

} // namespace tap::rt
