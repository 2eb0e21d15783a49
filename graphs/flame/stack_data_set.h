// A "stacks" data set: one row per printf record of a format that prints
// stacks (docs/protocol.md, "Stacks travel as frames"): the record's stacks
// merged into one root-first stack, and its value (the record's last
// number: samples, or time blocked). The newest `capacity` rows are kept in
// a ring; rows arrive on the session's reader thread and the flame graph
// snapshots them from another, so every access takes the set's lock.
#pragma once

#include "stack_samples.h"

#include <QMutex>

#include <limits>
#include <vector>

namespace tapgraphs {

class StackDataSet {
  public:
    StackDataSet(const QString& name, int capacity);

    QString name() const { return name_; }
    int capacity() const;
    void setCapacity(int capacity); // keeps the newest rows that fit

    // A printf record's arguments and stacks (see mergedStack).
    void appendRecord(qint64 ts, const QJsonArray& args, const QJsonArray& recordStacks,
                      const QHash<int, bool>& userArgs, double value);
    void appendStack(qint64 ts, const QVector<Frame>& rootFirst, double value);

    int size() const;
    qint64 dropped() const;
    qint64 received() const;
    qint64 lastTime() const; // of the newest row, 0 when empty
    // The rows at or after fromNs, oldest first.
    StackSamples snapshot(qint64 fromNs = std::numeric_limits<qint64>::min()) const;

  private:
    void push(StackSample sample); // under the lock

    mutable QMutex lock_;
    QString name_;
    int capacity_;
    FrameTable frames_;
    std::vector<StackSample> ring_;
    qint64 head_ = 0; // index of the oldest row
    int size_ = 0;
    qint64 dropped_ = 0, received_ = 0;
};

} // namespace tapgraphs
