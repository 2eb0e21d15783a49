// The Probe catalogue: a filterable tree of every probe point the system
// offers — session and timer points, tapset aliases by group, tracepoints by
// system, syscalls, perf events, process points — with each point's doc and
// variables. Double-click inserts a probe skeleton listing the variables.
// "Binary…" adds a "Functions of <binary>" group: the binary's function
// symbols (elf_symbols.h, read off the UI thread), each inserting
// `probe process("PATH").function("NAME") { }`.
// Fed by CatalogueIndexer snapshots; partial until indexing is done.
#pragma once

#include "catalogue_indexer.h"
#include "elf_symbols.h"

#include <QDockWidget>
#include <QTimer>

class QLabel;
class QLineEdit;
class QModelIndex;
class QPushButton;
class QSortFilterProxyModel;
class QTextBrowser;
class QTreeView;

namespace tapide {

class ProbeCatalogueDock : public QDockWidget {
    Q_OBJECT
public:
    explicit ProbeCatalogueDock(QWidget* parent = nullptr);

    // Shows `snapshot`. With `async`, the tree is built on a worker thread and
    // swapped in when ready (the UI thread only resets the model).
    void setSnapshot(CatalogueSnapshotPtr snapshot, bool async = false);
    void setFilter(const QString& text); // applies at once
    QLineEdit* filterField() const { return filter_; }
    QTreeView* view() const { return view_; }
    // Points currently visible (after the filter), in tree order.
    QStringList visiblePoints() const;
    int pointCount() const { return points_; }
    // The skeleton inserted for a point: `probe POINT { ... }` with the
    // variables in a comment.
    static QString skeletonFor(const QString& point, const QStringList& variables);
    // Activates (inserts) the point, as a double-click would; false if unknown.
    bool activatePoint(const QString& point);
    // Lists the functions of `binary` (a path, or a name looked up in $PATH)
    // under "Functions of <name>", read on a worker thread; binaryLoaded follows.
    // "" removes the group. The "Binary…" button asks for the file.
    void setBinary(const QString& binary);
    QString binary() const { return binaryPath_; }
    QPushButton* binaryButton() const { return binaryButton_; }
    // process("PATH").function("NAME")
    static QString functionPoint(const QString& path, const QString& function);

signals:
    void insertRequested(const QString& text);
    void openLocation(const QString& file, int line);
    // The functions of the binary are listed (count 0 and `error` when it could not be read).
    void binaryLoaded(const QString& path, int functions, const QString& error);

private:
    void install(std::shared_ptr<struct CatalogueTree> tree);
    void showDetails(const QModelIndex& index);
    void activate(const QModelIndex& index);
    void rebuild(bool async);

    CatalogueSnapshotPtr snapshot_;
    quint64 buildGeneration_ = 0;
    ElfFunctionTablePtr binaryTable_;
    QString binaryPath_;
    quint64 binaryGeneration_ = 0;
    QLineEdit* filter_;
    QPushButton* binaryButton_;
    QLabel* state_;
    QTreeView* view_;
    QTextBrowser* details_;
    class CatalogueModel* model_;
    QSortFilterProxyModel* proxy_;
    QTimer filterTimer_;
    int points_ = 0;
};

} // namespace tapide
