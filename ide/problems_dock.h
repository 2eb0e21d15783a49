// The Problems view: the errors and warnings of every open script (from the
// analysis while typing, and what its last run reported, marked run-time),
// with the text tstap prints; activating one jumps to its line.
#pragma once

#include "script_analysis.h"

#include <QDockWidget>
#include <QHash>
#include <QPointer>
#include <QSet>

class QTreeWidget;
class QTreeWidgetItem;
class QLabel;

namespace tapide {

class ProblemsDock : public QDockWidget {
    Q_OBJECT
public:
    explicit ProblemsDock(QWidget* parent = nullptr);

    // Replaces the entries of `document` (any QObject identifying an open script).
    void setDiagnostics(QObject* document, const QString& documentName,
                        const QVector<ScriptDiagnostic>& diagnostics);
    // Replaces what the last run of `document` reported (phase "run-time").
    void setRunTimeDiagnostics(QObject* document, const QString& documentName,
                               const QVector<ScriptDiagnostic>& diagnostics);
    void removeDocument(QObject* document);

    int errorCount() const { return errors_; }
    int warningCount() const { return warnings_; }
    QTreeWidget* tree() const { return tree_; }
    // Activates the n-th top-level entry (as a double-click would).
    void activate(int row);

signals:
    // `document` is null when the location is in another file (a tapset).
    void locationActivated(QObject* document, const QString& file, int line, int col);

private:
    using Entries = QHash<QObject*, QList<QTreeWidgetItem*>>;
    void replace(Entries& entries, QObject* document, const QString& documentName,
                 const QVector<ScriptDiagnostic>& diagnostics);
    void remove(Entries& entries, QObject* document);
    void itemActivated(QTreeWidgetItem* item);
    void updateTitle();

    QTreeWidget* tree_;
    QLabel* summary_;
    Entries items_, runTimeItems_;
    QSet<QObject*> watched_;
    int errors_ = 0, warnings_ = 0;
};

} // namespace tapide
