// A new regex data set (for scripts that print free text, as the Eclipse
// SystemTap GUI parsed them): a regular expression matched against each
// output line, one column per capture group, named and typed by the user.
#pragma once

#include "graph_set.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace tapgraphs {

class RegexDataSetDialog : public QDialog {
    Q_OBJECT
  public:
    explicit RegexDataSetDialog(const QStringList& takenNames, QWidget* parent = nullptr);
    DataSetSpec spec() const;

    // "name:type, name:type" → columns ("string" or "long"; no type: string).
    static QVector<Column> parseColumns(const QString& text);
    // "" when `spec` can be made, else why not.
    static QString problem(const DataSetSpec& spec, const QStringList& takenNames);

  private:
    void check();

    QStringList taken_;
    QLineEdit* name_;
    QLineEdit* regex_;
    QLineEdit* columns_;
    QLabel* problem_;
    QPushButton* ok_;
};

} // namespace tapgraphs
