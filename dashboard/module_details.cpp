#include "module_details.h"

#include "graph_set.h"

#include <QFile>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace tapdash {

namespace {

// Arguments as a shell would be given them (QProcess::splitCommand reads them back).
QString joinArguments(const QStringList& arguments) {
    QStringList quoted;
    for (const QString& a : arguments)
        quoted << (a.isEmpty() || a.contains(' ') || a.contains('"') ? '"' + QString(a).replace('"', "\"\"\"") + '"' : a);
    return quoted.join(' ');
}

} // namespace

ModuleDetails::ModuleDetails(QWidget* parent)
    : QWidget(parent), summary_(new QTextBrowser), script_(new QPlainTextEdit), arguments_(new QLineEdit),
      command_(new QLineEdit), http_(new QLineEdit), globals_(new QTableWidget(0, 2)), settingsProblem_(new QLabel) {
    setObjectName("ModuleDetails");
    summary_->setObjectName("ModuleSummary");
    summary_->setOpenLinks(false);
    script_->setObjectName("ModuleScript");
    script_->setReadOnly(true);
    script_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    script_->setLineWrapMode(QPlainTextEdit::NoWrap);
    arguments_->setObjectName("ModuleArguments");
    arguments_->setPlaceholderText(tr("none ($1, $2, … as a shell splits them)"));
    command_->setObjectName("ModuleCommand");
    command_->setPlaceholderText(tr("none (the module watches the whole machine)"));
    http_->setObjectName("ModuleHttp");
    http_->setPlaceholderText(tr("nowhere (e.g. 9400: /metrics for Prometheus on 127.0.0.1:9400)"));
    globals_->setObjectName("ModuleGlobals");
    globals_->setHorizontalHeaderLabels({tr("Global (-G)"), tr("Value")});
    globals_->horizontalHeader()->setStretchLastSection(true);
    globals_->verticalHeader()->hide();
    globals_->setMaximumHeight(110);
    settingsProblem_->setStyleSheet("color: #b02020");
    settingsProblem_->setWordWrap(true);

    auto* settings = new QGroupBox(tr("Run settings"));
    settingsBox_ = settings;
    auto* form = new QFormLayout(settings);
    form->addRow(tr("Arguments:"), arguments_);
    form->addRow(tr("Command (-c):"), command_);
    form->addRow(tr("Publish (--http):"), http_);
    form->addRow(globals_);
    form->addRow(settingsProblem_);
    auto* scriptBox = new QGroupBox(tr("Script"));
    auto* scriptLayout = new QVBoxLayout(scriptBox);
    scriptLayout->addWidget(script_);
    auto* split = new QSplitter(Qt::Vertical);
    auto* upper = new QWidget;
    auto* upperLayout = new QVBoxLayout(upper);
    upperLayout->setContentsMargins(0, 0, 0, 0);
    upperLayout->addWidget(summary_, 1);
    upperLayout->addWidget(settings);
    split->addWidget(upper);
    split->addWidget(scriptBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(arguments_, &QLineEdit::textEdited, this, &ModuleDetails::storeEdits);
    connect(command_, &QLineEdit::textEdited, this, &ModuleDetails::storeEdits);
    connect(http_, &QLineEdit::textEdited, this, &ModuleDetails::storeEdits);
    connect(globals_, &QTableWidget::itemChanged, this, [this] {
        if (!filling_) storeEdits();
    });
    showModule(nullptr, {});
}

void ModuleDetails::showModule(const Module* module, const SystemReport& report) {
    filling_ = true;
    shownId_ = module ? module->manifest.id : QString();
    settingsBox_->setEnabled(module);
    if (!module) {
        summary_->setHtml(tr("<p>Select a module to see what it shows, its script and whether it can run here. "
                             "Select several (Ctrl or Shift) and press <b>Run</b> to run them all at once.</p>"));
        script_->clear();
        arguments_->clear();
        command_->clear();
        http_->clear();
        globals_->setRowCount(0);
        filling_ = false;
        return;
    }
    const ModuleManifest& m = module->manifest;
    QString why = whyModuleCannotRun(*module, report);
    QString runnable = !report.valid() ? tr("not known yet (the System view probes this machine)")
                       : why.isEmpty() ? tr("<span style='color:#1b7f3b'>yes</span>")
                                       : tr("<span style='color:#b02020'>no</span> — %1").arg(why.toHtmlEscaped());
    QStringList charts;
    for (const tapgraphs::ChartSpec& c : module->graphSet.charts)
        charts << QString("<li>%1 <i>(%2)</i></li>").arg(c.title.toHtmlEscaped(), tapgraphs::chartTypeName(c.type));
    summary_->setHtml(
        QString("<h3>%1</h3><p>%2</p>"
                "<table cellspacing=3>"
                "<tr><td><b>%3</b></td><td>%4</td></tr>"
                "<tr><td><b>%5</b></td><td>%6</td></tr>"
                "<tr><td><b>%7</b></td><td>%8</td></tr>"
                "<tr><td><b>%9</b></td><td>%10</td></tr>"
                "<tr><td><b>%11</b></td><td>%12</td></tr>"
                "</table><p><b>%13</b></p><ul>%14</ul>")
            .arg(m.name.toHtmlEscaped(), m.description.toHtmlEscaped(), tr("Can run here:"), runnable,
                 tr("Needs:"), m.needs.isEmpty() ? tr("nothing (user-space probes only)") : m.needs.join(", "),
                 tr("Category:"), m.category.toHtmlEscaped(),
                 tr("Module:"), QString("%1 %2 by %3 (%4)").arg(m.id, m.version, m.author.toHtmlEscaped(), module->origin),
                 tr("Folder:"), module->dir.toHtmlEscaped(), tr("Charts:"), charts.join("")));
    QFile f(module->scriptPath());
    script_->setPlainText(f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : f.errorString());
    RunSettings s = settingsFor(*module);
    arguments_->setText(joinArguments(s.arguments));
    command_->setText(s.command);
    http_->setText(s.http);
    globals_->setVisible(!s.globals.isEmpty()); // most modules have none: no empty table
    globals_->setRowCount(int(s.globals.size()));
    for (int i = 0; i < s.globals.size(); ++i) {
        auto* name = new QTableWidgetItem(s.globals[i].first);
        name->setFlags(Qt::ItemIsEnabled);
        globals_->setItem(i, 0, name);
        globals_->setItem(i, 1, new QTableWidgetItem(s.globals[i].second));
    }
    settingsProblem_->setText(problemText());
    filling_ = false;
}

void ModuleDetails::showBroken(const QString& dir, const QString& problems) {
    filling_ = true;
    shownId_.clear();
    settingsBox_->setEnabled(false);
    summary_->setHtml(tr("<h3>A broken module</h3><p>%1</p><p>It is not listed until these are fixed:</p><pre>%2</pre>")
                          .arg(dir.toHtmlEscaped(), problems.toHtmlEscaped()));
    script_->clear();
    filling_ = false;
}

RunSettings ModuleDetails::settingsFor(const Module& module) const {
    return edited_.value(module.manifest.id, RunSettings::defaultsOf(module.manifest));
}

QString ModuleDetails::problemText() const {
    if (QString http = http_->text().trimmed(); !http.isEmpty() && !validHttpAddress(http))
        return tr("--http: PORT, ADDRESS:PORT or [IPV6]:PORT, with PORT from 0 to 65535");
    for (int i = 0; i < globals_->rowCount(); ++i) {
        QTableWidgetItem* value = globals_->item(i, 1);
        if (value && !validGlobalValue(value->text()))
            return tr("-G %1: the value must be a number or a word (letters, digits, '_', '.', '-')")
                .arg(globals_->item(i, 0)->text());
    }
    return {};
}

void ModuleDetails::storeEdits() {
    if (shownId_.isEmpty()) return;
    RunSettings s;
    s.arguments = QProcess::splitCommand(arguments_->text());
    s.command = command_->text();
    s.http = http_->text().trimmed();
    for (int i = 0; i < globals_->rowCount(); ++i)
        s.globals.append({globals_->item(i, 0)->text(), globals_->item(i, 1) ? globals_->item(i, 1)->text() : QString()});
    edited_[shownId_] = s;
    settingsProblem_->setText(problemText());
}

} // namespace tapdash
