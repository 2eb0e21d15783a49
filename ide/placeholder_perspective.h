// The Graph and Dashboard perspectives until their releases fill them: a
// page that says what will be there and when, and no fake content.
#pragma once

#include "perspective.h"

namespace tapide {

class PlaceholderPerspective : public Perspective {
    Q_OBJECT
public:
    enum class Kind { Graph, Dashboard };
    explicit PlaceholderPerspective(Kind kind, QWidget* parent = nullptr);
    QIcon icon() const override;
    Kind kind() const { return kind_; }
    QString message() const; // the text shown (for tests)

private:
    Kind kind_;
};

} // namespace tapide
