// Completion in the editor: the list (Ctrl+Space, and automatically while
// typing names, after `probe `, `.` in a probe point, `$`, `("`), the
// signature call tip while typing a call's arguments, and hover docs. The
// logic is CompletionEngine's; this is the glue to QScintilla.
#pragma once

#include "completion_engine.h"

#include <QObject>
#include <QPointer>

#include <functional>

namespace tapide {

class CompletionDocPopup;
class ScriptEditor;

class EditorCompletion : public QObject {
    Q_OBJECT
public:
    using SnapshotSource = std::function<CatalogueSnapshotPtr()>;
    static constexpr int kListId = 1;

    EditorCompletion(ScriptEditor* editor, SnapshotSource snapshot);

    // Opens the list at the cursor. Returns the number of items shown.
    int complete(bool explicitRequest = true);
    // Shows (or hides) the signature help for the call around the cursor.
    bool updateSignature();
    bool signatureVisible() const { return signature_.valid; }
    const SignatureHelp& signature() const { return signature_; }

    const CompletionResult& lastResult() const { return last_; }
    // The last "No suggestions: ..." shown in a call tip where the list would be.
    QString notice() const { return notice_; }
    // The documentation panel beside the list (for the selected item).
    CompletionDocPopup* docPopup() const { return docPopup_; }
    // The completion list's place on the screen (QScintilla's own popup), or an empty rect.
    QRect listGeometry() const;
    bool listActive() const;
    // Inserts an item as if it had been chosen from the list.
    void apply(const CompletionItem& item);

signals:
    // The item selected in the list changed: a line for the status bar.
    void itemHighlighted(const QString& text);
    // The result shown was computed from a partial index.
    void partialIndexUsed();

private:
    void charAdded(int ch);
    void listSelected(int id, const QString& text);
    void selectionChanged(const char* selection, int id);
    const CompletionItem* itemForLabel(const QString& label) const;
    void showNotice(const QString& text);

    // Reads a binary's symbols off the UI thread, then completes again.
    void loadBinary(const QString& path, bool explicitRequest);

    QPointer<ScriptEditor> editor_;
    QString loadingBinary_;
    SnapshotSource snapshot_;
    CompletionEngine engine_;
    CompletionResult last_;
    SignatureHelp signature_;
    QString notice_;
    CompletionDocPopup* docPopup_;
    bool applying_ = false;
};

} // namespace tapide
