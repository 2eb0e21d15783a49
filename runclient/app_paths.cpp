#include "app_paths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace taprun {

QString tstapPath() {
    QString env = qEnvironmentVariable("TAPSTUDIO_TSTAP");
    if (!env.isEmpty() && QFileInfo(env).isExecutable())
        return env;
    QString beside = QCoreApplication::applicationDirPath() + "/tstap";
    if (QFileInfo(beside).isExecutable())
        return beside;
    // A test binary in build/tests/: the CLI is in build/app/.
    QString sibling = QCoreApplication::applicationDirPath() + "/../app/tstap";
    if (QFileInfo(sibling).isExecutable())
        return QFileInfo(sibling).canonicalFilePath();
    return QStandardPaths::findExecutable("tstap");
}

QString examplesDir() {
    QString app = QCoreApplication::applicationDirPath();
    QStringList candidates = {app + "/../../resources/examples", app + "/../share/tapstudio/examples",
                              app + "/../resources/examples"};
#ifdef TAPSTUDIO_SOURCE_DIR
    candidates << QString(TAPSTUDIO_SOURCE_DIR) + "/resources/examples";
#endif
    for (const QString& c : candidates)
        if (QFileInfo(c).isDir())
            return QDir(c).canonicalPath();
    return {};
}

QStringList exampleScripts() {
    QString dir = examplesDir();
    if (dir.isEmpty())
        return {};
    QStringList out;
    for (const QFileInfo& fi : QDir(dir).entryInfoList({"*.stp"}, QDir::Files, QDir::Name))
        out << fi.absoluteFilePath();
    return out;
}

QString scriptSummary(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    for (int i = 0; i < 20 && !f.atEnd(); ++i) {
        QString line = QString::fromUtf8(f.readLine()).trimmed();
        if (line.startsWith("#!"))
            continue;
        if (line.startsWith("#") || line.startsWith("//")) {
            line = line.mid(line.startsWith("#") ? 1 : 2).trimmed();
            if (!line.isEmpty())
                return line;
            continue;
        }
        if (!line.isEmpty())
            break;
    }
    return {};
}

bool isTapsetFile(const QString& path) {
    return path.endsWith(".stpm") || path.contains("/tapsets/") || path.contains("/systemtap/tapset/");
}

} // namespace taprun
