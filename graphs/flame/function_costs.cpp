#include "function_costs.h"

#include <QSet>

#include <algorithm>

namespace tapgraphs {

QVector<FunctionCost> functionCosts(const StackSamples& samples) {
    QVector<FunctionCost> costs(samples.frames.size());
    for (int f = 0; f < costs.size(); ++f)
        costs[f].frame = f;
    QSet<int> seen;
    QSet<quint64> edges;
    for (const StackSample& s : samples.samples) {
        if (s.stack.isEmpty()) continue;
        costs[s.stack.back()].self += s.value;
        seen.clear();
        edges.clear();
        for (int i = 0; i < s.stack.size(); ++i) {
            int f = s.stack[i];
            if (!seen.contains(f)) {
                seen.insert(f);
                costs[f].total += s.value;
            }
            if (i == 0) continue;
            int caller = s.stack[i - 1];
            quint64 edge = (quint64(quint32(caller)) << 32) | quint32(f);
            if (edges.contains(edge)) continue;
            edges.insert(edge);
            costs[f].callers[caller] += s.value;
            costs[caller].callees[f] += s.value;
        }
    }
    costs.erase(std::remove_if(costs.begin(), costs.end(),
                               [](const FunctionCost& c) { return c.total == 0; }),
                costs.end());
    std::stable_sort(costs.begin(), costs.end(), [](const FunctionCost& a, const FunctionCost& b) {
        return a.self != b.self ? a.self > b.self : a.total > b.total;
    });
    return costs;
}

} // namespace tapgraphs
