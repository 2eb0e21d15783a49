// The Graph perspective's page: one tab per session (any number at once),
// an empty-state text until the first run, Open graph set to run a saved
// set again. Perspective-neutral: the application shell wraps it.
#pragma once

#include "session_page.h"

#include <QWidget>

class QStackedWidget;
class QTabWidget;

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

  signals:
    void sessionsChanged();

  private:
    void closeTab(int index);

    QStackedWidget* stack_;
    QTabWidget* tabs_;
};

} // namespace tapgraphs
