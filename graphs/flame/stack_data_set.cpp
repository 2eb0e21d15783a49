#include "stack_data_set.h"

#include <QMutexLocker>

#include <algorithm>

namespace tapgraphs {

StackDataSet::StackDataSet(const QString& name, int capacity)
    : name_(name), capacity_(std::max(1, capacity)) {}

int StackDataSet::capacity() const {
    QMutexLocker l(&lock_);
    return capacity_;
}

void StackDataSet::setCapacity(int capacity) {
    QMutexLocker l(&lock_);
    std::vector<StackSample> rows;
    rows.reserve(size_t(size_));
    for (int r = 0; r < size_; ++r)
        rows.push_back(std::move(ring_[size_t((head_ + r) % capacity_)]));
    capacity_ = std::max(1, capacity);
    int first = std::max(0, size_ - capacity_);
    dropped_ += first;
    ring_.assign(std::make_move_iterator(rows.begin() + first),
                 std::make_move_iterator(rows.end()));
    head_ = 0;
    size_ = int(ring_.size());
}

void StackDataSet::push(StackSample sample) {
    ++received_;
    if (size_ < capacity_) {
        if (ring_.size() < size_t(capacity_)) // grows as rows come, up to the capacity
            ring_.push_back(std::move(sample));
        else
            ring_[size_t((head_ + size_) % capacity_)] = std::move(sample);
        ++size_;
        return;
    }
    ring_[size_t(head_)] = std::move(sample);
    head_ = (head_ + 1) % capacity_;
    ++dropped_;
}

void StackDataSet::appendRecord(qint64 ts, const QJsonArray& args, const QJsonArray& recordStacks,
                                const QHash<int, bool>& userArgs, double value) {
    QMutexLocker l(&lock_);
    push({ts, mergedStack(args, recordStacks, userArgs, frames_), value});
}

void StackDataSet::appendStack(qint64 ts, const QVector<Frame>& rootFirst, double value) {
    QMutexLocker l(&lock_);
    QVector<int> stack;
    stack.reserve(rootFirst.size());
    for (const Frame& f : rootFirst)
        stack.push_back(frames_.intern(f));
    push({ts, stack, value});
}

int StackDataSet::size() const {
    QMutexLocker l(&lock_);
    return size_;
}

qint64 StackDataSet::dropped() const {
    QMutexLocker l(&lock_);
    return dropped_;
}

qint64 StackDataSet::received() const {
    QMutexLocker l(&lock_);
    return received_;
}

qint64 StackDataSet::lastTime() const {
    QMutexLocker l(&lock_);
    return size_ ? ring_[size_t((head_ + size_ - 1) % capacity_)].time : 0;
}

StackSamples StackDataSet::snapshot(qint64 fromNs) const {
    QMutexLocker l(&lock_);
    auto at = [this](int row) -> const StackSample& {
        return ring_[size_t((head_ + row) % capacity_)];
    };
    int lo = 0, hi = size_; // the first row at or after fromNs (rows come in time order)
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (at(mid).time < fromNs)
            lo = mid + 1;
        else
            hi = mid;
    }
    StackSamples out;
    out.frames = frames_.frames();
    out.samples.reserve(size_ - lo);
    for (int r = lo; r < size_; ++r)
        out.samples.push_back(at(r));
    return out;
}

} // namespace tapgraphs
