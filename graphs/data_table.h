// The rows a chart reads: a column-wise copy of a data set (taken under its
// lock, then read without one), and what transforms and filters produce.
#pragma once

#include <QString>
#include <QVector>

namespace tapgraphs {

enum class ColumnType { Long, String };

struct Column {
    QString name;
    ColumnType type = ColumnType::Long;
};

QString typeName(ColumnType type);            // "long" / "string", as in docs/protocol.md
ColumnType typeFromName(const QString& name); // anything but "string" is a long

// Numbers are doubles here: transforms make fractions (rates, averages) and
// charts draw doubles; the ring keeps what the script printed.
struct Table {
    QVector<Column> columns;
    QVector<qint64> time;              // ns since the session started, one per row
    QVector<QVector<double>> numbers;  // [column][row]; empty for string columns
    QVector<QVector<QString>> strings; // [column][row]; empty for long columns

    int rowCount() const { return int(time.size()); }
    int columnIndex(const QString& name) const; // -1 when there is none
    bool isString(int column) const { return columns[column].type == ColumnType::String; }
    // A cell as a number (strings that are not numbers read 0) or as text.
    double number(int column, int row) const;
    QString text(int column, int row) const;

    // An empty table with the same columns, and one made of some rows of this.
    Table emptyCopy() const;
    Table rows(const QVector<int>& indexes) const;
    void appendRowFrom(const Table& other, int row);
};

} // namespace tapgraphs
