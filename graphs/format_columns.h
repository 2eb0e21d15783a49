// The columns of a printf format: one per value directive, typed from the
// `formats` record, named from the text before the directive
// ("count %d  avg %d" → count, avg), "value N" when that text has no word.
#pragma once

#include "data_table.h"

#include <QStringList>

namespace tapgraphs {

QVector<Column> columnsFromFormat(const QString& format, const QStringList& argTypes);

} // namespace tapgraphs
