#include "flame_view.h"

#include "flame_colors.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace tapgraphs {

namespace {
constexpr int kRowHeight = 17;
constexpr int kMargin = 2;
} // namespace

FlameView::FlameView(QWidget* parent) : QWidget(parent) {
    setObjectName("FlameView");
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    tree_ = std::make_shared<FlameTree>();
}

void FlameView::setTree(std::shared_ptr<const FlameTree> tree) {
    // The zoom follows the same frames in the new tree.
    QStringList zoomPath = tree_ ? tree_->path(focus_) : QStringList();
    tree_ = tree ? std::move(tree) : std::make_shared<FlameTree>();
    int focus = tree_->findPath(zoomPath);
    focus_ = focus < 0 ? 0 : focus;
    baseTotals_.clear();
    largestDelta_ = 0;
    setSearch(search_);
    relayout();
}

void FlameView::setOrientation(Orientation o) {
    orientation_ = o;
    update();
}

void FlameView::setBaseline(const QVector<double>& baseTotals) {
    baseTotals_ = baseTotals.size() == tree_->size() ? baseTotals : QVector<double>();
    largestDelta_ = 0;
    for (int id = 0; id < baseTotals_.size(); ++id)
        largestDelta_ = std::max(largestDelta_, std::abs(tree_->node(id).total - baseTotals_[id]));
    update();
}

void FlameView::zoomTo(int node) {
    if (node < 0 || node >= tree_->size()) return;
    focus_ = node;
    relayout();
    emit zoomed(node);
}

void FlameView::reset() {
    zoomTo(0);
}

void FlameView::setSearch(const QString& text) {
    search_ = text;
    matched_ = tree_->matches(text);
    double share = tree_->matchedShare(matched_);
    bool changed = share != share_;
    share_ = share;
    update();
    if (changed) emit searchShareChanged(share_);
}

void FlameView::relayout() {
    boxes_ = tree_->layout(focus_, 1.0 / std::max(1, width() - 2 * kMargin));
    updateGeometry();
    update();
}

void FlameView::resizeEvent(QResizeEvent*) {
    relayout();
}

QRectF FlameView::rectOf(const FlameTree::Box& b) const {
    const double w = width() - 2 * kMargin;
    double y = orientation_ == Orientation::Icicle
                   ? kMargin + b.depth * kRowHeight
                   : height() - kMargin - (b.depth + 1) * kRowHeight;
    return QRectF(kMargin + b.x0 * w, y, (b.x1 - b.x0) * w, kRowHeight - 1);
}

QRect FlameView::boxRect(int node) const {
    for (const FlameTree::Box& b : boxes_)
        if (b.node == node) return rectOf(b).toAlignedRect();
    return {};
}

int FlameView::nodeAt(const QPoint& pos) const {
    for (const FlameTree::Box& b : boxes_)
        if (rectOf(b).contains(pos)) return b.node;
    return -1;
}

QColor FlameView::colorOf(int node) const {
    if (matched_.value(node)) return searchColor();
    if (!baseTotals_.isEmpty())
        return differentialColor(tree_->node(node).total - baseTotals_[node], largestDelta_);
    return frameColor(*tree_, node);
}

void FlameView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (tree_->total() <= 0) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No stacks yet"));
        return;
    }
    QFontMetrics fm(font());
    for (const FlameTree::Box& b : boxes_) {
        QRectF r = rectOf(b);
        // An ancestor of the zoomed frame is drawn paler: it is wider than its share.
        bool ancestor = b.node != focus_ && b.depth < tree_->node(focus_).depth;
        QColor fill = colorOf(b.node);
        if (ancestor) fill = fill.lighter(125);
        p.fillRect(r.adjusted(0, 0, -0.5, 0), fill);
        if (r.width() < 3 * fm.averageCharWidth()) continue;
        // Frame colours are light in both themes: their text is always dark.
        p.setPen(matched_.value(b.node) ? Qt::white : QColor(20, 20, 20));
        QString text = fm.elidedText(tree_->name(b.node), Qt::ElideRight, int(r.width()) - 6);
        p.drawText(r.adjusted(3, 0, -3, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
    }
}

void FlameView::mouseReleaseEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton) return;
    int node = nodeAt(e->position().toPoint());
    if (node >= 0) zoomTo(node == focus_ ? std::max(0, tree_->node(node).parent) : node);
}

QString FlameView::toolTipFor(int node) const {
    const FlameNode& n = tree_->node(node);
    const double all = tree_->total(), zoomed = tree_->node(focus_).total;
    QString tip = QString("<b>%1</b>").arg(tree_->name(node).toHtmlEscaped());
    if (const Frame* f = tree_->frameOf(node); f && !f->module.isEmpty())
        tip += QString("<br>%1").arg(f->module.toHtmlEscaped());
    tip += tr("<br>%1 samples, %2% of all")
               .arg(valueText(n.total))
               .arg(all > 0 ? 100 * n.total / all : 0, 0, 'f', 2);
    if (focus_ != 0)
        tip +=
            tr(", %1% of the zoomed frame").arg(zoomed > 0 ? 100 * n.total / zoomed : 0, 0, 'f', 2);
    if (n.self > 0) tip += tr("<br>%1 in the function itself").arg(valueText(n.self));
    if (!baseTotals_.isEmpty()) {
        double delta = n.total - baseTotals_[node];
        tip += tr("<br>%1%2 against the baseline (%3)")
                   .arg(delta > 0 ? "+" : "", valueText(delta), valueText(baseTotals_[node]));
    }
    return tip;
}

bool FlameView::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        int node = nodeAt(help->pos());
        if (node >= 0)
            QToolTip::showText(help->globalPos(), toolTipFor(node), this, boxRect(node));
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(e);
}

QSize FlameView::sizeHint() const {
    int rows = 0;
    for (const FlameTree::Box& b : boxes_)
        rows = std::max(rows, b.depth + 1);
    return QSize(800, std::max(8, rows) * kRowHeight + 2 * kMargin);
}

QSize FlameView::minimumSizeHint() const {
    return QSize(200, 4 * kRowHeight);
}

} // namespace tapgraphs
