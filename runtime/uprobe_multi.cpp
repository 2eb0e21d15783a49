#include "uprobe_multi.h"

#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tap::rt {

namespace {

// union bpf_attr's link_create with its uprobe_multi member, as in the
// 6.6+ uapi header (Debian 12's predates it).
struct LinkCreateUprobeMulti {
    uint32_t progFd, targetFd, attachType, flags;
    uint64_t path, offsets, refCtrOffsets, cookies;
    uint32_t count, multiFlags, pid, padding;
};
static_assert(sizeof(LinkCreateUprobeMulti) == 64);

constexpr uint32_t kUprobeMultiReturn = 1; // BPF_F_UPROBE_MULTI_RETURN

bool kernelAtLeast(int major, int minor) {
    utsname u{};
    int haveMajor = 0, haveMinor = 0;
    return uname(&u) == 0 && std::sscanf(u.release, "%d.%d", &haveMajor, &haveMinor) == 2 &&
           (haveMajor > major || (haveMajor == major && haveMinor >= minor));
}

// A program of that attach type loads: the kernel knows it.
bool probe() {
    if (!kernelAtLeast(6, 6))
        return false;
    const bpf_insn program[] = {
        {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0},
        {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
    };
    LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = bpf_attach_type(kAttachUprobeMulti));
    int fd = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "tap_probe_umulti", "GPL", program, 2, &opts);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

} // namespace

bool uprobeMultiSupported() {
    static const bool supported = probe();
    return supported;
}

int attachUprobeMulti(int progFd, const std::string& path, const std::vector<uint64_t>& offsets,
                      const std::vector<uint64_t>& refCtrOffsets, const std::vector<uint64_t>& cookies, bool isReturn,
                      int pid) {
    LinkCreateUprobeMulti attr{};
    attr.progFd = uint32_t(progFd);
    attr.attachType = kAttachUprobeMulti;
    attr.path = reinterpret_cast<uint64_t>(path.c_str());
    attr.offsets = reinterpret_cast<uint64_t>(offsets.data());
    attr.refCtrOffsets = refCtrOffsets.empty() ? 0 : reinterpret_cast<uint64_t>(refCtrOffsets.data());
    attr.cookies = cookies.empty() ? 0 : reinterpret_cast<uint64_t>(cookies.data());
    attr.count = uint32_t(offsets.size());
    attr.multiFlags = isReturn ? kUprobeMultiReturn : 0;
    attr.pid = uint32_t(pid > 0 ? pid : 0);
    long fd = syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof attr);
    return fd < 0 ? -errno : int(fd);
}

} // namespace tap::rt
