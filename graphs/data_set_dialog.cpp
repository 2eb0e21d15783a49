#include "data_set_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace tapgraphs {

namespace {

const std::pair<Filter::Kind, const char*> kKinds[] = {
    {Filter::Kind::Match, "match"}, {Filter::Kind::NotMatch, "not match"},
    {Filter::Kind::Range, "range"}, {Filter::Kind::Unique, "unique"},
    {Filter::Kind::Sort, "sort"},   {Filter::Kind::Top, "top"}};

} // namespace

QString DataSetDialog::argumentText(const Filter& f) {
    switch (f.kind) {
    case Filter::Kind::Match:
    case Filter::Kind::NotMatch:
        return f.pattern;
    case Filter::Kind::Range:
        return QString("%1 %2").arg(f.min).arg(f.max);
    case Filter::Kind::Sort:
        return f.descending ? "descending" : "ascending";
    case Filter::Kind::Top:
        return QString::number(f.n);
    case Filter::Kind::Unique:
        return {};
    }
    return {};
}

Filter DataSetDialog::filterFrom(Filter::Kind kind, const QString& column,
                                 const QString& argument) {
    Filter f;
    f.kind = kind;
    f.column = column;
    QStringList words = argument.split(' ', Qt::SkipEmptyParts);
    switch (kind) {
    case Filter::Kind::Match:
    case Filter::Kind::NotMatch:
        f.pattern = argument;
        break;
    case Filter::Kind::Range:
        f.min = words.value(0).toDouble();
        f.max = words.value(1, words.value(0)).toDouble();
        break;
    case Filter::Kind::Sort:
        f.descending = !argument.trimmed().startsWith("asc");
        break;
    case Filter::Kind::Top:
        f.n = words.value(0, "10").toInt();
        break;
    case Filter::Kind::Unique:
        break;
    }
    return f;
}

DataSetDialog::DataSetDialog(const DataSetSpec& spec, const QVector<Column>& columns,
                             QWidget* parent)
    : QDialog(parent), spec_(spec), columns_(columns),
      columnTable_(new QTableWidget(int(columns.size()), 2)), filterTable_(new QTableWidget(0, 3)),
      capacity_(new QSpinBox) {
    setWindowTitle(tr("Data set “%1”").arg(spec.name));
    columnTable_->setHorizontalHeaderLabels({tr("Column"), tr("Type")});
    columnTable_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    columnTable_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    columnTable_->setMaximumHeight(160);
    columnTable_->verticalHeader()->hide();
    for (int i = 0; i < columns.size(); ++i) {
        columnTable_->setItem(i, 0, new QTableWidgetItem(columns[i].name));
        auto* type = new QTableWidgetItem(typeName(columns[i].type));
        type->setFlags(type->flags() & ~Qt::ItemIsEditable);
        columnTable_->setItem(i, 1, type);
    }
    filterTable_->setHorizontalHeaderLabels(
        {tr("Filter"), tr("Column"), tr("Pattern / min max / n / order")});
    filterTable_->horizontalHeader()->setStretchLastSection(true);
    filterTable_->verticalHeader()->hide();
    for (const Filter& f : spec.filters)
        addFilterRow(f);
    auto* add = new QPushButton(tr("Add filter"));
    auto* remove = new QPushButton(tr("Remove filter"));
    connect(add, &QPushButton::clicked, this, [this] {
        Filter f;
        f.column = columns_.isEmpty() ? QString() : columns_[0].name;
        addFilterRow(f);
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (filterTable_->currentRow() >= 0) filterTable_->removeRow(filterTable_->currentRow());
    });
    auto* filterButtons = new QHBoxLayout;
    filterButtons->addWidget(add);
    filterButtons->addWidget(remove);
    filterButtons->addStretch(1);
    capacity_->setRange(10, 10'000'000);
    capacity_->setSingleStep(10000);
    capacity_->setValue(spec.capacity);
    capacity_->setSuffix(tr(" rows"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* capacityRow = new QFormLayout;
    capacityRow->addRow(tr("Keep the last"), capacity_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(
        new QLabel(tr("Columns (double-click a name to rename it; its charts follow):")));
    layout->addWidget(columnTable_);
    layout->addWidget(new QLabel(
        tr("Filters, applied in order whenever a chart or an export reads the data set:")));
    layout->addWidget(filterTable_);
    layout->addLayout(filterButtons);
    layout->addLayout(capacityRow);
    layout->addWidget(buttons);
    resize(620, 520);
}

void DataSetDialog::addFilterRow(const Filter& f) {
    int row = filterTable_->rowCount();
    filterTable_->insertRow(row);
    auto* kind = new QComboBox;
    for (const auto& [k, name] : kKinds)
        kind->addItem(tr(name), int(k));
    kind->setCurrentIndex(kind->findData(int(f.kind)));
    auto* column = new QComboBox;
    for (const Column& c : columns_)
        column->addItem(c.name);
    column->setCurrentText(f.column);
    filterTable_->setCellWidget(row, 0, kind);
    filterTable_->setCellWidget(row, 1, column);
    filterTable_->setItem(row, 2, new QTableWidgetItem(argumentText(f)));
}

DataSetSpec DataSetDialog::spec() const {
    DataSetSpec s = spec_;
    s.columns.clear();
    for (int i = 0; i < columns_.size(); ++i)
        s.columns.push_back({columnTable_->item(i, 0)->text().trimmed(), columns_[i].type});
    s.filters.clear();
    for (int r = 0; r < filterTable_->rowCount(); ++r) {
        auto* kind = static_cast<QComboBox*>(filterTable_->cellWidget(r, 0));
        auto* column = static_cast<QComboBox*>(filterTable_->cellWidget(r, 1));
        // a filter names the column as the table now calls it
        int c = column->currentIndex();
        QString name = c >= 0 && c < s.columns.size() ? s.columns[c].name : column->currentText();
        s.filters.push_back(
            filterFrom(Filter::Kind(kind->currentData().toInt()), name,
                       filterTable_->item(r, 2) ? filterTable_->item(r, 2)->text() : QString()));
    }
    s.capacity = capacity_->value();
    return s;
}

} // namespace tapgraphs
