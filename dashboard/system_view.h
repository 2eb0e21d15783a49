// The System view: what this machine can trace and the context around it,
// as `tstap --probe-capabilities --json` reports it (run as a child process,
// never on the UI thread). Attach kinds that failed show their reason.
#pragma once

#include "system_report.h"

#include <QWidget>

class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace tapdash {

class SystemView : public QWidget {
    Q_OBJECT
  public:
    explicit SystemView(QWidget* parent = nullptr);
    void refresh(); // runs the probe again
    void show(const SystemReport& report);
    SystemProbe* probe() const { return probe_; }
    QTreeWidget* tree() const { return tree_; }
    // The "Attach kinds" rows: name → {ok, detail}.
    QHash<QString, std::pair<bool, QString>> attachRows() const;

  signals:
    void reportChanged(const tapdash::SystemReport& report);

  private:
    QTreeWidgetItem* section(const QString& title);
    void row(QTreeWidgetItem* section, const QString& name, const QString& value, int state = -1);

    SystemProbe* probe_;
    QTreeWidget* tree_;
    QLabel* status_;
};

} // namespace tapdash
