// Transforms people ask for when plotting traces, each a plain function of a
// table: rate per second of a counter, per-key series, top-N keys, sum or
// average per time bucket. A negative key column means "no key".
#pragma once

#include "data_table.h"

#include <QPointF>

namespace tapgraphs {

// `column` becomes its change per second between consecutive rows (of the
// same key); the first row of each key has no rate and is left out.
Table ratePerSecond(const Table& table, int column, int keyColumn = -1);

// Rows whose key is one of the n keys with the largest sum of `valueColumn`.
Table topKeys(const Table& table, int keyColumn, int valueColumn, int n);

// One row per time bucket (and key): time = bucket start, `valueColumn` =
// sum or average of the bucket's values; other columns keep the bucket's last row.
enum class BucketOp { Sum, Average };
Table perTimeBucket(const Table& table, qint64 bucketNs, BucketOp op, int valueColumn,
                    int keyColumn = -1);

// One series per distinct key, in order of first appearance: (seconds, value).
struct KeySeries {
    QString key;
    QVector<QPointF> points;
};
QVector<KeySeries> perKeySeries(const Table& table, int keyColumn, int valueColumn);

} // namespace tapgraphs
