// The Functions catalogue: every tapset function with its signature and
// doc; filter box; double-click inserts a call.
#pragma once

#include "catalogue_indexer.h"

#include <QDockWidget>

class QLabel;
class QLineEdit;
class QTextBrowser;
class QTreeWidget;
class QTreeWidgetItem;

namespace tapide {

class FunctionsDock : public QDockWidget {
    Q_OBJECT
public:
    explicit FunctionsDock(QWidget* parent = nullptr);

    void setSnapshot(CatalogueSnapshotPtr snapshot);
    void setFilter(const QString& text);
    QTreeWidget* tree() const { return tree_; }
    QStringList visibleFunctions() const; // signatures of the visible rows
    // The call text inserted for a function: "name()" (cursor inside when it has parameters).
    static QString callFor(const TapsetFunction& f);
    bool activateFunction(const QString& name);

signals:
    // `cursorBack` characters before the end of `text` is where the cursor goes.
    void insertRequested(const QString& text, int cursorBack);
    void openLocation(const QString& file, int line);

private:
    void rebuild();
    void showDetails(QTreeWidgetItem* item);
    void activate(QTreeWidgetItem* item);

    CatalogueSnapshotPtr snapshot_;
    const TapsetLibrary* built_ = nullptr;
    QLineEdit* filter_;
    QLabel* state_;
    QTreeWidget* tree_;
    QTextBrowser* details_;
};

} // namespace tapide
