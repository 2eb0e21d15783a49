#include "transforms.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace tapgraphs {

namespace {

QString keyOf(const Table& t, int keyColumn, int row) {
    return keyColumn < 0 ? QString() : t.text(keyColumn, row);
}

} // namespace

Table ratePerSecond(const Table& t, int column, int keyColumn) {
    Table out = t.emptyCopy();
    if (column < 0 || column >= t.columns.size() || t.isString(column))
        return out; // only numbers have a rate
    out.columns[column].name += "/s";
    struct Last {
        qint64 time;
        double value;
    };
    QHash<QString, Last> last;
    for (int r = 0; r < t.rowCount(); ++r) {
        QString key = keyOf(t, keyColumn, r);
        double v = t.number(column, r);
        auto it = last.find(key);
        if (it != last.end() && t.time[r] > it->time) {
            out.appendRowFrom(t, r);
            double rate = (v - it->value) / (double(t.time[r] - it->time) / 1e9);
            out.numbers[column].back() = rate;
        }
        if (it == last.end() || t.time[r] > it->time) last[key] = {t.time[r], v};
    }
    return out;
}

Table topKeys(const Table& t, int keyColumn, int valueColumn, int n) {
    if (keyColumn < 0 || valueColumn < 0) return t;
    QHash<QString, double> sum;
    for (int r = 0; r < t.rowCount(); ++r)
        sum[t.text(keyColumn, r)] += t.number(valueColumn, r);
    QVector<QPair<double, QString>> ranked;
    for (auto it = sum.begin(); it != sum.end(); ++it)
        ranked.push_back({it.value(), it.key()});
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    QSet<QString> keep;
    for (int i = 0; i < ranked.size() && i < n; ++i)
        keep.insert(ranked[i].second);
    QVector<int> rows;
    for (int r = 0; r < t.rowCount(); ++r)
        if (keep.contains(t.text(keyColumn, r))) rows.push_back(r);
    return t.rows(rows);
}

Table perTimeBucket(const Table& t, qint64 bucketNs, BucketOp op, int valueColumn, int keyColumn) {
    Table out = t.emptyCopy();
    if (bucketNs <= 0 || valueColumn < 0 || t.isString(valueColumn)) return out;
    struct Bucket {
        qint64 start;
        QString key;
        int lastRow;
        double sum = 0;
        int count = 0;
    };
    QVector<Bucket> buckets; // in order of first row
    QHash<QPair<qint64, QString>, int> index;
    for (int r = 0; r < t.rowCount(); ++r) {
        qint64 start = t.time[r] - t.time[r] % bucketNs;
        QPair<qint64, QString> id{start, keyOf(t, keyColumn, r)};
        auto it = index.find(id);
        if (it == index.end())
            it = index.insert(id, int(buckets.size())), buckets.push_back({start, id.second, r});
        Bucket& b = buckets[*it];
        b.lastRow = r;
        b.sum += t.number(valueColumn, r);
        ++b.count;
    }
    for (const Bucket& b : buckets) {
        out.appendRowFrom(t, b.lastRow);
        out.time.back() = b.start;
        out.numbers[valueColumn].back() = op == BucketOp::Sum ? b.sum : b.sum / b.count;
    }
    return out;
}

QVector<KeySeries> perKeySeries(const Table& t, int keyColumn, int valueColumn) {
    QVector<KeySeries> series;
    if (valueColumn < 0) return series;
    QHash<QString, int> index;
    for (int r = 0; r < t.rowCount(); ++r) {
        QString key = keyOf(t, keyColumn, r);
        auto it = index.find(key);
        if (it == index.end())
            it = index.insert(key, int(series.size())), series.push_back({key, {}});
        series[*it].points.push_back({double(t.time[r]) / 1e9, t.number(valueColumn, r)});
    }
    return series;
}

} // namespace tapgraphs
