// A perspective (Eclipse style): a page of the main window with its own
// central widget and docks, switched from the toolbar. Each is a nested
// QMainWindow so its dock layout is its own and is saved separately.
#pragma once

#include "theme.h"

#include <QIcon>
#include <QMainWindow>
#include <QString>

namespace tapide {

class Perspective : public QMainWindow {
public:
    Perspective(const QString& id, const QString& title, QWidget* parent = nullptr)
        : QMainWindow(parent, Qt::Widget), id_(id), title_(title) {
        setObjectName("Perspective_" + id);
        setWindowFlags(Qt::Widget); // QMainWindow always adds Qt::Window: make it a child page
        setDockNestingEnabled(true);
    }
    QString id() const { return id_; }
    QString title() const { return title_; }
    virtual QIcon icon() const = 0;
    virtual void applyTheme(ThemeKind theme, int fontSize) {}
    // Called when the perspective becomes the visible one.
    virtual void activated() {}

private:
    QString id_, title_;
};

} // namespace tapide
