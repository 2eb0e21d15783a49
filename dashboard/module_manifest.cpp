#include "module_manifest.h"

#include "capability_names.h"
#include "graph_set.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace tapdash {

QString ManifestProblem::text() const {
    QString where = field.isEmpty() ? file : QString("%1: field '%2'").arg(file, field);
    return QString("%1: %2").arg(where, message);
}

QString ManifestReading::problemText() const {
    QStringList lines;
    for (const ManifestProblem& p : problems)
        lines << p.text();
    return lines.join('\n');
}

bool validIdentifier(const QString& name) {
    static const QRegularExpression re("^[A-Za-z_][A-Za-z0-9_]*$");
    return re.match(name).hasMatch();
}

bool validHttpAddress(const QString& address) {
    static const QRegularExpression re(R"(^(?:(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):)?([0-9]{1,5})$)");
    QRegularExpressionMatch m = re.match(address);
    return m.hasMatch() && m.captured(1).toInt() <= 65535;
}

bool validGlobalValue(const QString& value) {
    // tstap's -G safety pattern (app/cli_options.cpp), value part.
    static const QRegularExpression re("^[A-Za-z0-9_.-]+$");
    return re.match(value).hasMatch();
}

QJsonObject ModuleManifest::toJson() const {
    QJsonObject globalsObject;
    for (const auto& [name, value] : globals)
        globalsObject[name] = value;
    QJsonObject o{{"tapstudioModule", kManifestVersion},
                       {"id", id},
                       {"name", name},
                       {"category", category},
                       {"description", description},
                       {"author", author},
                       {"version", version},
                       {"script", script},
                       {"graphs", graphs},
                       {"arguments", QJsonArray::fromStringList(arguments)},
                       {"globals", globalsObject},
                       {"command", command},
                       {"requires", QJsonArray::fromStringList(needs)},
                       {"refreshMs", refreshMs}};
    if (!http.isEmpty()) o["http"] = http; // most modules publish nothing
    return o;
}

namespace {

class Reader {
  public:
    Reader(const QJsonObject& o, ManifestReading& out) : o_(o), out_(out) {}

    void problem(const QString& field, const QString& message) {
        out_.problems.append({kManifestFile, field, message});
    }
    QString string(const char* field, bool required) {
        QJsonValue v = o_.value(field);
        if (v.isUndefined() || v.isNull()) {
            if (required) problem(field, "missing (a string is required)");
            return {};
        }
        if (!v.isString()) {
            problem(field, "must be a string");
            return {};
        }
        if (required && v.toString().trimmed().isEmpty()) problem(field, "must not be empty");
        return v.toString();
    }
    QStringList strings(const char* field) {
        QJsonValue v = o_.value(field);
        if (v.isUndefined() || v.isNull()) return {};
        if (!v.isArray()) {
            problem(field, "must be an array of strings");
            return {};
        }
        QStringList out;
        for (const QJsonValue& item : v.toArray()) {
            if (!item.isString()) {
                problem(field, "must be an array of strings");
                return {};
            }
            out << item.toString();
        }
        return out;
    }

  private:
    const QJsonObject& o_;
    ManifestReading& out_;
};

// A relative path inside the module folder: packages must not reach outside it.
bool insideModule(const QString& relative) {
    return !relative.isEmpty() && !QDir::isAbsolutePath(relative) &&
           !QDir::cleanPath(relative).startsWith("..");
}

void checkFiles(const QString& moduleDir, ManifestReading& out) {
    ModuleManifest& m = out.manifest;
    QDir dir(moduleDir);
    if (!insideModule(m.script))
        out.problems.append({kManifestFile, "script", "must be a path inside the module folder"});
    else if (!QFileInfo(dir.filePath(m.script)).isFile())
        out.problems.append({kManifestFile, "script", QString("the file %1 does not exist").arg(m.script)});
    if (!insideModule(m.graphs)) {
        out.problems.append({kManifestFile, "graphs", "must be a path inside the module folder"});
        return;
    }
    QString graphsPath = dir.filePath(m.graphs);
    if (!QFileInfo(graphsPath).isFile()) {
        out.problems.append({kManifestFile, "graphs", QString("the file %1 does not exist").arg(m.graphs)});
        return;
    }
    QString error;
    tapgraphs::GraphSet set = tapgraphs::GraphSet::load(graphsPath, &error);
    if (!error.isEmpty()) {
        out.problems.append({m.graphs, "", error});
        return;
    }
    if (set.charts.isEmpty()) out.problems.append({m.graphs, "charts", "the graph set has no charts"});
    for (const tapgraphs::ChartSpec& chart : set.charts)
        if (!set.dataSet(chart.dataSet))
            out.problems.append({m.graphs, "charts",
                                 QString("chart '%1' names the data set '%2', which the graph set does not have")
                                     .arg(chart.title, chart.dataSet)});
}

} // namespace

ManifestReading parseManifest(const QByteArray& json, const QString& moduleDir) {
    ManifestReading out;
    QJsonParseError parseError;
    QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        QString why = parseError.error != QJsonParseError::NoError
                          ? QString("not valid JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset)
                          : QString("must be a JSON object");
        out.problems.append({kManifestFile, "", why});
        return out;
    }
    QJsonObject o = doc.object();
    Reader r(o, out);
    ModuleManifest& m = out.manifest;
    QJsonValue version = o.value("tapstudioModule");
    if (!version.isDouble())
        r.problem("tapstudioModule", QString("missing: must be the format version %1").arg(kManifestVersion));
    else if (version.toInt() != kManifestVersion)
        r.problem("tapstudioModule", QString("format version %1 is not known (this TapStudio reads %2)")
                                         .arg(version.toInt())
                                         .arg(kManifestVersion));
    m.id = r.string("id", true);
    static const QRegularExpression idPattern("^[a-z0-9][a-z0-9._-]*$");
    if (!m.id.isEmpty() && !idPattern.match(m.id).hasMatch())
        r.problem("id", "only lower-case letters, digits, '.', '_' and '-', starting with a letter or digit");
    m.name = r.string("name", true);
    m.category = r.string("category", true);
    m.description = r.string("description", true);
    m.author = r.string("author", false);
    m.version = r.string("version", false);
    if (o.contains("script")) m.script = r.string("script", true);
    if (o.contains("graphs")) m.graphs = r.string("graphs", true);
    m.arguments = r.strings("arguments");
    m.command = r.string("command", false);
    m.http = r.string("http", false);
    if (!m.http.isEmpty() && !validHttpAddress(m.http))
        r.problem("http", "must be PORT, ADDRESS:PORT or [IPV6]:PORT (tstap --http), PORT from 0 to 65535");
    m.needs = r.strings("requires");
    for (const QString& capability : m.needs)
        if (!capabilityNames().contains(capability))
            r.problem("requires", QString("unknown capability '%1' (known: %2)")
                                      .arg(capability, capabilityNames().join(", ")));
    QJsonValue globals = o.value("globals");
    if (!globals.isUndefined() && !globals.isNull() && !globals.isObject()) {
        r.problem("globals", "must be an object of NAME: \"VALUE\" (tstap -G NAME=VALUE)");
    } else {
        QJsonObject g = globals.toObject();
        for (auto it = g.begin(); it != g.end(); ++it) {
            QString value = it.value().isDouble() ? QString::number(it.value().toDouble()) : it.value().toString();
            if (!validIdentifier(it.key()))
                r.problem("globals", QString("'%1' is not a global variable's name").arg(it.key()));
            else if (!validGlobalValue(value))
                r.problem("globals", QString("the value of '%1' must be a number or a word (letters, digits, "
                                             "'_', '.', '-')")
                                         .arg(it.key()));
            m.globals.append({it.key(), value});
        }
    }
    QJsonValue refresh = o.value("refreshMs");
    if (!refresh.isUndefined()) {
        if (!refresh.isDouble() || refresh.toInt() < 100 || refresh.toInt() > 60000)
            r.problem("refreshMs", "must be a number of milliseconds from 100 to 60000");
        else
            m.refreshMs = refresh.toInt();
    }
    checkFiles(moduleDir, out);
    return out;
}

ManifestReading readManifest(const QString& moduleDir) {
    QFile file(QDir(moduleDir).filePath(kManifestFile));
    if (!file.open(QIODevice::ReadOnly)) {
        ManifestReading out;
        out.problems.append({kManifestFile, "", QString("cannot be read in %1: %2").arg(moduleDir, file.errorString())});
        return out;
    }
    return parseManifest(file.readAll(), moduleDir);
}

} // namespace tapdash
