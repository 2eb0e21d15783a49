#include "workspace_dock.h"

#include <QDir>
#include <QFileInfo>
#include <QFileSystemModel>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace tapide {

WorkspaceDock::WorkspaceDock(QWidget* parent) : QDockWidget(tr("Workspace"), parent) {
    setObjectName("WorkspaceDock");
    model_ = new QFileSystemModel(this);
    model_->setReadOnly(true);
    model_->setFilter(QDir::AllDirs | QDir::Files | QDir::NoDotAndDotDot);
    model_->setNameFilters({"*.stp", "*.stpm"});
    model_->setNameFilterDisables(false); // hide what does not match, do not grey it

    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    title_ = new QLabel(body);
    title_->setObjectName("WorkspaceTitle");
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    view_ = new QTreeView(body);
    view_->setModel(model_);
    for (int c = 1; c < model_->columnCount(); ++c)
        view_->hideColumn(c);
    view_->setHeaderHidden(true);
    view_->setUniformRowHeights(true);
    view_->setAnimated(false);
    view_->setSortingEnabled(true);
    view_->sortByColumn(0, Qt::AscendingOrder);
    connect(view_, &QTreeView::activated, this, &WorkspaceDock::activate);

    empty_ = new QWidget(body);
    auto* emptyLayout = new QVBoxLayout(empty_);
    auto* hint = new QLabel(tr("No folder is open. A folder's scripts (*.stp, *.stpm) appear here."), empty_);
    hint->setWordWrap(true);
    hint->setEnabled(false);
    auto* open = new QPushButton(tr("Open Folder…"), empty_);
    connect(open, &QPushButton::clicked, this, &WorkspaceDock::openFolderRequested);
    emptyLayout->addWidget(hint);
    emptyLayout->addWidget(open);
    emptyLayout->addStretch(1);

    layout->addWidget(title_);
    layout->addWidget(view_, 1);
    layout->addWidget(empty_, 1);
    setWidget(body);
    setFolder(savedFolder());
}

QString WorkspaceDock::savedFolder() {
    QString f = QSettings().value("workspace/folder").toString();
    return !f.isEmpty() && QFileInfo(f).isDir() ? f : QString();
}

void WorkspaceDock::setFolder(const QString& folder) {
    folder_ = folder.isEmpty() ? QString() : QDir(folder).absolutePath();
    bool have = !folder_.isEmpty();
    view_->setVisible(have);
    title_->setVisible(have);
    empty_->setVisible(!have);
    if (have) {
        QModelIndex root = model_->setRootPath(folder_);
        view_->setRootIndex(root);
        title_->setText("<b>" + QFileInfo(folder_).fileName().toHtmlEscaped() + "</b>  <small>" +
                        QDir::toNativeSeparators(folder_).toHtmlEscaped() + "</small>");
        title_->setToolTip(folder_);
        QSettings().setValue("workspace/folder", folder_);
    } else {
        view_->setRootIndex(QModelIndex());
    }
}

QStringList WorkspaceDock::entries(const QString& dir) const {
    QStringList out;
    QModelIndex parent = model_->index(dir);
    if (model_->canFetchMore(parent))
        model_->fetchMore(parent); // folders load when first shown
    for (int r = 0; r < model_->rowCount(parent); ++r)
        out << model_->fileName(model_->index(r, 0, parent));
    out.sort();
    return out;
}

bool WorkspaceDock::activatePath(const QString& path) {
    QModelIndex index = model_->index(path);
    if (!index.isValid() || model_->isDir(index))
        return false;
    activate(index);
    return true;
}

void WorkspaceDock::activate(const QModelIndex& index) {
    if (!index.isValid() || model_->isDir(index))
        return;
    emit openRequested(model_->filePath(index));
}

} // namespace tapide
