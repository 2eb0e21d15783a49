// The flame graph's colours: warm hues by kind of frame (kernel orange,
// the program red, libraries yellow), varied a little by name so that
// neighbours stand apart and a function keeps its colour as the graph
// updates; searched frames magenta; the differential view red where a
// frame grew against the baseline and blue where it shrank.
#pragma once

#include "flame_tree.h"

#include <QColor>

namespace tapgraphs {

QColor kindColor(FrameKind kind, const QString& name);
QColor frameColor(const FlameTree& tree, int node); // the root is grey
QColor searchColor();
// `delta` = total - baseline total, `largest` the largest |delta| in the view.
QColor differentialColor(double delta, double largest);

} // namespace tapgraphs
