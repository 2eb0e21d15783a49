// The application shell: perspectives IDE | Graph | Dashboard switched from
// the toolbar, the menus (File, Edit, View, Run, Help), the status bar with
// indexing progress and cursor position, light/dark theme and font size,
// and the layout saved and restored with QSettings.
#pragma once

#include "session_page.h"
#include "theme.h"

#include <QMainWindow>

class QActionGroup;
class QLabel;
class QMenu;
class QProgressBar;
class QStackedWidget;

namespace tapide {

class IdePerspective;
class Perspective;
class GraphPerspective;
class DashboardPerspective;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    IdePerspective* ide() const { return ide_; }
    GraphPerspective* graph() const { return graph_; }
    DashboardPerspective* dashboard() const { return dashboard_; }
    Perspective* currentPerspective() const;
    QList<Perspective*> perspectives() const { return perspectives_; }
    void switchTo(const QString& perspectiveId);
    QAction* perspectiveAction(const QString& id) const;
    QAction* action(const QString& objectName) const; // any menu action by object name

    void openFiles(const QStringList& paths);
    // Plots the current script in the Graph perspective (Run ▸ Run with
    // graphs…): with `set` when it has charts, else the wizard's proposals.
    void runWithGraphs(const tapgraphs::GraphSet& set = {},
                       tapgraphs::SessionPage::Proposals proposals = tapgraphs::SessionPage::Proposals::Ask);
    // File ▸ Save as Dashboard Module…: the current script and its graph set.
    void saveAsModule();
    void setTheme(ThemeKind theme);
    ThemeKind theme() const { return theme_; }
    void setFontSize(int pointSize);
    int fontSize() const { return fontSize_; }

    void saveLayout() const;
    void restoreLayout();

protected:
    void closeEvent(QCloseEvent* e) override;

private:
    void createActions();
    void createMenus();
    void createToolBars();
    void createStatusBar();
    void rebuildRecentMenu();
    void rebuildExamplesMenu();
    void updateActions();
    QAction* makeAction(const QString& name, const QString& text, const QKeySequence& key = {},
                        const QIcon& icon = {});

    QStackedWidget* stack_;
    IdePerspective* ide_;
    GraphPerspective* graph_;
    DashboardPerspective* dashboard_;
    QList<Perspective*> perspectives_;
    QActionGroup* perspectiveGroup_;
    QMenu* recentMenu_ = nullptr;
    QMenu* examplesMenu_ = nullptr;
    QLabel* message_ = nullptr;
    QLabel* cursor_ = nullptr;
    QLabel* indexLabel_ = nullptr;
    QProgressBar* indexBar_ = nullptr;
    ThemeKind theme_ = ThemeKind::Light;
    int fontSize_ = kDefaultFontSize;
};

} // namespace tapide
