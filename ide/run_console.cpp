#include "run_console.h"

#include "icons.h"
#include "plural.h"

#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QStyle>
#include <QTextBlock>
#include <QToolButton>
#include <QVBoxLayout>

namespace tapide {

namespace {

constexpr char kLinkPrefix[] = "tapstudio-location:";

QString elapsedText(qint64 ms) {
    qint64 s = ms / 1000;
    return QString("%1:%2").arg(s / 60, 2, 10, QChar('0')).arg(s % 60, 2, 10, QChar('0'));
}

ScriptDiagnostic runTimeDiagnosticOf(const RunEvent& e) {
    ScriptDiagnostic d;
    d.error = e.error;
    d.phase = "run-time";
    d.file = e.file;
    d.line = e.line;
    d.col = e.col;
    d.message = e.message;
    d.subject = e.object.value("subject").toString();
    d.text = e.text;
    return d;
}

} // namespace

RunConsole::RunConsole(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto* bar = new QWidget(this);
    auto* barLayout = new QHBoxLayout(bar);
    barLayout->setContentsMargins(6, 2, 4, 2);
    status_ = new QLabel(bar);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    stopButton_ = new QToolButton(bar);
    stopButton_->setIcon(icons::stop());
    stopButton_->setToolTip(tr("Stop (Shift+F5): end probes run, then tstap exits"));
    stopButton_->setAutoRaise(true);
    stopButton_->setEnabled(false);
    auto* clear = new QToolButton(bar);
    clear->setIcon(style()->standardIcon(QStyle::SP_DialogResetButton));
    clear->setToolTip(tr("Clear the output"));
    clear->setAutoRaise(true);
    auto* save = new QToolButton(bar);
    save->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
    save->setToolTip(tr("Save the log"));
    save->setAutoRaise(true);
    barLayout->addWidget(status_, 1);
    barLayout->addWidget(stopButton_);
    barLayout->addWidget(clear);
    barLayout->addWidget(save);
    output_ = new QPlainTextEdit(this);
    output_->setReadOnly(true);
    output_->setUndoRedoEnabled(false);
    output_->setMaximumBlockCount(200000);
    output_->setLineWrapMode(QPlainTextEdit::WidgetWidth); // whole lines, no sideways scrolling
    output_->viewport()->installEventFilter(this);
    output_->viewport()->setMouseTracking(true);
    layout->addWidget(bar);
    layout->addWidget(output_, 1);

    flushTimer_.setSingleShot(true);
    flushTimer_.setInterval(30);
    connect(&flushTimer_, &QTimer::timeout, this, &RunConsole::flushPending);
    clockTimer_.setInterval(1000);
    connect(&clockTimer_, &QTimer::timeout, this, &RunConsole::updateStatus);
    connect(stopButton_, &QToolButton::clicked, this, &RunConsole::stop);
    connect(clear, &QToolButton::clicked, this, [this] {
        flushPending();
        output_->clear();
        links_.clear();
    });
    connect(save, &QToolButton::clicked, this, [this] {
        QString path = QFileDialog::getSaveFileName(this, tr("Save Log"), QFileInfo(script_).completeBaseName() + ".log");
        if (!path.isEmpty())
            saveLog(path);
    });
    applyTheme(ThemeKind::Light, kDefaultFontSize);
    updateStatus();
}

void RunConsole::start(const RunOptions& options) {
    script_ = options.script;
    session_ = new RunSession(this);
    connect(session_, &RunSession::event, this, &RunConsole::handleEvent);
    connect(session_, &RunSession::stderrLine, this, &RunConsole::handleStderr);
    connect(session_, &RunSession::finished, this, &RunConsole::handleFinished);
    connect(session_, &RunSession::failedToStart, this, [this](const QString& message) {
        appendLine(tr("Could not start %1: %2").arg(session_->command().program, message), Style::Error);
        handleFinished(-1, true);
    });
    RunCommand cmd = RunSession::commandFor(options);
    append("$ " + cmd.display() + "\n", Style::Info);
    if (!cmd.escalation.isEmpty())
        append(tr("The script has kernel probes: running tstap through %1.\n").arg(cmd.escalation), Style::Info);
    state_ = tr("Running");
    finished_ = false;
    stopButton_->setEnabled(true);
    clockTimer_.start();
    session_->start(options);
    updateStatus();
    emit runningChanged(true);
}

void RunConsole::stop() {
    if (!session_ || !running())
        return;
    if (session_->state() == RunSession::State::Stopping) {
        session_->kill(); // a second Stop: no more waiting
        return;
    }
    state_ = tr("Stopping");
    session_->stop();
    append(tr("Stop requested (SIGINT): waiting for end probes…\n"), Style::Info);
    updateStatus();
}

bool RunConsole::running() const { return !finished_ && session_ && session_->state() != RunSession::State::Idle; }

void RunConsole::handleEvent(const RunEvent& e) {
    events_.push_back(e);
    switch (e.kind) {
    case RunEvent::Text:
        append(e.text, Style::Text);
        break;
    case RunEvent::Printf:
    case RunEvent::Out:
        append(e.text, Style::Text);
        break;
    case RunEvent::Hello:
        append(tr("tstap protocol %1, pid %2\n").arg(e.version).arg(e.pid), Style::Info);
        break;
    case RunEvent::Pass:
        append(tr("Pass %1: %2 ms\n").arg(e.pass).arg(e.ms, 0, 'f', 1), Style::Info);
        break;
    case RunEvent::Formats:
        break;
    case RunEvent::Started:
        probes_ = e.probes;
        state_ = tr("Running");
        break;
    case RunEvent::Diag: {
        TextLocation loc;
        if (e.line > 0) {
            QString text = e.text;
            loc = findLocation(text);
            if (!loc.valid || loc.line != e.line) {
                loc = {};
                loc.valid = true;
                loc.file = e.file;
                loc.line = e.line;
                loc.col = e.col;
                loc.start = -1; // link the first line
            }
        }
        errorCount_ += e.error;
        append(e.text.endsWith('\n') ? e.text : e.text + "\n", e.error ? Style::Error : Style::Warning, loc);
        if (e.line > 0 && e.object.value("phase").toString() == "run-time")
            emit runTimeDiagnostic(runTimeDiagnosticOf(e));
        break;
    }
    case RunEvent::Drops:
        drops_ = e.drops;
        append(plural(e.drops, "output record", "output records") + tr(" dropped: the ring buffer was full.\n"), Style::Warning);
        break;
    case RunEvent::Stopped:
        sawStopped_ = true;
        drops_ = e.drops;
        append(tr("Stopped: %1, exit code %2%3\n")
                   .arg(e.reason)
                   .arg(e.exitCode)
                   .arg(e.drops ? tr(", %1 dropped").arg(e.drops) : QString()),
               e.exitCode ? Style::Error : Style::Info);
        break;
    case RunEvent::Unknown:
        break;
    }
    updateStatus();
}

void RunConsole::feedStdout(const QByteArray& bytes) {
    for (const RunEvent& e : protocol_.feed(bytes))
        handleEvent(e);
}

void RunConsole::handleStderr(const QString& line) {
    QString l = line;
    if (!l.endsWith('\n'))
        l += '\n';
    QString lower = l.toLower();
    Style style = Style::Error;
    if (lower.startsWith("warning"))
        style = Style::Warning;
    else if (lower.startsWith("pass ") || lower.startsWith("note"))
        style = Style::Info;
    if (style == Style::Error && (lower.contains("error")))
        ++errorCount_;
    appendLine(l, style);
}

void RunConsole::handleFinished(int exitCode, bool crashed) {
    for (const RunEvent& e : protocol_.flush())
        handleEvent(e);
    exitCode_ = exitCode;
    finished_ = true;
    clockTimer_.stop();
    stopButton_->setEnabled(false);
    if (crashed && exitCode != -1)
        state_ = tr("Killed");
    else if (crashed)
        state_ = tr("Failed to start");
    else
        state_ = exitCode == 0 ? tr("Finished") : tr("Failed");
    append(tr("[%1 — exit code %2]\n").arg(state_).arg(exitCode), exitCode == 0 && !crashed ? Style::Info : Style::Error);
    flushPending();
    updateStatus();
    emit runningChanged(false);
    emit runFinished(exitCode);
}

void RunConsole::appendLine(const QString& text, Style style) { append(text, style, findLocation(text)); }

void RunConsole::append(const QString& text, Style style, const TextLocation& link) {
    if (text.isEmpty())
        return;
    pending_.push_back({text, style, link});
    if (!flushTimer_.isActive())
        flushTimer_.start();
}

QTextCharFormat RunConsole::formatFor(Style style) const {
    const EditorColors& c = editorColors(theme_);
    QTextCharFormat f;
    switch (style) {
    case Style::Text: f.setForeground(c.consoleText); break;
    case Style::Error: f.setForeground(c.consoleError); break;
    case Style::Warning: f.setForeground(c.consoleWarning); break;
    case Style::Info:
        f.setForeground(c.consoleInfo);
        f.setFontItalic(true);
        break;
    }
    return f;
}

void RunConsole::flushPending() {
    if (pending_.isEmpty())
        return;
    QScrollBar* sb = output_->verticalScrollBar();
    bool atEnd = sb->value() >= sb->maximum() - 4;
    QTextCursor cursor(output_->document());
    cursor.movePosition(QTextCursor::End);
    cursor.beginEditBlock();
    for (const Chunk& chunk : pending_) {
        QTextCharFormat base = formatFor(chunk.style);
        if (!chunk.link.valid) {
            cursor.insertText(chunk.text, base);
            continue;
        }
        int start = chunk.link.start, length = chunk.link.length;
        if (start < 0) { // link the whole first line
            start = 0;
            length = int(chunk.text.indexOf('\n'));
            if (length < 0)
                length = int(chunk.text.size());
        }
        QString target = QString("%1%2:%3:%4").arg(kLinkPrefix, chunk.link.file).arg(chunk.link.line).arg(chunk.link.col);
        QTextCharFormat linkFormat = base;
        linkFormat.setAnchor(true);
        linkFormat.setAnchorHref(target);
        linkFormat.setFontUnderline(true);
        linkFormat.setForeground(editorColors(theme_).consoleLink);
        cursor.insertText(chunk.text.left(start), base);
        cursor.insertText(chunk.text.mid(start, length), linkFormat);
        cursor.insertText(chunk.text.mid(start + length), base);
        links_ << target.mid(int(strlen(kLinkPrefix)));
    }
    cursor.endEditBlock();
    pending_.clear();
    if (atEnd)
        sb->setValue(sb->maximum());
}

QString RunConsole::plainText() const {
    const_cast<RunConsole*>(this)->flushPending();
    return output_->toPlainText();
}

QStringList RunConsole::links() const {
    const_cast<RunConsole*>(this)->flushPending();
    return links_;
}

void RunConsole::activateLink(int n) {
    QStringList l = links();
    if (n < 0 || n >= l.size())
        return;
    QString target = l[n];
    int c2 = int(target.lastIndexOf(':'));
    int c1 = int(target.lastIndexOf(':', c2 - 1));
    emit locationActivated(target.left(c1), target.mid(c1 + 1, c2 - c1 - 1).toInt(), target.mid(c2 + 1).toInt());
}

bool RunConsole::eventFilter(QObject* watched, QEvent* event) {
    if (watched == output_->viewport()) {
        if (event->type() == QEvent::MouseButtonRelease) {
            auto* me = static_cast<QMouseEvent*>(event);
            QString href = output_->anchorAt(me->position().toPoint());
            if (href.startsWith(kLinkPrefix) && !output_->textCursor().hasSelection()) {
                QString target = href.mid(int(strlen(kLinkPrefix)));
                int c2 = int(target.lastIndexOf(':'));
                int c1 = int(target.lastIndexOf(':', c2 - 1));
                emit locationActivated(target.left(c1), target.mid(c1 + 1, c2 - c1 - 1).toInt(),
                                       target.mid(c2 + 1).toInt());
                return true;
            }
        } else if (event->type() == QEvent::MouseMove) {
            auto* me = static_cast<QMouseEvent*>(event);
            bool onLink = output_->anchorAt(me->position().toPoint()).startsWith(kLinkPrefix);
            output_->viewport()->setCursor(onLink ? Qt::PointingHandCursor : Qt::IBeamCursor);
        }
    }
    return QWidget::eventFilter(watched, event);
}

QString RunConsole::statusText() const { return status_->text(); }

void RunConsole::updateStatus() {
    QStringList parts{state_};
    if (probes_ >= 0)
        parts << plural(probes_, "probe", "probes");
    if (session_)
        parts << elapsedText(session_->elapsedMs());
    if (drops_)
        parts << tr("%1 dropped").arg(drops_);
    if (finished_)
        parts << tr("exit code %1").arg(exitCode_);
    if (errorCount_)
        parts << plural(errorCount_, "error", "errors");
    QString name = script_.isEmpty() ? QString() : QFileInfo(script_).fileName() + " — ";
    status_->setText(name + parts.join(" · "));
}

void RunConsole::applyTheme(ThemeKind theme, int fontSize) {
    theme_ = theme;
    const EditorColors& c = editorColors(theme);
    output_->setFont(editorFont(fontSize));
    QPalette p = output_->palette();
    p.setColor(QPalette::Base, c.consoleBack);
    p.setColor(QPalette::Text, c.consoleText);
    output_->setPalette(p);
}

bool RunConsole::saveLog(const QString& path) const {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    f.write(plainText().toUtf8());
    return true;
}

} // namespace tapide
