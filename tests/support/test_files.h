// Writing the files a test works on (scripts, tapsets, stand-in programs).
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

namespace testsupport {

// Writes `bytes` to `path` as they are; false if it cannot (QVERIFY it).
[[nodiscard]] inline bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace testsupport
