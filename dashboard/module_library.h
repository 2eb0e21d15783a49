// Where modules are found and the modules found there: the bundled folder
// (resources/dashboard in the source tree, share/tapstudio/dashboard when
// installed), the user's folder (~/.local/share/tapstudio/dashboard, where
// imports go) and folders the user adds (kept in QSettings). Each
// sub-folder with a module.json is a module; one that does not validate is
// listed as broken with its problems, so the user sees why it is missing.
#pragma once

#include "module_manifest.h"

#include "graph_set.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace tapdash {

struct Module {
    ModuleManifest manifest;
    QString dir;      // absolute folder of the module
    QString origin;   // "bundled", "user" or "folder"
    tapgraphs::GraphSet graphSet;
    QString scriptPath() const;
    QString graphsPath() const;
};

struct BrokenModule {
    QString dir;
    QString problems; // one per line
};

QString bundledModulesDir(); // "" when neither the source tree nor the install has one
QString userModulesDir();    // ~/.local/share/tapstudio/dashboard (not created)

// Reads one module folder; `problems` receives them (one per line) when it is not valid.
bool loadModule(const QString& dir, const QString& origin, Module& module, QString* problems = nullptr);

class ModuleLibrary {
  public:
    // The folders searched: bundled, user, then the added ones.
    QStringList searchFolders() const;
    QStringList addedFolders() const;
    void addFolder(const QString& dir); // remembered in QSettings
    void removeFolder(const QString& dir);
    // Overrides the bundled and user folders (tests); empty strings keep them.
    void setFolders(const QString& bundled, const QString& user);

    void reload(); // reads every folder again (file reads only: fast for hundreds of modules)
    const QVector<Module>& modules() const { return modules_; }
    const QVector<BrokenModule>& broken() const { return broken_; }
    const Module* find(const QString& id) const;

  private:
    void scan(const QString& folder, const QString& origin);

    QString bundled_, user_;
    QVector<Module> modules_;
    QVector<BrokenModule> broken_;
};

} // namespace tapdash
