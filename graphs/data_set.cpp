#include "data_set.h"

#include <QMutexLocker>

#include <algorithm>

namespace tapgraphs {

DataSet::DataSet(const QString& name, const QVector<Column>& columns, int capacity)
    : name_(name), columns_(columns), capacity_(std::max(1, capacity)) {
    time_.resize(size_t(capacity_));
    numbers_.resize(size_t(columns.size()));
    strings_.resize(size_t(columns.size()));
    for (int c = 0; c < columns.size(); ++c)
        columns[c].type == ColumnType::String ? strings_[c].resize(size_t(capacity_))
                                              : numbers_[c].resize(size_t(capacity_));
}

QVector<Column> DataSet::columns() const {
    QMutexLocker l(&lock_);
    return columns_;
}

void DataSet::renameColumn(int column, const QString& name) {
    QMutexLocker l(&lock_);
    if (column >= 0 && column < columns_.size()) columns_[column].name = name;
}

int DataSet::capacity() const {
    QMutexLocker l(&lock_);
    return capacity_;
}

void DataSet::setCapacity(int capacity) {
    Table keep = snapshot();
    QMutexLocker l(&lock_);
    capacity_ = std::max(1, capacity);
    int first = std::max(0, keep.rowCount() - capacity_);
    dropped_ += first;
    time_.assign(size_t(capacity_), 0);
    for (int c = 0; c < columns_.size(); ++c) {
        if (columns_[c].type == ColumnType::String)
            strings_[c].assign(size_t(capacity_), {});
        else
            numbers_[c].assign(size_t(capacity_), 0);
    }
    head_ = 0;
    size_ = keep.rowCount() - first;
    for (int r = 0; r < size_; ++r) {
        time_[r] = keep.time[first + r];
        for (int c = 0; c < columns_.size(); ++c) {
            if (columns_[c].type == ColumnType::String)
                strings_[c][r] = keep.strings[c][first + r];
            else
                numbers_[c][r] = keep.numbers[c][first + r];
        }
    }
}

void DataSet::pushSlot(qint64 ts) {
    ++received_;
    if (size_ == capacity_) {
        writeSlot_ = int(head_);
        head_ = (head_ + 1) % capacity_;
        ++dropped_;
    } else {
        writeSlot_ = slotOf(size_);
        ++size_;
    }
    time_[size_t(writeSlot_)] = ts;
}

void DataSet::appendArgs(qint64 ts, const QJsonArray& args) {
    QMutexLocker l(&lock_);
    pushSlot(ts);
    for (int c = 0; c < columns_.size(); ++c) {
        QJsonValue v = c < args.size() ? args[c] : QJsonValue();
        if (columns_[c].type == ColumnType::String)
            strings_[c][writeSlot_] = v.isString() ? v.toString() : v.toVariant().toString();
        else
            numbers_[c][writeSlot_] = v.isString() ? v.toString().toDouble() : v.toDouble();
    }
}

void DataSet::appendTexts(qint64 ts, const QStringList& values) {
    QMutexLocker l(&lock_);
    pushSlot(ts);
    for (int c = 0; c < columns_.size(); ++c) {
        if (columns_[c].type == ColumnType::String)
            strings_[c][writeSlot_] = values.value(c);
        else
            numbers_[c][writeSlot_] = values.value(c).toDouble();
    }
}

void DataSet::replaceRows(const Table& rows) {
    QMutexLocker l(&lock_);
    head_ = 0;
    size_ = 0;
    for (int r = 0; r < rows.rowCount(); ++r) {
        pushSlot(rows.time[r]);
        for (int c = 0; c < columns_.size() && c < rows.columns.size(); ++c) {
            if (columns_[c].type == ColumnType::String)
                strings_[c][writeSlot_] = rows.text(c, r);
            else
                numbers_[c][writeSlot_] = rows.number(c, r);
        }
    }
}

int DataSet::size() const {
    QMutexLocker l(&lock_);
    return size_;
}

qint64 DataSet::dropped() const {
    QMutexLocker l(&lock_);
    return dropped_;
}

qint64 DataSet::received() const {
    QMutexLocker l(&lock_);
    return received_;
}

qint64 DataSet::lastTime() const {
    QMutexLocker l(&lock_);
    return size_ ? time_[size_t(slotOf(size_ - 1))] : 0;
}

Table DataSet::snapshot(qint64 fromNs) const {
    QMutexLocker l(&lock_);
    int lo = 0, hi = size_; // first row with time >= fromNs
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (time_[size_t(slotOf(mid))] < fromNs)
            lo = mid + 1;
        else
            hi = mid;
    }
    const int first = lo, count = size_ - lo;
    Table t;
    t.columns = columns_;
    t.time.resize(count);
    t.numbers.resize(columns_.size());
    t.strings.resize(columns_.size());
    for (int c = 0; c < columns_.size(); ++c)
        columns_[c].type == ColumnType::String ? t.strings[c].resize(count)
                                               : t.numbers[c].resize(count);
    for (int r = 0; r < count; ++r) {
        int s = slotOf(first + r);
        t.time[r] = time_[size_t(s)];
        for (int c = 0; c < columns_.size(); ++c) {
            if (columns_[c].type == ColumnType::String)
                t.strings[c][r] = strings_[c][size_t(s)];
            else
                t.numbers[c][r] = numbers_[c][size_t(s)];
        }
    }
    return t;
}

} // namespace tapgraphs
