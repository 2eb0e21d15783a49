#include "find_bar.h"
#include "plural.h"

#include "script_editor.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

namespace tapide {

FindBar::FindBar(QWidget* parent) : QWidget(parent) {
    setObjectName("FindBar");
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(6, 4, 6, 4);
    grid->setHorizontalSpacing(6);
    grid->setVerticalSpacing(3);

    find_ = new QLineEdit(this);
    find_->setPlaceholderText(tr("Find"));
    find_->setClearButtonEnabled(true);
    auto* prev = new QPushButton(tr("Previous"), this);
    auto* next = new QPushButton(tr("Next"), this);
    case_ = new QCheckBox(tr("Match case"), this);
    word_ = new QCheckBox(tr("Whole words"), this);
    regex_ = new QCheckBox(tr("Regular expression"), this);
    status_ = new QLabel(this);
    auto* close = new QToolButton(this);
    close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    close->setAutoRaise(true);
    close->setToolTip(tr("Close (Esc)"));

    grid->addWidget(new QLabel(tr("Find:"), this), 0, 0);
    grid->addWidget(find_, 0, 1);
    grid->addWidget(prev, 0, 2);
    grid->addWidget(next, 0, 3);
    grid->addWidget(case_, 0, 4);
    grid->addWidget(word_, 0, 5);
    grid->addWidget(regex_, 0, 6);
    grid->addWidget(status_, 0, 7);
    grid->addWidget(close, 0, 8);
    grid->setColumnStretch(1, 1);

    replaceRow_ = new QWidget(this);
    auto* row = new QHBoxLayout(replaceRow_);
    row->setContentsMargins(0, 0, 0, 0);
    replace_ = new QLineEdit(replaceRow_);
    replace_->setPlaceholderText(tr("Replace with"));
    auto* replaceOne = new QPushButton(tr("Replace"), replaceRow_);
    auto* replaceEvery = new QPushButton(tr("Replace All"), replaceRow_);
    row->addWidget(replace_, 1);
    row->addWidget(replaceOne);
    row->addWidget(replaceEvery);
    grid->addWidget(new QLabel(tr("Replace:"), this), 1, 0);
    grid->addWidget(replaceRow_, 1, 1, 1, 3);
    grid->itemAtPosition(1, 0)->widget()->setVisible(false);
    replaceRow_->setVisible(false);

    connect(find_, &QLineEdit::textEdited, this, [this] { find(true, true); });
    connect(find_, &QLineEdit::returnPressed, this, [this] { findNext(true); });
    connect(next, &QPushButton::clicked, this, [this] { findNext(true); });
    connect(prev, &QPushButton::clicked, this, [this] { findNext(false); });
    connect(replace_, &QLineEdit::returnPressed, this, &FindBar::replaceCurrent);
    connect(replaceOne, &QPushButton::clicked, this, &FindBar::replaceCurrent);
    connect(replaceEvery, &QPushButton::clicked, this, &FindBar::replaceAll);
    connect(close, &QToolButton::clicked, this, [this] {
        hide();
        if (editor_)
            editor_->setFocus();
    });
    hide();
}

void FindBar::setEditor(ScriptEditor* editor) { editor_ = editor; }

void FindBar::open(bool replace) {
    auto* grid = static_cast<QGridLayout*>(layout());
    grid->itemAtPosition(1, 0)->widget()->setVisible(replace);
    replaceRow_->setVisible(replace);
    if (editor_ && editor_->hasSelectedText() && !editor_->selectedText().contains('\n'))
        find_->setText(editor_->selectedText());
    show();
    find_->setFocus();
    find_->selectAll();
}

void FindBar::setFound(bool found) {
    QPalette p = find_->palette();
    p.setColor(QPalette::Base, found || find_->text().isEmpty() ? palette().color(QPalette::Base)
                                                                : QColor(255, 102, 102, 90));
    find_->setPalette(p);
    status_->setText(found || find_->text().isEmpty() ? QString() : tr("Not found"));
}

bool FindBar::find(bool forward, bool fromSelectionStart) {
    if (!editor_ || find_->text().isEmpty()) {
        setFound(true);
        return false;
    }
    int line = -1, index = -1;
    if (fromSelectionStart && editor_->hasSelectedText()) {
        int l2, i2;
        editor_->getSelection(&line, &index, &l2, &i2);
    } else if (!forward && editor_->hasSelectedText()) {
        int l2, i2;
        editor_->getSelection(&line, &index, &l2, &i2);
    }
    bool found = editor_->findFirst(find_->text(), regex_->isChecked(), case_->isChecked(), word_->isChecked(),
                                    true, forward, line, index, true, false, true);
    setFound(found);
    return found;
}

bool FindBar::findNext(bool forward) { return find(forward, false); }

void FindBar::replaceCurrent() {
    if (!editor_ || find_->text().isEmpty())
        return;
    // Find from the selection's start: the current match stays selected, else the next one is.
    if (!find(true, true))
        return;
    editor_->replace(replace_->text());
    findNext(true);
}

int FindBar::replaceAll() {
    if (!editor_ || find_->text().isEmpty())
        return 0;
    int count = 0;
    editor_->beginUndoAction();
    bool found = editor_->findFirst(find_->text(), regex_->isChecked(), case_->isChecked(), word_->isChecked(),
                                    false, true, 0, 0, false, false, true);
    while (found && count < 1000000) {
        editor_->replace(replace_->text());
        ++count;
        found = editor_->findNext();
    }
    editor_->endUndoAction();
    status_->setText(tr("%1 replaced").arg(count));
    return count;
}

void FindBar::keyPressEvent(QKeyEvent* e) {
    if (e->key() == Qt::Key_Escape) {
        hide();
        if (editor_)
            editor_->setFocus();
        return;
    }
    QWidget::keyPressEvent(e);
}

} // namespace tapide
