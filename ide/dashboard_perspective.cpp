#include "dashboard_perspective.h"

#include "icons.h"

namespace tapide {

DashboardPerspective::DashboardPerspective(QWidget* parent)
    : Perspective("dashboard", tr("Dashboard"), parent), dashboard_(new tapdash::DashboardWidget(this)) {
    setCentralWidget(dashboard_);
}

QIcon DashboardPerspective::icon() const {
    return icons::perspectiveDashboard();
}

} // namespace tapide
