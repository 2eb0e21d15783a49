// Variable hints: a dock that always shows what the probe under the cursor
// can read — its context variables ($vars with their C types, from pass 2's
// probe point resolution), the variables its tapset alias sets, and the
// handler's own locals — or a function's parameters and locals. Computed
// from the last diagnostics run of the script (and the catalogue index
// while the script does not elaborate), so it follows the cursor without
// ever blocking the UI. Double-click inserts the name at the cursor.
#pragma once

#include "catalogue_indexer.h"
#include "script_analysis.h"

#include <QDockWidget>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <optional>

class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace tapide {

class ScriptEditor;

struct VariableHints {
    enum Kind { Nothing, Probe, Alias, Function } kind = Nothing;
    QString title;             // "probe syscall.read" / "function fmt"
    std::optional<bool> kernel; // the handler runs in the kernel; unknown before its points resolve
    bool fromCatalogue = false; // pass 2 did not type it: the catalogue's view
    QVector<VarInfo> context;  // $variables
    QVector<VarInfo> aliasVars; // set by the alias prologue
    QVector<VarInfo> locals;   // handler / function locals (and parameters)
};

// The hints for byte offset `pos` of a script (plain logic, for tests).
// `text` (the script) finds the probe from tokens when the analysis has no
// scope there (a script that does not parse).
VariableHints variableHintsAt(const ScriptAnalysis& analysis, int pos, const CatalogueSnapshotPtr& snapshot,
                              std::string_view text = {});

class VariableHintsDock : public QDockWidget {
    Q_OBJECT
public:
    explicit VariableHintsDock(QWidget* parent = nullptr);

    void setSnapshotSource(std::function<CatalogueSnapshotPtr()> source) { snapshot_ = std::move(source); }
    // Follows `editor`'s cursor and analyses (null: nothing to show).
    void setEditor(ScriptEditor* editor);
    // Recomputes now (normally 60 ms after the cursor stops).
    void refresh();

    const VariableHints& hints() const { return hints_; }
    QString titleText() const;
    QTreeWidget* tree() const { return tree_; }
    // "name : type" of every variable shown, in order.
    QStringList shownVariables() const;

signals:
    void insertRequested(const QString& text, int cursorBack);

private:
    void show(const VariableHints& hints);

    QPointer<ScriptEditor> editor_;
    std::function<CatalogueSnapshotPtr()> snapshot_;
    QLabel* title_;
    QTreeWidget* tree_;
    QTimer timer_;
    VariableHints hints_;
    QList<QMetaObject::Connection> connections_;
};

} // namespace tapide
