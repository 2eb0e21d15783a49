// The flame graph (root at the bottom) or icicle (root at the top) of a
// FlameTree. Click a frame to zoom into it (its ancestors stay as full-width
// bars; click one of them, the root or reset() to zoom out); hover for its
// samples and percent; setSearch() highlights frames whose name contains
// the text and reports their share. A new tree (a live update) keeps the
// zoom and the search. With baseline totals set, frames are coloured red
// where they grew and blue where they shrank (a differential flame graph).
#pragma once

#include "flame_tree.h"

#include <QWidget>

#include <memory>

namespace tapgraphs {

class FlameView : public QWidget {
    Q_OBJECT
  public:
    enum class Orientation { Flame, Icicle };
    explicit FlameView(QWidget* parent = nullptr);

    void setTree(std::shared_ptr<const FlameTree> tree);
    std::shared_ptr<const FlameTree> tree() const { return tree_; }
    void setOrientation(Orientation o);
    Orientation orientation() const { return orientation_; }
    // Per node of the tree, the baseline's total at the same path (empty: no
    // differential colouring). Set after setTree, as it refers to its nodes.
    void setBaseline(const QVector<double>& baseTotals);
    bool differential() const { return !baseTotals_.isEmpty(); }

    void zoomTo(int node);
    void reset(); // zoom out to the root
    int focus() const { return focus_; }
    void setSearch(const QString& text);
    double searchShare() const { return share_; }
    QString searchText() const { return search_; }

    int nodeAt(const QPoint& pos) const; // -1 when no frame is there
    QString toolTipFor(int node) const;
    QRect boxRect(int node) const; // where a node is drawn (empty when it is not)

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  signals:
    void zoomed(int node);
    void searchShareChanged(double share);

  protected:
    void paintEvent(QPaintEvent*) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void resizeEvent(QResizeEvent*) override;
    bool event(QEvent* e) override;

  private:
    void relayout();
    QRectF rectOf(const FlameTree::Box& b) const;
    QColor colorOf(int node) const;

    std::shared_ptr<const FlameTree> tree_;
    Orientation orientation_ = Orientation::Flame;
    int focus_ = 0;
    QVector<FlameTree::Box> boxes_;
    QString search_;
    QVector<bool> matched_;
    double share_ = 0;
    QVector<double> baseTotals_;
    double largestDelta_ = 0;
};

} // namespace tapgraphs
