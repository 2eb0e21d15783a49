#include "filters.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>
#include <numeric>

namespace tapgraphs {

namespace {

const char* kindName(Filter::Kind k) {
    switch (k) {
    case Filter::Kind::Match:
        return "match";
    case Filter::Kind::NotMatch:
        return "notMatch";
    case Filter::Kind::Range:
        return "range";
    case Filter::Kind::Unique:
        return "unique";
    case Filter::Kind::Sort:
        return "sort";
    case Filter::Kind::Top:
        return "top";
    }
    return "match";
}

QVector<int> matching(const Table& t, int column, const QRegularExpression& re, bool want) {
    QVector<int> keep;
    for (int r = 0; r < t.rowCount(); ++r)
        if (re.match(t.text(column, r)).hasMatch() == want) keep.push_back(r);
    return keep;
}

QVector<int> sortedRows(const Table& t, int column, bool descending) {
    QVector<int> order(t.rowCount());
    std::iota(order.begin(), order.end(), 0);
    auto less = [&](int a, int b) {
        return t.isString(column) ? t.strings[column][a] < t.strings[column][b]
                                  : t.numbers[column][a] < t.numbers[column][b];
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return descending ? less(b, a) : less(a, b); });
    return order;
}

} // namespace

QJsonObject Filter::toJson() const {
    QJsonObject o{{"kind", kindName(kind)}, {"column", column}};
    switch (kind) {
    case Kind::Match:
    case Kind::NotMatch:
        o["pattern"] = pattern;
        break;
    case Kind::Range:
        o["min"] = min;
        o["max"] = max;
        break;
    case Kind::Sort:
        o["descending"] = descending;
        break;
    case Kind::Top:
        o["n"] = n;
        break;
    case Kind::Unique:
        break;
    }
    return o;
}

Filter Filter::fromJson(const QJsonObject& o) {
    Filter f;
    QString k = o.value("kind").toString();
    for (Kind kind :
         {Kind::Match, Kind::NotMatch, Kind::Range, Kind::Unique, Kind::Sort, Kind::Top})
        if (k == kindName(kind)) f.kind = kind;
    f.column = o.value("column").toString();
    f.pattern = o.value("pattern").toString();
    f.min = o.value("min").toDouble();
    f.max = o.value("max").toDouble();
    f.descending = o.value("descending").toBool(true);
    f.n = o.value("n").toInt(10);
    return f;
}

Table applyFilter(const Table& t, const Filter& f) {
    int c = t.columnIndex(f.column);
    if (c < 0) return t;
    switch (f.kind) {
    case Filter::Kind::Match:
    case Filter::Kind::NotMatch:
        return t.rows(matching(t, c, QRegularExpression(f.pattern), f.kind == Filter::Kind::Match));
    case Filter::Kind::Range: {
        QVector<int> keep;
        for (int r = 0; r < t.rowCount(); ++r)
            if (double v = t.number(c, r); v >= f.min && v <= f.max) keep.push_back(r);
        return t.rows(keep);
    }
    case Filter::Kind::Unique: {
        // One row per value: the latest one, at the place of the value's first row.
        QHash<QString, int> slot;
        QVector<int> keep;
        for (int r = 0; r < t.rowCount(); ++r) {
            auto it = slot.find(t.text(c, r));
            if (it == slot.end()) {
                slot.insert(t.text(c, r), int(keep.size()));
                keep.push_back(r);
            } else {
                keep[*it] = r;
            }
        }
        return t.rows(keep);
    }
    case Filter::Kind::Sort:
        return t.rows(sortedRows(t, c, f.descending));
    case Filter::Kind::Top: {
        QVector<int> order = sortedRows(t, c, true);
        order.resize(std::min<qsizetype>(order.size(), std::max(0, f.n)));
        return t.rows(order);
    }
    }
    return t;
}

Table applyFilters(Table table, const QVector<Filter>& filters) {
    for (const Filter& f : filters)
        table = applyFilter(table, f);
    return table;
}

} // namespace tapgraphs
