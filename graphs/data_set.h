// A data set: the last N rows (default 100,000) of one source, in a ring.
// Rows arrive on the session's reader thread and are read by chart updates
// on other threads, so every access takes the set's lock; a reader copies
// (snapshot) and works on the copy. Older rows are dropped and counted.
#pragma once

#include "data_table.h"

#include <QJsonArray>
#include <QMutex>
#include <QStringList>

#include <limits>
#include <vector>

namespace tapgraphs {

inline constexpr int kDefaultCapacity = 100000;

class DataSet {
  public:
    DataSet(const QString& name, const QVector<Column>& columns, int capacity = kDefaultCapacity);

    QString name() const { return name_; }
    QVector<Column> columns() const;
    void renameColumn(int column, const QString& name);
    int capacity() const;
    void setCapacity(int capacity); // keeps the newest rows that fit

    // One row from a printf record's typed arguments (missing values read 0/"").
    void appendArgs(qint64 ts, const QJsonArray& args);
    // One row from texts (regex captures): long columns parse the text.
    void appendTexts(qint64 ts, const QStringList& values);
    // Replaces every row (a histogram printed again is a new table).
    void replaceRows(const Table& rows);

    int size() const;
    qint64 dropped() const; // rows pushed out of the ring
    qint64 received() const;
    Table snapshot() const { return snapshot(std::numeric_limits<qint64>::min()); }
    // The rows at or after fromNs, oldest first (rows arrive in time order).
    Table snapshot(qint64 fromNs) const;
    qint64 lastTime() const; // of the newest row, 0 when empty

  private:
    void pushSlot(qint64 ts); // claims the slot of the next row (under the lock)
    int slotOf(int row) const { return int((head_ + row) % capacity_); }

    mutable QMutex lock_;
    QString name_;
    QVector<Column> columns_;
    int capacity_;
    qint64 head_ = 0; // slot of the oldest row
    int size_ = 0;
    qint64 dropped_ = 0, received_ = 0;
    int writeSlot_ = 0;
    std::vector<qint64> time_;
    std::vector<std::vector<double>> numbers_;
    std::vector<std::vector<QString>> strings_;
};

} // namespace tapgraphs
