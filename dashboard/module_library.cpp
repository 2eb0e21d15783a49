#include "module_library.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace tapdash {

namespace {
constexpr char kFoldersKey[] = "dashboard/moduleFolders";
}

QString Module::scriptPath() const {
    return QDir(dir).filePath(manifest.script);
}

QString Module::graphsPath() const {
    return QDir(dir).filePath(manifest.graphs);
}

QString bundledModulesDir() {
    QString app = QCoreApplication::applicationDirPath();
    // build/app/tapstudio and build/tests/*: the source tree's folder; an
    // installed bin/tapstudio: share/tapstudio/dashboard.
    QStringList candidates = {app + "/../share/tapstudio/dashboard", app + "/../../resources/dashboard"};
#ifdef TAPSTUDIO_SOURCE_DIR
    candidates << QString(TAPSTUDIO_SOURCE_DIR) + "/resources/dashboard";
#endif
    for (const QString& c : candidates)
        if (QFileInfo(c).isDir()) return QDir(c).canonicalPath();
    return {};
}

QString userModulesDir() {
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + "/tapstudio/dashboard";
}

bool loadModule(const QString& dir, const QString& origin, Module& module, QString* problems) {
    ManifestReading reading = readManifest(dir);
    if (!reading.ok()) {
        if (problems) *problems = reading.problemText();
        return false;
    }
    module.manifest = reading.manifest;
    module.dir = QDir(dir).absolutePath();
    module.origin = origin;
    module.graphSet = tapgraphs::GraphSet::load(module.graphsPath());
    return true;
}

QStringList ModuleLibrary::addedFolders() const {
    return QSettings().value(kFoldersKey).toStringList();
}

void ModuleLibrary::addFolder(const QString& dir) {
    QStringList folders = addedFolders();
    QString absolute = QDir(dir).absolutePath();
    if (!folders.contains(absolute)) folders << absolute;
    QSettings().setValue(kFoldersKey, folders);
}

void ModuleLibrary::removeFolder(const QString& dir) {
    QStringList folders = addedFolders();
    folders.removeAll(QDir(dir).absolutePath());
    QSettings().setValue(kFoldersKey, folders);
}

void ModuleLibrary::setFolders(const QString& bundled, const QString& user) {
    bundled_ = bundled;
    user_ = user;
}

QStringList ModuleLibrary::searchFolders() const {
    return QStringList{bundled_.isEmpty() ? bundledModulesDir() : bundled_,
                       user_.isEmpty() ? userModulesDir() : user_} +
           addedFolders();
}

void ModuleLibrary::reload() {
    modules_.clear();
    broken_.clear();
    QStringList folders = searchFolders();
    for (int i = 0; i < folders.size(); ++i)
        scan(folders[i], i == 0 ? "bundled" : i == 1 ? "user" : "folder");
}

void ModuleLibrary::scan(const QString& folder, const QString& origin) {
    if (folder.isEmpty()) return;
    QDir root(folder);
    // A folder may be a module itself (added directly) or hold modules.
    QStringList dirs;
    if (root.exists(kManifestFile))
        dirs << root.absolutePath();
    else
        for (const QFileInfo& fi : root.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
            if (QDir(fi.absoluteFilePath()).exists(kManifestFile)) dirs << fi.absoluteFilePath();
    for (const QString& dir : dirs) {
        Module module;
        QString problems;
        if (!loadModule(dir, origin, module, &problems)) {
            broken_.append({dir, problems});
        } else if (const Module* other = find(module.manifest.id)) {
            broken_.append({dir, QString("module.json: field 'id': '%1' is already the id of the module in %2")
                                     .arg(module.manifest.id, other->dir)});
        } else {
            modules_.append(module);
        }
    }
}

const Module* ModuleLibrary::find(const QString& id) const {
    for (const Module& m : modules_)
        if (m.manifest.id == id) return &m;
    return nullptr;
}

} // namespace tapdash
