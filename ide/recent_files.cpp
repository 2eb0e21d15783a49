#include "recent_files.h"

#include <QFileInfo>
#include <QSettings>

namespace tapide {

QStringList RecentFiles::list() {
    QStringList out;
    for (const QString& p : QSettings().value("recentFiles").toStringList())
        if (QFileInfo::exists(p))
            out << p;
    return out;
}

void RecentFiles::add(const QString& path) {
    QString abs = QFileInfo(path).absoluteFilePath();
    QStringList l = QSettings().value("recentFiles").toStringList();
    l.removeAll(abs);
    l.prepend(abs);
    while (l.size() > kMax)
        l.removeLast();
    QSettings().setValue("recentFiles", l);
}

void RecentFiles::clear() { QSettings().remove("recentFiles"); }

} // namespace tapide
