#include "run_protocol.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>

namespace taprun {

RunEvent RunProtocol::parseLine(const QByteArray& rawLine) {
    RunEvent e;
    QByteArray line = rawLine;
    if (line.endsWith('\n'))
        line.chop(1);
    if (line.endsWith('\r'))
        line.chop(1);
    QByteArray trimmed = line.trimmed();
    if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
        QJsonParseError err;
        QJsonDocument doc = QJsonDocument::fromJson(trimmed, &err);
        if (err.error == QJsonParseError::NoError && doc.isObject() && doc.object().contains("t")) {
            QJsonObject o = doc.object();
            e.object = o;
            QString t = o.value("t").toString();
            e.ts = qint64(o.value("ts").toDouble(-1));
            if (t == "hello") {
                e.kind = RunEvent::Hello;
                e.version = o.value("version").toInt();
                e.pid = o.value("pid").toInt();
                e.file = o.value("script").toString();
            } else if (t == "pass") {
                e.kind = RunEvent::Pass;
                e.pass = o.value("n").toInt();
                e.ms = o.value("ms").toDouble();
            } else if (t == "formats") {
                e.kind = RunEvent::Formats;
            } else if (t == "started") {
                e.kind = RunEvent::Started;
                e.probes = o.value("probes").toInt();
            } else if (t == "printf") {
                e.kind = RunEvent::Printf;
                e.formatId = o.value("id").toInt(-1);
                e.args = o.value("args").toArray();
                e.text = o.value("text").toString();
            } else if (t == "out") {
                e.kind = RunEvent::Out;
                e.text = o.value("text").toString();
            } else if (t == "diag") {
                e.kind = RunEvent::Diag;
                e.error = o.value("severity").toString() != "warning";
                e.file = o.value("file").toString();
                e.line = o.value("line").toInt();
                e.col = o.value("col").toInt();
                e.message = o.value("msg").toString();
                e.text = o.value("text").toString();
                if (e.text.isEmpty()) {
                    e.text = QString("%1: %2").arg(e.error ? "ERROR" : "WARNING", e.message);
                    if (!o.value("subject").toString().isEmpty())
                        e.text += " near " + o.value("subject").toString();
                    if (e.line > 0)
                        e.text += QString(" at %1:%2:%3").arg(e.file).arg(e.line).arg(e.col);
                    e.text += "\n";
                }
            } else if (t == "drops") {
                e.kind = RunEvent::Drops;
                e.drops = qint64(o.value("count").toDouble());
            } else if (t == "stopped") {
                e.kind = RunEvent::Stopped;
                e.reason = o.value("reason").toString();
                e.exitCode = o.value("exit_code").toInt();
                e.errors = o.value("errors").toInt();
                e.drops = qint64(o.value("drops").toDouble());
            } else {
                e.kind = RunEvent::Unknown;
            }
            return e;
        }
    }
    e.kind = RunEvent::Text;
    e.text = QString::fromUtf8(line) + "\n";
    return e;
}

QVector<RunEvent> RunProtocol::feed(const QByteArray& bytes) {
    QVector<RunEvent> out;
    pending_ += bytes;
    int start = 0;
    for (;;) {
        int nl = pending_.indexOf('\n', start);
        if (nl < 0)
            break;
        RunEvent e = parseLine(pending_.mid(start, nl - start + 1));
        sawJson_ = sawJson_ || e.kind != RunEvent::Text;
        out.push_back(std::move(e));
        start = nl + 1;
    }
    pending_.remove(0, start);
    return out;
}

QVector<RunEvent> RunProtocol::flush() {
    QVector<RunEvent> out;
    if (!pending_.isEmpty()) {
        RunEvent e = parseLine(pending_);
        if (e.kind == RunEvent::Text && e.text.endsWith('\n'))
            e.text.chop(1); // it had no newline
        out.push_back(std::move(e));
        pending_.clear();
    }
    return out;
}

TextLocation findLocation(const QString& text) {
    // "... at top.stp:7:3", "... at <input>:1:24", or "top.stp:7:3: ..."
    // The file is <input>-like or has an extension, so "12:30:00" is not a location.
    static const QRegularExpression re(
        R"((?:^|\s)(?:at\s+)?(<[^>\s]+>|[^\s:]*\.[A-Za-z0-9]+):(\d+):(\d+)(?=$|[\s:,)]))");
    TextLocation loc;
    auto it = re.globalMatch(text);
    while (it.hasNext()) {
        auto m = it.next();
        loc.valid = true;
        loc.file = m.captured(1);
        loc.line = m.captured(2).toInt();
        loc.col = m.captured(3).toInt();
        loc.start = int(m.capturedStart(1));
        loc.length = int(m.capturedEnd(3) - m.capturedStart(1));
    }
    return loc;
}

} // namespace taprun
