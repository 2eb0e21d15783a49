#include "run_protocol.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>

#include <cstring>
#include <limits>

namespace taprun {

namespace {

// printf records are most of a busy script's stream (a graph ingests
// hundreds of thousands a second): they are read here, in the one layout
// tstap writes, without building a JSON document. Anything else (another
// field order, an extra field) returns false and goes the general way.
class PrintfReader {
public:
    explicit PrintfReader(const QByteArray& line) : p_(line.constData()), end_(p_ + line.size()) {}

    bool read(RunEvent& e) {
        if (!literal(R"({"t":"printf","ts":)") || !integer(e.ts) || !literal(R"(,"id":)"))
            return false;
        qint64 id;
        if (!integer(id) || id < 0 || id > std::numeric_limits<int>::max() || !literal(R"(,"args":[)"))
            return false; // an id no format has: the general way says so
        e.formatId = int(id);
        while (p_ < end_ && *p_ != ']') {
            if (!e.args.isEmpty() && !literal(","))
                return false;
            if (p_ < end_ && *p_ == '"') {
                QString s;
                if (!string(s))
                    return false;
                e.args.append(s);
            } else {
                qint64 v;
                if (!integer(v))
                    return false;
                e.args.append(v);
            }
        }
        if (!literal(R"(],"text":)") || !string(e.text))
            return false;
        if (literal(R"(,"host":)") && !string(e.host))
            return false;
        if (!literal("}"))
            return false;
        return p_ == end_;
    }

private:
    bool literal(const char* s) {
        size_t n = std::strlen(s);
        if (size_t(end_ - p_) < n || std::memcmp(p_, s, n) != 0)
            return false;
        p_ += n;
        return true;
    }
    bool integer(qint64& out) {
        bool negative = p_ < end_ && *p_ == '-';
        if (negative)
            ++p_;
        if (p_ == end_ || *p_ < '0' || *p_ > '9')
            return false;
        quint64 v = 0;
        const quint64 limit = negative ? quint64(1) << 63 : (quint64(1) << 63) - 1;
        for (; p_ < end_ && *p_ >= '0' && *p_ <= '9'; ++p_) {
            quint64 digit = quint64(*p_ - '0');
            if (v > (limit - digit) / 10)
                return false; // past a long: tstap never writes it, a JSON reader reads a double
            v = v * 10 + digit;
        }
        out = negative ? qint64(0 - v) : qint64(v);
        return p_ == end_ || (*p_ != '.' && *p_ != 'e' && *p_ != 'E'); // no fractions in tstap's records
    }
    static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
    bool string(QString& out) {
        if (!literal("\""))
            return false;
        const char* start = p_;
        while (p_ < end_ && *p_ != '"' && *p_ != '\\')
            ++p_;
        if (p_ < end_ && *p_ == '"') { // no escapes: the common case
            out = QString::fromUtf8(start, p_ - start);
            ++p_;
            return true;
        }
        QByteArray bytes(start, p_ - start);
        while (p_ < end_ && *p_ != '"') {
            if (*p_ != '\\') {
                bytes += *p_++;
                continue;
            }
            if (++p_ == end_)
                return false;
            char c = *p_++;
            switch (c) {
            case 'n': bytes += '\n'; break;
            case 't': bytes += '\t'; break;
            case 'r': bytes += '\r'; break;
            case 'b': bytes += '\b'; break;
            case 'f': bytes += '\f'; break;
            case 'u': {
                char32_t cp = 0;
                if (!codeUnit(cp))
                    return false;
                if (cp >= 0xDC00 && cp < 0xE000)
                    return false; // half a pair: the general way decides
                if (cp >= 0xD800 && cp < 0xDC00) { // a surrogate pair
                    char32_t low = 0;
                    if (!literal("\\u") || !codeUnit(low) || low < 0xDC00 || low >= 0xE000)
                        return false;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                }
                bytes += QString::fromUcs4(&cp, 1).toUtf8();
                break;
            }
            case '"': case '\\': case '/': bytes += c; break;
            default: return false; // not JSON: the general way refuses it too
            }
        }
        if (p_ == end_)
            return false;
        ++p_;
        out = QString::fromUtf8(bytes);
        return true;
    }
    bool codeUnit(char32_t& out) {
        if (end_ - p_ < 4)
            return false;
        out = 0;
        for (int i = 0; i < 4; ++i) {
            int h = hex(*p_++);
            if (h < 0)
                return false;
            out = out * 16 + char32_t(h);
        }
        return true;
    }

    const char* p_;
    const char* end_;
};

} // namespace

namespace {

// A JSON number as a long; `otherwise` when it is none or out of range (a
// cast of such a double is undefined).
qint64 wholeNumber(const QJsonValue& v, qint64 otherwise) {
    double d = v.toDouble(double(otherwise));
    return d >= -9.2e18 && d <= 9.2e18 ? qint64(d) : otherwise;
}

} // namespace

RunEvent RunProtocol::parseLine(const QByteArray& rawLine) {
    RunEvent e;
    QByteArray line = rawLine;
    if (line.endsWith('\n'))
        line.chop(1);
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.startsWith(R"({"t":"printf",)")) {
        e.kind = RunEvent::Printf;
        if (PrintfReader(line).read(e))
            return e;
        e = RunEvent();
    }
    QByteArray trimmed = line.trimmed();
    if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
        QJsonParseError err;
        QJsonDocument doc = QJsonDocument::fromJson(trimmed, &err);
        if (err.error == QJsonParseError::NoError && doc.isObject() && doc.object().contains("t")) {
            QJsonObject o = doc.object();
            e.object = o;
            QString t = o.value("t").toString();
            e.ts = wholeNumber(o.value("ts"), -1);
            e.host = o.value("host").toString();
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
                e.stacks = o.value("stacks").toArray();
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
                e.drops = wholeNumber(o.value("count"), 0);
            } else if (t == "stopped") {
                e.kind = RunEvent::Stopped;
                e.reason = o.value("reason").toString();
                e.exitCode = o.value("exit_code").toInt();
                e.errors = o.value("errors").toInt();
                e.drops = wholeNumber(o.value("drops"), 0);
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
