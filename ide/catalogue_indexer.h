// Background indexing of everything completion and the catalogues offer:
// the tapset library (functions, aliases, docs), the kernel's tracepoint
// names (tracefs), then the full probe index with every point's variables
// (tap::ProbeIndex: aliases, tracepoints, syscalls, perf, timers). Each stage
// publishes an immutable snapshot to the UI thread as soon as it is done, so
// completion works (flagged partial) before the index is complete. The UI
// thread never waits for any of it.
#pragma once

#include "tapset_library.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QObject>
#include <QString>

#include <memory>
#include <string>
#include <vector>

namespace tap {
class ProbeIndex;
}

namespace tapide {

struct CatalogueSnapshot {
    std::shared_ptr<const TapsetLibrary> library;        // null until stage 1 is done
    std::vector<std::string> tracepoints;                // "system:name", sorted
    std::shared_ptr<const tap::ProbeIndex> probes;       // null until stage 3 is done
    bool complete = false;
    double libraryMs = 0, tracepointsMs = 0, probesMs = 0;
};
using CatalogueSnapshotPtr = std::shared_ptr<const CatalogueSnapshot>;

class CatalogueIndexer : public QObject {
    Q_OBJECT
public:
    explicit CatalogueIndexer(QObject* parent = nullptr);
    ~CatalogueIndexer() override;

    // Starts (or restarts, when `force`) indexing in a background thread.
    void start(bool force = false);
    bool running() const { return running_; }
    CatalogueSnapshotPtr snapshot() const { return snapshot_; }
    // Waits for the running job (tests and shutdown only; never from UI code paths).
    void waitForFinished();

    static constexpr int kSteps = 3;

signals:
    // A stage began: `step` of kSteps, with a text for the status bar.
    void progress(const QString& what, int step, int steps);
    void snapshotChanged();
    void finished(double totalMs);

private:
    void publish(CatalogueSnapshotPtr snapshot, bool done);

    CatalogueSnapshotPtr snapshot_;
    QFuture<void> job_;
    bool running_ = false;
    QElapsedTimer clock_;
};

} // namespace tapide
