#include "session_data.h"

#include "format_columns.h"

#include <QMutexLocker>

#include <algorithm>

namespace tapgraphs {

using taprun::RunEvent;

QVector<PrintfFormat> formatsFromRecord(const QJsonObject& record) {
    QVector<PrintfFormat> out;
    for (const QJsonValue& v : record.value("formats").toArray()) {
        QJsonObject f = v.toObject();
        PrintfFormat p;
        p.id = f.value("id").toInt(-1);
        p.format = f.value("fmt").toString();
        for (const QJsonValue& a : f.value("args").toArray())
            p.argTypes << a.toString();
        p.probe = f.value("probe").toString();
        p.line = f.value("line").toInt();
        p.host = record.value("host").toString();
        for (const QJsonValue& st : f.value("stacks").toArray())
            p.stackArgs.insert(st.toObject().value("arg").toInt(),
                               st.toObject().value("kind").toString() == "user");
        out.push_back(p);
    }
    return out;
}

SessionData::SessionData(const GraphSet& set) {
    add(set);
}

GraphSet SessionData::graphSet() const {
    QMutexLocker l(&lock_);
    return set_;
}

void SessionData::add(const GraphSet& more) {
    QMutexLocker l(&lock_);
    if (set_.script.isEmpty()) set_.script = more.script;
    set_.charts += more.charts;
    for (const DataSetSpec& spec : more.dataSets) {
        if (byName_.contains(spec.name) || stackSetsByName_.contains(spec.name) ||
            set_.dataSet(spec.name))
            continue;
        set_.dataSets.push_back(spec);
        createDataSet(spec);
    }
}

QHash<QString, QString> SessionData::updateDataSet(const DataSetSpec& now) {
    QMutexLocker l(&lock_);
    QHash<QString, QString> renames;
    auto spec = std::find_if(set_.dataSets.begin(), set_.dataSets.end(),
                             [&](const DataSetSpec& d) { return d.name == now.name; });
    if (spec == set_.dataSets.end()) return renames;
    if (std::shared_ptr<DataSet> ds = byName_.value(now.name)) {
        QVector<Column> current = ds->columns();
        for (int c = 0; c < current.size() && c < now.columns.size(); ++c) {
            if (now.columns[c].name.isEmpty() || now.columns[c].name == current[c].name) continue;
            renames.insert(current[c].name, now.columns[c].name);
            ds->renameColumn(c, now.columns[c].name);
        }
        if (ds->capacity() != now.capacity) ds->setCapacity(now.capacity);
    }
    *spec = now;
    for (ChartSpec& chart : set_.charts)
        if (chart.dataSet == now.name) chart = chart.withColumnsRenamed(renames);
    return renames;
}

void SessionData::replaceChart(const ChartSpec& old, const ChartSpec& now) {
    QMutexLocker l(&lock_);
    for (ChartSpec& chart : set_.charts)
        if (chart.toJson() == old.toJson()) {
            chart = now;
            return;
        }
}

void SessionData::createDataSet(const DataSetSpec& spec) {
    // Regex and histogram data sets know their columns now; printf data sets
    // wait for the `formats` record, which types their columns.
    if (spec.source == DataSetSpec::Source::Regex) {
        auto ds = std::make_shared<DataSet>(spec.name, spec.columns, spec.capacity);
        regexSets_.push_back({QRegularExpression(spec.regex), ds});
        byName_.insert(spec.name, ds);
    } else if (spec.source == DataSetSpec::Source::Histogram) {
        QVector<Column> cols{
            {"from", ColumnType::Long}, {"to", ColumnType::Long}, {"count", ColumnType::Long}};
        auto ds = std::make_shared<DataSet>(spec.name, cols, spec.capacity);
        histogramSets_.push_back({spec.statistic, spec.history, ds});
        byName_.insert(spec.name, ds);
    } else if (spec.source == DataSetSpec::Source::Stacks) {
        bindStackSet(spec);
    } else {
        bindPrintfSet(spec);
    }
}

std::shared_ptr<DataSet> SessionData::dataSet(const QString& name) const {
    QMutexLocker l(&lock_);
    return byName_.value(name);
}

std::shared_ptr<StackDataSet> SessionData::stackDataSet(const QString& name) const {
    QMutexLocker l(&lock_);
    return stackSetsByName_.value(name);
}

QVector<PrintfFormat> SessionData::formats() const {
    QMutexLocker l(&lock_);
    return formats_;
}

qint64 SessionData::records() const {
    QMutexLocker l(&lock_);
    return records_;
}

const PrintfFormat* SessionData::boundFormat(const DataSetSpec& spec) const {
    // By format text when there is one (it survives edits of the script), the
    // id choosing among equal texts; else by id.
    const PrintfFormat* bound = nullptr;
    for (const PrintfFormat& f : formats_) {
        bool textMatches = spec.format.isEmpty() || f.format == spec.format;
        if (textMatches && f.id == spec.formatId) return &f;
        if (!spec.format.isEmpty() && textMatches && !bound) bound = &f;
    }
    return bound;
}

void SessionData::bindStackSet(const DataSetSpec& spec) {
    const PrintfFormat* bound = boundFormat(spec);
    if (!bound) return;
    auto ds = std::make_shared<StackDataSet>(spec.name, spec.capacity);
    stackSetsByName_.insert(spec.name, ds);
    stacksByFormat_[bound->id].push_back({bound->stackArgs, ds});
}

void SessionData::addStacks(const RunEvent& e) {
    auto it = stacksByFormat_.constFind(e.formatId);
    if (it == stacksByFormat_.constEnd()) return;
    // The value is the record's last number (samples, time blocked); 1 without one.
    double value = 1;
    for (qsizetype i = e.args.size() - 1; i >= 0; --i)
        if (e.args[i].isDouble()) {
            value = e.args[i].toDouble();
            break;
        }
    for (const StackSet& s : *it)
        s.set->appendRecord(e.ts, e.args, e.stacks, s.stackArgs, value);
}

void SessionData::bindPrintfSet(const DataSetSpec& spec) {
    const PrintfFormat* bound = boundFormat(spec);
    if (!bound) return;
    QVector<Column> cols = columnsFromFormat(bound->format, bound->argTypes);
    if (fromHosts_) cols.push_back({"host", ColumnType::String});
    for (int c = 0; c < cols.size() && c < spec.columns.size(); ++c)
        if (!spec.columns[c].name.isEmpty()) cols[c].name = spec.columns[c].name;
    auto ds = std::make_shared<DataSet>(spec.name, cols, spec.capacity);
    byName_.insert(spec.name, ds);
    byFormat_[bound->id].push_back(ds);
}

void SessionData::bindFormats(const QVector<PrintfFormat>& formats) {
    QMutexLocker l(&lock_);
    formats_ = formats;
    fromHosts_ = fromHosts_ || (!formats.isEmpty() && !formats.first().host.isEmpty());
    for (const DataSetSpec& spec : set_.dataSets) {
        if (spec.source == DataSetSpec::Source::Printf && !byName_.contains(spec.name))
            bindPrintfSet(spec);
        if (spec.source == DataSetSpec::Source::Stacks && !stackSetsByName_.contains(spec.name))
            bindStackSet(spec);
    }
}

void SessionData::addRegexLines(qint64 ts, const QString& text) {
    if (regexSets_.isEmpty()) return;
    for (const QString& line : text.split('\n', Qt::SkipEmptyParts)) {
        for (RegexSet& r : regexSets_) {
            QRegularExpressionMatch m = r.re.match(line);
            if (!m.hasMatch()) continue;
            QStringList captured = m.capturedTexts();
            captured.removeFirst(); // the whole match
            r.set->appendTexts(ts, captured);
        }
    }
}

void SessionData::addHistogram(const QJsonObject& record) {
    QString statistic = record.value("statistic").toString();
    qint64 ts = qint64(record.value("ts").toDouble());
    Table rows;
    rows.columns = {
        {"from", ColumnType::Long}, {"to", ColumnType::Long}, {"count", ColumnType::Long}};
    rows.numbers.resize(3);
    rows.strings.resize(3);
    for (const QJsonValue& b : record.value("buckets").toArray()) {
        QJsonArray bucket = b.toArray();
        rows.time.push_back(ts);
        for (int c = 0; c < 3; ++c)
            rows.numbers[c].push_back(bucket.at(c).toDouble());
    }
    for (const HistogramSet& h : histogramSets_) {
        if (!h.statistic.isEmpty() && h.statistic != statistic) continue;
        if (!h.history) {
            h.set->replaceRows(rows);
            continue;
        }
        for (int r = 0; r < rows.rowCount(); ++r)
            h.set->appendArgs(ts, QJsonArray{rows.numbers[0][r], rows.numbers[1][r], rows.numbers[2][r]});
    }
}

void SessionData::handle(const RunEvent& e) {
    switch (e.kind) {
    case RunEvent::Formats:
        bindFormats(formatsFromRecord(e.object));
        return;
    case RunEvent::Printf: {
        QMutexLocker l(&lock_);
        ++records_;
        auto it = byFormat_.constFind(e.formatId);
        if (it != byFormat_.constEnd()) {
            QJsonArray args = e.args;
            if (fromHosts_) args.append(e.host);
            for (const auto& ds : *it)
                ds->appendArgs(e.ts, args);
        }
        addStacks(e);
        addRegexLines(e.ts, e.text);
        return;
    }
    case RunEvent::Out: {
        QMutexLocker l(&lock_);
        addRegexLines(e.ts, e.text);
        return;
    }
    case RunEvent::Unknown:
        if (e.object.value("t").toString() == "hist") {
            QMutexLocker l(&lock_);
            addHistogram(e.object);
        }
        return;
    default:
        return;
    }
}

void SessionData::feed(const QByteArray& bytes) {
    for (const RunEvent& e : protocol_.feed(bytes))
        handle(e);
}

} // namespace tapgraphs
