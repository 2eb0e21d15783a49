#include "flame_tree.h"

#include <algorithm>
#include <functional>

namespace tapgraphs {

FlameTree::FlameTree() {
    nodes_.push_back(FlameNode{});
}

FlameTree FlameTree::build(const StackSamples& samples, bool invert) {
    FlameTree tree;
    tree.frames_ = samples.frames;
    QVector<int> reversed;
    for (const StackSample& s : samples.samples) {
        if (!invert) {
            tree.add(s.stack, s.value);
            continue;
        }
        reversed = QVector<int>(s.stack.rbegin(), s.stack.rend());
        tree.add(reversed, s.value);
    }
    return tree;
}

int FlameTree::child(int parent, int frame) {
    quint64 key = (quint64(quint32(parent)) << 32) | quint32(frame);
    auto it = childOf_.constFind(key);
    if (it != childOf_.constEnd()) return *it;
    int id = int(nodes_.size());
    FlameNode n;
    n.frame = frame;
    n.parent = parent;
    n.depth = nodes_[parent].depth + 1;
    nodes_.push_back(n);
    childOf_.insert(key, id);
    QVector<int>& siblings = nodes_[parent].children;
    auto at = std::lower_bound(siblings.begin(), siblings.end(), id, [this](int a, int b) {
        return frames_[nodes_[a].frame].name < frames_[nodes_[b].frame].name;
    });
    siblings.insert(at, id);
    return id;
}

void FlameTree::add(const QVector<int>& stack, double value) {
    int at = 0;
    nodes_[0].total += value;
    for (int frame : stack) {
        at = child(at, frame);
        nodes_[at].total += value;
    }
    nodes_[at].self += value;
}

QString FlameTree::name(int id) const {
    return id == 0 ? QStringLiteral("all") : frames_[nodes_[id].frame].name;
}

QStringList FlameTree::path(int id) const {
    QStringList out;
    for (; id > 0; id = nodes_[id].parent)
        out.prepend(name(id));
    return out;
}

int FlameTree::depth() const {
    int deepest = 0;
    for (const FlameNode& n : nodes_)
        deepest = std::max(deepest, n.depth);
    return deepest;
}

int FlameTree::findPath(const QStringList& names) const {
    int at = 0;
    for (const QString& wanted : names) {
        int next = -1;
        for (int c : nodes_[at].children)
            if (name(c) == wanted) next = c;
        if (next < 0) return -1;
        at = next;
    }
    return at;
}

QVector<FlameTree::Box> FlameTree::layout(int focus, double minWidth) const {
    QVector<Box> boxes;
    if (focus < 0 || focus >= size()) focus = 0;
    for (int a = nodes_[focus].parent; a >= 0; a = nodes_[a].parent)
        boxes.push_back({a, 0, 1, nodes_[a].depth});
    std::reverse(boxes.begin(), boxes.end());
    const double scale = nodes_[focus].total > 0 ? 1.0 / nodes_[focus].total : 0;
    std::function<void(int, double)> place = [&](int id, double x0) {
        double width = nodes_[id].total * scale;
        if (width < minWidth) return;
        boxes.push_back({id, x0, x0 + width, nodes_[id].depth});
        for (int c : nodes_[id].children) {
            place(c, x0);
            x0 += nodes_[c].total * scale;
        }
    };
    place(focus, 0);
    return boxes;
}

QVector<bool> FlameTree::matches(const QString& text) const {
    QVector<bool> out(size(), false);
    if (text.isEmpty()) return out;
    for (int id = 1; id < size(); ++id)
        out[id] = name(id).contains(text, Qt::CaseInsensitive);
    return out;
}

double FlameTree::matchedShare(const QVector<bool>& matched) const {
    if (total() <= 0) return 0;
    double sum = 0;
    for (int id = 1; id < size(); ++id) {
        if (!matched.value(id)) continue;
        bool under = false; // its samples are counted with a matching ancestor's
        for (int a = nodes_[id].parent; a > 0 && !under; a = nodes_[a].parent)
            under = matched.value(a);
        if (!under) sum += nodes_[id].total;
    }
    return sum / total();
}

QVector<double> FlameTree::baseTotals(const FlameTree& base) const {
    QVector<double> out(size(), 0);
    QVector<int> inBase(size(), -1); // the node at the same path in base
    inBase[0] = 0;
    out[0] = base.total();
    QHash<QString, int> baseChild; // base parent id + '\x1f' + module + '\x1f' + name
    for (int id = 1; id < base.size(); ++id) {
        const Frame& f = base.frames_[base.nodes_[id].frame];
        baseChild.insert(QString::number(base.nodes_[id].parent) + QChar(0x1f) + f.module +
                             QChar(0x1f) + f.name,
                         id);
    }
    for (int id = 1; id < size(); ++id) { // parents come before their children
        int parent = inBase[nodes_[id].parent];
        if (parent < 0) continue;
        const Frame& f = frames_[nodes_[id].frame];
        int match = baseChild.value(
            QString::number(parent) + QChar(0x1f) + f.module + QChar(0x1f) + f.name, -1);
        inBase[id] = match;
        if (match >= 0) out[id] = base.nodes_[match].total;
    }
    return out;
}

} // namespace tapgraphs
