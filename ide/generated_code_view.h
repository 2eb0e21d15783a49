// "Show generated code": the BPF C that pass 3 makes of a script, in a
// read-only editor tab with C highlighting (QsciLexerCPP). The C comes from
// `tstap -p3` run as a child process over the editor's current text (with
// the script's run configuration), so the UI never waits for it.
#pragma once

#include "theme.h"

#include <Qsci/qsciscintilla.h>

#include <QProcess>
#include <QStringList>

class QsciLexerCPP;

namespace tapide {

class GeneratedCodeView : public QsciScintilla {
    Q_OBJECT
public:
    explicit GeneratedCodeView(const QString& scriptPath, QWidget* parent = nullptr);
    ~GeneratedCodeView() override;

    QString scriptPath() const { return script_; }
    // Starts `tstap [options] -p3 -` with `text` on stdin (or the file itself
    // when `text` is empty). The view fills in when it finishes.
    void generate(const QString& tstap, const QStringList& options, const QByteArray& text,
                  const QStringList& scriptArgs = {});
    bool busy() const { return process_.state() != QProcess::NotRunning; }
    bool succeeded() const { return ok_; }
    QString code() const { return text(); }
    // The title of its tab: "top.stp — C".
    QString title() const;

    void applyTheme(ThemeKind theme, int fontSize);

signals:
    void finished(bool ok);

private:
    void done(int exitCode, QProcess::ExitStatus status);
    void setCode(const QString& code);

    QString script_;
    QsciLexerCPP* lexer_;
    QProcess process_;
    bool ok_ = false;
};

} // namespace tapide
