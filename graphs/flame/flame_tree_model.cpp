#include "flame_tree_model.h"

#include "flame_colors.h"

#include <algorithm>

namespace tapgraphs {

FlameTreeModel::FlameTreeModel(QObject* parent)
    : QAbstractItemModel(parent), tree_(std::make_shared<FlameTree>()) {}

void FlameTreeModel::setTree(std::shared_ptr<const FlameTree> tree) {
    beginResetModel();
    tree_ = tree ? std::move(tree) : std::make_shared<FlameTree>();
    sorted_.clear();
    endResetModel();
}

const QVector<int>& FlameTreeModel::childrenOf(int node) const {
    auto it = sorted_.find(node);
    if (it != sorted_.end()) return *it;
    QVector<int> children = tree_->node(node).children;
    std::stable_sort(children.begin(), children.end(),
                     [this](int a, int b) { return tree_->node(a).total > tree_->node(b).total; });
    return *sorted_.insert(node, children);
}

int FlameTreeModel::nodeOf(const QModelIndex& index) const {
    return index.isValid() ? int(index.internalId()) : 0;
}

QModelIndex FlameTreeModel::indexOfNode(int node) const {
    if (node <= 0 || node >= tree_->size()) return {};
    const QVector<int>& siblings = childrenOf(tree_->node(node).parent);
    return createIndex(int(siblings.indexOf(node)), 0, quintptr(node));
}

QModelIndex FlameTreeModel::index(int row, int column, const QModelIndex& parent) const {
    const QVector<int>& children = childrenOf(nodeOf(parent));
    if (row < 0 || row >= children.size() || column < 0 || column >= ColumnCount) return {};
    return createIndex(row, column, quintptr(children[row]));
}

QModelIndex FlameTreeModel::parent(const QModelIndex& child) const {
    int node = nodeOf(child);
    return indexOfNode(node > 0 ? tree_->node(node).parent : 0);
}

int FlameTreeModel::rowCount(const QModelIndex& parent) const {
    if (parent.column() > 0) return 0;
    return int(tree_->node(nodeOf(parent)).children.size());
}

int FlameTreeModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

QVariant FlameTreeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return {};
    int node = nodeOf(index);
    const FlameNode& n = tree_->node(node);
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Function:
            return tree_->name(node);
        case Total:
            return valueText(n.total);
        case Self:
            return valueText(n.self);
        case Percent:
            return tree_->total() > 0
                       ? QString::number(100 * n.total / tree_->total(), 'f', 2) + " %"
                       : QString();
        }
    }
    if (role == Qt::DecorationRole && index.column() == Function) return frameColor(*tree_, node);
    if (role == Qt::ToolTipRole && index.column() == Function)
        if (const Frame* f = tree_->frameOf(node)) return f->module;
    if (role == Qt::TextAlignmentRole && index.column() != Function)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant FlameTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Function:
        return tr("Function");
    case Total:
        return tr("Total");
    case Self:
        return tr("Self");
    case Percent:
        return tr("Of all");
    }
    return {};
}

} // namespace tapgraphs
