// The Dashboard perspective until its release fills it: a page that says
// what will be there and when, and no fake content.
#pragma once

#include "perspective.h"

namespace tapide {

class PlaceholderPerspective : public Perspective {
    Q_OBJECT
public:
    explicit PlaceholderPerspective(QWidget* parent = nullptr);
    QIcon icon() const override;
    QString message() const; // the text shown (for tests)
};

} // namespace tapide
