// A latency heat map's grid: time across in columns of a fixed width,
// latency up in buckets (powers of two as @hist_log's, or a fixed width as
// @hist_linear's), a count per cell. Made from (time, latency) rows, or
// from successive printed histograms (rows of from, to, count: each print's
// buckets land in the column of its time).
#pragma once

#include "data_table.h"

#include <QString>
#include <QVector>

namespace tapgraphs {

struct HeatScale {
    bool linear = false;
    double width = 1; // linear buckets' width
    // Log2 buckets as @hist_log: [0,0], [1,1], [2,3], [4,7], ...; below 0 counts as 0.
    int bucketOf(double value) const;
    double low(int bucket) const;
    double high(int bucket) const; // inclusive, as docs/protocol.md's histogram buckets
    QString label(int bucket) const;
};

struct HeatGrid {
    HeatScale scale;
    qint64 startNs = 0, columnNs = 1000000000;
    int columns = 0;
    int firstBucket = 0, buckets = 0; // rows bottom to top: firstBucket, firstBucket + 1, ...
    QVector<double> counts;           // [column * buckets + row]
    double maxCount = 0;

    double count(int column, int row) const { return counts[column * buckets + row]; }
    qint64 columnStart(int column) const { return startNs + column * columnNs; }
    int columnOf(qint64 ns) const { return int((ns - startNs) / columnNs); }
};

// Rows of `table` with time in [fromNs, toNs): one count each in the cell
// of its time and of its `latencyColumn` value.
HeatGrid latencyGrid(const Table& table, int latencyColumn, const HeatScale& scale, qint64 columnNs,
                     qint64 fromNs, qint64 toNs);
// Histogram rows (from, to, count) with time in [fromNs, toNs): each
// bucket's count in the cell of its time and of its `from`.
HeatGrid histogramGrid(const Table& table, const HeatScale& scale, qint64 columnNs, qint64 fromNs,
                       qint64 toNs);
// The rows of `table` (as latencyGrid read it) in one cell.
QVector<int> rowsInCell(const Table& table, int latencyColumn, const HeatGrid& grid, int column,
                        int row);

} // namespace tapgraphs
