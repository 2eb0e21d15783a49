#include "chart_data.h"

#include "transforms.h"

#include <QHash>
#include <QObject>

#include <algorithm>
#include <cmath>

namespace tapgraphs {

namespace {

bool isCategoryChart(ChartSpec::Type t) {
    return t == ChartSpec::Type::Bar || t == ChartSpec::Type::StackedBar ||
           t == ChartSpec::Type::Pie;
}

// Transforms shared by every chart type, in a fixed order: top keys, rate, buckets.
Table transformed(const ChartSpec& spec, Table t) {
    int key = t.columnIndex(spec.key);
    int value = spec.values.isEmpty() ? -1 : t.columnIndex(spec.values.first());
    if (spec.topKeys > 0 && key >= 0 && value >= 0) t = topKeys(t, key, value, spec.topKeys);
    if (spec.rate)
        for (const QString& v : spec.values)
            if (int c = t.columnIndex(v); c >= 0) {
                t = ratePerSecond(t, c, key);
                t.columns[c].name = v; // the chart still names it by the column
            }
    if (spec.bucketMs > 0 && value >= 0)
        t = perTimeBucket(t, spec.bucketMs * 1'000'000,
                          spec.bucketAverage ? BucketOp::Average : BucketOp::Sum, value, key);
    return t;
}

void cutToRange(QVector<QPointF>& points, double from, double to) {
    auto first = std::lower_bound(points.begin(), points.end(), from,
                                  [](const QPointF& p, double x) { return p.x() < x; });
    auto last = std::upper_bound(points.begin(), points.end(), to,
                                 [](double x, const QPointF& p) { return x < p.x(); });
    // one point beyond each edge keeps the line running to the border
    if (first != points.begin()) --first;
    if (last != points.end()) ++last;
    points = QVector<QPointF>(first, last);
}

void xyData(const ChartSpec& spec, const Table& t, const XRange& range, ChartData& d) {
    int key = t.columnIndex(spec.key);
    if (key >= 0) {
        int value = spec.values.isEmpty() ? -1 : t.columnIndex(spec.values.first());
        for (KeySeries& s : perKeySeries(t, key, value))
            d.series.push_back({s.key, std::move(s.points)});
    } else {
        for (const QString& v : spec.values) {
            int c = t.columnIndex(v);
            if (c < 0) continue;
            XySeries s{v, {}};
            s.points.reserve(t.rowCount());
            for (int r = 0; r < t.rowCount(); ++r)
                s.points.push_back({double(t.time[r]) / 1e9, t.number(c, r)});
            d.series.push_back(std::move(s));
        }
    }
    double last = 0;
    for (const XySeries& s : d.series)
        if (!s.points.isEmpty()) last = std::max(last, s.points.back().x());
    d.xMin = range.followLiveEdge ? std::max(0.0, last - spec.windowSeconds) : range.from;
    d.xMax = range.followLiveEdge ? std::max(last, d.xMin + 1) : range.to;
    bool any = false;
    for (XySeries& s : d.series) {
        cutToRange(s.points, d.xMin, d.xMax);
        s.points = thinned(s.points, std::min(range.maxPoints, kMaxPointsPerSeries));
        for (const QPointF& p : s.points) {
            if (p.x() < d.xMin || p.x() > d.xMax) continue;
            d.yMin = any ? std::min(d.yMin, p.y()) : p.y();
            d.yMax = any ? std::max(d.yMax, p.y()) : p.y();
            any = true;
        }
    }
}

double aggregated(ChartSpec::Aggregate a, double acc, double v, int count) {
    switch (a) {
    case ChartSpec::Aggregate::Last:
        return v;
    case ChartSpec::Aggregate::Sum:
    case ChartSpec::Aggregate::Average:
        return acc + v; // divided at the end
    case ChartSpec::Aggregate::Max:
        return count == 0 ? v : std::max(acc, v);
    case ChartSpec::Aggregate::Count:
        return acc + 1;
    }
    return v;
}

void categoryData(const ChartSpec& spec, const Table& all, ChartData& d) {
    Table t = spec.latestBatch ? latestBatch(all) : all;
    int key = t.columnIndex(spec.key);
    QVector<int> values;
    for (const QString& v : spec.values)
        if (int c = t.columnIndex(v); c >= 0) values.push_back(c);
    if (values.isEmpty()) return;
    if (key < 0) {
        // no key: one bar per value column, from the last row
        d.sets.push_back({"value", {}});
        for (int c : values) {
            d.categories << t.columns[c].name;
            d.sets[0].values << (t.rowCount() ? t.number(c, t.rowCount() - 1) : 0.0);
        }
    } else {
        QHash<QString, int> index;
        QVector<QVector<double>> acc(values.size());
        QVector<int> counts;
        for (int r = 0; r < t.rowCount(); ++r) {
            QString k = t.text(key, r);
            auto it = index.find(k);
            if (it == index.end()) {
                it = index.insert(k, int(d.categories.size()));
                d.categories << k;
                counts << 0;
                for (auto& a : acc)
                    a << 0.0;
            }
            for (int i = 0; i < values.size(); ++i)
                acc[i][*it] =
                    aggregated(spec.aggregate, acc[i][*it], t.number(values[i], r), counts[*it]);
            ++counts[*it];
        }
        if (spec.aggregate == ChartSpec::Aggregate::Average)
            for (auto& a : acc)
                for (int k = 0; k < a.size(); ++k)
                    a[k] /= std::max(1, counts[k]);
        // largest first, at most topKeys
        QVector<int> order(d.categories.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](int a, int b) { return acc[0][a] > acc[0][b]; });
        if (spec.topKeys > 0 && order.size() > spec.topKeys) order.resize(spec.topKeys);
        QStringList cats;
        for (int i : order)
            cats << d.categories[i];
        d.categories = cats;
        for (int i = 0; i < values.size(); ++i) {
            ValueSet s{t.columns[values[i]].name, {}};
            for (int k : order)
                s.values << acc[i][k];
            d.sets.push_back(s);
        }
    }
    for (const ValueSet& s : d.sets)
        for (double v : s.values)
            d.yMax = std::max(d.yMax, v), d.yMin = std::min(d.yMin, v);
}

// 1024 → "1k", 3145728 → "3M": binary prefixes, as log2 buckets grow.
QString compact(double v) {
    static const char* const suffixes[] = {"", "k", "M", "G", "T", "P"};
    int i = 0;
    while (i < 5 && std::abs(v) >= 1024 && std::fmod(v, 1024) == 0)
        v /= 1024, ++i;
    return QString::number(v, 'g', 10) + suffixes[i];
}

// A log2 bucket [2^k, 2^(k+1)-1] is named by its lower bound (the axis says
// so), so that twenty of them fit under a chart; others show both bounds.
QString bucketLabel(double from, double to) {
    bool log2Bucket = (from > 0 && to == 2 * from - 1) || (from < 0 && from == 2 * to + 1);
    if (from == to || log2Bucket) return compact(log2Bucket && from < 0 ? to : from);
    return QString("%1–%2").arg(compact(from), compact(to));
}

void histogramData(const ChartSpec& spec, const Table& t, ChartData& d) {
    int from = t.columnIndex("from"), to = t.columnIndex("to"), count = t.columnIndex("count");
    ValueSet s{"count", {}};
    if (from >= 0 && to >= 0 && count >= 0) {
        // a histogram record: its buckets as printed
        for (int r = 0; r < t.rowCount(); ++r) {
            d.categories << bucketLabel(t.number(from, r), t.number(to, r));
            if (t.number(from, r) > 0 && t.number(to, r) == 2 * t.number(from, r) - 1)
                d.categoryTitle = QObject::tr("log2 bucket (its lowest value)");
            s.values << t.number(count, r);
        }
    } else if (int c = spec.values.isEmpty() ? -1 : t.columnIndex(spec.values.first());
               c >= 0 && t.rowCount()) {
        // a column of values: 20 equal bins between its min and max
        double lo = t.number(c, 0), hi = lo;
        for (int r = 0; r < t.rowCount(); ++r)
            lo = std::min(lo, t.number(c, r)), hi = std::max(hi, t.number(c, r));
        const int bins = 20;
        double width = hi > lo ? (hi - lo) / bins : 1;
        s.values.fill(0, bins);
        for (int r = 0; r < t.rowCount(); ++r)
            s.values[std::min(bins - 1, int((t.number(c, r) - lo) / width))] += 1;
        for (int b = 0; b < bins; ++b)
            d.categories << bucketLabel(std::round(lo + b * width),
                                        std::round(lo + (b + 1) * width));
    }
    for (double v : s.values)
        d.yMax = std::max(d.yMax, v);
    d.sets.push_back(s);
}

} // namespace

Table latestBatch(const Table& t, qint64 gapNs) {
    int first = t.rowCount() - 1;
    while (first > 0 && t.time[first] - t.time[first - 1] < gapNs)
        --first;
    QVector<int> rows;
    for (int r = std::max(0, first); r < t.rowCount(); ++r)
        rows.push_back(r);
    return t.rows(rows);
}

QVector<QPointF> thinned(const QVector<QPointF>& points, int maxPoints) {
    if (points.size() <= maxPoints || maxPoints < 8) return points;
    const int buckets = (maxPoints - 2) / 3;
    double x0 = points.front().x(), x1 = points.back().x();
    double width = (x1 - x0) / buckets;
    QVector<QPointF> out{points.front()};
    int i = 1;
    for (int b = 0; b < buckets && i < points.size() - 1; ++b) {
        double end = b == buckets - 1 ? x1 : x0 + (b + 1) * width;
        int lo = -1, hi = -1, firstInBucket = i;
        for (; i < points.size() - 1 && points[i].x() <= end; ++i) {
            if (lo < 0 || points[i].y() < points[lo].y()) lo = i;
            if (hi < 0 || points[i].y() > points[hi].y()) hi = i;
        }
        if (lo < 0) continue;
        QVector<int> keep{firstInBucket, lo, hi};
        std::sort(keep.begin(), keep.end());
        keep.erase(std::unique(keep.begin(), keep.end()), keep.end());
        for (int k : keep)
            out.push_back(points[k]);
    }
    out.push_back(points.back());
    return out;
}

ChartData computeChart(const ChartSpec& spec, const Table& filtered, const XRange& range) {
    ChartData d;
    d.rows = filtered.rowCount();
    Table t = transformed(spec, filtered);
    if (spec.type == ChartSpec::Type::Histogram)
        histogramData(spec, t, d);
    else if (isCategoryChart(spec.type))
        categoryData(spec, t, d);
    else if (spec.type != ChartSpec::Type::Table)
        xyData(spec, t, range, d);
    return d;
}

} // namespace tapgraphs
