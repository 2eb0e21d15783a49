#include "system_view.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace tapdash {

namespace {

QString bytes(double value) {
    return QLocale().formattedDataSize(qint64(value), 1, QLocale::DataSizeTraditionalFormat);
}

QString yesNo(bool b) {
    return b ? QObject::tr("yes") : QObject::tr("no");
}

QString filesystemText(const QJsonObject& fs) {
    if (fs.value("mounted").toBool()) return QObject::tr("mounted on %1").arg(fs.value("path").toString());
    return fs.value("mountable").toBool() ? QObject::tr("not mounted (the kernel has it; mountable as root)")
                                          : QObject::tr("not available in this kernel");
}

} // namespace

SystemView::SystemView(QWidget* parent)
    : QWidget(parent), probe_(new SystemProbe(this)), tree_(new QTreeWidget), status_(new QLabel) {
    setObjectName("SystemView");
    tree_->setObjectName("SystemTree");
    tree_->setColumnCount(2);
    tree_->setHeaderLabels({tr("Item"), tr("Value")});
    tree_->setRootIsDecorated(false);
    tree_->setAlternatingRowColors(true);
    tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    tree_->setWordWrap(true);
    auto* refreshButton = new QPushButton(tr("Probe again"));
    refreshButton->setToolTip(tr("Run tstap --probe-capabilities again"));
    connect(refreshButton, &QPushButton::clicked, this, &SystemView::refresh);
    auto* top = new QHBoxLayout;
    auto* intro = new QLabel(tr("What this machine can trace. Each attach kind was tried for real: tstap loaded "
                                "a tiny BPF program and attached it."));
    intro->setWordWrap(true);
    top->addWidget(intro, 1);
    top->addWidget(refreshButton);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(tree_, 1);
    layout->addWidget(status_);
    connect(probe_, &SystemProbe::finished, this, [this](const SystemReport& r) {
        show(r);
        emit reportChanged(r);
    });
}

void SystemView::refresh() {
    status_->setText(tr("Probing…"));
    probe_->start();
}

QTreeWidgetItem* SystemView::section(const QString& title) {
    auto* item = new QTreeWidgetItem(tree_, {title});
    QFont f = item->font(0);
    f.setBold(true);
    item->setFont(0, f);
    item->setFirstColumnSpanned(true);
    item->setExpanded(true);
    return item;
}

void SystemView::row(QTreeWidgetItem* parent, const QString& name, const QString& value, int state) {
    auto* item = new QTreeWidgetItem(parent, {name, value});
    item->setToolTip(1, value);
    if (state >= 0) {
        // A mark that does not rely on colour alone.
        item->setText(1, (state ? QString::fromUtf8("✔ ") : QString::fromUtf8("✘ ")) + value);
        item->setForeground(1, state ? QColor(0x1b, 0x7f, 0x3b) : QColor(0xb0, 0x20, 0x20));
        item->setData(0, Qt::UserRole, bool(state));
    }
}

void SystemView::show(const SystemReport& report) {
    tree_->clear();
    if (!report.valid()) {
        status_->setText(report.error);
        return;
    }
    const QJsonObject& j = report.json;
    QJsonObject kernel = j.value("kernel").toObject();
    QTreeWidgetItem* s = section(tr("Kernel"));
    row(s, tr("Release"), kernel.value("release").toString() + " (" + kernel.value("machine").toString() + ")");
    row(s, tr("BTF"), kernel.value("btfDetail").toString(), kernel.value("btf").toBool());
    QTreeWidgetItem* attach = section(tr("Attach kinds"));
    attach->setData(0, Qt::UserRole + 1, "attach");
    for (const QJsonValue& v : j.value("attach").toArray()) {
        QJsonObject c = v.toObject();
        row(attach, c.value("name").toString(), c.value("detail").toString(), c.value("ok").toBool());
    }
    QJsonObject fs = j.value("filesystems").toObject();
    s = section(tr("Filesystems"));
    row(s, "tracefs", filesystemText(fs.value("tracefs").toObject()));
    row(s, "debugfs", filesystemText(fs.value("debugfs").toObject()));
    QJsonObject p = j.value("privileges").toObject();
    s = section(tr("Privileges"));
    row(s, tr("User"), tr("uid %1, effective uid %2").arg(p.value("uid").toInt()).arg(p.value("euid").toInt()));
    row(s, tr("Capabilities"), tr("CAP_BPF %1, CAP_PERFMON %2, CAP_SYS_ADMIN %3")
                                   .arg(yesNo(p.value("capBpf").toBool()), yesNo(p.value("capPerfmon").toBool()),
                                        yesNo(p.value("capSysAdmin").toBool())));
    row(s, tr("Sysctls"), tr("perf_event_paranoid %1, unprivileged_bpf_disabled %2")
                              .arg(p.value("perfEventParanoid").toString(), p.value("unprivilegedBpfDisabled").toString()));
    row(s, tr("Elevation"), p.value("elevation").toString());
    QJsonObject t = j.value("tstap").toObject();
    s = section(tr("tstap"));
    row(s, tr("Version"), t.value("version").toString());
    row(s, tr("Cache"), tr("%1: %2 in %3 files")
                            .arg(t.value("cacheDir").toString(), bytes(t.value("cacheBytes").toDouble()))
                            .arg(t.value("cacheFiles").toInt()));
    s = section(tr("Machine"));
    QJsonObject cpu = j.value("cpu").toObject(), mem = j.value("memory").toObject();
    row(s, tr("CPU"), tr("%1 × %2").arg(cpu.value("count").toInt()).arg(cpu.value("model").toString()));
    row(s, tr("Memory"), tr("%1 total, %2 available")
                             .arg(bytes(mem.value("totalBytes").toDouble()), bytes(mem.value("availableBytes").toDouble())));
    status_->setText(tr("Probed with tstap --probe-capabilities."));
}

QHash<QString, std::pair<bool, QString>> SystemView::attachRows() const {
    QHash<QString, std::pair<bool, QString>> rows;
    for (int i = 0; i < tree_->topLevelItemCount(); ++i) {
        QTreeWidgetItem* s = tree_->topLevelItem(i);
        if (s->data(0, Qt::UserRole + 1).toString() != "attach") continue;
        for (int k = 0; k < s->childCount(); ++k)
            rows[s->child(k)->text(0)] = {s->child(k)->data(0, Qt::UserRole).toBool(), s->child(k)->toolTip(1)};
    }
    return rows;
}

} // namespace tapdash
