// The documentation of the completion item selected in the list, in a
// panel beside the list (as VS Code and Qt Creator show it): signature or
// type, then the doc text. It follows the selection and closes with the list.
#pragma once

#include "completion_engine.h"

#include <QFrame>

class QLabel;

namespace tapide {

class CompletionDocPopup : public QFrame {
    Q_OBJECT
public:
    explicit CompletionDocPopup(QWidget* editor);

    // Shows `item`'s documentation beside `list` (global geometry of the
    // completion list); hides when the item has none.
    void showFor(const CompletionItem& item, const QRect& list);
    QString text() const;

private:
    QLabel* label_;
};

} // namespace tapide
