#include "csv_export.h"

#include <QFile>

namespace tapgraphs {

namespace {

QString field(const QString& s) {
    if (!s.contains(',') && !s.contains('"') && !s.contains('\n') && !s.contains('\r')) return s;
    return '"' + QString(s).replace('"', "\"\"") + '"';
}

} // namespace

QString csvText(const Table& t) {
    QString out = "time_ns";
    for (const Column& c : t.columns)
        out += ',' + field(c.name);
    out += '\n';
    for (int r = 0; r < t.rowCount(); ++r) {
        out += QString::number(t.time[r]);
        for (int c = 0; c < t.columns.size(); ++c)
            out += ',' + field(t.text(c, r));
        out += '\n';
    }
    return out;
}

bool writeCsv(const Table& table, const QString& path, QString* error) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        if (error) *error = f.errorString();
        return false;
    }
    f.write(csvText(table).toUtf8());
    return f.flush();
}

} // namespace tapgraphs
