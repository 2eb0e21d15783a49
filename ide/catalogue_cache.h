// The disk cache of the catalogue index, so that a second start shows the
// whole catalogue at once. Keyed by content: the format version, every
// tapset file's path, size and mtime, the kernel release, the kernel's BTF
// (vmlinux size and mtime, and the loaded modules' BTF names) and the
// running binary; any change makes the cache miss and the index is rebuilt
// in the background (and saved again).
#pragma once

#include "listing.h"

#include <QByteArray>
#include <QString>

#include <string>
#include <vector>

namespace tapide {

struct CachedCatalogue {
    std::vector<std::string> tracepoints;
    std::vector<tap::ListedProbe> probes;
};

class CatalogueCache {
public:
    static constexpr quint32 kFormatVersion = 1;

    // The cache file: TAPSTUDIO_CACHE_DIR, else ~/.cache/tapstudio, + /catalogue-index.bin.
    static QString defaultPath();
    // A digest of everything the index is made from (cheap: stats, no reads of content).
    static QByteArray contentKey();

    // False when the file is missing, unreadable, of another version or key.
    static bool load(const QString& path, const QByteArray& key, CachedCatalogue& out);
    static bool save(const QString& path, const QByteArray& key, const std::vector<std::string>& tracepoints,
                     const std::vector<tap::ListedProbe>& probes);
};

} // namespace tapide
