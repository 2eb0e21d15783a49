#include "save_module_dialog.h"

#include "save_as_module.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>

namespace tapdash {

SaveModuleDialog::SaveModuleDialog(const QString& scriptPath, const tapgraphs::GraphSet& graphs,
                                   const QString& modulesRoot, QWidget* parent)
    : QDialog(parent), scriptPath_(scriptPath), modulesRoot_(modulesRoot), graphs_(graphs),
      base_(manifestForScript(scriptPath)), id_(new QLineEdit(base_.id)), name_(new QLineEdit(base_.name)),
      category_(new QComboBox), description_(new QPlainTextEdit(base_.description)),
      needs_(new QLineEdit(base_.needs.join(", "))), problem_(new QLabel) {
    setObjectName("SaveModuleDialog");
    setWindowTitle(tr("Save as Dashboard module"));
    category_->setEditable(true);
    category_->addItems({base_.category, "CPU", "Scheduler", "System calls", "Files", "Block I/O", "Network",
                         "Memory", "Processes", "Signals", "IRQs", "User space"});
    description_->setMaximumHeight(90);
    needs_->setToolTip(tr("Probe capabilities, comma-separated: tracepoint, uprobe, perf_event, ring_buffer, …"));
    problem_->setWordWrap(true);
    problem_->setStyleSheet("color: #b02020");
    auto* form = new QFormLayout(this);
    form->addRow(tr("Script:"), new QLabel(QFileInfo(scriptPath).fileName()));
    form->addRow(tr("Charts:"), new QLabel(QString::number(graphs.charts.size())));
    form->addRow(tr("Id:"), id_);
    form->addRow(tr("Name:"), name_);
    form->addRow(tr("Category:"), category_);
    form->addRow(tr("Description:"), description_);
    form->addRow(tr("Needs:"), needs_);
    form->addRow(tr("Saved in:"), new QLabel(modulesRoot));
    form->addRow(problem_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &SaveModuleDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
    if (graphs.charts.isEmpty())
        problem_->setText(tr("The script has no charts yet: plot it first (Run ▸ Run with graphs…)."));
}

ModuleManifest SaveModuleDialog::manifest() const {
    ModuleManifest m = base_;
    m.id = id_->text().trimmed();
    m.name = name_->text().trimmed();
    m.category = category_->currentText().trimmed();
    m.description = description_->toPlainText().trimmed();
    m.needs.clear();
    for (const QString& n : needs_->text().split(',', Qt::SkipEmptyParts))
        m.needs << n.trimmed();
    return m;
}

void SaveModuleDialog::accept() {
    QString error;
    savedDir_ = saveAsModule(scriptPath_, graphs_, manifest(), modulesRoot_, &error);
    if (savedDir_.isEmpty()) {
        problem_->setText(error);
        return;
    }
    QDialog::accept();
}

} // namespace tapdash
