#include "generated_code_view.h"

#include <Qsci/qscilexercpp.h>

#include <QFileInfo>

namespace tapide {

GeneratedCodeView::GeneratedCodeView(const QString& scriptPath, QWidget* parent)
    : QsciScintilla(parent), script_(scriptPath), lexer_(new QsciLexerCPP(this)) {
    setObjectName("GeneratedCodeView");
    setUtf8(true);
    setLexer(lexer_);
    setReadOnly(true);
    setMarginType(0, NumberMargin);
    setMarginLineNumbers(0, true);
    setFolding(BoxedTreeFoldStyle, 2);
    setCaretLineVisible(true);
    setBraceMatching(SloppyBraceMatch);
    setTabWidth(8);
    setText(tr("/* Generating the BPF C of %1 (tstap -p3)… */").arg(QFileInfo(scriptPath).fileName()));
    process_.setProcessChannelMode(QProcess::SeparateChannels);
    connect(&process_, &QProcess::finished, this, &GeneratedCodeView::done);
    connect(&process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) {
            setCode(tr("/* Could not start tstap: %1 */\n").arg(process_.errorString()));
            emit finished(false);
        }
    });
    applyTheme(ThemeKind::Light, kDefaultFontSize);
}

GeneratedCodeView::~GeneratedCodeView() {
    process_.disconnect(this);
    if (process_.state() != QProcess::NotRunning) {
        process_.kill();
        process_.waitForFinished(1000);
    }
}

QString GeneratedCodeView::title() const { return QFileInfo(script_).fileName() + " — C"; }

void GeneratedCodeView::generate(const QString& tstap, const QStringList& options, const QByteArray& text,
                                 const QStringList& scriptArgs) {
    ok_ = false;
    QStringList args = options;
    args << "-p3";
    if (!QFileInfo(script_).absolutePath().isEmpty())
        process_.setWorkingDirectory(QFileInfo(script_).absolutePath());
    args << (text.isEmpty() ? script_ : QString("-")) << scriptArgs;
    process_.start(tstap, args);
    if (!text.isEmpty()) {
        process_.write(text);
        process_.closeWriteChannel();
    }
}

void GeneratedCodeView::done(int exitCode, QProcess::ExitStatus status) {
    QString out = QString::fromUtf8(process_.readAllStandardOutput());
    QString err = QString::fromUtf8(process_.readAllStandardError()).trimmed();
    ok_ = status == QProcess::NormalExit && exitCode == 0;
    QString code;
    if (!ok_) {
        code = tr("/* tstap -p3 failed (exit code %1):\n\n%2\n*/\n").arg(exitCode).arg(err.replace("*/", "* /"));
    } else {
        code = out;
        if (!err.isEmpty())
            code = "/* " + err.replace("*/", "* /") + " */\n" + code;
        if (out.startsWith('#') && !out.contains('{')) // "# nothing runs in the kernel: ..."
            code = "/*" + out.mid(1).trimmed() + ".\n  There is no generated C: pass 3 translates only kernel-side probes. */\n";
    }
    setCode(code);
    emit finished(ok_);
}

void GeneratedCodeView::setCode(const QString& code) {
    setReadOnly(false);
    setText(code);
    setReadOnly(true);
    setModified(false);
    setCursorPosition(0, 0);
}

void GeneratedCodeView::applyTheme(ThemeKind theme, int fontSize) {
    const EditorColors& c = editorColors(theme);
    QFont font = editorFont(fontSize);
    lexer_->setDefaultFont(font);
    lexer_->setFont(font);
    lexer_->setDefaultPaper(c.paper);
    lexer_->setPaper(c.paper);
    lexer_->setDefaultColor(c.text);
    bool dark = theme == ThemeKind::Dark;
    lexer_->setColor(c.text, QsciLexerCPP::Default);
    lexer_->setColor(c.text, QsciLexerCPP::Identifier);
    lexer_->setColor(c.text, QsciLexerCPP::Operator);
    lexer_->setColor(c.styles[int(StpStyle::Keyword)].fore, QsciLexerCPP::Keyword);
    lexer_->setColor(c.styles[int(StpStyle::Keyword)].fore, QsciLexerCPP::KeywordSet2);
    lexer_->setColor(c.styles[int(StpStyle::Number)].fore, QsciLexerCPP::Number);
    lexer_->setColor(c.styles[int(StpStyle::String)].fore, QsciLexerCPP::DoubleQuotedString);
    lexer_->setColor(c.styles[int(StpStyle::String)].fore, QsciLexerCPP::SingleQuotedString);
    for (int s : {int(QsciLexerCPP::Comment), int(QsciLexerCPP::CommentLine), int(QsciLexerCPP::CommentDoc),
                  int(QsciLexerCPP::CommentLineDoc)})
        lexer_->setColor(c.styles[int(StpStyle::Comment)].fore, s);
    lexer_->setColor(c.styles[int(StpStyle::Preprocessor)].fore, QsciLexerCPP::PreProcessor);
    lexer_->setColor(dark ? QColor("#f07178") : QColor("#b00020"), QsciLexerCPP::UnclosedString);
    for (int s = 0; s < 128; ++s) {
        lexer_->setPaper(c.paper, s);
        lexer_->setFont(font, s);
    }
    setMarginsBackgroundColor(c.marginBack);
    setMarginsForegroundColor(c.marginFore);
    setMarginsFont(font);
    setFoldMarginColors(c.foldMarginBack, c.foldMarginBack);
    setCaretLineBackgroundColor(c.caretLine);
    setCaretForegroundColor(c.caret);
    setSelectionBackgroundColor(c.selection);
    setPaper(c.paper);
    setColor(c.text);
    setMarginWidth(0, QFontMetrics(font).horizontalAdvance("00000") + 6);
    recolor();
}

} // namespace tapide
