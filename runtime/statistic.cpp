#include "statistic.h"

#include <algorithm>
#include <cstdio>

namespace tap::rt {

namespace {

constexpr int kLogBuckets = 128;
constexpr int kLogBucketZero = 64;
constexpr int kMaxBuckets = 128;
constexpr int kHistWidth = 50;

int digitsOf(int64_t v) {
    if (v == 0)
        return 1;
    int n = 0;
    uint64_t t;
    if (v < 0) {
        ++n;
        t = uint64_t(0) - uint64_t(v);
    } else {
        t = uint64_t(v);
    }
    while (t) {
        t /= 10;
        ++n;
    }
    return n;
}

} // namespace

HistogramShape HistogramShape::log() {
    HistogramShape s;
    s.kind = Kind::Log;
    s.buckets = kLogBuckets;
    return s;
}

HistogramShape HistogramShape::linear(int64_t start, int64_t stop, int64_t interval) {
    HistogramShape s;
    s.kind = Kind::Linear;
    s.start = start;
    s.stop = stop;
    s.interval = interval;
    if (interval <= 0)
        return s;
    int64_t buckets = (stop - start) / interval + 3;
    if (buckets > kMaxBuckets || buckets < 3)
        return s;
    s.buckets = int(buckets);
    return s;
}

int logBucketOf(int64_t value) {
    if (value == 0)
        return kLogBucketZero;
    bool negative = value < 0;
    uint64_t v = negative ? uint64_t(0) - uint64_t(value) : uint64_t(value);
    int bits = 64 - __builtin_clzll(v); // position of the highest set bit, 1-based
    int bucket = kLogBucketZero + bits;
    if (negative)
        bucket = kLogBuckets - bucket;
    return std::min(bucket, kLogBuckets - 1);
}

int64_t logBucketValue(int bucket) {
    if (bucket == kLogBucketZero)
        return 0;
    if (bucket < kLogBucketZero)
        return int64_t(uint64_t(0x8000000000000000ULL)) >> bucket;
    return int64_t(1) << (bucket - kLogBucketZero - 1);
}

void Statistic::merge(const Statistic& other) {
    if (!other.count_)
        return;
    if (!count_) {
        *this = other;
        return;
    }
    count_ += other.count_;
    sum_ += other.sum_;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
    sumSquares_ += other.sumSquares_;
    if (histogram_.size() < other.histogram_.size())
        histogram_.resize(other.histogram_.size(), 0);
    for (size_t i = 0; i < other.histogram_.size(); ++i)
        histogram_[i] += other.histogram_[i];
}

void Statistic::add(int64_t value, const HistogramShape& shape, int /*varianceShift*/) {
    if (count_ == 0) {
        count_ = 1;
        sum_ = min_ = max_ = value;
    } else {
        ++count_;
        sum_ = int64_t(uint64_t(sum_) + uint64_t(value));
        max_ = std::max(max_, value);
        min_ = std::min(min_, value);
    }
    sumSquares_ += __int128(value) * value;
    if (shape.kind == HistogramShape::Kind::None || shape.buckets == 0)
        return;
    if (histogram_.size() != size_t(shape.buckets))
        histogram_.assign(size_t(shape.buckets), 0);
    int index;
    if (shape.kind == HistogramShape::Kind::Log) {
        index = std::min(logBucketOf(value), shape.buckets - 1);
    } else {
        int64_t v = value - shape.start;
        int64_t b = v < 0 ? 0 : v / shape.interval + 1;
        index = int(std::min<int64_t>(b, shape.buckets - 1));
    }
    ++histogram_[size_t(index)];
}

// The sample variance, exact: stap's running (Welford) update divides in
// integers at every sample and drifts (0..9 gives 48 instead of 9), so this
// computes (n*sum(x^2) - sum(x)^2) / (n*(n-1)) directly. The shift argument
// of @variance only set stap's fixed-point precision; exact arithmetic
// needs none.
int64_t Statistic::variance(int) const {
    if (count_ < 2)
        return 0;
    __int128 n = count_;
    __int128 numerator = n * sumSquares_ - __int128(sum_) * sum_;
    return int64_t(numerator / (n * (n - 1)));
}

std::string Statistic::histogramJsonFields(const HistogramShape& shape) const {
    bool linear = shape.kind == HistogramShape::Kind::Linear;
    std::string out = std::string("\"kind\":\"") + (linear ? "linear" : "log") + "\",\"buckets\":[";
    // Linear buckets 0 and buckets-1 are the under- and overflow, reported apart.
    int first = linear ? 1 : 0, last = shape.buckets - (linear ? 2 : 1);
    int low = -1, high = -1;
    for (int i = first; i <= last; ++i)
        if (bucket(i) > 0) {
            low = low < 0 ? i : low;
            high = i;
        }
    for (int i = low; low >= 0 && i <= high; ++i) {
        int64_t from, to;
        if (linear) {
            from = shape.start + int64_t(i - 1) * shape.interval;
            to = from + shape.interval - 1;
        } else {
            // log2 buckets: 0, then [2^k, 2^(k+1)-1] and their negatives
            int64_t v = logBucketValue(i);
            from = v > 0 ? v : v < 0 ? 2 * v + 1 : 0;
            to = v > 0 ? 2 * v - 1 : v;
        }
        out += (i == low ? "[" : ",[") + std::to_string(from) + "," + std::to_string(to) + "," +
               std::to_string(bucket(i)) + "]";
    }
    out += "]";
    if (linear)
        out += ",\"underflow\":" + std::to_string(bucket(0)) + ",\"overflow\":" + std::to_string(bucket(shape.buckets - 1));
    return out;
}

std::string Statistic::histogramText(const HistogramShape& shape, int64_t elision) const {
    std::string out;
    char buf[128];
    if (shape.kind == HistogramShape::Kind::None || shape.buckets == 0)
        return out;
    std::vector<int64_t> h = histogram_;
    h.resize(size_t(shape.buckets), 0);
    const int buckets = shape.buckets;
    int low = -1, high = 0;
    int64_t valmax = 0;
    for (int i = 0; i < buckets; ++i) {
        if (h[size_t(i)] > 0 && low == -1)
            low = i;
        if (h[size_t(i)] > 0)
            high = i;
        valmax = std::max(valmax, h[size_t(i)]);
    }
    bool linear = shape.kind == HistogramShape::Kind::Linear;
    // Show up to two empty buckets either side of the data.
    for (int i = 0; i < 2; ++i) {
        if (!linear) {
            if (low != kLogBucketZero && low > 0)
                --low;
        } else if (low > 0) {
            --low;
        }
        if (high < buckets - 1)
            ++high;
    }
    bool under = false, over = false;
    if (linear) {
        if (low == 0 && h[0] == 0)
            ++low;
        if (high == buckets - 1 && h[size_t(high)] == 0)
            --high;
        under = low == 0;
        over = high == buckets - 1;
    }
    int64_t scale = valmax <= kHistWidth ? 1 : (valmax + kHistWidth - 1) / kHistWidth;
    int cntSpace = digitsOf(valmax);
    int valSpace;
    if (linear)
        valSpace = std::max(digitsOf(shape.start) + int(under),
                            digitsOf(shape.start + shape.interval * high) + int(over));
    else
        valSpace = std::max(digitsOf(logBucketValue(high)), digitsOf(logBucketValue(low)));
    valSpace = std::max(valSpace, 5);

    std::snprintf(buf, sizeof buf, "%*s |", valSpace, "value");
    out += buf;
    out.append(kHistWidth, '-');
    out += " count\n";
    bool eliding = false;
    for (int i = low; i <= high; ++i) {
        if (elision >= 0) {
            int maxElide = int(std::min<int64_t>(elision, buckets));
            int from = std::max(low, i - maxElide), to = std::min(high, i + maxElide);
            bool elide = true;
            for (int k = from; k <= to; ++k)
                if (h[size_t(k)] != 0)
                    elide = false;
            if (elide) {
                eliding = true;
                continue;
            }
            if (eliding) {
                std::snprintf(buf, sizeof buf, "%*s ~\n", valSpace, "");
                out += buf;
                eliding = false;
            }
        }
        const char* prefix = "";
        int64_t val;
        if (linear) {
            if (i == 0) {
                val = shape.start;
                prefix = "<";
            } else if (i == buckets - 1) {
                val = shape.start + int64_t(i - 2) * shape.interval;
                prefix = ">";
            } else {
                val = shape.start + int64_t(i - 1) * shape.interval;
            }
        } else {
            val = logBucketValue(i);
        }
        std::snprintf(buf, sizeof buf, "%*s%lld |", valSpace - digitsOf(val), prefix, (long long)val);
        out += buf;
        int64_t bar = h[size_t(i)] / scale;
        out.append(size_t(bar), '@');
        std::snprintf(buf, sizeof buf, "%*lld\n", int(kHistWidth - bar + 1 + cntSpace),
                      (long long)h[size_t(i)]);
        out += buf;
    }
    out += "\n";
    return out;
}

} // namespace tap::rt
