// The tree a flame graph draws: stacks merged by common prefix, each node a
// frame with the value of the samples through it (total) and ending in it
// (self). Node 0 is the root ("all"). Children are ordered by name, as
// FlameGraph orders them, so a live tree keeps its shape as values change.
// Also what the views ask of it: the boxes to draw when zoomed into a node,
// the share of frames that match a search, and the same tree against a
// baseline (differential flame graphs).
#pragma once

#include "stack_samples.h"

#include <QStringList>

namespace tapgraphs {

struct FlameNode {
    int frame = -1; // into frames(); -1 for the root
    int parent = -1;
    int depth = 0; // the root's is 0
    double total = 0, self = 0;
    QVector<int> children; // ordered by name
};

class FlameTree {
  public:
    FlameTree();
    // `invert`: innermost frame first (a bottom-up tree: roots are where
    // time is spent, their children the callers).
    static FlameTree build(const StackSamples& samples, bool invert = false);

    void add(const QVector<int>& rootFirstStack, double value); // frame ids of frames()
    void setFrames(const QVector<Frame>& frames) { frames_ = frames; }
    const QVector<Frame>& frames() const { return frames_; }

    int size() const { return int(nodes_.size()); }
    const FlameNode& node(int id) const { return nodes_[id]; }
    double total() const { return nodes_[0].total; }
    QString name(int id) const; // "all" for the root
    const Frame* frameOf(int id) const { return id > 0 ? &frames_[nodes_[id].frame] : nullptr; }
    QStringList path(int id) const;               // names from below the root down to the node
    int depth() const;                            // the deepest node's
    int findPath(const QStringList& names) const; // -1 when no such node

    // What to draw with `focus` zoomed to the full width: its ancestors full
    // width too, its subtree in proportion; boxes narrower than minWidth
    // (a fraction of the width) are left out with their subtrees.
    struct Box {
        int node;
        double x0, x1; // fractions of the width
        int depth;
    };
    QVector<Box> layout(int focus, double minWidth) const;

    // Nodes whose name contains `text` (case-insensitive), and their share
    // of all samples: matching nodes under a matching node count once.
    QVector<bool> matches(const QString& text) const;
    double matchedShare(const QVector<bool>& matched) const;

    // Per node, the total of the node at the same path in `base` (0 where
    // base has none): a differential view colours by total - base.
    QVector<double> baseTotals(const FlameTree& base) const;

  private:
    int child(int parent, int frame); // found or added
    QVector<FlameNode> nodes_;
    QVector<Frame> frames_;
    QHash<quint64, int> childOf_; // parent << 32 | frame
};

} // namespace tapgraphs
