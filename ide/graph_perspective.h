// The Graph perspective: graphs/'s workspace (one tab per plotted session)
// as a page of the main window. Scripts come from the IDE's Run ▸ Run with
// graphs… or from the command line (--perspective graph --run).
#pragma once

#include "perspective.h"

#include "graph_workspace.h"

namespace tapide {

class GraphPerspective : public Perspective {
    Q_OBJECT
  public:
    explicit GraphPerspective(QWidget* parent = nullptr);
    QIcon icon() const override;
    tapgraphs::GraphWorkspace* workspace() const { return workspace_; }

    // Runs a script: with `set` when it has charts, else with the wizard's
    // proposals (asked, or all taken).
    tapgraphs::SessionPage* run(const taprun::RunOptions& options, const tapgraphs::GraphSet& set,
                                tapgraphs::SessionPage::Proposals proposals);

  private:
    tapgraphs::GraphWorkspace* workspace_;
};

} // namespace tapide
