#include "raw_output_dialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace tapdash {

namespace {
constexpr int kUpdateMs = 250;
constexpr int kMaxLines = 20000; // the window keeps the newest lines
} // namespace

RawOutputDialog::RawOutputDialog(ModuleRun* run, QWidget* parent)
    : QDialog(parent), run_(run), output_(run->output()), text_(new QPlainTextEdit) {
    setObjectName("RawOutputDialog");
    setWindowTitle(tr("Output of %1").arg(run->module().manifest.name));
    resize(760, 480);
    text_->setReadOnly(true);
    text_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    text_->setMaximumBlockCount(kMaxLines);
    text_->setLineWrapMode(QPlainTextEdit::NoWrap);
    auto* command = new QLabel(run->commandLine().isEmpty() ? run->module().scriptPath() : run->commandLine());
    command->setTextInteractionFlags(Qt::TextSelectableByMouse);
    command->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(command);
    layout->addWidget(text_);
    layout->addWidget(buttons);
    connect(&timer_, &QTimer::timeout, this, &RawOutputDialog::update);
    timer_.start(kUpdateMs);
    update();
}

void RawOutputDialog::update() {
    qint64 total = output_->totalAppended();
    if (total == shown_) return;
    QString all = output_->all();
    qint64 fresh = total - shown_;
    // When more arrived than the buffer keeps, show what it still has.
    QString text = fresh >= all.size() ? all : all.right(fresh);
    shown_ = total;
    if (text.endsWith('\n')) text.chop(1);
    text_->appendPlainText(text);
}

} // namespace tapdash
