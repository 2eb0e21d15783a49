#include "module_browser.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QLineEdit>
#include <QMap>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace tapdash {

namespace {
constexpr int kIdRole = Qt::UserRole;
constexpr int kBrokenRole = Qt::UserRole + 1;   // the problems of a broken module
constexpr int kSearchRole = Qt::UserRole + 2;   // the text the search looks in
} // namespace

ModuleBrowser::ModuleBrowser(const ModuleLibrary* library, QWidget* parent)
    : QWidget(parent), library_(library), search_(new QLineEdit), tree_(new QTreeWidget) {
    setObjectName("ModuleBrowser");
    search_->setObjectName("ModuleSearch");
    search_->setPlaceholderText(tr("Search modules"));
    search_->setClearButtonEnabled(true);
    tree_->setObjectName("ModuleTree");
    tree_->setHeaderHidden(true);
    tree_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    tree_->setToolTip(tr("Select one or several modules (Ctrl/Shift) and press Run"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(search_);
    layout->addWidget(tree_, 1);
    connect(search_, &QLineEdit::textChanged, this, &ModuleBrowser::applyFilter);
    connect(tree_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (item && !item->data(0, kBrokenRole).toString().isEmpty())
            emit brokenModuleSelected(item->data(0, kIdRole).toString(), item->data(0, kBrokenRole).toString());
        else
            emit currentModuleChanged(item ? item->data(0, kIdRole).toString() : QString());
    });
    connect(tree_, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        if (item && item->parent() && item->data(0, kBrokenRole).toString().isEmpty()) emit runRequested();
    });
    rebuild();
}

void ModuleBrowser::rebuild() {
    QStringList selected = selectedIds();
    tree_->clear();
    QMap<QString, QTreeWidgetItem*> categories;
    auto category = [&](const QString& name) {
        if (!categories.contains(name)) {
            auto* item = new QTreeWidgetItem(tree_, {name});
            item->setFlags(Qt::ItemIsEnabled);
            QFont f = item->font(0);
            f.setBold(true);
            item->setFont(0, f);
            categories[name] = item;
        }
        return categories[name];
    };
    for (const Module& m : library_->modules()) {
        auto* item = new QTreeWidgetItem(category(m.manifest.category), {m.manifest.name});
        item->setData(0, kIdRole, m.manifest.id);
        item->setData(0, kSearchRole, QStringList{m.manifest.name, m.manifest.id, m.manifest.category,
                                                  m.manifest.description}
                                          .join('\n'));
    }
    for (const BrokenModule& b : library_->broken()) {
        auto* item = new QTreeWidgetItem(category(tr("Broken modules")), {QFileInfo(b.dir).fileName()});
        item->setData(0, kIdRole, b.dir);
        item->setData(0, kBrokenRole, b.problems);
        item->setData(0, kSearchRole, b.dir + "\n" + b.problems);
        item->setToolTip(0, b.problems);
        item->setForeground(0, QColor(0xb0, 0x20, 0x20));
    }
    tree_->sortItems(0, Qt::AscendingOrder);
    tree_->expandAll();
    markRunnable();
    applyFilter();
    select(selected);
}

void ModuleBrowser::setSystemReport(const SystemReport& report) {
    report_ = report;
    markRunnable();
}

void ModuleBrowser::markRunnable() {
    for (int c = 0; c < tree_->topLevelItemCount(); ++c) {
        QTreeWidgetItem* cat = tree_->topLevelItem(c);
        for (int i = 0; i < cat->childCount(); ++i) {
            QTreeWidgetItem* item = cat->child(i);
            const Module* m = library_->find(item->data(0, kIdRole).toString());
            if (!m) continue;
            QString why = whyModuleCannotRun(*m, report_);
            item->setText(0, why.isEmpty() ? m->manifest.name : tr("%1 (cannot run here)").arg(m->manifest.name));
            item->setForeground(0, why.isEmpty() ? tree_->palette().color(QPalette::Text) : QColor(0x90, 0x60, 0x00));
            item->setToolTip(0, why.isEmpty() ? m->manifest.description : why);
        }
    }
}

void ModuleBrowser::setFilter(const QString& text) {
    search_->setText(text); // applyFilter through textChanged
}

void ModuleBrowser::applyFilter() {
    const QString needle = search_->text().trimmed();
    for (int c = 0; c < tree_->topLevelItemCount(); ++c) {
        QTreeWidgetItem* cat = tree_->topLevelItem(c);
        bool categoryMatches = cat->text(0).contains(needle, Qt::CaseInsensitive);
        int visible = 0;
        for (int i = 0; i < cat->childCount(); ++i) {
            QTreeWidgetItem* item = cat->child(i);
            bool show = needle.isEmpty() || categoryMatches ||
                        item->data(0, kSearchRole).toString().contains(needle, Qt::CaseInsensitive);
            item->setHidden(!show);
            visible += show;
        }
        cat->setHidden(visible == 0);
    }
}

QStringList ModuleBrowser::selectedIds() const {
    QStringList ids;
    for (QTreeWidgetItem* item : tree_->selectedItems())
        if (item->parent() && !item->isHidden() && item->data(0, kBrokenRole).toString().isEmpty())
            ids << item->data(0, kIdRole).toString();
    return ids;
}

void ModuleBrowser::select(const QStringList& ids) {
    tree_->clearSelection();
    QTreeWidgetItem* first = nullptr;
    for (int c = 0; c < tree_->topLevelItemCount(); ++c)
        for (int i = 0; i < tree_->topLevelItem(c)->childCount(); ++i) {
            QTreeWidgetItem* item = tree_->topLevelItem(c)->child(i);
            if (ids.contains(item->data(0, kIdRole).toString())) {
                item->setSelected(true);
                if (!first) first = item;
            }
        }
    if (first) tree_->setCurrentItem(first, 0, QItemSelectionModel::NoUpdate);
}

QStringList ModuleBrowser::visibleIds() const {
    QStringList ids;
    for (int c = 0; c < tree_->topLevelItemCount(); ++c)
        for (int i = 0; i < tree_->topLevelItem(c)->childCount(); ++i) {
            QTreeWidgetItem* item = tree_->topLevelItem(c)->child(i);
            if (!item->isHidden() && item->data(0, kBrokenRole).toString().isEmpty())
                ids << item->data(0, kIdRole).toString();
        }
    return ids;
}

} // namespace tapdash
