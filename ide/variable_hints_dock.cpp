#include "variable_hints_dock.h"

#include "probe_text.h"

#include "completion_engine.h"
#include "definition_finder.h"
#include "script_editor.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace tapide {

namespace {


void addUnique(QVector<VarInfo>& into, const VarInfo& v) {
    for (const VarInfo& o : into)
        if (o.name == v.name)
            return;
    into.push_back(v);
}

// Where a probe with these points runs, from the points elaborated on
// their own while the script does not elaborate; unknown unless every point
// resolved there.
std::optional<bool> siteOfPoints(const ScriptAnalysis& analysis, const std::vector<std::string>& points) {
    std::optional<bool> kernel;
    for (const std::string& p : points) {
        auto it = analysis.pointRunsInKernel.find(QString::fromStdString(withoutSpace(p)));
        if (it == analysis.pointRunsInKernel.end())
            return std::nullopt;
        kernel = kernel.value_or(false) || *it;
    }
    return kernel;
}

} // namespace

VariableHints variableHintsAt(const ScriptAnalysis& analysis, int pos, const CatalogueSnapshotPtr& snapshot,
                              std::string_view text) {
    VariableHints h;
    // The innermost declaration whose header or body holds the cursor.
    const ScopeInfo* scope = nullptr;
    for (const ScopeInfo& s : analysis.scopes) {
        int end = s.bodyEnd >= 0 ? s.bodyEnd : s.headerStart;
        if (pos >= s.headerStart && pos <= end)
            scope = &s;
    }
    if (!scope) {
        std::vector<std::string> points = text.empty() ? std::vector<std::string>{} : enclosingProbePoints(text, pos);
        if (points.empty())
            return h;
        QStringList names;
        for (const std::string& p : points)
            names << QString::fromStdString(p);
        h.kind = VariableHints::Probe;
        h.title = "probe " + names.join(", ");
        h.kernel = siteOfPoints(analysis, points);
        for (const QString& point : names)
            for (const VarInfo& v : probePointVariables(snapshot, point.toStdString())) {
                h.fromCatalogue = true;
                addUnique(v.name.startsWith('$') ? h.context : h.aliasVars, v);
            }
        return h;
    }
    switch (scope->kind) {
    case ScopeInfo::Probe:
        h.kind = VariableHints::Probe;
        h.title = "probe " + scope->name;
        break;
    case ScopeInfo::Alias:
        h.kind = VariableHints::Alias;
        h.title = "probe alias " + scope->name;
        break;
    case ScopeInfo::Function:
        h.kind = VariableHints::Function;
        h.title = "function " + scope->name;
        break;
    }
    h.kernel = scope->kernel;
    if (!h.kernel && scope->kind == ScopeInfo::Probe)
        h.kernel = siteOfPoints(analysis, splitProbePoints(scope->name.toStdString()));
    h.context = scope->context;
    h.aliasVars = scope->aliasLocals;
    h.locals = scope->locals;
    if (scope->kind == ScopeInfo::Probe) {
        // Pass 2 elides the alias variables the handler does not read, and
        // knows nothing before the script elaborates: the catalogue lists
        // everything each point offers.
        bool typed = !h.context.isEmpty() || !h.aliasVars.isEmpty();
        for (const std::string& pointText : splitProbePoints(scope->name.toStdString())) {
            const QString point = QString::fromStdString(pointText);
            for (const VarInfo& v : probePointVariables(snapshot, point.toStdString())) {
                if (v.name.startsWith('$')) {
                    if (!typed)
                        addUnique(h.context, v);
                } else {
                    addUnique(h.aliasVars, v);
                }
                h.fromCatalogue = h.fromCatalogue || !typed;
            }
        }
    }
    return h;
}

VariableHintsDock::VariableHintsDock(QWidget* parent) : QDockWidget(tr("Variable hints"), parent) {
    setObjectName("VariableHintsDock");
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    title_ = new QLabel(body);
    title_->setObjectName("VariableHintsTitle");
    title_->setWordWrap(true);
    title_->setTextFormat(Qt::RichText);
    tree_ = new QTreeWidget(body);
    tree_->setColumnCount(2);
    tree_->setHeaderLabels({tr("Variable"), tr("Type")});
    tree_->setRootIsDecorated(true);
    tree_->setUniformRowHeights(true);
    tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    tree_->header()->setStretchLastSection(true);
    tree_->setToolTip(tr("Double-click a variable to insert it at the cursor"));
    layout->addWidget(title_);
    layout->addWidget(tree_, 1);
    setWidget(body);
    timer_.setSingleShot(true);
    timer_.setInterval(60);
    connect(&timer_, &QTimer::timeout, this, &VariableHintsDock::refresh);
    connect(tree_, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        QString name = item->data(0, Qt::UserRole).toString();
        if (!name.isEmpty())
            emit insertRequested(name, 0);
    });
    show(VariableHints{});
}

void VariableHintsDock::setEditor(ScriptEditor* editor) {
    for (const auto& c : connections_)
        disconnect(c);
    connections_.clear();
    editor_ = editor;
    if (editor) {
        connections_ << connect(editor, &QsciScintilla::cursorPositionChanged, this, [this] { timer_.start(); });
        connections_ << connect(editor, &ScriptEditor::analysisChanged, this, [this] { timer_.start(); });
    }
    refresh();
}

void VariableHintsDock::refresh() {
    timer_.stop();
    VariableHints h;
    if (editor_ && !editor_->isReadOnly()) {
        const ScriptAnalysis& a = editor_->analysis();
        int pos = editor_->currentPosition();
        bool inScope = false;
        for (const ScopeInfo& s : a.scopes)
            inScope = inScope || (pos >= s.headerStart && pos <= std::max(s.bodyEnd, s.headerStart));
        // The text is only needed (and copied) when the analysis has no scope here.
        h = variableHintsAt(a, pos, snapshot_ ? snapshot_() : nullptr, inScope ? std::string() : editor_->utf8Text());
    }
    show(h);
}

QString VariableHintsDock::titleText() const { return title_->text(); }

QStringList VariableHintsDock::shownVariables() const {
    QStringList out;
    for (int i = 0; i < tree_->topLevelItemCount(); ++i) {
        QTreeWidgetItem* group = tree_->topLevelItem(i);
        for (int j = 0; j < group->childCount(); ++j)
            if (!group->child(j)->data(0, Qt::UserRole).toString().isEmpty())
                out << group->child(j)->text(0) + " : " + group->child(j)->text(1);
    }
    return out;
}

void VariableHintsDock::show(const VariableHints& h) {
    hints_ = h;
    tree_->clear();
    if (h.kind == VariableHints::Nothing) {
        title_->setText(editor_ ? tr("<i>Put the cursor in a probe to see the variables it can read.</i>")
                                : tr("<i>Open a script to see the variables of the probe under the cursor.</i>"));
        return;
    }
    QString where = h.kind == VariableHints::Function || !h.kernel ? QString()
                    : *h.kernel                                       ? tr(" — runs in the kernel")
                                                                      : tr(" — runs in user space");
    QString note = h.fromCatalogue ? tr("<br><small>from the catalogue: the script does not elaborate yet</small>")
                                   : QString();
    title_->setText("<b><tt>" + h.title.toHtmlEscaped() + "</tt></b>" + where + note);
    auto addGroup = [this](const QString& title, const QVector<VarInfo>& vars, const QString& empty) {
        auto* group = new QTreeWidgetItem(tree_, {title});
        QFont f = group->font(0);
        f.setBold(true);
        group->setFont(0, f);
        group->setFirstColumnSpanned(true);
        group->setFlags(Qt::ItemIsEnabled);
        for (const VarInfo& v : vars) {
            auto* item = new QTreeWidgetItem(group, {v.name, v.type.isEmpty() ? QString("?") : v.type});
            item->setData(0, Qt::UserRole, v.name);
            item->setToolTip(0, v.name + " : " + (v.type.isEmpty() ? tr("type not known yet") : v.type));
        }
        if (vars.isEmpty()) {
            auto* none = new QTreeWidgetItem(group, {empty});
            none->setFirstColumnSpanned(true);
            none->setFlags(Qt::NoItemFlags);
        }
        group->setExpanded(true);
    };
    if (h.kind == VariableHints::Function) {
        addGroup(tr("Parameters and locals"), h.locals, tr("(none)"));
    } else {
        addGroup(tr("Context variables"), h.context, tr("(none: this point has no $variables)"));
        if (!h.aliasVars.isEmpty())
            addGroup(tr("Probe point variables"), h.aliasVars, {});
        addGroup(tr("Locals"), h.locals, tr("(none)"));
    }
}

} // namespace tapide
