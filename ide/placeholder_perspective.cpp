#include "placeholder_perspective.h"

#include "icons.h"

#include <QLabel>
#include <QHBoxLayout>
#include <QVBoxLayout>

namespace tapide {

namespace {

// Which later release fills the perspective (keep in step with the roadmap).
constexpr char kDashboardRelease[] = "TapStudio 0.3";

} // namespace

PlaceholderPerspective::PlaceholderPerspective(QWidget* parent) : Perspective("dashboard", tr("Dashboard"), parent) {
    auto* page = new QWidget(this);
    page->setObjectName("PlaceholderPage");
    auto* layout = new QVBoxLayout(page);
    layout->addStretch(2);
    auto* iconLabel = new QLabel(page);
    iconLabel->setPixmap(icon().pixmap(64, 64));
    iconLabel->setAlignment(Qt::AlignCenter);
    auto* title = new QLabel(page);
    title->setAlignment(Qt::AlignCenter);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.6);
    f.setBold(true);
    title->setFont(f);
    title->setText(tr("Dashboard perspective — not in this release"));
    auto* text = new QLabel(message(), page);
    text->setObjectName("PlaceholderMessage");
    text->setAlignment(Qt::AlignCenter);
    text->setWordWrap(true);
    text->setMinimumWidth(420);
    text->setMaximumWidth(640);
    // A wrapped label keeps its height-for-width only without an alignment flag.
    auto* row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(text, 4);
    row->addStretch(1);
    layout->addWidget(iconLabel);
    layout->addSpacing(8);
    layout->addWidget(title);
    layout->addSpacing(8);
    layout->addLayout(row);
    layout->addStretch(3);
    setCentralWidget(page);
}

QIcon PlaceholderPerspective::icon() const {
    return icons::perspectiveDashboard();
}

QString PlaceholderPerspective::message() const {
    return tr("%1 fills this page: ready-made monitoring modules by category, several running at "
              "once with their graphs, real pause, and a system-information panel.\n\nFor now, "
              "run scripts from the IDE perspective: their output appears in the Console.")
        .arg(kDashboardRelease);
}

} // namespace tapide
