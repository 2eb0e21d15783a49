#include "graph_workspace.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace tapgraphs {

GraphWorkspace::GraphWorkspace(QWidget* parent)
    : QWidget(parent), sideBySideButton_(new QToolButton), stack_(new QStackedWidget),
      tabs_(new QTabWidget), columns_(new QSplitter(Qt::Horizontal)) {
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
    connect(tabs_, &QTabWidget::tabCloseRequested, this,
            [this](int index) { close(static_cast<SessionPage*>(tabs_->widget(index))); });
    columns_->setChildrenCollapsible(false);
    sideBySideButton_->setText(tr("Side by side"));
    sideBySideButton_->setCheckable(true);
    sideBySideButton_->setToolTip(tr("Show every session at once, in columns"));
    sideBySideButton_->setAutoRaise(true);
    connect(sideBySideButton_, &QToolButton::toggled, this, &GraphWorkspace::setSideBySide);
    stack_->addWidget(empty);
    stack_->addWidget(tabs_);
    stack_->addWidget(columns_);
    sideBySideButton_->hide();
    // The layout switch sits above both layouts, so it can switch back.
    auto* header = new QHBoxLayout;
    header->setContentsMargins(4, 0, 4, 0);
    header->addStretch(1);
    header->addWidget(sideBySideButton_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(header);
    layout->addWidget(stack_, 1);
}

SessionPage* GraphWorkspace::run(const taprun::RunOptions& options, const GraphSet& set,
                                 SessionPage::Proposals proposals) {
    auto* page = new SessionPage(options, set, proposals);
    sessions_ << page;
    connect(page, &SessionPage::closeRequested, this, [this, page] { close(page); });
    connect(page, &SessionPage::statusChanged, this, [this, page](const QString& status) {
        if (int i = tabs_->indexOf(page); i >= 0)
            tabs_->setTabToolTip(i, page->scriptName() + ": " + status);
    });
    if (sideBySide())
        columns_->addWidget(page);
    else
        tabs_->setCurrentIndex(tabs_->addTab(page, page->scriptName()));
    showCurrentLayout();
    emit sessionsChanged();
    return page;
}

QList<SessionPage*> GraphWorkspace::sessions() const {
    return sessions_;
}

SessionPage* GraphWorkspace::currentSession() const {
    return sideBySide() ? sessions_.value(0) : static_cast<SessionPage*>(tabs_->currentWidget());
}

bool GraphWorkspace::anyRunning() const {
    for (SessionPage* p : sessions_)
        if (p->session()->running()) return true;
    return false;
}

void GraphWorkspace::close(SessionPage* page) {
    if (!sessions_.removeOne(page)) return;
    delete page; // leaves its tab or column; stops its script
    showCurrentLayout();
    emit sessionsChanged();
}

bool GraphWorkspace::sideBySide() const {
    return sideBySideButton_->isChecked();
}

void GraphWorkspace::setSideBySide(bool on) {
    if (sideBySideButton_->isChecked() != on) {
        sideBySideButton_->setChecked(on); // comes back here through toggled
        return;
    }
    // Pages move between the tab widget and the columns (reparented, kept running).
    for (SessionPage* page : sessions_) {
        if (on) {
            tabs_->removeTab(tabs_->indexOf(page));
            columns_->addWidget(page);
        } else {
            tabs_->addTab(page, page->scriptName());
        }
        page->show();
    }
    showCurrentLayout();
}

void GraphWorkspace::showCurrentLayout() {
    sideBySideButton_->setVisible(sessions_.size() > 1 || sideBySide());
    if (sessions_.isEmpty())
        stack_->setCurrentIndex(0);
    else
        stack_->setCurrentWidget(sideBySide() ? static_cast<QWidget*>(columns_) : tabs_);
}

} // namespace tapgraphs
