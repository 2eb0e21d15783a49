#include "flame_colors.h"

#include <QHash>

#include <algorithm>
#include <cmath>

namespace tapgraphs {

QColor kindColor(FrameKind kind, const QString& name) {
    const double vary = double(qHash(name) % 1000) / 1000.0;
    switch (kind) {
    case FrameKind::Kernel:
        return QColor::fromHsv(25 + int(vary * 12), 190, 235 - int(vary * 20));
    case FrameKind::Library:
        return QColor::fromHsv(50 + int(vary * 10), 170, 225 - int(vary * 20));
    case FrameKind::User:
        break;
    }
    return QColor::fromHsv(int(vary * 12), 170, 230 - int(vary * 20));
}

QColor frameColor(const FlameTree& tree, int node) {
    const Frame* f = tree.frameOf(node);
    return f ? kindColor(f->kind, f->name) : QColor(200, 200, 200);
}

QColor searchColor() {
    return QColor(230, 0, 230);
}

QColor differentialColor(double delta, double largest) {
    if (largest <= 0 || delta == 0) return QColor(235, 235, 235);
    int depth = int(std::round(200 * std::min(1.0, std::abs(delta) / largest)));
    return delta > 0 ? QColor(255, 235 - depth, 235 - depth)
                     : QColor(235 - depth, 235 - depth, 255);
}

} // namespace tapgraphs
