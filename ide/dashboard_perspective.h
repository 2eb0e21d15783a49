// The Dashboard perspective: dashboard/'s page (module browser, running
// modules with their charts, System view) as a page of the main window.
#pragma once

#include "perspective.h"

#include "dashboard_widget.h"

namespace tapide {

class DashboardPerspective : public Perspective {
    Q_OBJECT
  public:
    explicit DashboardPerspective(QWidget* parent = nullptr);
    QIcon icon() const override;
    tapdash::DashboardWidget* dashboard() const { return dashboard_; }

  private:
    tapdash::DashboardWidget* dashboard_;
};

} // namespace tapide
