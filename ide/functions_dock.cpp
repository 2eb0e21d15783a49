#include "functions_dock.h"

#include "fuzzy_match.h"
#include "icons.h"
#include "plural.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace tapide {

namespace {

enum Role { IndexRole = Qt::UserRole + 1 };

QString qs(const std::string& s) { return QString::fromStdString(s); }

} // namespace

FunctionsDock::FunctionsDock(QWidget* parent) : QDockWidget(tr("Functions"), parent) {
    setObjectName("FunctionsDock");
    auto* box = new QWidget(this);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    filter_ = new QLineEdit(box);
    filter_->setPlaceholderText(tr("Filter functions (fuzzy: e.g. execn, strlen)"));
    filter_->setClearButtonEnabled(true);
    state_ = new QLabel(tr("Indexing tapsets…"), box);
    state_->setObjectName("count");
    state_->setContentsMargins(4, 0, 4, 0);
    tree_ = new QTreeWidget(box);
    tree_->setColumnCount(3);
    tree_->setHeaderLabels({tr("Function"), tr("Returns"), tr("Tapset")});
    tree_->setRootIsDecorated(false);
    tree_->setUniformRowHeights(true);
    tree_->setAlternatingRowColors(true);
    tree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    tree_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    tree_->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    tree_->header()->setStretchLastSection(false);
    details_ = new QTextBrowser(box);
    details_->setOpenLinks(false);
    auto* split = new QSplitter(Qt::Vertical, box);
    split->addWidget(tree_);
    split->addWidget(details_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    layout->addWidget(filter_);
    layout->addWidget(state_);
    layout->addWidget(split, 1);
    setWidget(box);
    connect(filter_, &QLineEdit::textChanged, this, &FunctionsDock::setFilter);
    connect(tree_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) { showDetails(item); });
    connect(tree_, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) { activate(item); });
    connect(details_, &QTextBrowser::anchorClicked, this,
            [this](const QUrl& url) { emit openLocation(url.path(), url.fragment().toInt()); });
    showDetails(nullptr);
}

void FunctionsDock::setSnapshot(CatalogueSnapshotPtr snapshot) {
    snapshot_ = std::move(snapshot);
    if (snapshot_ && snapshot_->library.get() != built_)
        rebuild();
}

void FunctionsDock::rebuild() {
    tree_->clear();
    built_ = snapshot_ ? snapshot_->library.get() : nullptr;
    if (!built_)
        return;
    QIcon longIcon(icons::badge('L', QColor("#1565c0"), 14));
    QIcon stringIcon(icons::badge('S', QColor("#b35900"), 14));
    QIcon voidIcon(icons::badge('f', QColor("#607d8b"), 14));
    QList<QTreeWidgetItem*> items;
    const auto& fns = built_->functions();
    for (size_t i = 0; i < fns.size(); ++i) {
        const TapsetFunction& f = fns[i];
        if (f.internal)
            continue;
        auto* item = new QTreeWidgetItem;
        item->setText(0, qs(f.callSignature()));
        item->setText(1, qs(f.returnType));
        item->setText(2, QFileInfo(qs(f.file)).fileName());
        item->setToolTip(0, qs(f.doc.summary));
        item->setIcon(0, f.returnType == "long" ? longIcon : f.returnType == "string" ? stringIcon : voidIcon);
        item->setData(0, IndexRole, int(i));
        items << item;
    }
    tree_->addTopLevelItems(items);
    setFilter(filter_->text());
}

void FunctionsDock::setFilter(const QString& text) {
    if (filter_->text() != text) {
        QSignalBlocker block(filter_);
        filter_->setText(text);
    }
    std::string pattern = text.trimmed().toStdString();
    int shown = 0, total = tree_->topLevelItemCount();
    for (int i = 0; i < total; ++i) {
        QTreeWidgetItem* item = tree_->topLevelItem(i);
        std::string name = item->text(0).section('(', 0, 0).toStdString();
        item->setHidden(!pattern.empty() && fuzzyScore(pattern, name) < 0);
        shown += !item->isHidden();
    }
    // As the probe catalogue counts: "1 of 400" while filtered.
    state_->setText(pattern.empty() ? plural(total, "function", "functions") : tr("%1 of %2").arg(shown).arg(total));
}

QStringList FunctionsDock::visibleFunctions() const {
    QStringList out;
    for (int i = 0; i < tree_->topLevelItemCount(); ++i)
        if (!tree_->topLevelItem(i)->isHidden())
            out << tree_->topLevelItem(i)->text(0);
    return out;
}

void FunctionsDock::showDetails(QTreeWidgetItem* item) {
    if (!item || !built_) {
        details_->setHtml("<i>" + tr("Select a function to see its documentation; double-click inserts a call.") +
                          "</i>");
        return;
    }
    const TapsetFunction& f = built_->functions()[size_t(item->data(0, IndexRole).toInt())];
    QString html = "<b><tt>" + qs(f.signature()).toHtmlEscaped() + "</tt></b>";
    if (!f.doc.summary.empty())
        html += "<p>" + qs(f.doc.summary).toHtmlEscaped() + "</p>";
    if (!f.doc.params.empty()) {
        html += "<table cellspacing=0 cellpadding=1>";
        for (const auto& [n, d] : f.doc.params)
            html += "<tr><td><tt>" + qs(n).toHtmlEscaped() + "</tt></td><td>" + qs(d).toHtmlEscaped() + "</td></tr>";
        html += "</table>";
    }
    if (!f.doc.description.empty())
        html += "<p>" + qs(f.doc.description).toHtmlEscaped().replace("\n", "<br>") + "</p>";
    html += QString("<p><a href='file://%1#%2'>%3:%2</a></p>")
                .arg(qs(f.file).toHtmlEscaped())
                .arg(f.line)
                .arg(QFileInfo(qs(f.file)).fileName());
    details_->setHtml(html);
}

QString FunctionsDock::callFor(const TapsetFunction& f) { return qs(f.name) + "()"; }

bool FunctionsDock::activateFunction(const QString& name) {
    for (int i = 0; i < tree_->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = tree_->topLevelItem(i);
        if (item->text(0).section('(', 0, 0) == name) {
            activate(item);
            return true;
        }
    }
    return false;
}

void FunctionsDock::activate(QTreeWidgetItem* item) {
    if (!item || !built_)
        return;
    const TapsetFunction& f = built_->functions()[size_t(item->data(0, IndexRole).toInt())];
    emit insertRequested(callFor(f), f.params.empty() ? 0 : 1);
}

} // namespace tapide
