// A statistic (`x <<< v`): count, sum, min, max, average, variance and an
// optional log or linear histogram, with stap's integer arithmetic and its
// ASCII histogram layout.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tap::rt {

struct HistogramShape {
    enum class Kind : uint8_t { None, Log, Linear } kind = Kind::None;
    int64_t start = 0, stop = 0, interval = 1;
    int buckets = 0; // including under/overflow for linear
    static HistogramShape log();
    // Returns a shape with buckets == 0 when the parameters are invalid.
    static HistogramShape linear(int64_t start, int64_t stop, int64_t interval);
};

class Statistic {
public:
    void add(int64_t value, const HistogramShape& shape, int varianceShift);
    void clear() { *this = Statistic(); }
    // Sets the whole state, e.g. merged from a kernel map's per-CPU parts.
    void assign(int64_t count, int64_t sum, int64_t min, int64_t max, __int128 sumSquares,
                std::vector<int64_t> histogram) {
        count_ = count;
        sum_ = sum;
        min_ = min;
        max_ = max;
        sumSquares_ = sumSquares;
        histogram_ = std::move(histogram);
    }

    // Adds another's values, as if they had been added here (its histogram
    // has the same shape).
    void merge(const Statistic& other);

    int64_t count() const { return count_; }
    int64_t sum() const { return sum_; }
    int64_t min() const { return min_; }
    int64_t max() const { return max_; }
    int64_t avg() const { return count_ ? sum_ / count_ : 0; }
    int64_t variance(int shift) const;
    int64_t bucket(int index) const {
        return index >= 0 && size_t(index) < histogram_.size() ? histogram_[size_t(index)] : 0;
    }
    int bucketCount(const HistogramShape& shape) const { return shape.buckets; }

    // stap's print(@hist_*(x)) output.
    std::string histogramText(const HistogramShape& shape, int64_t elision) const;
    // The same histogram for `tstap --json` (docs/protocol.md): the fields
    // "kind", "buckets":[[from,to,count],...] from the first to the last
    // non-empty bucket, and for linear ones "underflow" and "overflow".
    std::string histogramJsonFields(const HistogramShape& shape) const;

private:
    int64_t count_ = 0, sum_ = 0, min_ = 0, max_ = 0;
    __int128 sumSquares_ = 0; // exact, so @variance needs no running approximation
    std::vector<int64_t> histogram_;
};

// Log-histogram bucket of a value (0..127, 64 holds 0) and back.
int logBucketOf(int64_t value);
int64_t logBucketValue(int bucket);

} // namespace tap::rt
