#include "descriptors.h"

#include <dirent.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace tap::rt {
namespace {

std::vector<int>& inherited() {
    static std::vector<int> fds;
    return fds;
}

std::vector<int> openDescriptors() {
    std::vector<int> fds;
    DIR* d = opendir("/proc/self/fd");
    if (!d)
        return fds;
    for (dirent* e; (e = readdir(d));) {
        int fd = std::atoi(e->d_name);
        if (e->d_name[0] != '.' && fd != dirfd(d))
            fds.push_back(fd);
    }
    closedir(d);
    std::sort(fds.begin(), fds.end());
    return fds;
}

} // namespace

void rememberInheritedDescriptors() {
    inherited() = openDescriptors();
}

void closeOwnDescriptors() {
    closeAllDescriptorsExcept(inherited());
}

void closeAllDescriptorsExcept(const std::vector<int>& keep) {
    unsigned from = 3;
    for (int fd : keep) {
        if (fd < 3)
            continue;
        if (unsigned(fd) > from)
            syscall(SYS_close_range, from, unsigned(fd) - 1, 0);
        from = std::max(from, unsigned(fd) + 1);
    }
    syscall(SYS_close_range, from, ~0U, 0);
}

} // namespace tap::rt
