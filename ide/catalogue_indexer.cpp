#include "catalogue_indexer.h"

#include "catalogue_cache.h"
#include "kernel/tracefs.h"
#include "listing.h"

#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent>

#include <chrono>

namespace tapide {

namespace {

double msSince(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

} // namespace

CatalogueIndexer::CatalogueIndexer(QObject* parent) : QObject(parent) {
    snapshot_ = std::make_shared<CatalogueSnapshot>();
}

CatalogueIndexer::~CatalogueIndexer() { job_.waitForFinished(); }

void CatalogueIndexer::waitForFinished() {
    job_.waitForFinished();
    QCoreApplication::sendPostedEvents(this);
}

void CatalogueIndexer::publish(CatalogueSnapshotPtr snapshot, bool done) {
    snapshot_ = std::move(snapshot);
    emit snapshotChanged();
    if (done) {
        running_ = false;
        emit finished(double(clock_.elapsed()));
    }
}

void CatalogueIndexer::start(bool force) {
    if (running_ || (!force && snapshot_->complete))
        return;
    running_ = true;
    clock_.start();
    emit progress(tr("Indexing tapsets"), 1, kSteps);
    // Everything the worker reports goes through queued calls on this object.
    auto post = [this](auto fn) { QMetaObject::invokeMethod(this, std::move(fn), Qt::QueuedConnection); };
    QString cacheFile = cacheFile_;
    job_ = QtConcurrent::run([this, post, cacheFile, force] {
        auto snap = std::make_shared<CatalogueSnapshot>();
        auto t = std::chrono::steady_clock::now();
        QByteArray key;
        if (!cacheFile.isEmpty()) {
            key = CatalogueCache::contentKey();
            CachedCatalogue cached;
            if (!force && CatalogueCache::load(cacheFile, key, cached)) {
                snap->tracepoints = std::move(cached.tracepoints);
                snap->probes = std::make_shared<const ProbePointIndex>(std::move(cached.probes));
                snap->cacheMs = msSince(t);
                t = std::chrono::steady_clock::now();
                snap->library = TapsetLibrary::build(); // a few ms: not worth caching
                snap->libraryMs = msSince(t);
                snap->fromCache = true;
                snap->complete = true;
                post([this, s = CatalogueSnapshotPtr(snap)] { publish(s, true); });
                return;
            }
        }
        snap->library = TapsetLibrary::build();
        snap->libraryMs = msSince(t);
        post([this, s = CatalogueSnapshotPtr(std::make_shared<CatalogueSnapshot>(*snap))] {
            publish(s, false);
            emit progress(tr("Indexing tracepoints"), 2, kSteps);
        });

        t = std::chrono::steady_clock::now();
        snap->tracepoints = tap::kernel::tracefs().events();
        snap->tracepointsMs = msSince(t);
        post([this, s = CatalogueSnapshotPtr(std::make_shared<CatalogueSnapshot>(*snap))] {
            publish(s, false);
            emit progress(tr("Indexing probe points and variables"), 3, kSteps);
        });

        t = std::chrono::steady_clock::now();
        snap->probes = ProbePointIndex::build(tap::CompileOptions{});
        snap->probesMs = msSince(t);
        snap->complete = true;
        post([this, s = CatalogueSnapshotPtr(snap)] { publish(s, true); });
        if (!cacheFile.isEmpty())
            CatalogueCache::save(cacheFile, key, snap->tracepoints, snap->probes->all());
    });
}

} // namespace tapide
