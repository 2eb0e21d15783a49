// Find / Replace: a bar below the editor (Kate style) acting on the current
// editor: incremental search, next/previous, case, whole word, regular
// expressions, replace and replace all.
#pragma once

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace tapide {

class ScriptEditor;

class FindBar : public QWidget {
    Q_OBJECT
public:
    explicit FindBar(QWidget* parent = nullptr);

    void setEditor(ScriptEditor* editor);
    // Shows the bar (with the replace row when `replace`), seeded with the selection.
    void open(bool replace);

    bool findNext(bool forward = true);
    int replaceAll();
    void replaceCurrent();
    QLineEdit* findField() const { return find_; }
    QLineEdit* replaceField() const { return replace_; }

protected:
    void keyPressEvent(QKeyEvent* e) override;

private:
    bool find(bool forward, bool fromSelectionStart);
    void setFound(bool found);

    QPointer<ScriptEditor> editor_;
    QLineEdit* find_;
    QLineEdit* replace_;
    QCheckBox* case_;
    QCheckBox* word_;
    QCheckBox* regex_;
    QWidget* replaceRow_;
    QLabel* status_;
};

} // namespace tapide
