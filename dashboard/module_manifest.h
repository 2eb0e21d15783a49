// A Dashboard module's manifest (module.json, docs/dashboard.md): what the
// module is, which script and graph set it runs, its default arguments and
// -G values, the probe capabilities it needs. Reading validates every field
// and reports each problem with its file and field, so a broken package
// says what to fix instead of failing later at run time.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <utility>

namespace tapdash {

constexpr int kManifestVersion = 1;
constexpr char kManifestFile[] = "module.json";

struct ManifestProblem {
    QString file;  // the file at fault (module.json, the script, the graph set)
    QString field; // the manifest field, "" for the file as a whole
    QString message;
    QString text() const; // "module.json: field 'id': ..."
};

struct ModuleManifest {
    QString id, name, category, description, author, version;
    QString script = "script.stp";  // relative to the module's folder
    QString graphs = "graphs.json"; // the graph set (docs/graphs.md)
    QStringList arguments;          // script arguments ($1, @1, ...)
    QVector<std::pair<QString, QString>> globals; // -G NAME=VALUE, in order
    QString command;                // -c CMD: a program the module watches ("" none)
    QString http;                   // --http [ADDR:]PORT: where it publishes /metrics ("" nowhere)
    QStringList needs;              // "requires": probe capabilities (capability_names.h)
    int refreshMs = 1000;           // how often the module's charts redraw

    QJsonObject toJson() const;
};

struct ManifestReading {
    ModuleManifest manifest;
    QVector<ManifestProblem> problems;
    bool ok() const { return problems.isEmpty(); }
    QString problemText() const; // one problem per line
};

// Reads and validates `json` (the text of module.json in `moduleDir`); the
// script and graph set are checked to exist and the graph set to parse.
ManifestReading parseManifest(const QByteArray& json, const QString& moduleDir);
ManifestReading readManifest(const QString& moduleDir);

// A --http value tstap accepts: PORT, ADDR:PORT or [IPV6]:PORT.
bool validHttpAddress(const QString& address);

// A -G value tstap accepts (its safety pattern).
bool validGlobalValue(const QString& value);
bool validIdentifier(const QString& name);

} // namespace tapdash
