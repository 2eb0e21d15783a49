#include "table_panel.h"

#include "background_priority.h"
#include "filters.h"

#include <QAbstractTableModel>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace tapgraphs {

namespace {
constexpr int kShownRows = 1000;
}

class TableModel : public QAbstractTableModel {
  public:
    using QAbstractTableModel::QAbstractTableModel;
    void setTable(Table t) {
        beginResetModel();
        table_ = std::move(t);
        endResetModel();
    }
    int rowCount(const QModelIndex& parent = {}) const override {
        return parent.isValid() ? 0 : table_.rowCount();
    }
    int columnCount(const QModelIndex& parent = {}) const override {
        return parent.isValid() ? 0 : int(table_.columns.size()) + 1;
    }
    QVariant data(const QModelIndex& i, int role) const override {
        if (role == Qt::TextAlignmentRole)
            return i.column() == 0 || !table_.isString(i.column() - 1)
                       ? int(Qt::AlignRight | Qt::AlignVCenter)
                       : int(Qt::AlignLeft | Qt::AlignVCenter);
        if (role != Qt::DisplayRole) return {};
        // newest first
        int row = table_.rowCount() - 1 - i.row();
        if (i.column() == 0) return QString::number(double(table_.time[row]) / 1e9, 'f', 3);
        return table_.text(i.column() - 1, row);
    }
    QVariant headerData(int section, Qt::Orientation o, int role) const override {
        if (o != Qt::Horizontal || role != Qt::DisplayRole)
            return QAbstractTableModel::headerData(section, o, role);
        return section == 0 ? QObject::tr("time (s)") : table_.columns.value(section - 1).name;
    }

  private:
    Table table_;
};

TablePanel::TablePanel(const ChartSpec& spec, const DataSetSpec& dataSpec,
                       std::function<std::shared_ptr<DataSet>()> dataSet, QWidget* parent)
    : QWidget(parent), spec_(spec), dataSpec_(dataSpec), dataSet_(std::move(dataSet)),
      model_(new TableModel(this)), view_(new QTableView), title_(new QLabel(spec.title)) {
    setObjectName("TablePanel");
    view_->setModel(model_);
    view_->verticalHeader()->hide();
    view_->horizontalHeader()->setStretchLastSection(true);
    title_->setAlignment(Qt::AlignCenter);
    QFont f = title_->font();
    f.setBold(true);
    title_->setFont(f);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* editButton = new QToolButton;
    editButton->setText(tr("Edit…"));
    connect(editButton, &QToolButton::clicked, this, &TablePanel::editRequested);
    auto* top = new QHBoxLayout;
    top->addWidget(title_, 1);
    top->addWidget(editButton);
    layout->addLayout(top);
    layout->addWidget(view_, 1);
    connect(&watcher_, &QFutureWatcher<Table>::finished, this, [this] {
        model_->setTable(watcher_.result());
        emit drawn();
    });
}

TablePanel::~TablePanel() {
    watcher_.waitForFinished();
}

int TablePanel::shownRows() const {
    return model_->rowCount();
}

void TablePanel::refresh() {
    if (watcher_.isRunning()) return;
    std::shared_ptr<DataSet> ds = dataSet_();
    if (!ds) return;
    watcher_.setFuture(QtConcurrent::run(chartPool(), [ds, filters = dataSpec_.filters] {
        lowerThisThreadsPriority();
        Table t = applyFilters(ds->snapshot(), filters);
        QVector<int> newest;
        for (int r = std::max(0, t.rowCount() - kShownRows); r < t.rowCount(); ++r)
            newest.push_back(r);
        return t.rows(newest);
    }));
}

} // namespace tapgraphs
