// A FlameTree as a tree table (hotspot's top-down and bottom-up views):
// one row per node, its children the largest first, with the node's total
// and self samples and its share of all. Rows are made as the view asks for
// them, so a tree of 100,000 stacks costs nothing until it is expanded.
#pragma once

#include "flame_tree.h"

#include <QAbstractItemModel>

#include <memory>

namespace tapgraphs {

class FlameTreeModel : public QAbstractItemModel {
    Q_OBJECT
  public:
    enum Column { Function, Total, Self, Percent, ColumnCount };
    explicit FlameTreeModel(QObject* parent = nullptr);

    void setTree(std::shared_ptr<const FlameTree> tree);
    int nodeOf(const QModelIndex& index) const; // 0 (the root) for an invalid index
    QModelIndex indexOfNode(int node) const;    // invalid for the root
    const FlameTree& tree() const { return *tree_; }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  private:
    const QVector<int>& childrenOf(int node) const; // by total, largest first
    std::shared_ptr<const FlameTree> tree_;
    mutable QHash<int, QVector<int>> sorted_;
};

} // namespace tapgraphs
