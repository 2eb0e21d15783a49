// Stack samples as the flame graph reads them: frames interned once (name,
// module, kind) and each sample a root-first list of frame ids with a value
// (samples, or time blocked). The stacks data set keeps them in a ring; a
// snapshot is a copy that trees are built from off the UI thread.
#pragma once

#include <QHash>
#include <QJsonArray>
#include <QString>
#include <QVector>

namespace tapgraphs {

// Colours tell these apart: the kernel's frames, the program's, its libraries'.
enum class FrameKind { Kernel, User, Library };

struct Frame {
    QString name;   // the function, or its address when no symbol holds it
    QString module; // "kernel", a kernel module, the program's or a library's path
    FrameKind kind = FrameKind::User;
};

// A user frame is a library's when its file is a shared object.
FrameKind userFrameKind(const QString& module);

class FrameTable {
  public:
    int intern(const Frame& frame); // the same id for the same name and module
    const Frame& frame(int id) const { return frames_[id]; }
    int size() const { return int(frames_.size()); }
    const QVector<Frame>& frames() const { return frames_; }

  private:
    QVector<Frame> frames_;
    QHash<QString, int> ids_; // module + '\x1f' + name
};

// A value as people read it: whole numbers in full (samples, microseconds).
QString valueText(double value);

struct StackSample {
    qint64 time = 0;    // ns since the session started
    QVector<int> stack; // frame ids, root (outermost) first
    double value = 0;
};

// What a tree is built from: the samples and the frames they name.
struct StackSamples {
    QVector<Frame> frames;
    QVector<StackSample> samples;
};

// A printf record's stacks (its "stacks" field, docs/protocol.md) merged
// into one root-first stack: the record's other strings first (a process
// name groups its stacks), then the user stack's outermost frame, down into
// the kernel's innermost. `userArgs` maps each stack argument to whether it
// is a user stack (from the formats record).
QVector<int> mergedStack(const QJsonArray& args, const QJsonArray& recordStacks,
                         const QHash<int, bool>& userArgs, FrameTable& frames);

} // namespace tapgraphs
