#include "kernel/syscall_numbers.h"

#include <map>
#include <string>

namespace tap::kernel {

namespace {

struct NumberedCall {
    const char* name; // as <asm/unistd_64.h> names it
    long number;
};

const NumberedCall kNumberedCalls[] = {
#include "syscall_numbers.inc"
};

#if defined(__x86_64__)
// Calls added after the oldest headers tstap builds with (Debian 12's, Linux
// 6.1), from the kernel's arch/x86/entry/syscalls/syscall_64.tbl: with them
// strace.stp's 43 newest calls no longer need a program each on a recent
// kernel. Checked on Linux 6.18 against each tracepoint's __syscall_nr.
const NumberedCall kNewerCalls[] = {
    {"uretprobe", 335},     {"uprobe", 336},        {"cachestat", 451},         {"fchmodat2", 452},
    {"map_shadow_stack", 453}, {"futex_wake", 454}, {"futex_wait", 455},        {"futex_requeue", 456},
    {"statmount", 457},     {"listmount", 458},     {"lsm_get_self_attr", 459}, {"lsm_set_self_attr", 460},
    {"lsm_list_modules", 461}, {"mseal", 462},      {"setxattrat", 463},        {"getxattrat", 464},
    {"listxattrat", 465},   {"removexattrat", 466}, {"open_tree_attr", 467},    {"file_getattr", 468},
    {"file_setattr", 469},
};
#endif

// Tracepoints named after the kernel's SYSCALL_DEFINE, not the ABI's name.
constexpr std::pair<const char*, const char*> kTracepointNames[] = {
    {"newstat", "stat"}, {"newlstat", "lstat"}, {"newfstat", "fstat"},
    {"newuname", "uname"}, {"sendfile64", "sendfile"}, {"umount", "umount2"},
};

} // namespace

std::optional<long> syscallNumber(std::string_view tracepointName) {
    static const std::map<std::string, long, std::less<>> byName = [] {
        std::map<std::string, long, std::less<>> m;
        for (const NumberedCall& c : kNumberedCalls)
            m.emplace(c.name, c.number);
#if defined(__x86_64__)
        if (!m.empty()) // the header's numbering is x86-64's
            for (const NumberedCall& c : kNewerCalls)
                m.emplace(c.name, c.number);
#endif
        return m;
    }();
    for (const auto& [tracepoint, abiName] : kTracepointNames)
        if (tracepointName == tracepoint)
            tracepointName = abiName;
    auto it = byName.find(tracepointName);
    if (it == byName.end())
        return std::nullopt;
    return it->second;
}

} // namespace tap::kernel
