#include "chart_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QSpinBox>

namespace tapgraphs {

namespace {

const ChartSpec::Type kTypes[] = {ChartSpec::Type::Line,       ChartSpec::Type::Area,
                                  ChartSpec::Type::Scatter,    ChartSpec::Type::Bar,
                                  ChartSpec::Type::StackedBar, ChartSpec::Type::Pie,
                                  ChartSpec::Type::Histogram,  ChartSpec::Type::Table};
const std::pair<ChartSpec::Aggregate, const char*> kAggregates[] = {
    {ChartSpec::Aggregate::Last, "last value"},
    {ChartSpec::Aggregate::Sum, "sum"},
    {ChartSpec::Aggregate::Average, "average"},
    {ChartSpec::Aggregate::Max, "maximum"},
    {ChartSpec::Aggregate::Count, "count of rows"}};

} // namespace

ChartDialog::ChartDialog(const ChartSpec& initial, const QVector<DataSetColumns>& dataSets,
                         QWidget* parent)
    : QDialog(parent), initial_(initial), dataSets_(dataSets), title_(new QLineEdit(initial.title)),
      dataSet_(new QComboBox), type_(new QComboBox), values_(new QListWidget), key_(new QComboBox),
      topKeys_(new QSpinBox), rate_(new QCheckBox(tr("change per second (counters)"))),
      bucketMs_(new QSpinBox), bucketAverage_(new QCheckBox(tr("average instead of sum"))),
      aggregate_(new QComboBox), latestBatch_(new QCheckBox(tr("only the last print burst"))),
      window_(new QDoubleSpinBox) {
    setWindowTitle(initial.title.isEmpty() ? tr("Add chart") : tr("Edit chart"));
    for (const DataSetColumns& d : dataSets)
        dataSet_->addItem(d.name);
    dataSet_->setCurrentText(initial.dataSet);
    for (ChartSpec::Type t : kTypes)
        type_->addItem(chartTypeName(t), int(t));
    type_->setCurrentIndex(type_->findData(int(initial.type)));
    values_->setMaximumHeight(110);
    topKeys_->setRange(0, 1000);
    topKeys_->setSpecialValueText(tr("all"));
    topKeys_->setValue(initial.topKeys);
    rate_->setChecked(initial.rate);
    bucketMs_->setRange(0, 3'600'000);
    bucketMs_->setSuffix(" ms");
    bucketMs_->setSpecialValueText(tr("none"));
    bucketMs_->setValue(int(initial.bucketMs));
    bucketAverage_->setChecked(initial.bucketAverage);
    for (const auto& [a, name] : kAggregates)
        aggregate_->addItem(tr(name), int(a));
    aggregate_->setCurrentIndex(aggregate_->findData(int(initial.aggregate)));
    latestBatch_->setChecked(initial.latestBatch);
    window_->setRange(1, 86400);
    window_->setSuffix(" s");
    window_->setValue(initial.windowSeconds);
    showColumnsOf(initial.dataSet.isEmpty() ? dataSet_->currentText() : initial.dataSet, initial);
    connect(dataSet_, &QComboBox::currentTextChanged, this,
            [this](const QString& name) { showColumnsOf(name, {}); });

    auto* form = new QFormLayout;
    form->addRow(tr("Title"), title_);
    form->addRow(tr("Data set"), dataSet_);
    form->addRow(tr("Type"), type_);
    form->addRow(tr("Values"), values_);
    form->addRow(tr("Key (a series or bar per value)"), key_);
    form->addRow(tr("Keys shown"), topKeys_);
    form->addRow(tr("Rate"), rate_);
    form->addRow(tr("Time buckets"), bucketMs_);
    form->addRow(QString(), bucketAverage_);
    form->addRow(tr("Bars and slices show"), aggregate_);
    form->addRow(QString(), latestBatch_);
    form->addRow(tr("Time window"), window_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
    setLayout(form);
}

void ChartDialog::showColumnsOf(const QString& dataSet, const ChartSpec& selection) {
    values_->clear();
    key_->clear();
    key_->addItem(tr("(none)"), QString());
    for (const DataSetColumns& d : dataSets_) {
        if (d.name != dataSet) continue;
        for (const Column& c : d.columns) {
            auto* item = new QListWidgetItem(c.name, values_);
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(selection.values.contains(c.name) ? Qt::Checked : Qt::Unchecked);
            key_->addItem(c.name, c.name);
        }
    }
    key_->setCurrentIndex(std::max(0, key_->findData(selection.key)));
}

ChartSpec ChartDialog::spec() const {
    ChartSpec s = initial_;
    s.title = title_->text();
    s.dataSet = dataSet_->currentText();
    s.type = ChartSpec::Type(type_->currentData().toInt());
    s.values.clear();
    for (int i = 0; i < values_->count(); ++i)
        if (values_->item(i)->checkState() == Qt::Checked) s.values << values_->item(i)->text();
    s.key = key_->currentData().toString();
    s.topKeys = topKeys_->value();
    s.rate = rate_->isChecked();
    s.bucketMs = bucketMs_->value();
    s.bucketAverage = bucketAverage_->isChecked();
    s.aggregate = ChartSpec::Aggregate(aggregate_->currentData().toInt());
    s.latestBatch = latestBatch_->isChecked();
    s.windowSeconds = window_->value();
    if (s.title.isEmpty())
        s.title = s.values.join(", ") + (s.key.isEmpty() ? QString() : tr(" by %1").arg(s.key));
    return s;
}

} // namespace tapgraphs
