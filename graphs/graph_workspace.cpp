#include "graph_workspace.h"

#include <QLabel>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>

namespace tapgraphs {

GraphWorkspace::GraphWorkspace(QWidget* parent)
    : QWidget(parent), stack_(new QStackedWidget), tabs_(new QTabWidget) {
    setObjectName("GraphWorkspace");
    auto* empty = new QLabel(
        tr("<h3>Graph</h3><p>Plot a running script: open it in the IDE and choose "
           "<b>Run ▸ Run with graphs…</b> (Ctrl+Alt+F5). Each printf of the script becomes a "
           "data set; the wizard proposes a chart for each.</p>"
           "<p>From a shell: <code>tapstudio --perspective graph --run SCRIPT "
           "[--graph-set FILE.json]</code>.</p>"));
    empty->setObjectName("GraphEmptyState");
    empty->setWordWrap(true);
    empty->setAlignment(Qt::AlignCenter);
    empty->setMargin(40);
    tabs_->setTabsClosable(true);
    tabs_->setDocumentMode(true);
    connect(tabs_, &QTabWidget::tabCloseRequested, this, &GraphWorkspace::closeTab);
    stack_->addWidget(empty);
    stack_->addWidget(tabs_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(stack_);
}

SessionPage* GraphWorkspace::run(const taprun::RunOptions& options, const GraphSet& set,
                                 SessionPage::Proposals proposals) {
    auto* page = new SessionPage(options, set, proposals);
    int index = tabs_->addTab(page, page->scriptName());
    tabs_->setCurrentIndex(index);
    stack_->setCurrentWidget(tabs_);
    connect(page, &SessionPage::statusChanged, this, [this, page](const QString& status) {
        tabs_->setTabToolTip(tabs_->indexOf(page), page->scriptName() + ": " + status);
    });
    emit sessionsChanged();
    return page;
}

QList<SessionPage*> GraphWorkspace::sessions() const {
    QList<SessionPage*> out;
    for (int i = 0; i < tabs_->count(); ++i)
        out << static_cast<SessionPage*>(tabs_->widget(i));
    return out;
}

SessionPage* GraphWorkspace::currentSession() const {
    return static_cast<SessionPage*>(tabs_->currentWidget());
}

bool GraphWorkspace::anyRunning() const {
    for (SessionPage* p : sessions())
        if (p->session()->running()) return true;
    return false;
}

void GraphWorkspace::closeTab(int index) {
    QWidget* page = tabs_->widget(index);
    tabs_->removeTab(index);
    delete page; // stops its script
    if (tabs_->count() == 0) stack_->setCurrentIndex(0);
    emit sessionsChanged();
}

} // namespace tapgraphs
