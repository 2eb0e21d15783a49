#include "completion_doc_popup.h"

#include <QGuiApplication>
#include <QLabel>
#include <QScreen>
#include <QVBoxLayout>

namespace tapide {

namespace {

constexpr int kWidth = 420;

QString html(const CompletionItem& item) {
    QString head = "<b><tt>" + item.label.toHtmlEscaped() + "</tt></b>";
    QString kind = "<br><small><i>" + completionKindName(item.kind).toHtmlEscaped() + "</i></small>";
    QString doc = item.doc.isEmpty() ? item.detail : item.doc;
    if (doc.isEmpty() || doc == item.label)
        return {};
    QString body = doc.toHtmlEscaped().replace("\n\n", "<p>").replace("\n", "<br>");
    return head + kind + "<p>" + body;
}

} // namespace

CompletionDocPopup::CompletionDocPopup(QWidget* editor)
    : QFrame(editor, Qt::ToolTip | Qt::FramelessWindowHint) {
    setObjectName("CompletionDocPopup");
    setAttribute(Qt::WA_ShowWithoutActivating);
    setFrameShape(QFrame::Box);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::ToolTipBase);
    setForegroundRole(QPalette::ToolTipText);
    label_ = new QLabel(this);
    label_->setTextFormat(Qt::RichText);
    label_->setWordWrap(true);
    label_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    label_->setForegroundRole(QPalette::ToolTipText);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->addWidget(label_);
}

QString CompletionDocPopup::text() const { return isVisible() ? label_->text() : QString(); }

void CompletionDocPopup::showFor(const CompletionItem& item, const QRect& list) {
    QString text = html(item);
    if (text.isEmpty() || !list.isValid()) {
        hide();
        return;
    }
    label_->setText(text);
    label_->setFixedWidth(kWidth);
    adjustSize();
    // Right of the list, else left of it, below, above: the first place the
    // editor's window has room for, never over the list.
    QWidget* window = parentWidget()->window();
    QRect room(window->mapToGlobal(QPoint(0, 0)), window->size());
    if (QScreen* screen = QGuiApplication::screenAt(list.center()))
        room &= screen->availableGeometry();
    const QPoint places[] = {
        {list.right() + 3, list.top()},
        {list.left() - 2 - width(), list.top()},
        {list.left(), list.bottom() + 3},
        {list.left(), list.top() - 2 - height()},
    };
    QPoint at = places[0];
    for (const QPoint& p : places) {
        QRect r(p, size());
        // Slide along the list's side to stay on the screen.
        if (p.y() == list.top())
            r.moveTop(std::clamp(r.top(), room.top(), std::max(room.top(), room.bottom() - height())));
        else
            r.moveLeft(std::clamp(r.left(), room.left(), std::max(room.left(), room.right() - width())));
        if (room.contains(r) && !r.intersects(list)) {
            at = r.topLeft();
            break;
        }
    }
    move(at);
    show();
    raise();
}

} // namespace tapide
