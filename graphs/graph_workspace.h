// The Graph perspective's page: one tab per session (any number at once),
// or all sessions side by side; an empty-state text until the first run.
// Perspective-neutral: the application shell wraps it.
#pragma once

#include "session_page.h"

#include <QWidget>

class QSplitter;
class QStackedWidget;
class QTabWidget;
class QToolButton;

namespace tapgraphs {

class GraphWorkspace : public QWidget {
    Q_OBJECT
  public:
    explicit GraphWorkspace(QWidget* parent = nullptr);

    // Runs a script with a graph set; an empty set means "propose charts".
    SessionPage* run(const taprun::RunOptions& options, const GraphSet& set,
                     SessionPage::Proposals proposals = SessionPage::Proposals::Ask);
    QList<SessionPage*> sessions() const;
    SessionPage* currentSession() const;
    QTabWidget* tabs() const { return tabs_; }
    bool anyRunning() const;
    void close(SessionPage* page); // stops its script
    void setSideBySide(bool on);   // every session at once, in columns
    bool sideBySide() const;

  signals:
    void sessionsChanged();

  private:
    void showCurrentLayout();

    QToolButton* sideBySideButton_;
    QStackedWidget* stack_;
    QTabWidget* tabs_;
    QSplitter* columns_;
    QList<SessionPage*> sessions_; // in the order they started
};

} // namespace tapgraphs
