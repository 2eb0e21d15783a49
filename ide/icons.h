// The application's icons, painted with QPainter (no image plugins needed):
// perspectives, run/stop, diagnostics, and the kinds of completion items.
#pragma once

#include <QColor>
#include <QIcon>
#include <QPixmap>

namespace tapide::icons {

QIcon app();
QIcon perspectiveIde();
QIcon perspectiveGraph();
QIcon perspectiveDashboard();
QIcon run();
QIcon stop();
QIcon error();
QIcon warning();
QIcon info();

// A rounded badge with a letter: completion kinds, catalogue groups.
QPixmap badge(QChar letter, const QColor& color, int size = 16);

} // namespace tapide::icons
