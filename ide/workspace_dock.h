// The Workspace: a folder of scripts as a tree (QFileSystemModel showing
// folders and *.stp / *.stpm files only), chosen with File > Open Folder…
// and remembered with QSettings; double-click opens a script.
#pragma once

#include <QDockWidget>

class QFileSystemModel;
class QLabel;
class QModelIndex;
class QTreeView;

namespace tapide {

class WorkspaceDock : public QDockWidget {
    Q_OBJECT
public:
    explicit WorkspaceDock(QWidget* parent = nullptr);

    // Shows `folder` (saved as the workspace); "" shows nothing.
    void setFolder(const QString& folder);
    QString folder() const { return folder_; }
    // The folder saved by the last session, or "".
    static QString savedFolder();

    QTreeView* view() const { return view_; }
    QFileSystemModel* model() const { return model_; }
    // Files and folders currently listed directly in `dir` (a path inside the workspace).
    QStringList entries(const QString& dir) const;
    // Opens a file of the tree, as a double-click would; false when it is not one.
    bool activatePath(const QString& path);

signals:
    void openRequested(const QString& path);
    void openFolderRequested();

private:
    void activate(const QModelIndex& index);

    QString folder_;
    QFileSystemModel* model_;
    QTreeView* view_;
    QLabel* title_;
    QWidget* empty_;
};

} // namespace tapide
