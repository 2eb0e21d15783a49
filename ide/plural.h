// "1 error", "3 errors": English plurals without a translator loaded (Qt's %n
// leaves "(s)" in place when no translation is installed).
#pragma once

#include <QString>

namespace tapide {

inline QString plural(qint64 n, const char* one, const char* many) {
    return QString("%1 %2").arg(n).arg(QString::fromUtf8(n == 1 ? one : many));
}

} // namespace tapide
