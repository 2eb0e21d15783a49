#include "run_dock.h"

#include "icons.h"
#include "run_console.h"

#include <QFileInfo>
#include <QLabel>
#include <QTabBar>
#include <QTabWidget>

namespace tapide {

RunDock::RunDock(QWidget* parent) : QDockWidget(tr("Console"), parent) {
    setObjectName("ConsoleDock");
    tabs_ = new QTabWidget(this);
    tabs_->setTabsClosable(true);
    tabs_->setDocumentMode(true);
    tabs_->setMovable(true);
    auto* empty = new QLabel(tr("Run a script with F5: its output appears here, one tab per run."), tabs_);
    empty->setAlignment(Qt::AlignCenter);
    empty->setEnabled(false);
    tabs_->setProperty("placeholder", QVariant::fromValue<QObject*>(empty));
    tabs_->addTab(empty, tr("Console"));
    tabs_->tabBar()->setTabButton(0, QTabBar::RightSide, nullptr);
    setWidget(tabs_);
    connect(tabs_, &QTabWidget::tabCloseRequested, this, &RunDock::closeTab);
}

RunConsole* RunDock::addConsole(const QString& title) {
    if (auto* placeholder = tabs_->property("placeholder").value<QObject*>()) {
        tabs_->removeTab(tabs_->indexOf(static_cast<QWidget*>(placeholder)));
        placeholder->deleteLater();
        tabs_->setProperty("placeholder", QVariant());
    }
    auto* console = new RunConsole(tabs_);
    console->applyTheme(theme_, fontSize_);
    connect(console, &RunConsole::locationActivated, this, &RunDock::locationActivated);
    connect(console, &RunConsole::runTimeDiagnostic, this,
            [this, console](const ScriptDiagnostic& d) { emit runTimeDiagnostic(console->scriptPath(), d); });
    connect(console, &RunConsole::runningChanged, this, [this, console] {
        updateTab(console);
        emit runningChanged();
    });
    int index = tabs_->addTab(console, title);
    tabs_->setCurrentIndex(index);
    return console;
}

RunConsole* RunDock::startRun(const RunOptions& options) {
    ++runCounter_;
    QString title = QString("%1 #%2").arg(QFileInfo(options.script).fileName()).arg(runCounter_);
    if (!options.hosts.isEmpty())
        title = QString("%1 @ %2 #%3")
                    .arg(QFileInfo(options.script).fileName(), options.hosts.join(", "))
                    .arg(runCounter_);
    RunConsole* console = addConsole(title);
    emit runStarted(options.script);
    console->start(options);
    updateTab(console);
    show();
    raise();
    return console;
}

RunConsole* RunDock::currentConsole() const { return qobject_cast<RunConsole*>(tabs_->currentWidget()); }

QList<RunConsole*> RunDock::consoles() const {
    QList<RunConsole*> out;
    for (int i = 0; i < tabs_->count(); ++i)
        if (auto* c = qobject_cast<RunConsole*>(tabs_->widget(i)))
            out << c;
    return out;
}

RunConsole* RunDock::runningConsoleFor(const QString& script) const {
    for (RunConsole* c : consoles())
        if (c->running() && c->scriptPath() == script)
            return c;
    return nullptr;
}

void RunDock::stopCurrent() {
    if (RunConsole* c = currentConsole())
        c->stop();
}

void RunDock::stopAll() {
    for (RunConsole* c : consoles())
        c->stop();
}

void RunDock::closeTab(int index) {
    auto* console = qobject_cast<RunConsole*>(tabs_->widget(index));
    if (!console)
        return;
    console->stop();
    tabs_->removeTab(index);
    console->deleteLater(); // its session waits briefly for the child, then kills it
}

void RunDock::updateTab(RunConsole* console) {
    int index = tabs_->indexOf(console);
    if (index < 0)
        return;
    if (console->running())
        tabs_->setTabIcon(index, icons::run());
    else if (console->finished())
        tabs_->setTabIcon(index, console->exitCode() == 0 ? icons::info() : icons::error());
    else
        tabs_->setTabIcon(index, QIcon());
}

void RunDock::applyTheme(ThemeKind theme, int fontSize) {
    theme_ = theme;
    fontSize_ = fontSize;
    for (RunConsole* c : consoles())
        c->applyTheme(theme, fontSize);
}

} // namespace tapide
