#include "heat_map_view.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <cmath>

namespace tapgraphs {

namespace {
constexpr int kBottom = 24, kTop = 6, kRight = 8;

QString seconds(qint64 ns) {
    return QString::number(double(ns) / 1e9, 'f', ns % 1000000000 ? 1 : 0) + " s";
}
} // namespace

HeatMapView::HeatMapView(QWidget* parent) : QWidget(parent) {
    setObjectName("HeatMapView");
    setMouseTracking(true);
}

void HeatMapView::setGrid(const HeatGrid& grid) {
    grid_ = grid;
    update();
}

void HeatMapView::setLogColors(bool log) {
    logColors_ = log;
    update();
}

void HeatMapView::setUnit(const QString& unit) {
    unit_ = unit;
    update();
}

QColor HeatMapView::colorOf(double count) const {
    if (count <= 0 || grid_.maxCount <= 0) return palette().color(QPalette::Base);
    double t = logColors_ ? std::log1p(count) / std::log1p(grid_.maxCount) : count / grid_.maxCount;
    t = std::clamp(t, 0.0, 1.0);
    // Pale yellow for one event up to dark red for the most: light enough
    // against a dark window, dark enough against a light one.
    return QColor::fromHsvF(float((1 - t) * 55 / 360.0), float(0.25 + 0.75 * t),
                            float(1 - 0.45 * t));
}

int HeatMapView::leftMargin() const {
    // Wide enough for the widest bucket's range (the top one), and the unit.
    QFontMetrics fm(font());
    int widest = fm.horizontalAdvance(unit_);
    if (grid_.buckets > 0)
        widest = std::max(
            widest, fm.horizontalAdvance(grid_.scale.label(grid_.firstBucket + grid_.buckets - 1)));
    return std::max(60, widest + 12);
}

QRect HeatMapView::plotArea() const {
    return rect().adjusted(leftMargin(), kTop, -kRight, -kBottom);
}

QRect HeatMapView::cellRect(int column, int row) const {
    if (grid_.columns <= 0 || grid_.buckets <= 0) return {};
    QRect area = plotArea();
    double w = double(area.width()) / grid_.columns, h = double(area.height()) / grid_.buckets;
    int x0 = area.left() + int(std::round(column * w)),
        x1 = area.left() + int(std::round((column + 1) * w));
    int y1 = area.bottom() + 1 - int(std::round(row * h)),
        y0 = area.bottom() + 1 - int(std::round((row + 1) * h));
    return QRect(QPoint(x0, y0), QPoint(x1 - 1, y1 - 1));
}

bool HeatMapView::cellAt(const QPoint& pos, int* column, int* row) const {
    QRect area = plotArea();
    if (!area.contains(pos) || grid_.columns <= 0 || grid_.buckets <= 0) return false;
    *column = std::min(grid_.columns - 1,
                       int(double(pos.x() - area.left()) * grid_.columns / area.width()));
    *row = std::min(grid_.buckets - 1,
                    int(double(area.bottom() - pos.y()) * grid_.buckets / area.height()));
    return true;
}

QString HeatMapView::toolTipFor(int column, int row) const {
    qint64 from = grid_.columnStart(column);
    QString range = grid_.scale.label(grid_.firstBucket + row);
    return tr("%1 – %2<br>latency %3%4<br><b>%5</b> events")
        .arg(seconds(from), seconds(from + grid_.columnNs), range,
             unit_.isEmpty() ? QString() : " " + unit_)
        .arg(grid_.count(column, row));
}

void HeatMapView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    QRect area = plotArea();
    p.fillRect(area, palette().base());
    if (grid_.columns <= 0 || grid_.buckets <= 0) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(area, Qt::AlignCenter, tr("No events yet"));
        return;
    }
    for (int c = 0; c < grid_.columns; ++c)
        for (int r = 0; r < grid_.buckets; ++r)
            if (double n = grid_.count(c, r); n > 0) p.fillRect(cellRect(c, r), colorOf(n));
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(area.adjusted(0, 0, -1, -1));
    // Axis labels: as many bucket ranges as fit, and the time of a few columns.
    p.setPen(palette().color(QPalette::WindowText));
    QFontMetrics fm(font());
    int every = std::max(
        1, int(std::ceil(double(fm.height()) * grid_.buckets / std::max(1, area.height()))));
    const int left = area.left();
    for (int r = 0; r < grid_.buckets; r += every) {
        QRect cell = cellRect(0, r);
        QRect label(0, cell.center().y() - fm.height() / 2, left - 6, fm.height());
        p.drawText(label, Qt::AlignRight | Qt::AlignVCenter,
                   grid_.scale.label(grid_.firstBucket + r));
    }
    if (!unit_.isEmpty())
        p.drawText(QRect(0, 0, left - 6, kTop + fm.height()), Qt::AlignRight, unit_);
    int labelWidth = fm.horizontalAdvance("000.0 s") + 12;
    int columnsPerLabel =
        std::max(1, int(std::ceil(double(labelWidth) * grid_.columns / std::max(1, area.width()))));
    for (int c = 0; c < grid_.columns; c += columnsPerLabel) {
        QRect cell = cellRect(c, 0);
        p.drawText(QRect(cell.left(), area.bottom() + 4, labelWidth, fm.height()), Qt::AlignLeft,
                   seconds(grid_.columnStart(c)));
    }
}

void HeatMapView::mouseReleaseEvent(QMouseEvent* e) {
    int column, row;
    if (e->button() == Qt::LeftButton && cellAt(e->position().toPoint(), &column, &row))
        emit cellClicked(column, row);
}

bool HeatMapView::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        int column, row;
        if (cellAt(help->pos(), &column, &row))
            QToolTip::showText(help->globalPos(), toolTipFor(column, row), this,
                               cellRect(column, row));
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(e);
}

} // namespace tapgraphs
