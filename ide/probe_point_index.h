// The probe points the catalogue and completion query: every point of this
// system with its variables, built by core (tap::ProbeIndex) or read back
// from the disk cache (catalogue_cache.h). Immutable once made; queries are
// thread-safe.
#pragma once

#include "listing.h"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace tapide {

class ProbePointIndex {
public:
    // Wraps core's index (no copy).
    explicit ProbePointIndex(std::shared_ptr<const tap::ProbeIndex> index);
    // Owns `probes` (sorted, as core lists them), e.g. read from the cache.
    explicit ProbePointIndex(std::vector<tap::ListedProbe> probes);

    static std::shared_ptr<const ProbePointIndex> build(const tap::CompileOptions& options);

    const std::vector<tap::ListedProbe>& all() const { return core_->all(); }
    // As tap::ProbeIndex::query: entries a probe point pattern names; a
    // component without an argument matches any argument.
    std::vector<const tap::ListedProbe*> query(const std::string& pattern, size_t limit = SIZE_MAX) const;

private:
    std::shared_ptr<const tap::ProbeIndex> core_;
};

} // namespace tapide
