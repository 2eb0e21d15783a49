// The "Run with graphs" wizard page: the charts proposed for the script's
// printf formats, all ticked; Plot (the default button) accepts them.
#pragma once

#include "chart_proposals.h"

#include <QDialog>

class QListWidget;

namespace tapgraphs {

class ProposalDialog : public QDialog {
    Q_OBJECT
  public:
    ProposalDialog(const QString& scriptName, const QVector<Proposal>& proposals,
                   QWidget* parent = nullptr);
    QVector<Proposal> accepted() const; // the ticked ones

  private:
    QVector<Proposal> proposals_;
    QListWidget* list_;
};

} // namespace tapgraphs
