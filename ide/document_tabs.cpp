#include "document_tabs.h"

#include "diagnostics_runner.h"
#include "generated_code_view.h"
#include "script_editor.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QTabBar>

namespace tapide {

DocumentTabs::DocumentTabs(EditorCompletion::SnapshotSource snapshot, QWidget* parent)
    : QTabWidget(parent), snapshot_(std::move(snapshot)) {
    setObjectName("DocumentTabs");
    setTabsClosable(true);
    setMovable(true);
    setDocumentMode(true);
    // Whole titles and scroll buttons, as Kate and VS Code: elided titles of
    // ten tabs became "…" and indistinguishable.
    tabBar()->setElideMode(Qt::ElideNone);
    tabBar()->setUsesScrollButtons(true);
    connect(this, &QTabWidget::tabCloseRequested, this, [this](int index) {
        if (auto* e = qobject_cast<ScriptEditor*>(widget(index))) {
            closeEditor(e);
        } else if (QWidget* w = widget(index)) {
            removeTab(index);
            w->deleteLater();
            emit currentEditorChanged(currentEditor());
        }
    });
    connect(this, &QTabWidget::currentChanged, this, [this] { emit currentEditorChanged(currentEditor()); });
    prompt_ = [this](ScriptEditor* e) {
        return QMessageBox::question(this, tr("Unsaved changes"),
                                     tr("“%1” has unsaved changes. Save them?").arg(e->displayName()),
                                     QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel,
                                     QMessageBox::Save);
    };
    saveAsPath_ = [this](ScriptEditor* e) {
        QString dir = e->filePath().isEmpty() ? QString() : QFileInfo(e->filePath()).absolutePath();
        return QFileDialog::getSaveFileName(this, tr("Save Script As"), dir + "/" + e->displayName(),
                                            tr("SystemTap scripts (*.stp);;All files (*)"));
    };
}

ScriptEditor* DocumentTabs::addEditor(ScriptEditor* editor) {
    editor->applyTheme(theme_, fontSize_);
    editor->setInlineDiagnostics(inline_);
    auto* runner = new DiagnosticsRunner(editor);
    runner->setObjectName("diagnostics");
    auto* completion = new EditorCompletion(editor, snapshot_);
    completion->setObjectName("completion");
    connect(completion, &EditorCompletion::itemHighlighted, this, &DocumentTabs::statusMessage);
    connect(runner, &DiagnosticsRunner::analysisReady, this,
            [this, editor](const ScriptAnalysis& a) { emit analysisReady(editor, a); });
    connect(editor, &ScriptEditor::runTimeDiagnosticsChanged, this,
            [this, editor] { emit runTimeDiagnosticsChanged(editor); });
    connect(editor, &QsciScintilla::modificationChanged, this, [this, editor](bool m) {
        updateTabTitle(editor);
        emit modificationChanged(editor, m);
    });
    int index = addTab(editor, editor->displayName());
    updateTabTitle(editor);
    setCurrentIndex(index);
    runner->runNow();
    editor->setFocus();
    return editor;
}

ScriptEditor* DocumentTabs::newDocument(const QString& text) {
    auto* editor = new ScriptEditor(this);
    editor->setUntitledNumber(++untitledCounter_);
    if (!text.isEmpty()) {
        editor->setText(text);
        editor->setModified(false);
    }
    return addEditor(editor);
}

ScriptEditor* DocumentTabs::openFile(const QString& path, bool readOnly, QString* error) {
    if (ScriptEditor* open = editorForPath(path)) {
        setCurrentWidget(open);
        open->setFocus();
        return open;
    }
    auto* editor = new ScriptEditor(this);
    QString err;
    if (!editor->loadFile(path, &err)) {
        delete editor;
        if (error)
            *error = err;
        return nullptr;
    }
    editor->setReadOnly(readOnly);
    addEditor(editor);
    if (!readOnly)
        emit fileOpened(editor->filePath());
    return editor;
}

GeneratedCodeView* DocumentTabs::generatedCodeView(const QString& scriptPath) {
    for (GeneratedCodeView* v : generatedCodeViews())
        if (v->scriptPath() == scriptPath) {
            setCurrentWidget(v);
            return v;
        }
    auto* view = new GeneratedCodeView(scriptPath, this);
    view->applyTheme(theme_, fontSize_);
    int index = addTab(view, view->title());
    setTabToolTip(index, tr("BPF C generated from %1 (tstap -p3), read-only").arg(scriptPath));
    setCurrentIndex(index);
    return view;
}

QList<GeneratedCodeView*> DocumentTabs::generatedCodeViews() const {
    QList<GeneratedCodeView*> out;
    for (int i = 0; i < count(); ++i)
        if (auto* v = qobject_cast<GeneratedCodeView*>(widget(i)))
            out << v;
    return out;
}

ScriptEditor* DocumentTabs::currentEditor() const { return qobject_cast<ScriptEditor*>(currentWidget()); }

QList<ScriptEditor*> DocumentTabs::editors() const {
    QList<ScriptEditor*> out;
    for (int i = 0; i < count(); ++i)
        if (auto* e = qobject_cast<ScriptEditor*>(widget(i)))
            out << e;
    return out;
}

ScriptEditor* DocumentTabs::editorForPath(const QString& path) const {
    QString abs = QFileInfo(path).absoluteFilePath();
    for (ScriptEditor* e : editors())
        if (!e->filePath().isEmpty() && e->filePath() == abs)
            return e;
    return nullptr;
}

DiagnosticsRunner* DocumentTabs::runnerFor(ScriptEditor* editor) const {
    return editor ? editor->findChild<DiagnosticsRunner*>("diagnostics") : nullptr;
}

EditorCompletion* DocumentTabs::completionFor(ScriptEditor* editor) const {
    return editor ? editor->findChild<EditorCompletion*>("completion") : nullptr;
}

bool DocumentTabs::save(ScriptEditor* editor) {
    if (!editor)
        return false;
    if (editor->filePath().isEmpty() || editor->isReadOnly())
        return saveAs(editor);
    QString error;
    if (!editor->saveFile(editor->filePath(), &error)) {
        QMessageBox::warning(this, tr("Save failed"), tr("Could not save %1:\n%2").arg(editor->filePath(), error));
        return false;
    }
    emit fileSaved(editor->filePath());
    emit statusMessage(tr("Saved %1").arg(editor->filePath()));
    return true;
}

bool DocumentTabs::saveAs(ScriptEditor* editor) {
    if (!editor)
        return false;
    QString path = saveAsPath_(editor);
    if (path.isEmpty())
        return false;
    QString oldName = editor->diagnosticName();
    QString error;
    if (!editor->saveFile(path, &error)) {
        QMessageBox::warning(this, tr("Save failed"), tr("Could not save %1:\n%2").arg(path, error));
        return false;
    }
    editor->setReadOnly(false);
    updateTabTitle(editor);
    if (editor->diagnosticName() != oldName)
        if (DiagnosticsRunner* r = runnerFor(editor))
            r->runNow();
    emit fileSaved(editor->filePath());
    emit statusMessage(tr("Saved %1").arg(editor->filePath()));
    return true;
}

bool DocumentTabs::maybeSave(ScriptEditor* editor) {
    if (!editor || !editor->isModified())
        return true;
    setCurrentWidget(editor);
    int answer = prompt_(editor);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save)
        return save(editor);
    return true;
}

bool DocumentTabs::closeEditor(ScriptEditor* editor) {
    if (!editor || !maybeSave(editor))
        return false;
    emit editorClosing(editor);
    removeTab(indexOf(editor));
    editor->deleteLater();
    return true;
}

bool DocumentTabs::closeAll() {
    for (ScriptEditor* e : editors())
        if (!maybeSave(e))
            return false;
    for (ScriptEditor* e : editors()) {
        e->setModified(false);
        closeEditor(e);
    }
    for (GeneratedCodeView* v : generatedCodeViews()) {
        removeTab(indexOf(v));
        v->deleteLater();
    }
    return true;
}

void DocumentTabs::applyTheme(ThemeKind theme, int fontSize) {
    theme_ = theme;
    fontSize_ = fontSize;
    for (ScriptEditor* e : editors())
        e->applyTheme(theme, fontSize);
    for (GeneratedCodeView* v : generatedCodeViews())
        v->applyTheme(theme, fontSize);
}

void DocumentTabs::setInlineDiagnostics(bool on) {
    inline_ = on;
    for (ScriptEditor* e : editors())
        e->setInlineDiagnostics(on);
}

void DocumentTabs::updateTabTitle(ScriptEditor* editor) {
    int index = indexOf(editor);
    if (index < 0)
        return;
    QString title = editor->displayName();
    if (editor->isModified())
        title += " *";
    if (editor->isReadOnly())
        title += tr(" (read-only)");
    setTabText(index, title);
    setTabToolTip(index, editor->filePath().isEmpty() ? title : editor->filePath());
}

} // namespace tapide
