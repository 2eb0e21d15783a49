// The "Open Recent" list, kept in QSettings (most recent first, at most 10).
#pragma once

#include <QStringList>

namespace tapide {

class RecentFiles {
public:
    static constexpr int kMax = 10;
    static QStringList list();           // existing files only
    static void add(const QString& path);
    static void clear();
};

} // namespace tapide
