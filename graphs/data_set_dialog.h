// Edit a data set of a session: rename its columns, its filters (applied in
// order), the rows its ring keeps.
#pragma once

#include "graph_set.h"

#include <QDialog>

class QSpinBox;
class QTableWidget;

namespace tapgraphs {

class DataSetDialog : public QDialog {
    Q_OBJECT
  public:
    // `columns`: the data set's columns as they are (names and types).
    DataSetDialog(const DataSetSpec& spec, const QVector<Column>& columns,
                  QWidget* parent = nullptr);
    DataSetSpec spec() const; // columns carry the new names

    // A filter as one line of text and back: "match ^X", "range 5 9", "top 10", ...
    static QString argumentText(const Filter& f);
    static Filter filterFrom(Filter::Kind kind, const QString& column, const QString& argument);

  private:
    void addFilterRow(const Filter& f);

    DataSetSpec spec_;
    QVector<Column> columns_;
    QTableWidget* columnTable_;
    QTableWidget* filterTable_;
    QSpinBox* capacity_;
};

} // namespace tapgraphs
