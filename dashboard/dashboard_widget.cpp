#include "dashboard_widget.h"

#include "module_archive.h"
#include "module_browser.h"
#include "module_details.h"
#include "run_board.h"
#include "system_view.h"

#include "app_paths.h"

#include <QDir>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace tapdash {

namespace {
enum Tab { DetailsTab, RunningTab, SystemTab };
}

DashboardWidget::DashboardWidget(QWidget* parent)
    : QWidget(parent), browser_(nullptr), details_(new ModuleDetails), board_(new RunBoard),
      system_(new SystemView), tabs_(new QTabWidget), run_(new QPushButton(tr("Run"))),
      export_(new QPushButton(tr("Export…"))) {
    setObjectName("DashboardWidget");
    library_.reload();
    browser_ = new ModuleBrowser(&library_);
    run_->setObjectName("RunModules");
    run_->setToolTip(tr("Run every selected module, each as its own tstap session"));
    run_->setDefault(true);
    export_->setObjectName("ExportModule");
    export_->setToolTip(tr("Save the selected module as one .tar.gz"));
    auto* importButton = new QPushButton(tr("Import…"));
    importButton->setToolTip(tr("Install a module package (.tar.gz) into %1").arg(userModulesDir()));
    auto* folderButton = new QPushButton(tr("Add folder…"));
    folderButton->setToolTip(tr("Also list the modules of a folder of your own"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(run_);
    buttons->addStretch(1);
    buttons->addWidget(importButton);
    buttons->addWidget(export_);
    buttons->addWidget(folderButton);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(4, 4, 0, 4);
    leftLayout->addWidget(browser_, 1);
    leftLayout->addLayout(buttons);
    tabs_->setObjectName("DashboardTabs");
    tabs_->addTab(details_, tr("Module"));
    tabs_->addTab(board_, tr("Running"));
    tabs_->addTab(system_, tr("System"));
    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(left);
    split->addWidget(tabs_);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({340, 940});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(browser_, &ModuleBrowser::currentModuleChanged, this, [this](const QString& id) {
        details_->showModule(library_.find(id), report_);
        if (tabs_->currentIndex() != RunningTab || board_->runs().isEmpty()) tabs_->setCurrentIndex(DetailsTab);
    });
    connect(browser_, &ModuleBrowser::brokenModuleSelected, this, [this](const QString& dir, const QString& problems) {
        details_->showBroken(dir, problems);
        tabs_->setCurrentIndex(DetailsTab);
    });
    connect(browser_->tree(), &QTreeWidget::itemSelectionChanged, this, &DashboardWidget::updateButtons);
    connect(browser_, &ModuleBrowser::runRequested, this, &DashboardWidget::runSelected);
    connect(run_, &QPushButton::clicked, this, &DashboardWidget::runSelected);
    connect(importButton, &QPushButton::clicked, this, &DashboardWidget::importClicked);
    connect(export_, &QPushButton::clicked, this, &DashboardWidget::exportClicked);
    connect(folderButton, &QPushButton::clicked, this, &DashboardWidget::addFolderClicked);
    connect(board_, &RunBoard::runsChanged, this, [this] {
        tabs_->setTabText(RunningTab, board_->runs().isEmpty() ? tr("Running")
                                                               : tr("Running (%1)").arg(board_->runs().size()));
    });
    connect(system_, &SystemView::reportChanged, this, [this](const SystemReport& r) {
        report_ = r;
        browser_->setSystemReport(r);
        details_->showModule(library_.find(details_->shownId()), r);
    });
    system_->refresh(); // a child process: the page is usable at once
    updateButtons();
}

void DashboardWidget::reload() {
    library_.reload();
    browser_->rebuild();
    details_->showModule(library_.find(details_->shownId()), report_);
}

QList<ModuleRun*> DashboardWidget::run(const QStringList& ids, QString* error) {
    QList<ModuleRun*> started;
    QStringList unknown;
    for (const QString& id : ids) {
        const Module* m = library_.find(id);
        if (!m) {
            unknown << id;
            continue;
        }
        started << board_->start(*m, details_->settingsFor(*m));
    }
    if (error && !unknown.isEmpty()) *error = tr("no module with the id %1").arg(unknown.join(", "));
    if (!started.isEmpty()) tabs_->setCurrentIndex(RunningTab);
    return started;
}

void DashboardWidget::runSelected() {
    if (!details_->problemText().isEmpty()) {
        QMessageBox::warning(this, tr("Run"), details_->problemText());
        return;
    }
    run(browser_->selectedIds());
}

void DashboardWidget::showSystem() {
    tabs_->setCurrentIndex(SystemTab);
}

void DashboardWidget::updateButtons() {
    QStringList ids = browser_->selectedIds();
    run_->setEnabled(!ids.isEmpty());
    run_->setText(ids.size() > 1 ? tr("Run %1 modules").arg(ids.size()) : tr("Run"));
    export_->setEnabled(ids.size() == 1);
}

void DashboardWidget::importArchive(const QString& path) {
    QString root = library_.searchFolders().value(1);
    QDir().mkpath(root);
    // tstap -p2 takes a moment: off the UI thread.
    auto* watcher = new QFutureWatcher<ImportResult>(this);
    connect(watcher, &QFutureWatcher<ImportResult>::finished, this, [this, watcher, path] {
        ImportResult r = watcher->result();
        watcher->deleteLater();
        if (!r.ok) {
            QMessageBox::warning(this, tr("Import module"), tr("%1 was not installed:\n\n%2").arg(path, r.error));
            return;
        }
        reload();
        browser_->select({r.id});
        QMessageBox::information(this, tr("Import module"), tr("Installed '%1' in %2.").arg(r.id, r.installedDir));
    });
    watcher->setFuture(QtConcurrent::run(importModule, path, root, taprun::tstapPath()));
}

void DashboardWidget::importClicked() {
    QString path = QFileDialog::getOpenFileName(this, tr("Import module"), QString(), tr("Module packages (*.tar.gz)"));
    if (!path.isEmpty()) importArchive(path);
}

void DashboardWidget::exportModule(const QString& id, const QString& path) {
    QString error;
    const Module* m = library_.find(id);
    if (m && !tapdash::exportModule(*m, path, &error)) QMessageBox::warning(this, tr("Export module"), error);
}

void DashboardWidget::exportClicked() {
    QStringList ids = browser_->selectedIds();
    if (ids.size() != 1) return;
    QString path = QFileDialog::getSaveFileName(this, tr("Export module"), ids[0] + ".tar.gz",
                                                tr("Module packages (*.tar.gz)"));
    if (!path.isEmpty()) exportModule(ids[0], path);
}

void DashboardWidget::addFolderClicked() {
    QString dir = QFileDialog::getExistingDirectory(this, tr("Add a folder of modules"));
    if (dir.isEmpty()) return;
    library_.addFolder(dir);
    reload();
}

} // namespace tapdash
