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
