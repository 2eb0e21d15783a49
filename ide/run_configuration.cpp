#include "run_configuration.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

namespace tapide {

namespace {

QString shellQuote(const QString& s) {
    static const QRegularExpression plain("^[A-Za-z0-9_./=:,+@%-]+$");
    if (!s.isEmpty() && plain.match(s).hasMatch())
        return s;
    QString q = s;
    q.replace("'", "'\\''");
    return "'" + q + "'";
}

QStringList nonEmptyLines(const QString& text) {
    QStringList out;
    for (const QString& line : text.split('\n')) {
        QString t = line.trimmed();
        if (!t.isEmpty())
            out << t;
    }
    return out;
}

const QRegularExpression& assignment() {
    static const QRegularExpression re("^[A-Za-z_][A-Za-z0-9_]*=.*$");
    return re;
}

} // namespace

QStringList RunConfiguration::translationOptions() const {
    QStringList o;
    if (guru)
        o << "-g";
    for (const QString& d : defines)
        o << "-D" << d;
    for (const QString& g : globals)
        o << "-G" << g;
    return o;
}

QStringList RunConfiguration::tstapOptions() const {
    QStringList o;
    for (int i = 0; i < verbose; ++i)
        o << "-v";
    if (lastPass >= 1 && lastPass < 5)
        o << "-p" << QString::number(lastPass);
    if (!outputFile.isEmpty())
        o << "-o" << outputFile;
    if (bulk)
        o << "-b";
    if (!command.isEmpty())
        o << "-c" << command;
    if (targetPid > 0)
        o << "-x" << QString::number(targetPid);
    if (timeoutSeconds > 0)
        o << "-T" << QString::number(timeoutSeconds);
    o << translationOptions();
    return o;
}

QStringList RunConfiguration::scriptArgs() const { return splitShellWords(arguments); }

QStringList splitShellWords(const QString& text) {
    // As a POSIX shell splits words: 'single' and "double" quotes, backslash escapes.
    QStringList out;
    QString word;
    bool inWord = false;
    QChar quote;
    for (int i = 0; i < text.size(); ++i) {
        QChar c = text[i];
        if (quote == '\'') {
            if (c == '\'')
                quote = QChar();
            else
                word += c;
        } else if (quote == '"') {
            if (c == '"')
                quote = QChar();
            else if (c == '\\' && i + 1 < text.size() && QString("\"\\$`").contains(text[i + 1]))
                word += text[++i];
            else
                word += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            inWord = true;
        } else if (c == '\\' && i + 1 < text.size()) {
            word += text[++i];
            inWord = true;
        } else if (c.isSpace()) {
            if (inWord)
                out << word;
            word.clear();
            inWord = false;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (inWord)
        out << word;
    return out;
}

bool RunConfiguration::isDefault() const { return *this == RunConfiguration{}; }

QString RunConfiguration::commandLine(const QString& script) const {
    QStringList words;
    for (const QString& o : tstapOptions())
        words << shellQuote(o);
    words << shellQuote(QFileInfo(script).fileName().isEmpty() ? script : QFileInfo(script).fileName());
    for (const QString& a : scriptArgs())
        words << shellQuote(a);
    if (hosts.isEmpty())
        return "tstap " + words.join(' ');
    QStringList runs; // one run per host, each its own console
    for (const QString& host : hosts)
        runs << "tstap --remote " + shellQuote(host) + " " + words.join(' ');
    return runs.join('\n');
}

QStringList RunConfiguration::problems() const {
    QStringList out;
    for (const QString& d : defines)
        if (!assignment().match(d).hasMatch())
            out << QObject::tr("-D needs NAME=VALUE: %1").arg(d);
    for (const QString& g : globals)
        if (!assignment().match(g).hasMatch())
            out << QObject::tr("-G needs NAME=VALUE: %1").arg(g);
    if (!command.isEmpty() && targetPid > 0)
        out << QObject::tr("-c and -x both set target(): use one");
    for (const QString& host : hosts)
        if (host.contains(QRegularExpression("\\s")) || host.startsWith('-'))
            out << QObject::tr("a host is [ssh://][USER@]HOST[:PORT], one per line: %1").arg(host);
    if (!hosts.isEmpty() && !outputFile.isEmpty())
        out << QObject::tr("-o cannot go with hosts: each host's output comes to its console");
    if (arguments.count('"') % 2 || arguments.count('\'') % 2)
        out << QObject::tr("unbalanced quotes in the script arguments");
    return out;
}

QString RunConfiguration::settingsGroup(const QString& scriptPath) {
    QString abs = scriptPath.isEmpty() ? QString() : QFileInfo(scriptPath).absoluteFilePath();
    // The path as one key: '/' would otherwise nest groups.
    return "runConfigurations/" + QString::fromLatin1(QUrl::toPercentEncoding(abs));
}

RunConfiguration RunConfiguration::load(const QString& scriptPath) {
    RunConfiguration c;
    if (scriptPath.isEmpty())
        return c;
    QSettings s;
    s.beginGroup(settingsGroup(scriptPath));
    c.verbose = std::clamp(s.value("verbose", 0).toInt(), 0, 5);
    c.lastPass = std::clamp(s.value("lastPass", 5).toInt(), 1, 5);
    c.outputFile = s.value("outputFile").toString();
    c.bulk = s.value("bulk", false).toBool();
    c.command = s.value("command").toString();
    c.targetPid = s.value("targetPid", 0).toLongLong();
    c.globals = s.value("globals").toStringList();
    c.defines = s.value("defines").toStringList();
    c.timeoutSeconds = std::max(0, s.value("timeout", 0).toInt());
    c.guru = s.value("guru", false).toBool();
    c.arguments = s.value("arguments").toString();
    c.hosts = s.value("hosts").toStringList();
    return c;
}

void RunConfiguration::save(const QString& scriptPath) const {
    if (scriptPath.isEmpty())
        return;
    if (isDefault()) {
        remove(scriptPath);
        return;
    }
    QSettings s;
    s.beginGroup(settingsGroup(scriptPath));
    s.setValue("verbose", verbose);
    s.setValue("lastPass", lastPass);
    s.setValue("outputFile", outputFile);
    s.setValue("bulk", bulk);
    s.setValue("command", command);
    s.setValue("targetPid", targetPid);
    s.setValue("globals", globals);
    s.setValue("defines", defines);
    s.setValue("timeout", timeoutSeconds);
    s.setValue("guru", guru);
    s.setValue("arguments", arguments);
    s.setValue("hosts", hosts);
}

void RunConfiguration::remove(const QString& scriptPath) {
    QSettings s;
    s.remove(settingsGroup(scriptPath));
}

RunConfigurationDialog::RunConfigurationDialog(const QString& scriptPath, const RunConfiguration& config,
                                               QWidget* parent)
    : QDialog(parent), script_(scriptPath) {
    setObjectName("RunConfigurationDialog");
    setWindowTitle(tr("Run Configuration — %1").arg(QFileInfo(scriptPath).fileName()));
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    arguments_ = new QLineEdit(this);
    arguments_->setObjectName("arguments");
    arguments_->setPlaceholderText(tr("$1 $2 … (@1 for strings), shell quoting"));
    form->addRow(tr("Script &arguments:"), arguments_);

    timeout_ = new QSpinBox(this);
    timeout_->setObjectName("timeout");
    timeout_->setRange(0, 7 * 24 * 3600);
    timeout_->setSpecialValueText(tr("none"));
    timeout_->setSuffix(tr(" s"));
    form->addRow(tr("Stop after (-&T):"), timeout_);

    command_ = new QLineEdit(this);
    command_->setObjectName("command");
    command_->setPlaceholderText(tr("a command to run and trace; target() is its pid"));
    form->addRow(tr("&Command (-c):"), command_);

    pid_ = new QSpinBox(this);
    pid_->setObjectName("targetPid");
    pid_->setRange(0, 1 << 22);
    pid_->setSpecialValueText(tr("none"));
    form->addRow(tr("Target &PID (-x):"), pid_);

    auto* outputRow = new QHBoxLayout;
    output_ = new QLineEdit(this);
    output_->setObjectName("outputFile");
    output_->setPlaceholderText(tr("the console"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        QString f = QFileDialog::getSaveFileName(this, tr("Output File"), output_->text());
        if (!f.isEmpty())
            output_->setText(f);
    });
    outputRow->addWidget(output_, 1);
    outputRow->addWidget(browse);
    // A row of a layout gets no buddy from QFormLayout: its & would show.
    auto* outputLabel = new QLabel(tr("&Output file (-o):"), this);
    outputLabel->setBuddy(output_);
    form->addRow(outputLabel, outputRow);

    bulk_ = new QCheckBox(tr("Bulk per-CPU output (-b)"), this);
    bulk_->setObjectName("bulk");
    guru_ = new QCheckBox(tr("Guru mode: allow embedded C (-g)"), this);
    guru_->setObjectName("guru");
    form->addRow(QString(), bulk_);
    form->addRow(QString(), guru_);

    verbose_ = new QSpinBox(this);
    verbose_->setObjectName("verbose");
    verbose_->setRange(0, 5);
    verbose_->setSpecialValueText(tr("quiet"));
    verbose_->setPrefix(tr("-v × "));
    form->addRow(tr("&Verbosity:"), verbose_);

    pass_ = new QSpinBox(this);
    pass_->setObjectName("lastPass");
    pass_->setRange(1, 5);
    pass_->setToolTip(tr("1 parse, 2 elaborate, 3 translate to C, 4 compile, 5 run"));
    form->addRow(tr("Stop after &pass (-p):"), pass_);

    defines_ = new QPlainTextEdit(this);
    defines_->setObjectName("defines");
    defines_->setPlaceholderText(tr("one NAME=VALUE per line, e.g. MAXSTRINGLEN=1024"));
    defines_->setFixedHeight(54);
    form->addRow(tr("&Limits (-D):"), defines_);

    globals_ = new QPlainTextEdit(this);
    globals_->setObjectName("globals");
    globals_->setPlaceholderText(tr("one NAME=VALUE per line: a global's initial value"));
    globals_->setFixedHeight(54);
    form->addRow(tr("&Globals (-G):"), globals_);

    hosts_ = new QPlainTextEdit(this);
    hosts_->setObjectName("hosts");
    hosts_->setPlaceholderText(tr("this machine; or one [ssh://][USER@]HOST[:PORT] per line: the script runs on "
                                  "each at once over ssh, one console per host"));
    hosts_->setFixedHeight(54);
    form->addRow(tr("&Hosts (--remote):"), hosts_);

    preview_ = new QLabel(this);
    preview_->setObjectName("preview");
    preview_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    preview_->setWordWrap(true);
    problems_ = new QLabel(this);
    problems_->setObjectName("problems");
    problems_->setStyleSheet("color: #c62828");
    problems_->setWordWrap(true);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel |
                                         QDialogButtonBox::RestoreDefaults, this);
    ok_ = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &RunConfigurationDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] { setConfiguration(RunConfiguration{}); });

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("<b>Command line</b> (the IDE adds <tt>--json</tt>):"), this));
    layout->addWidget(preview_);
    layout->addWidget(problems_);
    layout->addWidget(buttons);

    setConfiguration(config);
    for (QLineEdit* e : {arguments_, command_, output_})
        connect(e, &QLineEdit::textChanged, this, &RunConfigurationDialog::update);
    for (QSpinBox* b : {timeout_, pid_, verbose_, pass_})
        connect(b, &QSpinBox::valueChanged, this, &RunConfigurationDialog::update);
    for (QCheckBox* b : {bulk_, guru_})
        connect(b, &QCheckBox::toggled, this, &RunConfigurationDialog::update);
    for (QPlainTextEdit* e : {defines_, globals_, hosts_})
        connect(e, &QPlainTextEdit::textChanged, this, &RunConfigurationDialog::update);
    resize(560, sizeHint().height());
}

RunConfiguration RunConfigurationDialog::configuration() const {
    RunConfiguration c;
    c.verbose = verbose_->value();
    c.lastPass = pass_->value();
    c.outputFile = output_->text().trimmed();
    c.bulk = bulk_->isChecked();
    c.command = command_->text().trimmed();
    c.targetPid = pid_->value();
    c.globals = nonEmptyLines(globals_->toPlainText());
    c.defines = nonEmptyLines(defines_->toPlainText());
    c.timeoutSeconds = timeout_->value();
    c.guru = guru_->isChecked();
    c.arguments = arguments_->text().trimmed();
    c.hosts = nonEmptyLines(hosts_->toPlainText());
    return c;
}

void RunConfigurationDialog::setConfiguration(const RunConfiguration& c) {
    verbose_->setValue(c.verbose);
    pass_->setValue(c.lastPass);
    output_->setText(c.outputFile);
    bulk_->setChecked(c.bulk);
    command_->setText(c.command);
    pid_->setValue(int(c.targetPid));
    globals_->setPlainText(c.globals.join('\n'));
    defines_->setPlainText(c.defines.join('\n'));
    timeout_->setValue(c.timeoutSeconds);
    guru_->setChecked(c.guru);
    arguments_->setText(c.arguments);
    hosts_->setPlainText(c.hosts.join('\n'));
    update();
}

QString RunConfigurationDialog::preview() const { return configuration().commandLine(script_); }

void RunConfigurationDialog::update() {
    RunConfiguration c = configuration();
    preview_->setText("<tt>" + c.commandLine(script_).toHtmlEscaped().replace('\n', "<br>") + "</tt>");
    QStringList p = c.problems();
    problems_->setText(p.join("<br>"));
    problems_->setVisible(!p.isEmpty());
    ok_->setEnabled(p.isEmpty());
}

void RunConfigurationDialog::accept() {
    if (!configuration().problems().isEmpty())
        return; // shown under the command line
    QDialog::accept();
}

} // namespace tapide
