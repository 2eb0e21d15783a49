// The Dashboard perspective's page: the module browser on the left; on the
// right the selected module's details, the running modules with all their
// charts, and the System view. Run starts every selected module at once,
// each its own `tstap --json` session. Perspective-neutral: the application
// shell wraps it (ide/dashboard_perspective).
#pragma once

#include "module_library.h"
#include "system_report.h"

#include <QWidget>

class QPushButton;
class QTabWidget;

namespace tapdash {

class ModuleBrowser;
class ModuleDetails;
class ModuleRun;
class RunBoard;
class SystemView;

class DashboardWidget : public QWidget {
    Q_OBJECT
  public:
    explicit DashboardWidget(QWidget* parent = nullptr);

    ModuleLibrary& library() { return library_; }
    ModuleBrowser* browser() const { return browser_; }
    ModuleDetails* details() const { return details_; }
    RunBoard* board() const { return board_; }
    SystemView* systemView() const { return system_; }
    QTabWidget* tabs() const { return tabs_; }

    void reload(); // reads the module folders again
    // Starts these modules (ids), each with its edited settings; returns
    // the runs started; unknown ids are reported in `error`.
    QList<ModuleRun*> run(const QStringList& ids, QString* error = nullptr);
    void runSelected();
    void showSystem();
    void importArchive(const QString& path); // asks nothing; reports in a message box
    void exportModule(const QString& id, const QString& path);

  private:
    void importClicked();
    void exportClicked();
    void addFolderClicked();
    void updateButtons();

    ModuleLibrary library_;
    SystemReport report_;
    ModuleBrowser* browser_;
    ModuleDetails* details_;
    RunBoard* board_;
    SystemView* system_;
    QTabWidget* tabs_;
    QPushButton* run_;
    QPushButton* export_;
};

} // namespace tapdash
