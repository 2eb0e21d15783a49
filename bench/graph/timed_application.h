// A QApplication that times every event the UI thread delivers: the slowest
// says what a stall was, and how much of it the UI thread spent on the CPU
// (the rest was waiting for a core). Shared by graph_bench and flame_bench.
#pragma once

#include <QApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <ctime>

class TimedApplication : public QApplication {
  public:
    using QApplication::QApplication;
    bool notify(QObject* receiver, QEvent* event) override {
        if (depth_++ > 0) { // nested deliveries count in their outer event
            bool r = QApplication::notify(receiver, event);
            --depth_;
            return r;
        }
        QElapsedTimer t;
        t.start();
        qint64 cpu0 = threadCpuNs();
        // The event and its receiver may be gone afterwards.
        int type = event->type();
        QString name = receiver->metaObject()->className();
        bool r = QApplication::notify(receiver, event);
        qint64 ns = t.nsecsElapsed(), cpu = threadCpuNs() - cpu0;
        --depth_;
        if (ns > slowestNs) {
            slowestNs = ns;
            slowestCpuNs = cpu;
            slowest = QString("%1 to %2").arg(type).arg(name);
        }
        maxCpuNs = std::max(maxCpuNs, cpu);
        return r;
    }
    qint64 slowestNs = 0, slowestCpuNs = 0; // wall time, and the UI thread's CPU time in it
    qint64 maxCpuNs = 0;                    // the most CPU time one event took
    QString slowest;

    static qint64 threadCpuNs() {
        timespec ts;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
    }

  private:
    int depth_ = 0;
};
