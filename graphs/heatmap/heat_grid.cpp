#include "heat_grid.h"

#include <algorithm>
#include <cmath>

namespace tapgraphs {

int HeatScale::bucketOf(double value) const {
    if (value <= 0) return 0;
    if (linear) return int(std::floor(value / (width > 0 ? width : 1)));
    return int(std::floor(std::log2(value))) + 1;
}

double HeatScale::low(int bucket) const {
    if (linear) return bucket * width;
    return bucket <= 0 ? 0 : std::ldexp(1.0, bucket - 1);
}

double HeatScale::high(int bucket) const {
    if (linear) return (bucket + 1) * width - 1;
    return bucket <= 0 ? 0 : std::ldexp(1.0, bucket) - 1;
}

QString HeatScale::label(int bucket) const {
    double lo = low(bucket), hi = high(bucket);
    return lo >= hi
               ? QString::number(lo, 'g', 12)
               : QString("%1 – %2").arg(QString::number(lo, 'g', 12), QString::number(hi, 'g', 12));
}

namespace {

struct Cell {
    qint64 time;
    int bucket;
    double count;
};

HeatGrid gridOf(const QVector<Cell>& cells, const HeatScale& scale, qint64 columnNs, qint64 fromNs,
                qint64 toNs) {
    HeatGrid g;
    g.scale = scale;
    g.columnNs = std::max<qint64>(1, columnNs);
    g.startNs = fromNs - ((fromNs % g.columnNs) + g.columnNs) %
                             g.columnNs; // columns on multiples of their width
    g.columns = toNs > g.startNs ? int((toNs - g.startNs + g.columnNs - 1) / g.columnNs) : 0;
    int lo = 0, hi = -1;
    for (const Cell& c : cells) {
        if (hi < lo) lo = hi = c.bucket;
        lo = std::min(lo, c.bucket);
        hi = std::max(hi, c.bucket);
    }
    g.firstBucket = lo;
    g.buckets = hi >= lo ? hi - lo + 1 : 0;
    g.counts.fill(0, g.columns * g.buckets);
    for (const Cell& c : cells) {
        int column = g.columnOf(c.time);
        if (column < 0 || column >= g.columns) continue;
        double& n = g.counts[column * g.buckets + (c.bucket - lo)];
        n += c.count;
        g.maxCount = std::max(g.maxCount, n);
    }
    return g;
}

} // namespace

HeatGrid latencyGrid(const Table& table, int latencyColumn, const HeatScale& scale, qint64 columnNs,
                     qint64 fromNs, qint64 toNs) {
    QVector<Cell> cells;
    for (int r = 0; r < table.rowCount(); ++r)
        if (table.time[r] >= fromNs && table.time[r] < toNs)
            cells.push_back({table.time[r], scale.bucketOf(table.number(latencyColumn, r)), 1});
    return gridOf(cells, scale, columnNs, fromNs, toNs);
}

HeatGrid histogramGrid(const Table& table, const HeatScale& scale, qint64 columnNs, qint64 fromNs,
                       qint64 toNs) {
    QVector<Cell> cells;
    for (int r = 0; r < table.rowCount(); ++r)
        if (table.time[r] >= fromNs && table.time[r] < toNs && table.number(2, r) > 0)
            cells.push_back(
                {table.time[r], scale.bucketOf(table.number(0, r)), table.number(2, r)});
    return gridOf(cells, scale, columnNs, fromNs, toNs);
}

QVector<int> rowsInCell(const Table& table, int latencyColumn, const HeatGrid& grid, int column,
                        int row) {
    QVector<int> out;
    const qint64 from = grid.columnStart(column), to = from + grid.columnNs;
    for (int r = 0; r < table.rowCount(); ++r)
        if (table.time[r] >= from && table.time[r] < to &&
            grid.scale.bucketOf(table.number(latencyColumn, r)) == grid.firstBucket + row)
            out.push_back(r);
    return out;
}

} // namespace tapgraphs
