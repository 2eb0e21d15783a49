#include "proposal_dialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace tapgraphs {

ProposalDialog::ProposalDialog(const QString& scriptName, const QVector<Proposal>& proposals,
                               QWidget* parent)
    : QDialog(parent), proposals_(proposals), list_(new QListWidget) {
    setWindowTitle(tr("Run with graphs: %1").arg(scriptName));
    auto* intro = new QLabel(
        proposals.isEmpty()
            ? tr("%1 prints no numbers: there is nothing to plot. The run goes on.").arg(scriptName)
            : tr("%1 is running. Plot these outputs:").arg(scriptName));
    intro->setWordWrap(true);
    for (const Proposal& p : proposals) {
        auto* item = new QListWidgetItem(
            p.description + "\n    " +
                (p.dataSet.format.isEmpty() ? p.chart.title : formatLabel(p.dataSet.format)),
            list_);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Plot"));
    buttons->button(QDialogButtonBox::Ok)->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(list_, 1);
    layout->addWidget(buttons);
    resize(560, 320);
}

QVector<Proposal> ProposalDialog::accepted() const {
    QVector<Proposal> out;
    for (int i = 0; i < list_->count(); ++i)
        if (list_->item(i)->checkState() == Qt::Checked) out.push_back(proposals_[i]);
    return out;
}

} // namespace tapgraphs
