#include "probe_catalogue_dock.h"

#include "completion_engine.h"
#include "icons.h"
#include "plural.h"
#include "listing.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QPushButton>
#include <QHeaderView>
#include <QRegularExpression>
#include <QLabel>
#include <QLineEdit>
#include <QFutureWatcher>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QtConcurrent>
#include <QTextBrowser>
#include <QTreeView>
#include <QVBoxLayout>

#include <functional>

namespace tapide {

namespace {

enum Role { PointRole = Qt::UserRole + 1, VariablesRole, DocRole, SearchRole };

QString qs(const std::string& s) { return QString::fromStdString(s); }

// Where a point goes in the tree ("Group/Subgroup").
QString groupOf(const QString& point, bool isAlias) {
    static const QRegularExpression sep("[.(]");
    QString first = point.section(sep, 0, 0);
    if (point.startsWith("kernel.trace(")) {
        int q = int(point.indexOf('"'));
        QString inner = point.mid(q + 1, point.lastIndexOf('"') - q - 1);
        return "Tracepoints/" + inner.section(':', 0, 0);
    }
    if (first == "begin" || first == "end" || first == "error" || first == "never")
        return "Session";
    if (first == "timer")
        return "Timers";
    if (isAlias)
        return "Tapset aliases/" + first;
    if (first == "syscall")
        return "System calls/syscall";
    if (first == "nd_syscall")
        return "System calls/nd_syscall";
    if (first == "perf")
        return "Perf events/" + point.section('.', 1, 1);
    if (first == "process")
        return "Processes";
    if (first == "kernel" || first == "module" || first == "kprobe")
        return "Kernel functions";
    return "Other/" + first;
}

QString defaultArgument(const QString& point, int at) {
    // The functor before "(N)" decides a sensible value.
    QString before = point.left(at);
    QString functor = before.section('.', -1);
    static const QHash<QString, QString> values = {
        {"s", "1"},      {"sec", "1"},       {"ms", "100"},   {"msec", "100"},  {"us", "1000"},
        {"usec", "1000"}, {"ns", "1000000"}, {"nsec", "1000000"}, {"hz", "100"}, {"jiffies", "100"},
        {"begin", "0"},  {"end", "0"},       {"error", "0"},  {"sample", "1000000"},
        {"randomize", "10"}, {"process", "PID"}};
    return values.value(functor, "1");
}

} // namespace

// The catalogue as a tree of plain nodes, built off the UI thread.
struct CatalogueTree {
    struct Node {
        QString text;   // shown
        QString point;  // "" for groups
        QString doc;
        QStringList vars;
        QString search; // what the filter matches
        int parent = -1;
        int row = 0;
        std::vector<int> children;
        char kind = 'g'; // g group, p point, a alias, t tracepoint
        int count = 0;   // points below a group
    };
    std::vector<Node> nodes; // nodes[0] is the root
    int points = 0;
    bool complete = false;

    static std::shared_ptr<CatalogueTree> build(const CatalogueSnapshot& snap, const ElfFunctionTablePtr& binary) {
        auto tree = std::make_shared<CatalogueTree>();
        tree->complete = snap.complete;
        tree->nodes.emplace_back();
        QHash<QString, int> groups;
        std::function<int(const QString&)> group = [&](const QString& path) -> int {
            if (int g = groups.value(path, -1); g >= 0)
                return g;
            int slash = int(path.lastIndexOf('/'));
            int parent = slash < 0 ? 0 : group(path.left(slash));
            Node n;
            n.text = n.search = slash < 0 ? path : path.mid(slash + 1);
            n.parent = parent;
            n.row = int(tree->nodes[parent].children.size());
            int id = int(tree->nodes.size());
            tree->nodes.push_back(std::move(n));
            tree->nodes[parent].children.push_back(id);
            groups.insert(path, id);
            return id;
        };
        for (const char* g : {"Session", "Timers", "Tapset aliases", "Tracepoints", "System calls", "Perf events",
                              "Processes", "Kernel functions"})
            group(g);
        auto add = [&](const QString& point, const QString& doc, QStringList vars, bool alias,
                       const QString& inGroup = {}, const QString& text = {}) {
            int parent = group(inGroup.isEmpty() ? groupOf(point, alias) : inGroup);
            Node n;
            n.text = text.isEmpty() ? point : text;
            n.point = point;
            n.doc = doc;
            n.vars = std::move(vars);
            n.search = point + " " + doc;
            n.kind = !inGroup.isEmpty() ? 'f' : alias ? 'a' : point.startsWith("kernel.trace") ? 't' : 'p';
            n.parent = parent;
            n.row = int(tree->nodes[parent].children.size());
            int id = int(tree->nodes.size());
            tree->nodes.push_back(std::move(n));
            tree->nodes[parent].children.push_back(id);
            for (int p = parent; p > 0; p = tree->nodes[p].parent)
                ++tree->nodes[p].count;
            ++tree->points;
        };
        if (snap.probes) {
            for (const tap::ListedProbe& p : snap.probes->all()) {
                QStringList vars;
                for (const tap::ListedVariable& v : p.variables)
                    vars << qs(v.name) + ":" + qs(v.type);
                add(qs(p.point), qs(p.doc), vars, p.isAlias);
            }
        } else {
            for (const char* p : {"begin", "end", "error", "never", "timer.s(N)", "timer.ms(N)", "timer.us(N)",
                                  "timer.hz(N)", "timer.profile"})
                add(p, {}, {}, false);
            if (snap.library)
                for (const TapsetAlias& a : snap.library->aliases())
                    if (!a.internal)
                        add(qs(a.point), qs(a.doc.summary), {}, true);
            for (const std::string& tp : snap.tracepoints)
                add("kernel.trace(\"" + qs(tp) + "\")", "kernel tracepoint", {}, false);
        }
        if (binary && !binary->functions.isEmpty()) {
            QString name = QFileInfo(binary->path).fileName();
            QString g = "Functions of " + name;
            QString doc = QString("function of %1 (%2)").arg(binary->path, binary->hasDwarf ? "with DWARF" : "symbols only");
            for (const QString& fn : binary->functions) {
                QStringList vars; // its $variables from DWARF, as -L lists them
                for (const auto& [name, type] : binary->variables.value(fn))
                    vars << name + ":" + type;
                add(ProbeCatalogueDock::functionPoint(binary->path, fn), doc, vars, false, g, fn);
            }
        }
        // Drop empty groups, renumbering rows.
        Node& root = tree->nodes[0];
        std::vector<int> kept;
        for (int c : root.children)
            if (!tree->nodes[c].children.empty())
                kept.push_back(c);
        root.children = kept;
        for (size_t i = 0; i < kept.size(); ++i)
            tree->nodes[kept[i]].row = int(i);
        return tree;
    }
};

class CatalogueModel : public QAbstractItemModel {
public:
    using QAbstractItemModel::QAbstractItemModel;

    void setTree(std::shared_ptr<CatalogueTree> tree) {
        beginResetModel();
        tree_ = std::move(tree);
        endResetModel();
    }
    const CatalogueTree* tree() const { return tree_.get(); }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override {
        if (!tree_ || column != 0)
            return {};
        int p = parent.isValid() ? int(parent.internalId()) : 0;
        const auto& children = tree_->nodes[p].children;
        if (row < 0 || row >= int(children.size()))
            return {};
        return createIndex(row, 0, quintptr(children[row]));
    }
    QModelIndex parent(const QModelIndex& child) const override {
        if (!tree_ || !child.isValid())
            return {};
        int p = tree_->nodes[child.internalId()].parent;
        if (p <= 0)
            return {};
        return createIndex(tree_->nodes[p].row, 0, quintptr(p));
    }
    int rowCount(const QModelIndex& parent = {}) const override {
        if (!tree_)
            return 0;
        return int(tree_->nodes[parent.isValid() ? parent.internalId() : 0].children.size());
    }
    int columnCount(const QModelIndex& = {}) const override { return 1; }
    QVariant data(const QModelIndex& index, int role) const override {
        if (!tree_ || !index.isValid())
            return {};
        const CatalogueTree::Node& n = tree_->nodes[index.internalId()];
        switch (role) {
        case Qt::DisplayRole:
            return n.kind == 'g' && n.parent == 0 ? QString("%1  (%2)").arg(n.text).arg(n.count) : n.text;
        case Qt::ToolTipRole:
            return n.doc.isEmpty() ? QVariant() : n.doc;
        case Qt::DecorationRole:
            return n.kind == 'g' ? QVariant() : QVariant(icon(n.kind));
        case Qt::FontRole:
            if (n.kind == 'g' && n.parent == 0) {
                QFont f;
                f.setBold(true);
                return f;
            }
            return {};
        case PointRole: return n.point;
        case DocRole: return n.doc;
        case VariablesRole: return n.vars;
        case SearchRole: return n.search;
        }
        return {};
    }

private:
    static QIcon icon(char kind) {
        static QIcon probe(icons::badge('p', QColor("#2e7d32"), 14));
        static QIcon alias(icons::badge('a', QColor("#1565c0"), 14));
        static QIcon trace(icons::badge('t', QColor("#ef6c00"), 14));
        static QIcon function(icons::badge('f', QColor("#6a1b9a"), 14));
        return kind == 'a' ? alias : kind == 't' ? trace : kind == 'f' ? function : probe;
    }
    std::shared_ptr<CatalogueTree> tree_;
};

ProbeCatalogueDock::ProbeCatalogueDock(QWidget* parent) : QDockWidget(tr("Probe catalogue"), parent) {
    setObjectName("ProbeCatalogueDock");
    auto* box = new QWidget(this);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    filter_ = new QLineEdit(box);
    filter_->setPlaceholderText(tr("Filter probe points (e.g. sched, open, timer)"));
    filter_->setClearButtonEnabled(true);
    state_ = new QLabel(box);
    state_->setContentsMargins(4, 0, 4, 0);
    model_ = new CatalogueModel(this);
    proxy_ = new QSortFilterProxyModel(this);
    proxy_->setSourceModel(model_);
    proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy_->setRecursiveFilteringEnabled(true);
    proxy_->setAutoAcceptChildRows(true);
    proxy_->setFilterRole(SearchRole);
    view_ = new QTreeView(box);
    view_->setModel(proxy_);
    view_->setHeaderHidden(true);
    view_->setUniformRowHeights(true);
    view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    details_ = new QTextBrowser(box);
    details_->setOpenLinks(false);
    auto* split = new QSplitter(Qt::Vertical, box);
    split->addWidget(view_);
    split->addWidget(details_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    binaryButton_ = new QPushButton(tr("Binary…"), box);
    binaryButton_->setToolTip(tr("List the functions of an executable (process(\"PATH\").function probes)"));
    auto* top = new QHBoxLayout;
    top->setSpacing(2);
    top->addWidget(filter_, 1);
    top->addWidget(binaryButton_);
    layout->addLayout(top);
    layout->addWidget(state_);
    layout->addWidget(split, 1);
    setWidget(box);

    filterTimer_.setSingleShot(true);
    filterTimer_.setInterval(150);
    connect(filter_, &QLineEdit::textChanged, this, [this] { filterTimer_.start(); });
    connect(&filterTimer_, &QTimer::timeout, this, [this] { setFilter(filter_->text()); });
    connect(view_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { showDetails(current); });
    connect(view_, &QTreeView::activated, this, &ProbeCatalogueDock::activate);
    connect(binaryButton_, &QPushButton::clicked, this, [this] {
        QString start = binaryPath_.isEmpty() ? QString("/usr/bin") : QFileInfo(binaryPath_).absolutePath();
        QString file = QFileDialog::getOpenFileName(this, tr("Functions of a binary"), start);
        if (!file.isEmpty())
            setBinary(file);
    });
    connect(details_, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        emit openLocation(url.path(), url.fragment().toInt());
    });
    state_->setText(tr("Indexing…"));
    showDetails(QModelIndex());
}

void ProbeCatalogueDock::setSnapshot(CatalogueSnapshotPtr snapshot, bool async) {
    snapshot_ = std::move(snapshot);
    if (!snapshot_) {
        ++buildGeneration_;
        return;
    }
    rebuild(async);
}

QString ProbeCatalogueDock::functionPoint(const QString& path, const QString& function) {
    return QString("process(\"%1\").function(\"%2\")").arg(path, function);
}

void ProbeCatalogueDock::setBinary(const QString& binary) {
    quint64 generation = ++binaryGeneration_;
    if (binary.isEmpty()) {
        binaryPath_.clear();
        binaryTable_.reset();
        rebuild(false);
        return;
    }
    QString path = resolveBinaryPath(binary);
    if (path.isEmpty()) {
        state_->setText(tr("%1: no such executable").arg(binary));
        emit binaryLoaded(binary, 0, tr("no such executable"));
        return;
    }
    state_->setText(tr("Reading the functions of %1…").arg(QFileInfo(path).fileName()));
    auto* watcher = new QFutureWatcher<ElfFunctionTablePtr>(this);
    connect(watcher, &QFutureWatcher<ElfFunctionTablePtr>::finished, this, [this, watcher, generation, path] {
        watcher->deleteLater();
        if (generation != binaryGeneration_)
            return; // another binary was chosen meanwhile
        ElfFunctionTablePtr table = watcher->result();
        binaryPath_ = path;
        binaryTable_ = table;
        rebuild(false);
        if (!table->error.isEmpty())
            state_->setText(table->error);
        else
            view_->expand(proxy_->index(proxy_->rowCount() - 1, 0));
        emit binaryLoaded(path, int(table->functions.size()), table->error);
    });
    watcher->setFuture(loadElfFunctionsAsync(path));
}

void ProbeCatalogueDock::rebuild(bool async) {
    quint64 generation = ++buildGeneration_;
    static const CatalogueSnapshot empty;
    const CatalogueSnapshot& snap = snapshot_ ? *snapshot_ : empty;
    if (!async) {
        install(CatalogueTree::build(snap, binaryTable_));
        return;
    }
    auto* watcher = new QFutureWatcher<std::shared_ptr<CatalogueTree>>(this);
    connect(watcher, &QFutureWatcher<std::shared_ptr<CatalogueTree>>::finished, this, [this, watcher, generation] {
        if (generation == buildGeneration_) // else a newer snapshot is on its way
            install(watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run([snap = snapshot_, binary = binaryTable_] {
        return CatalogueTree::build(*snap, binary);
    }));
}

void ProbeCatalogueDock::install(std::shared_ptr<CatalogueTree> tree) {
    points_ = tree->points;
    bool complete = tree->complete;
    model_->setTree(std::move(tree));
    (void)complete;
    setFilter(filter_->text());
}

void ProbeCatalogueDock::setFilter(const QString& text) {
    if (filter_->text() != text) {
        QSignalBlocker block(filter_);
        filter_->setText(text);
    }
    proxy_->setFilterFixedString(text.trimmed());
    if (!text.trimmed().isEmpty() && proxy_->rowCount() <= 12)
        view_->expandAll();
    QString total = plural(points_, "probe point", "probe points");
    if (model_->tree() && !model_->tree()->complete)
        total += tr(" so far — indexing variables…");
    state_->setText(text.trimmed().isEmpty() ? total
                                             : tr("%1 of %2").arg(visiblePoints().size()).arg(total));
}

QStringList ProbeCatalogueDock::visiblePoints() const {
    QStringList out;
    std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
        for (int r = 0; r < proxy_->rowCount(parent); ++r) {
            QModelIndex i = proxy_->index(r, 0, parent);
            QString p = i.data(PointRole).toString();
            if (!p.isEmpty())
                out << p;
            walk(i);
        }
    };
    walk(QModelIndex());
    return out;
}

void ProbeCatalogueDock::showDetails(const QModelIndex& index) {
    QString point = index.data(PointRole).toString();
    if (point.isEmpty()) {
        details_->setHtml("<i>" + tr("Select a probe point to see its documentation and variables; "
                                     "double-click inserts a probe.") + "</i>");
        return;
    }
    QString html = "<b><tt>" + point.toHtmlEscaped() + "</tt></b>";
    QString doc = index.data(DocRole).toString();
    const TapsetAlias* alias = snapshot_ && snapshot_->library ? snapshot_->library->alias(point.toStdString()) : nullptr;
    if (!doc.isEmpty())
        html += "<p>" + doc.toHtmlEscaped() + "</p>";
    QStringList vars = index.data(VariablesRole).toStringList();
    if (!vars.isEmpty()) {
        html += "<table cellspacing=0 cellpadding=1>";
        for (const QString& v : vars) {
            QString name = v.section(':', 0, 0), type = v.section(':', 1);
            QString vdoc = alias ? qs(alias->doc.paramDoc(name.toStdString())) : QString();
            html += "<tr><td><tt>" + name.toHtmlEscaped() + "</tt></td><td><i>" + type.toHtmlEscaped() +
                    "</i></td><td>" + vdoc.toHtmlEscaped() + "</td></tr>";
        }
        html += "</table>";
    }
    if (alias) {
        html += "<p>= <tt>" + qs(alias->target).toHtmlEscaped() + "</tt><br>";
        html += QString("<a href='file://%1#%2'>%3:%2</a></p>")
                    .arg(qs(alias->file).toHtmlEscaped())
                    .arg(alias->line)
                    .arg(QFileInfo(qs(alias->file)).fileName());
    }
    html += "<p><i>" + tr("Double-click to insert a probe.") + "</i></p>";
    details_->setHtml(html);
}

QString ProbeCatalogueDock::skeletonFor(const QString& point, const QStringList& variables) {
    QString p = point;
    for (int at = int(p.indexOf("(N)")); at >= 0; at = int(p.indexOf("(N)"))) {
        p.replace(at + 1, 1, defaultArgument(p, at));
    }
    QString text = "probe " + p + " {\n";
    if (!variables.isEmpty()) {
        QStringList lines;
        QString line;
        for (const QString& v : variables) {
            if (!line.isEmpty() && line.size() + v.size() > 72) {
                lines << line;
                line.clear();
            }
            line += (line.isEmpty() ? "" : "  ") + v;
        }
        if (!line.isEmpty())
            lines << line;
        for (const QString& l : lines)
            text += "    // " + l + "\n";
    }
    text += "    \n}\n";
    return text;
}

bool ProbeCatalogueDock::activatePoint(const QString& point) {
    const CatalogueTree* tree = model_->tree();
    if (!tree)
        return false;
    for (const CatalogueTree::Node& n : tree->nodes)
        if (n.point == point) {
            emit insertRequested(skeletonFor(point, n.vars));
            return true;
        }
    return false;
}

void ProbeCatalogueDock::activate(const QModelIndex& index) {
    QString point = index.data(PointRole).toString();
    if (point.isEmpty())
        return;
    emit insertRequested(skeletonFor(point, index.data(VariablesRole).toStringList()));
}

} // namespace tapide
