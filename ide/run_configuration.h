// Run configurations: per script, the stap options users need — -v, -p,
// -o, -b, -c, -x, -G, -D, -T, -g, the script's arguments and the hosts
// (--remote) it runs on — kept with
// QSettings keyed by the script's path, edited in a dialog (Run > Run
// Configuration…) and used by F5 (`tstap --json OPTIONS SCRIPT ARGS`) and by
// "Show generated code".
#pragma once

#include <QDialog>
#include <QStringList>

class QCheckBox;
class QLabel;
class QPushButton;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace tapide {

struct RunConfiguration {
    int verbose = 0;         // -v repeated
    int lastPass = 5;        // -p N (5: run)
    QString outputFile;      // -o FILE
    bool bulk = false;       // -b
    QString command;         // -c CMD
    qint64 targetPid = 0;    // -x PID (0: none)
    QStringList globals;     // -G NAME=VALUE
    QStringList defines;     // -D NAME=VALUE
    int timeoutSeconds = 0;  // -T SEC (0: none)
    bool guru = false;       // -g
    QString arguments;       // the script's arguments, shell-quoted
    // --remote HOST each: F5 runs the script on every host at once, one
    // console per host; empty: on this machine.
    QStringList hosts;

    // tstap options before the script (without --json).
    QStringList tstapOptions() const;
    // The options that matter for translation only (-D -G -g), for -p3.
    QStringList translationOptions() const;
    QStringList scriptArgs() const;
    bool isDefault() const;
    // "tstap -v -T 5 top.stp 10" (as a shell would show it).
    QString commandLine(const QString& script) const;
    // Problems with the values ("-D needs NAME=VALUE: x"), empty when fine.
    QStringList problems() const;
    bool operator==(const RunConfiguration&) const = default;

    static RunConfiguration load(const QString& scriptPath);
    void save(const QString& scriptPath) const;
    static void remove(const QString& scriptPath);
    static QString settingsGroup(const QString& scriptPath);
};

// Splits script arguments as a shell would ('single', "double" quotes, \ escapes).
QStringList splitShellWords(const QString& text);

class RunConfigurationDialog : public QDialog {
    Q_OBJECT
public:
    RunConfigurationDialog(const QString& scriptPath, const RunConfiguration& config, QWidget* parent = nullptr);

    RunConfiguration configuration() const;
    void setConfiguration(const RunConfiguration& config);
    QString preview() const; // the command line shown (plain text)
    void accept() override;

private:
    void update();

    QString script_;
    QSpinBox* verbose_;
    QSpinBox* pass_;
    QLineEdit* output_;
    QCheckBox* bulk_;
    QLineEdit* command_;
    QSpinBox* pid_;
    QPlainTextEdit* globals_;
    QPlainTextEdit* defines_;
    QPlainTextEdit* hosts_;
    QSpinBox* timeout_;
    QCheckBox* guru_;
    QLineEdit* arguments_;
    QLabel* preview_;
    QLabel* problems_;
    QPushButton* ok_ = nullptr; // disabled while problems() would refuse the input
};

} // namespace tapide
