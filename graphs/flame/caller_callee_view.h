// hotspot's caller/callee view: every function with its self and total
// samples (largest self first); the selected function's callers and callees
// below, each with the samples through that call.
#pragma once

#include "function_costs.h"

#include <QWidget>

class QTableView;
class QTableWidget;

namespace tapgraphs {

class FunctionCostModel;

class CallerCalleeView : public QWidget {
    Q_OBJECT
  public:
    explicit CallerCalleeView(QWidget* parent = nullptr);
    // The selection follows the same function in the new costs.
    void setCosts(const QVector<FunctionCost>& costs, const QVector<Frame>& frames);
    void select(const QString& function);
    QString selected() const;
    QTableView* functions() const { return functions_; }
    QTableWidget* callers() const { return callers_; }
    QTableWidget* callees() const { return callees_; }

  private:
    void showEdges();
    FunctionCostModel* model_;
    QTableView* functions_;
    QTableWidget *callers_, *callees_;
};

} // namespace tapgraphs
