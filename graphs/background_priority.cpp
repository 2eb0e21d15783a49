#include "background_priority.h"

#include <QThreadPool>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace tapgraphs {

namespace {
constexpr int kNiceIncrement = 5;
}

void lowerThisThreadsPriority() {
    thread_local bool lowered = false;
    if (lowered) return;
    lowered = true;
    // On Linux the nice value belongs to the thread: PRIO_PROCESS with a thread id.
    auto tid = id_t(syscall(SYS_gettid));
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, tid);
    if (errno == 0) setpriority(PRIO_PROCESS, tid, nice + kNiceIncrement);
}

QThreadPool* chartPool() {
    static QThreadPool* pool = [] {
        auto* p = new QThreadPool;
        p->setObjectName("chart computations");
        return p;
    }();
    return pool;
}

} // namespace tapgraphs
