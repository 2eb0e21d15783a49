// The module tree: modules by category, a search box that filters by name,
// id, category and description, broken modules under their own heading with
// their problems, and each module marked when this machine cannot run it.
#pragma once

#include "module_library.h"
#include "system_report.h"

#include <QWidget>

class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace tapdash {

class ModuleBrowser : public QWidget {
    Q_OBJECT
  public:
    explicit ModuleBrowser(const ModuleLibrary* library, QWidget* parent = nullptr);

    void rebuild(); // after the library reloads
    void setSystemReport(const SystemReport& report);
    void setFilter(const QString& text);
    QStringList selectedIds() const;
    void select(const QStringList& ids);
    QStringList visibleIds() const; // the modules the search leaves
    QTreeWidget* tree() const { return tree_; }
    QLineEdit* search() const { return search_; }

  signals:
    void currentModuleChanged(const QString& id); // "" for none or a broken one
    void brokenModuleSelected(const QString& dir, const QString& problems);
    void runRequested(); // double-click or Enter on modules

  private:
    void applyFilter();
    void markRunnable();

    const ModuleLibrary* library_;
    SystemReport report_;
    QLineEdit* search_;
    QTreeWidget* tree_;
};

} // namespace tapdash
