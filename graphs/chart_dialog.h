// Add or edit a chart of a session: its data set, type, value and key
// columns, transforms (rate, top keys, time buckets) and how bars aggregate.
#pragma once

#include "graph_set.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QListWidget;
class QSpinBox;
class QDoubleSpinBox;

namespace tapgraphs {

struct DataSetColumns {
    QString name;
    QVector<Column> columns;
};

class ChartDialog : public QDialog {
    Q_OBJECT
  public:
    ChartDialog(const ChartSpec& initial, const QVector<DataSetColumns>& dataSets,
                QWidget* parent = nullptr);
    ChartSpec spec() const;

  private:
    void showColumnsOf(const QString& dataSet, const ChartSpec& selection);

    ChartSpec initial_;
    QVector<DataSetColumns> dataSets_;
    QLineEdit* title_;
    QComboBox* dataSet_;
    QComboBox* type_;
    QListWidget* values_;
    QComboBox* key_;
    QSpinBox* topKeys_;
    QCheckBox* rate_;
    QSpinBox* bucketMs_;
    QCheckBox* bucketAverage_;
    QComboBox* aggregate_;
    QCheckBox* latestBatch_;
    QDoubleSpinBox* window_;
};

} // namespace tapgraphs
