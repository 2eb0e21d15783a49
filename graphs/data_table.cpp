#include "data_table.h"

namespace tapgraphs {

QString typeName(ColumnType type) {
    return type == ColumnType::String ? "string" : "long";
}

ColumnType typeFromName(const QString& name) {
    return name == "string" ? ColumnType::String : ColumnType::Long;
}

int Table::columnIndex(const QString& name) const {
    for (int i = 0; i < columns.size(); ++i)
        if (columns[i].name == name) return i;
    return -1;
}

double Table::number(int column, int row) const {
    return isString(column) ? strings[column][row].toDouble() : numbers[column][row];
}

QString Table::text(int column, int row) const {
    return isString(column) ? strings[column][row] : QString::number(numbers[column][row], 'g', 17);
}

Table Table::emptyCopy() const {
    Table t;
    t.columns = columns;
    t.numbers.resize(columns.size());
    t.strings.resize(columns.size());
    return t;
}

Table Table::rows(const QVector<int>& indexes) const {
    Table t = emptyCopy();
    t.time.reserve(indexes.size());
    for (int c = 0; c < columns.size(); ++c)
        isString(c) ? t.strings[c].reserve(indexes.size()) : t.numbers[c].reserve(indexes.size());
    for (int r : indexes)
        t.appendRowFrom(*this, r);
    return t;
}

void Table::appendRowFrom(const Table& other, int row) {
    time.push_back(other.time[row]);
    for (int c = 0; c < columns.size(); ++c) {
        if (isString(c))
            strings[c].push_back(other.strings[c][row]);
        else
            numbers[c].push_back(other.numbers[c][row]);
    }
}

} // namespace tapgraphs
