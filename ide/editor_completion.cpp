#include "editor_completion.h"

#include "completion_doc_popup.h"

#include "elf_symbols.h"
#include "icons.h"
#include "script_editor.h"

#include <QApplication>
#include <QFutureWatcher>
#include <QGuiApplication>
#include <QListWidget>
#include <QScreen>
#include <QTimer>

#include <cctype>

namespace tapide {

namespace {

QColor kindColor(CompletionKind k) {
    switch (k) {
    case CompletionKind::Local: return QColor("#607d8b");
    case CompletionKind::TargetVar: return QColor("#00897b");
    case CompletionKind::Global: return QColor("#6d4c41");
    case CompletionKind::ScriptFunction: return QColor("#1e88e5");
    case CompletionKind::Function: return QColor("#1565c0");
    case CompletionKind::Builtin: return QColor("#3949ab");
    case CompletionKind::AtOperator: return QColor("#c2185b");
    case CompletionKind::Keyword: return QColor("#7b1fa2");
    case CompletionKind::ProbeComponent: return QColor("#2e7d32");
    case CompletionKind::ProbePoint: return QColor("#388e3c");
    case CompletionKind::Tracepoint: return QColor("#ef6c00");
    case CompletionKind::Snippet: return QColor("#546e7a");
    case CompletionKind::Member: return QColor("#00695c");
    }
    return Qt::gray;
}

QChar kindLetter(CompletionKind k) {
    switch (k) {
    case CompletionKind::Local: return 'l';
    case CompletionKind::TargetVar: return '$';
    case CompletionKind::Global: return 'g';
    case CompletionKind::ScriptFunction: return 'f';
    case CompletionKind::Function: return 'f';
    case CompletionKind::Builtin: return 'b';
    case CompletionKind::AtOperator: return '@';
    case CompletionKind::Keyword: return 'k';
    case CompletionKind::ProbeComponent: return 'p';
    case CompletionKind::ProbePoint: return 'p';
    case CompletionKind::Tracepoint: return 't';
    case CompletionKind::Snippet: return 's';
    case CompletionKind::Member: return 'm';
    }
    return '?';
}

constexpr int kImageBase = 100;
constexpr char kTypeSeparator = '\x1e'; // never in a label

// QScintilla places popups with QGuiApplication::screenAt() and crashes when
// the caret is on no screen (off-screen windows, gaps between monitors).
bool caretOnAScreen(ScriptEditor* e) {
    long pos = e->SendScintilla(QsciScintillaBase::SCI_GETCURRENTPOS);
    int x = int(e->SendScintilla(QsciScintillaBase::SCI_POINTXFROMPOSITION, 0UL, pos));
    int y = int(e->SendScintilla(QsciScintillaBase::SCI_POINTYFROMPOSITION, 0UL, pos));
    return QGuiApplication::screenAt(e->viewport()->mapToGlobal(QPoint(x, y))) != nullptr;
}

bool isWordChar(int ch) { return ch > 0 && ch < 128 && (std::isalnum(ch) || ch == '_' || ch == '$' || ch == '@'); }

int utf8Length(const QString& s) { return int(s.toUtf8().size()); }

} // namespace

EditorCompletion::EditorCompletion(ScriptEditor* editor, SnapshotSource snapshot)
    : QObject(editor), editor_(editor), snapshot_(std::move(snapshot)), docPopup_(new CompletionDocPopup(editor)) {
    for (int k = 0; k <= int(CompletionKind::Member); ++k)
        editor->registerImage(kImageBase + k, icons::badge(kindLetter(CompletionKind(k)), kindColor(CompletionKind(k)), 14));
    editor->SendScintilla(QsciScintillaBase::SCI_AUTOCSETTYPESEPARATOR, (unsigned long)kTypeSeparator);
    editor->SendScintilla(QsciScintillaBase::SCI_AUTOCSETORDER, (unsigned long)QsciScintillaBase::SC_ORDER_CUSTOM);
    editor->SendScintilla(QsciScintillaBase::SCI_AUTOCSETIGNORECASE, 1UL);
    editor->SendScintilla(QsciScintillaBase::SCI_AUTOCSETMAXHEIGHT, 12UL);
    editor->SendScintilla(QsciScintillaBase::SCI_AUTOCSETMAXWIDTH, 90UL);
    editor->SendScintilla(QsciScintillaBase::SCI_AUTOCSETCANCELATSTART, 0UL);
    connect(editor, &QsciScintillaBase::SCN_CHARADDED, this, &EditorCompletion::charAdded);
    connect(editor, &QsciScintilla::userListActivated, this, &EditorCompletion::listSelected);
    connect(editor, &QsciScintillaBase::SCN_AUTOCSELECTIONCHANGE, this,
            [this](const char* selection, int id, int) { selectionChanged(selection, id); });
    connect(editor, &QsciScintillaBase::SCN_AUTOCCANCELLED, docPopup_, &QWidget::hide);
    connect(editor, &QsciScintilla::cursorPositionChanged, this, [this] {
        if (signature_.valid && !applying_)
            updateSignature();
    });
    editor->setHoverProvider([this](int pos) -> QString {
        if (!editor_)
            return {};
        std::string text = editor_->utf8Text();
        return engine_.hoverAt(text, pos, editor_->analysis(), snapshot_());
    });
}

void EditorCompletion::loadBinary(const QString& path, bool explicitRequest) {
    if (loadingBinary_ == path)
        return;
    loadingBinary_ = path;
    auto* watcher = new QFutureWatcher<ElfFunctionTablePtr>(this);
    connect(watcher, &QFutureWatcher<ElfFunctionTablePtr>::finished, this, [this, watcher, path, explicitRequest] {
        watcher->deleteLater();
        if (loadingBinary_ == path)
            loadingBinary_.clear();
        if (!editor_)
            return;
        // Still where that binary's functions or $variables go? Then show them now.
        CompletionResult again = engine_.complete(editor_->utf8Text(), editor_->currentPosition(),
                                                  editor_->analysis(), snapshot_());
        if (again.pendingBinary.isEmpty() && !again.items.isEmpty())
            complete(explicitRequest);
    });
    watcher->setFuture(loadElfFunctionsAsync(path));
}

bool EditorCompletion::listActive() const { return editor_ && editor_->isListActive(); }

int EditorCompletion::complete(bool explicitRequest) {
    if (!editor_)
        return 0;
    std::string text = editor_->utf8Text();
    int cursor = editor_->currentPosition();
    CatalogueSnapshotPtr snap = snapshot_();
    last_ = engine_.complete(text, cursor, editor_->analysis(), snap);
    if (!last_.pendingBinary.isEmpty())
        loadBinary(last_.pendingBinary, explicitRequest);
    const auto& items = last_.items;
    bool trivial = items.size() == 1 && items.front().insert.toStdString() == last_.context.prefix;
    if (items.isEmpty() || (!explicitRequest && trivial)) {
        if (editor_->isListActive())
            editor_->cancelList();
        docPopup_->hide();
        // Asked for (or right after `->`): say why nothing is offered.
        if (items.isEmpty() && !last_.emptyReason.isEmpty() && (explicitRequest || last_.context.afterArrow))
            showNotice(tr("No suggestions: %1").arg(last_.emptyReason));
        return 0;
    }
    if (last_.partial)
        emit partialIndexUsed();
    if (explicitRequest && items.size() == 1 && !last_.context.prefix.empty()) {
        apply(items.front()); // the only candidate: insert it at once
        return 1;
    }
    QStringList labels;
    labels.reserve(items.size());
    for (const CompletionItem& it : items)
        labels << it.label + QChar(kTypeSeparator) + QString::number(kImageBase + int(it.kind));
    // Scintilla places the list at the current position; keep it at the word start.
    if (!caretOnAScreen(editor_))
        return 0;
    editor_->SendScintilla(QsciScintillaBase::SCI_AUTOCSETORDER, (unsigned long)QsciScintillaBase::SC_ORDER_CUSTOM);
    editor_->showUserList(kListId, labels);
    if (!items.isEmpty())
        selectionChanged(items.front().label.toUtf8().constData(), kListId);
    return int(items.size());
}

void EditorCompletion::showNotice(const QString& text) {
    notice_ = text;
    QByteArray bytes = text.toUtf8();
    editor_->SendScintilla(QsciScintillaBase::SCI_CALLTIPSHOW, (unsigned long)editor_->currentPosition(), bytes.constData());
}

const CompletionItem* EditorCompletion::itemForLabel(const QString& label) const {
    QString l = label;
    int sep = l.indexOf(QChar(kTypeSeparator));
    if (sep >= 0)
        l = l.left(sep);
    for (const CompletionItem& it : last_.items)
        if (it.label == l)
            return &it;
    return nullptr;
}

void EditorCompletion::listSelected(int id, const QString& text) {
    if (id != kListId)
        return;
    docPopup_->hide();
    if (const CompletionItem* it = itemForLabel(text)) {
        CompletionItem copy = *it;
        apply(copy);
    }
}

void EditorCompletion::selectionChanged(const char* selection, int id) {
    if (id != kListId || !selection)
        return;
    if (const CompletionItem* it = itemForLabel(QString::fromUtf8(selection))) {
        emit itemHighlighted(it->label + (it->detail.isEmpty() || it->label.contains(it->detail) ? QString()
                                                                                               : "  —  " + it->detail));
        docPopup_->showFor(*it, listGeometry());
    }
}

QRect EditorCompletion::listGeometry() const {
    QList<QListWidget*> lists = editor_->findChildren<QListWidget*>();
    for (QWidget* top : QApplication::topLevelWidgets())
        if (auto* list = qobject_cast<QListWidget*>(top))
            lists << list;
    for (QListWidget* list : lists)
        if (list->isVisible())
            return QRect(list->mapToGlobal(QPoint(0, 0)), list->size());
    return {};
}

void EditorCompletion::apply(const CompletionItem& item) {
    if (!editor_)
        return;
    applying_ = true;
    const CompletionContext& ctx = last_.context;
    int start = ctx.replaceStart;
    int end = std::max(ctx.replaceEnd, editor_->currentPosition());
    // A string argument: do not swallow the closing quote.
    if (ctx.kind == CompletionContextKind::ProbeString)
        end = std::max(ctx.replaceEnd, start);
    QByteArray bytes = item.insert.toUtf8();
    int closing = 0; // bytes of `")` added after the item
    if (ctx.kind == CompletionContextKind::ProbeString && !item.retrigger) {
        // A string left open swallowed the rest of the file: close it, and
        // the component's parenthesis, as the user would type on.
        std::string text = editor_->utf8Text();
        size_t after = size_t(end);
        if (after >= text.size() || text[after] != '"') {
            bytes += '"';
            if (after >= text.size() || text[after] != ')')
                bytes += ')';
            closing = int(bytes.size() - item.insert.toUtf8().size());
        }
    }
    editor_->beginUndoAction();
    editor_->SendScintilla(QsciScintillaBase::SCI_SETTARGETSTART, (unsigned long)start);
    editor_->SendScintilla(QsciScintillaBase::SCI_SETTARGETEND, (unsigned long)end);
    editor_->SendScintilla(QsciScintillaBase::SCI_REPLACETARGET, (uintptr_t)bytes.size(), bytes.constData());
    editor_->endUndoAction();
    int caret = start + (item.cursor < 0 || closing ? int(bytes.size()) : utf8Length(item.insert.left(item.cursor)));
    if (item.select > 0) {
        int selEnd = caret + utf8Length(item.insert.mid(item.cursor, item.select));
        editor_->SendScintilla(QsciScintillaBase::SCI_SETSEL, (unsigned long)caret, long(selEnd));
    } else {
        editor_->setCurrentPosition(caret);
    }
    applying_ = false;
    if (item.retrigger)
        QTimer::singleShot(0, this, [this] { complete(true); });
    else if (item.insert.endsWith("()") || item.cursor > 0)
        updateSignature();
}

bool EditorCompletion::updateSignature() {
    if (!editor_)
        return false;
    std::string text = editor_->utf8Text();
    int cursor = editor_->currentPosition();
    signature_ = engine_.signatureAt(text, cursor, editor_->analysis(), snapshot_());
    if (!signature_.valid) {
        editor_->SendScintilla(QsciScintillaBase::SCI_CALLTIPCANCEL);
        return false;
    }
    if (!caretOnAScreen(editor_))
        return true; // known, but not shown
    QString tip = signature_.signature;
    if (!signature_.summary.isEmpty())
        tip += "\n" + signature_.summary;
    QByteArray bytes = tip.toUtf8();
    editor_->SendScintilla(QsciScintillaBase::SCI_CALLTIPSHOW, (uintptr_t)signature_.callStart, bytes.constData());
    if (signature_.paramStart >= 0) {
        int a = utf8Length(signature_.signature.left(signature_.paramStart));
        int b = utf8Length(signature_.signature.left(signature_.paramEnd));
        editor_->SendScintilla(QsciScintillaBase::SCI_CALLTIPSETHLT, (unsigned long)a, long(b));
    }
    return true;
}

void EditorCompletion::charAdded(int ch) {
    if (!editor_ || applying_)
        return;
    if (ch == '(' || ch == ',') {
        if (editor_->isListActive())
            editor_->cancelList();
        updateSignature();
        if (ch == ',')
            return;
    } else if (ch == ')' || ch == ';' || ch == '\n') {
        if (signature_.valid)
            updateSignature();
    }
    bool active = editor_->isListActive();
    if (isWordChar(ch)) {
        if (active) {
            complete(false);
            return;
        }
        // Open automatically once a name is two characters long ($ and @ at once).
        int pos = editor_->currentPosition();
        int wordStart = pos;
        while (wordStart > 0 &&
               isWordChar(int(editor_->SendScintilla(QsciScintillaBase::SCI_GETCHARAT, (unsigned long)(wordStart - 1)))))
            --wordStart;
        int len = pos - wordStart;
        char first = char(editor_->SendScintilla(QsciScintillaBase::SCI_GETCHARAT, (unsigned long)wordStart));
        if (len >= 2 || first == '$' || first == '@')
            complete(false);
        return;
    }
    if (active)
        editor_->cancelList();
    int pos = editor_->currentPosition();
    if (ch == '>' && pos >= 2 && editor_->SendScintilla(QsciScintillaBase::SCI_GETCHARAT, (unsigned long)(pos - 2)) == '-') {
        complete(false); // a struct's members
        return;
    }
    if (ch == '.' || ch == ' ' || ch == '"' || ch == '(') {
        CompletionContext ctx = CompletionEngine::contextAt(editor_->utf8Text(), editor_->currentPosition());
        bool probeContext = ctx.kind == CompletionContextKind::ProbePoint ||
                            ctx.kind == CompletionContextKind::ProbeString;
        if (probeContext && (ch != ' ' || ctx.components.empty()))
            complete(false);
    }
}

} // namespace tapide
