// The "Save as module" dialog: the manifest's fields, prefilled from the
// script (manifestForScript), then the module folder is written into the
// user's modules (or another folder) in one step.
#pragma once

#include "module_manifest.h"

#include "graph_set.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace tapdash {

class SaveModuleDialog : public QDialog {
    Q_OBJECT
  public:
    SaveModuleDialog(const QString& scriptPath, const tapgraphs::GraphSet& graphs, const QString& modulesRoot,
                     QWidget* parent = nullptr);
    ModuleManifest manifest() const; // as the fields say now
    QString savedDir() const { return savedDir_; }
    QLineEdit* idEdit() const { return id_; }
    void accept() override; // writes the module; stays open with the reason when it cannot

  private:
    QString scriptPath_, modulesRoot_, savedDir_;
    tapgraphs::GraphSet graphs_;
    ModuleManifest base_;
    QLineEdit* id_;
    QLineEdit* name_;
    QComboBox* category_;
    QPlainTextEdit* description_;
    QLineEdit* needs_;
    QLabel* problem_;
};

} // namespace tapdash
