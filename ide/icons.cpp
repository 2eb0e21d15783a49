#include "icons.h"

#include <QPainter>
#include <QPainterPath>

#include <functional>

namespace tapide::icons {

namespace {

using Painter = std::function<void(QPainter&, qreal)>; // draws in a size x size box

QIcon painted(const Painter& paint) {
    QIcon icon;
    for (int size : {16, 22, 24, 32, 48, 64, 128}) {
        QPixmap pm(size, size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        paint(p, size);
        p.end();
        icon.addPixmap(pm);
    }
    return icon;
}

QIcon circleWith(const QColor& color, QChar glyph) {
    return painted([=](QPainter& p, qreal s) {
        p.setPen(Qt::NoPen);
        p.setBrush(color);
        p.drawEllipse(QRectF(s * 0.06, s * 0.06, s * 0.88, s * 0.88));
        QFont f = p.font();
        f.setBold(true);
        f.setPixelSize(int(s * 0.7));
        p.setFont(f);
        p.setPen(Qt::white);
        p.drawText(QRectF(0, 0, s, s), Qt::AlignCenter, glyph);
    });
}

} // namespace

QIcon app() {
    static QIcon icon = painted([](QPainter& p, qreal s) {
        // A blue rounded square with a probe "tap": a stylised waveform and a pin.
        QRectF r(s * 0.04, s * 0.04, s * 0.92, s * 0.92);
        QLinearGradient g(r.topLeft(), r.bottomRight());
        g.setColorAt(0, QColor("#2f7fd8"));
        g.setColorAt(1, QColor("#1b4f9c"));
        p.setPen(Qt::NoPen);
        p.setBrush(g);
        p.drawRoundedRect(r, s * 0.2, s * 0.2);
        QPainterPath wave;
        wave.moveTo(s * 0.14, s * 0.62);
        wave.lineTo(s * 0.32, s * 0.62);
        wave.lineTo(s * 0.42, s * 0.3);
        wave.lineTo(s * 0.54, s * 0.8);
        wave.lineTo(s * 0.64, s * 0.5);
        wave.lineTo(s * 0.86, s * 0.5);
        QPen pen(Qt::white, qMax(1.5, s * 0.08), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        p.drawPath(wave);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor("#ffcc33"));
        p.drawEllipse(QPointF(s * 0.42, s * 0.3), s * 0.08, s * 0.08);
    });
    return icon;
}

QIcon perspectiveIde() {
    static QIcon icon = painted([](QPainter& p, qreal s) {
        p.setPen(QPen(QColor("#3b6fb6"), qMax(1.2, s * 0.07)));
        p.setBrush(QColor("#f4f7fb"));
        p.drawRoundedRect(QRectF(s * 0.08, s * 0.12, s * 0.84, s * 0.76), s * 0.08, s * 0.08);
        QPen code(QColor("#3b6fb6"), qMax(1.2, s * 0.08), Qt::SolidLine, Qt::RoundCap);
        p.setPen(code);
        p.drawLine(QPointF(s * 0.22, s * 0.34), QPointF(s * 0.6, s * 0.34));
        p.drawLine(QPointF(s * 0.3, s * 0.5), QPointF(s * 0.74, s * 0.5));
        p.drawLine(QPointF(s * 0.3, s * 0.66), QPointF(s * 0.56, s * 0.66));
    });
    return icon;
}

QIcon perspectiveGraph() {
    static QIcon icon = painted([](QPainter& p, qreal s) {
        p.setPen(QPen(QColor("#555"), qMax(1.0, s * 0.06)));
        p.drawLine(QPointF(s * 0.12, s * 0.1), QPointF(s * 0.12, s * 0.88));
        p.drawLine(QPointF(s * 0.12, s * 0.88), QPointF(s * 0.92, s * 0.88));
        QPainterPath line;
        line.moveTo(s * 0.16, s * 0.72);
        line.lineTo(s * 0.36, s * 0.48);
        line.lineTo(s * 0.54, s * 0.6);
        line.lineTo(s * 0.86, s * 0.2);
        p.setPen(QPen(QColor("#2e9d57"), qMax(1.4, s * 0.09), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawPath(line);
    });
    return icon;
}

QIcon perspectiveDashboard() {
    static QIcon icon = painted([](QPainter& p, qreal s) {
        p.setPen(Qt::NoPen);
        QColor colors[] = {QColor("#e67e22"), QColor("#3b6fb6"), QColor("#2e9d57"), QColor("#8e44ad")};
        for (int i = 0; i < 4; ++i) {
            p.setBrush(colors[i]);
            qreal x = (i % 2) ? s * 0.54 : s * 0.08, y = (i / 2) ? s * 0.54 : s * 0.08;
            p.drawRoundedRect(QRectF(x, y, s * 0.38, s * 0.38), s * 0.06, s * 0.06);
        }
    });
    return icon;
}

QIcon run() {
    static QIcon icon = painted([](QPainter& p, qreal s) {
        QPainterPath tri;
        tri.moveTo(s * 0.24, s * 0.14);
        tri.lineTo(s * 0.86, s * 0.5);
        tri.lineTo(s * 0.24, s * 0.86);
        tri.closeSubpath();
        p.setPen(Qt::NoPen);
        p.setBrush(QColor("#2e9d57"));
        p.drawPath(tri);
    });
    return icon;
}

QIcon stop() {
    static QIcon icon = painted([](QPainter& p, qreal s) {
        p.setPen(Qt::NoPen);
        p.setBrush(QColor("#d13b2e"));
        p.drawRoundedRect(QRectF(s * 0.2, s * 0.2, s * 0.6, s * 0.6), s * 0.08, s * 0.08);
    });
    return icon;
}

QIcon error() {
    static QIcon icon = circleWith(QColor("#d93025"), QChar('!'));
    return icon;
}

QIcon warning() {
    static QIcon icon = painted([](QPainter& p, qreal s) {
        QPainterPath tri;
        tri.moveTo(s * 0.5, s * 0.06);
        tri.lineTo(s * 0.96, s * 0.9);
        tri.lineTo(s * 0.04, s * 0.9);
        tri.closeSubpath();
        p.setPen(Qt::NoPen);
        p.setBrush(QColor("#e8a317"));
        p.drawPath(tri);
        QFont f = p.font();
        f.setBold(true);
        f.setPixelSize(int(s * 0.6));
        p.setFont(f);
        p.setPen(Qt::white);
        p.drawText(QRectF(0, s * 0.18, s, s * 0.74), Qt::AlignCenter, "!");
    });
    return icon;
}

QIcon info() {
    static QIcon icon = circleWith(QColor("#3b6fb6"), QChar('i'));
    return icon;
}

QPixmap badge(QChar letter, const QColor& color, int size) {
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawRoundedRect(QRectF(1, 1, size - 2, size - 2), size * 0.22, size * 0.22);
    QFont f = p.font();
    f.setBold(true);
    f.setPixelSize(int(size * 0.68));
    p.setFont(f);
    p.setPen(Qt::white);
    p.drawText(QRectF(0, 0, size, size), Qt::AlignCenter, QString(letter));
    return pm;
}

} // namespace tapide::icons
