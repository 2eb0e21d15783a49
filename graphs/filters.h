// Filters of a data set, applied in order to a snapshot (the ring keeps every
// row, so a filter can change during a run): match / not match a string
// column, numeric range, unique, sort, top-N.
#pragma once

#include "data_table.h"

#include <QJsonObject>

namespace tapgraphs {

struct Filter {
    enum class Kind { Match, NotMatch, Range, Unique, Sort, Top };
    Kind kind = Kind::Match;
    QString column;
    QString pattern;         // Match, NotMatch: a regular expression (unanchored)
    double min = 0, max = 0; // Range: min <= value <= max
    bool descending = true;  // Sort
    int n = 10;              // Top: the n rows with the largest values

    QJsonObject toJson() const;
    static Filter fromJson(const QJsonObject& o);
};

// One filter; a filter naming a missing column passes the table unchanged.
Table applyFilter(const Table& table, const Filter& filter);
Table applyFilters(Table table, const QVector<Filter>& filters);

} // namespace tapgraphs
