// A flame graph as files other tools read: folded stacks (one line per
// stack, `frame;frame;frame count`, root first, as FlameGraph's
// flamegraph.pl and speedscope read them; kernel frames carry FlameGraph's
// `_[k]` annotation) and SVG (a box per frame, its tooltip the samples).
#pragma once

#include "flame_tree.h"

namespace tapgraphs {

QString foldedStacks(const FlameTree& tree);
// Folded lines back into samples; a malformed line is an error naming its
// line and column (`error` set, the lines before it kept).
StackSamples readFoldedStacks(const QString& text, QString* error = nullptr);

bool writeFoldedStacks(const FlameTree& tree, const QString& path, QString* error = nullptr);
bool readFoldedFile(const QString& path, StackSamples& samples, QString* error = nullptr);

QString flameSvg(const FlameTree& tree, const QString& title, int width = 1200);
bool writeFlameSvg(const FlameTree& tree, const QString& title, const QString& path,
                   QString* error = nullptr);

} // namespace tapgraphs
