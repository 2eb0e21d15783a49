#include "caller_callee_view.h"

#include "flame_colors.h"

#include <QAbstractTableModel>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace tapgraphs {

class FunctionCostModel : public QAbstractTableModel {
  public:
    using QAbstractTableModel::QAbstractTableModel;
    void set(const QVector<FunctionCost>& costs, const QVector<Frame>& frames) {
        beginResetModel();
        costs_ = costs;
        frames_ = frames;
        endResetModel();
    }
    const QVector<FunctionCost>& costs() const { return costs_; }
    const QVector<Frame>& frames() const { return frames_; }
    int rowCount(const QModelIndex& parent = {}) const override {
        return parent.isValid() ? 0 : int(costs_.size());
    }
    int columnCount(const QModelIndex& = {}) const override { return 3; }
    QVariant data(const QModelIndex& index, int role) const override {
        const FunctionCost& c = costs_[index.row()];
        const Frame& f = frames_[c.frame];
        if (role == Qt::DisplayRole)
            return index.column() == 0 ? f.name : valueText(index.column() == 1 ? c.self : c.total);
        if (role == Qt::DecorationRole && index.column() == 0) return kindColor(f.kind, f.name);
        if (role == Qt::ToolTipRole && index.column() == 0) return f.module;
        if (role == Qt::TextAlignmentRole && index.column() > 0)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    QVariant headerData(int section, Qt::Orientation o, int role) const override {
        if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
        return section == 0 ? tr("Function") : section == 1 ? tr("Self") : tr("Total");
    }

  private:
    QVector<FunctionCost> costs_;
    QVector<Frame> frames_;
};

namespace {

QTableWidget* edgeTable(const QString& heading) {
    auto* table = new QTableWidget(0, 2);
    table->setHorizontalHeaderLabels({heading, QObject::tr("Samples")});
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    return table;
}

} // namespace

CallerCalleeView::CallerCalleeView(QWidget* parent)
    : QWidget(parent), model_(new FunctionCostModel(this)), functions_(new QTableView),
      callers_(edgeTable(tr("Caller"))), callees_(edgeTable(tr("Callee"))) {
    functions_->setObjectName("CallerCalleeFunctions");
    functions_->setModel(model_);
    functions_->setSelectionBehavior(QAbstractItemView::SelectRows);
    functions_->setSelectionMode(QAbstractItemView::SingleSelection);
    functions_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    functions_->verticalHeader()->hide();
    connect(functions_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &CallerCalleeView::showEdges);
    auto* edges = new QSplitter(Qt::Horizontal);
    edges->addWidget(callers_);
    edges->addWidget(callees_);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(functions_);
    split->addWidget(edges);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);
}

QString CallerCalleeView::selected() const {
    QModelIndex current = functions_->currentIndex();
    return current.isValid()
               ? model_->data(model_->index(current.row(), 0), Qt::DisplayRole).toString()
               : QString();
}

void CallerCalleeView::setCosts(const QVector<FunctionCost>& costs, const QVector<Frame>& frames) {
    QString keep = selected();
    model_->set(costs, frames);
    select(keep);
    showEdges();
}

void CallerCalleeView::select(const QString& function) {
    for (int row = 0; row < model_->rowCount(); ++row)
        if (model_->frames()[model_->costs()[row].frame].name == function) {
            functions_->setCurrentIndex(model_->index(row, 0));
            return;
        }
}

void CallerCalleeView::showEdges() {
    int row = functions_->currentIndex().row();
    auto fill = [this](QTableWidget* table, const QHash<int, double>& edges) {
        QVector<std::pair<int, double>> sorted(edges.keyValueBegin(), edges.keyValueEnd());
        std::sort(sorted.begin(), sorted.end(),
                  [](auto& a, auto& b) { return a.second > b.second; });
        table->setRowCount(int(sorted.size()));
        for (int r = 0; r < sorted.size(); ++r) {
            table->setItem(r, 0, new QTableWidgetItem(model_->frames()[sorted[r].first].name));
            auto* value = new QTableWidgetItem(valueText(sorted[r].second));
            value->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            table->setItem(r, 1, value);
        }
    };
    if (row < 0 || row >= model_->rowCount()) {
        callers_->setRowCount(0);
        callees_->setRowCount(0);
        return;
    }
    fill(callers_, model_->costs()[row].callers);
    fill(callees_, model_->costs()[row].callees);
}

} // namespace tapgraphs
