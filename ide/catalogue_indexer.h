// Background indexing of everything completion and the catalogues offer:
// the tapset library (functions, aliases, docs), the kernel's tracepoint
// names (tracefs), then the full probe index with every point's variables
// (tap::ProbeIndex: aliases, tracepoints, syscalls, perf, timers). Each stage
// publishes an immutable snapshot to the UI thread as soon as it is done, so
// completion works (flagged partial) before the index is complete. The UI
// thread never waits for any of it. With a cache file (catalogue_cache.h),
// an index whose inputs did not change is read back in one step instead.
#pragma once

#include "probe_point_index.h"
#include "tapset_library.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QObject>
#include <QString>

#include <memory>
#include <string>
#include <vector>

namespace tapide {

struct CatalogueSnapshot {
    std::shared_ptr<const TapsetLibrary> library;        // null until stage 1 is done
    std::vector<std::string> tracepoints;                // "system:name", sorted
    std::shared_ptr<const ProbePointIndex> probes;       // null until stage 3 is done
    bool complete = false;
    bool fromCache = false; // tracepoints and probes were read from the disk cache
    double libraryMs = 0, tracepointsMs = 0, probesMs = 0, cacheMs = 0;
};
using CatalogueSnapshotPtr = std::shared_ptr<const CatalogueSnapshot>;

class CatalogueIndexer : public QObject {
    Q_OBJECT
public:
    explicit CatalogueIndexer(QObject* parent = nullptr);
    ~CatalogueIndexer() override;

    // Starts indexing in a background thread: from the cache file when it is
    // valid, else in stages. `force` rebuilds from cold (and refreshes the cache).
    void start(bool force = false);
    // The disk cache ("" = none, the default).
    void setCacheFile(const QString& path) { cacheFile_ = path; }
    QString cacheFile() const { return cacheFile_; }
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
    QString cacheFile_;
};

} // namespace tapide
