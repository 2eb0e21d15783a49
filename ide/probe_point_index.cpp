#include "probe_point_index.h"

namespace tapide {

ProbePointIndex::ProbePointIndex(std::shared_ptr<const tap::ProbeIndex> index) : core_(std::move(index)) {}

ProbePointIndex::ProbePointIndex(std::vector<tap::ListedProbe> probes)
    : core_(std::make_shared<const tap::ProbeIndex>(std::move(probes))) {}

std::shared_ptr<const ProbePointIndex> ProbePointIndex::build(const tap::CompileOptions& options) {
    return std::make_shared<const ProbePointIndex>(tap::ProbeIndex::build(options));
}

std::vector<const tap::ListedProbe*> ProbePointIndex::query(const std::string& pattern, size_t limit) const {
    return core_->query(pattern, limit);
}

} // namespace tapide
