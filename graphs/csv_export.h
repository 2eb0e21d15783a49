// A data set as CSV (RFC 4180): a header `time_ns,<columns>`, one line per row.
#pragma once

#include "data_table.h"

namespace tapgraphs {

QString csvText(const Table& table);
bool writeCsv(const Table& table, const QString& path, QString* error = nullptr);

} // namespace tapgraphs
