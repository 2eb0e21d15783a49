#include "regex_data_set_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>

namespace tapgraphs {

RegexDataSetDialog::RegexDataSetDialog(const QStringList& takenNames, QWidget* parent)
    : QDialog(parent), taken_(takenNames), name_(new QLineEdit), regex_(new QLineEdit),
      columns_(new QLineEdit), problem_(new QLabel) {
    setWindowTitle(tr("New regex data set"));
    name_->setText(tr("lines"));
    regex_->setPlaceholderText(R"(^(\S+)\s+(\d+)$)");
    columns_->setPlaceholderText(tr("command:string, calls:long"));
    problem_->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    ok_ = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit* e : {name_, regex_, columns_})
        connect(e, &QLineEdit::textChanged, this, &RegexDataSetDialog::check);
    auto* form = new QFormLayout(this);
    form->addRow(tr("Name"), name_);
    form->addRow(tr("Regular expression (one output line)"), regex_);
    form->addRow(tr("Columns, one per group"), columns_);
    form->addRow(problem_);
    form->addRow(buttons);
    resize(560, 200);
    check();
}

QVector<Column> RegexDataSetDialog::parseColumns(const QString& text) {
    QVector<Column> columns;
    for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
        QStringList nameType = part.split(':');
        columns.push_back(
            {nameType[0].trimmed(), typeFromName(nameType.value(1, "string").trimmed())});
    }
    return columns;
}

QString RegexDataSetDialog::problem(const DataSetSpec& spec, const QStringList& takenNames) {
    if (spec.name.isEmpty() || takenNames.contains(spec.name))
        return tr("The data set needs a name of its own.");
    QRegularExpression re(spec.regex);
    if (spec.regex.isEmpty() || !re.isValid())
        return tr("The regular expression is not valid: %1").arg(re.errorString());
    if (re.captureCount() == 0)
        return tr("The regular expression needs a capture group (…) per column.");
    if (re.captureCount() != spec.columns.size())
        return tr("Name one column per capture group (groups: %1, names: %2).")
            .arg(re.captureCount())
            .arg(spec.columns.size());
    return {};
}

DataSetSpec RegexDataSetDialog::spec() const {
    DataSetSpec s;
    s.name = name_->text().trimmed();
    s.source = DataSetSpec::Source::Regex;
    s.regex = regex_->text();
    s.columns = parseColumns(columns_->text());
    return s;
}

void RegexDataSetDialog::check() {
    QString why = problem(spec(), taken_);
    problem_->setText(why);
    ok_->setEnabled(why.isEmpty());
}

} // namespace tapgraphs
