// The Probe catalogue: a filterable tree of every probe point the system
// offers — session and timer points, tapset aliases by group, tracepoints by
// system, syscalls, perf events, process points — with each point's doc and
// variables. Double-click inserts a probe skeleton listing the variables.
// Fed by CatalogueIndexer snapshots; partial until indexing is done.
#pragma once

#include "catalogue_indexer.h"

#include <QDockWidget>
#include <QTimer>

class QLabel;
class QLineEdit;
class QModelIndex;
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

signals:
    void insertRequested(const QString& text);
    void openLocation(const QString& file, int line);

private:
    void install(std::shared_ptr<struct CatalogueTree> tree);
    void showDetails(const QModelIndex& index);
    void activate(const QModelIndex& index);

    CatalogueSnapshotPtr snapshot_;
    quint64 buildGeneration_ = 0;
    QLineEdit* filter_;
    QLabel* state_;
    QTreeView* view_;
    QTextBrowser* details_;
    class CatalogueModel* model_;
    QSortFilterProxyModel* proxy_;
    QTimer filterTimer_;
    int points_ = 0;
};

} // namespace tapide
