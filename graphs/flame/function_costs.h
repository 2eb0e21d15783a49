// Costs per function (as hotspot's caller/callee view): samples spent in
// the function itself (self), samples with it anywhere on the stack
// (total: once per sample, however deep its recursion), and how much of
// its total each caller and callee accounts for.
#pragma once

#include "stack_samples.h"

namespace tapgraphs {

struct FunctionCost {
    int frame = -1; // into StackSamples::frames
    double self = 0, total = 0;
    QHash<int, double> callers, callees; // frame → samples through that edge
};

// Ordered by self, largest first.
QVector<FunctionCost> functionCosts(const StackSamples& samples);

} // namespace tapgraphs
