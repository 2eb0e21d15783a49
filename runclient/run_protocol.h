// Reading tstap's output: JSON lines per docs/protocol.md (`tstap --json`),
// and plain text from a tstap that prints text (any line that is not a JSON
// object is text). Also finds "at FILE:LINE:COL" in plain-text diagnostics.
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QVector>

namespace taprun {

struct RunEvent {
    enum Kind { Text, Hello, Pass, Formats, Started, Printf, Out, Diag, Drops, Stopped, Unknown };
    Kind kind = Text;
    QJsonObject object; // the JSON object (empty for Text and Printf: read the typed fields)
    QString text;       // what a person reads: output text, a diagnostic's text, a text line
    qint64 ts = -1;     // ns since the session started (printf, out)
    QString host;       // tstap --remote: the host that sent the record ("" = this machine)
    // diag
    bool error = false;
    QString file, message;
    int line = 0, col = 0;
    // printf
    int formatId = -1;
    QJsonArray args;
    QJsonArray stacks; // the frames of the stacks it prints (docs/protocol.md)
    // started / pass / drops / stopped
    int probes = 0, pass = 0;
    double ms = 0;
    qint64 drops = 0;
    QString reason;
    int exitCode = 0, errors = 0;
    // hello
    int version = 0, pid = 0;
};

class RunProtocol {
public:
    // Adds bytes from stdout; returns the events of the complete lines.
    QVector<RunEvent> feed(const QByteArray& bytes);
    // The last line when it has no newline (at process end).
    QVector<RunEvent> flush();
    bool sawJson() const { return sawJson_; }

    static RunEvent parseLine(const QByteArray& line);

private:
    QByteArray pending_;
    bool sawJson_ = false;
};

struct TextLocation {
    bool valid = false;
    QString file;
    int line = 0, col = 0;
    int start = 0, length = 0; // of "FILE:LINE:COL" within the text
};

// The last "at FILE:LINE:COL" (or "FILE:LINE:COL:") in a line of text.
TextLocation findLocation(const QString& text);

} // namespace taprun
