#include "problems_dock.h"

#include "icons.h"
#include "plural.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace tapide {

namespace {

enum Role { DocumentRole = Qt::UserRole + 1, FileRole, LineRole, ColRole, ErrorRole };

QTreeWidgetItem* makeItem(const ScriptDiagnostic& d, QObject* document, const QString& documentName) {
    auto* item = new QTreeWidgetItem;
    QString kind = d.error ? (d.phase.isEmpty() ? "error" : d.phase + " error")
                           : (d.phase == "run-time" ? "run-time warning" : "warning");
    QString message = kind + ": " + d.message;
    if (!d.subject.isEmpty())
        message += " near " + d.subject;
    item->setText(0, message);
    item->setToolTip(0, "<pre>" + d.text.toHtmlEscaped() + "</pre>");
    item->setIcon(0, d.error ? icons::error() : icons::warning());
    QString file = d.inScript ? documentName : QFileInfo(d.file).fileName();
    item->setText(1, file);
    item->setToolTip(1, d.file);
    item->setText(2, d.line > 0 ? QString("%1:%2").arg(d.line).arg(d.col) : QString());
    item->setData(0, DocumentRole, QVariant::fromValue<QObject*>(d.inScript ? document : nullptr));
    item->setData(0, FileRole, d.file);
    item->setData(0, LineRole, d.line);
    item->setData(0, ColRole, d.col);
    item->setData(0, ErrorRole, d.error);
    for (const ScriptDiagnostic& n : d.notes) {
        QTreeWidgetItem* child = makeItem(n, document, documentName);
        child->setIcon(0, icons::info());
        child->setText(0, n.message + (n.subject.isEmpty() ? "" : " near " + n.subject));
        item->addChild(child);
    }
    return item;
}

} // namespace

ProblemsDock::ProblemsDock(QWidget* parent) : QDockWidget(tr("Problems"), parent) {
    setObjectName("ProblemsDock");
    auto* box = new QWidget(this);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    summary_ = new QLabel(box);
    summary_->setContentsMargins(6, 3, 6, 3);
    tree_ = new QTreeWidget(box);
    tree_->setColumnCount(3);
    tree_->setHeaderLabels({tr("Description"), tr("File"), tr("Line")});
    tree_->setRootIsDecorated(true);
    tree_->setUniformRowHeights(true);
    tree_->setAlternatingRowColors(true);
    tree_->header()->setStretchLastSection(false);
    tree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    tree_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    tree_->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    layout->addWidget(summary_);
    layout->addWidget(tree_);
    setWidget(box);
    connect(tree_, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item, int) { itemActivated(item); });
    updateTitle();
}

void ProblemsDock::setDiagnostics(QObject* document, const QString& documentName,
                                  const QVector<ScriptDiagnostic>& diagnostics) {
    replace(items_, document, documentName, diagnostics);
}

void ProblemsDock::setRunTimeDiagnostics(QObject* document, const QString& documentName,
                                         const QVector<ScriptDiagnostic>& diagnostics) {
    replace(runTimeItems_, document, documentName, diagnostics);
}

void ProblemsDock::replace(Entries& entries, QObject* document, const QString& documentName,
                           const QVector<ScriptDiagnostic>& diagnostics) {
    remove(entries, document);
    QList<QTreeWidgetItem*> list;
    for (const ScriptDiagnostic& d : diagnostics) {
        QTreeWidgetItem* item = makeItem(d, document, documentName);
        list << item;
        (d.error ? errors_ : warnings_)++;
    }
    tree_->addTopLevelItems(list);
    if (!list.isEmpty()) {
        entries[document] = list;
        if (!watched_.contains(document)) {
            watched_.insert(document);
            connect(document, &QObject::destroyed, this, [this, document] {
                watched_.remove(document);
                removeDocument(document);
            });
        }
    }
    updateTitle();
}

void ProblemsDock::removeDocument(QObject* document) {
    remove(items_, document);
    remove(runTimeItems_, document);
    updateTitle();
}

void ProblemsDock::remove(Entries& entries, QObject* document) {
    auto it = entries.find(document);
    if (it == entries.end())
        return;
    for (QTreeWidgetItem* item : *it) {
        (item->data(0, ErrorRole).toBool() ? errors_ : warnings_)--;
        delete item;
    }
    entries.erase(it);
}

void ProblemsDock::activate(int row) {
    if (QTreeWidgetItem* item = tree_->topLevelItem(row))
        itemActivated(item);
}

void ProblemsDock::itemActivated(QTreeWidgetItem* item) {
    if (!item)
        return;
    auto* document = item->data(0, DocumentRole).value<QObject*>();
    emit locationActivated(document, item->data(0, FileRole).toString(), item->data(0, LineRole).toInt(),
                           item->data(0, ColRole).toInt());
}

void ProblemsDock::updateTitle() {
    if (errors_ == 0 && warnings_ == 0) {
        summary_->setText(tr("No problems."));
        setWindowTitle(tr("Problems"));
        return;
    }
    summary_->setText(plural(errors_, "error", "errors") + ", " + plural(warnings_, "warning", "warnings"));
    setWindowTitle(tr("Problems (%1)").arg(errors_ + warnings_));
}

} // namespace tapide
