#include "graph_perspective.h"

#include "icons.h"

namespace tapide {

GraphPerspective::GraphPerspective(QWidget* parent)
    : Perspective("graph", tr("Graph"), parent), workspace_(new tapgraphs::GraphWorkspace(this)) {
    setCentralWidget(workspace_);
}

QIcon GraphPerspective::icon() const {
    return icons::perspectiveGraph();
}

tapgraphs::SessionPage* GraphPerspective::run(const taprun::RunOptions& options,
                                              const tapgraphs::GraphSet& set,
                                              tapgraphs::SessionPage::Proposals proposals) {
    return workspace_->run(options, set, proposals);
}

} // namespace tapide
