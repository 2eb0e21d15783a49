#include "graph_set.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace tapgraphs {

namespace {

template <typename Enum, size_t N>
QString nameOf(Enum value, const std::pair<Enum, const char*> (&names)[N]) {
    for (const auto& [v, n] : names)
        if (v == value) return n;
    return names[0].second;
}

template <typename Enum, size_t N>
Enum valueOf(const QString& name, const std::pair<Enum, const char*> (&names)[N]) {
    for (const auto& [v, n] : names)
        if (name == n) return v;
    return names[0].first;
}

const std::pair<DataSetSpec::Source, const char*> kSources[] = {
    {DataSetSpec::Source::Printf, "printf"},
    {DataSetSpec::Source::Regex, "regex"},
    {DataSetSpec::Source::Histogram, "histogram"},
    {DataSetSpec::Source::Stacks, "stacks"}};
const std::pair<ChartSpec::Type, const char*> kTypes[] = {
    {ChartSpec::Type::Line, "line"},
    {ChartSpec::Type::Area, "area"},
    {ChartSpec::Type::Bar, "bar"},
    {ChartSpec::Type::StackedBar, "stackedBar"},
    {ChartSpec::Type::Scatter, "scatter"},
    {ChartSpec::Type::Pie, "pie"},
    {ChartSpec::Type::Histogram, "histogram"},
    {ChartSpec::Type::Table, "table"},
    {ChartSpec::Type::Flame, "flame"},
    {ChartSpec::Type::HeatMap, "heatMap"}};
const std::pair<ChartSpec::Aggregate, const char*> kAggregates[] = {
    {ChartSpec::Aggregate::Last, "last"},
    {ChartSpec::Aggregate::Sum, "sum"},
    {ChartSpec::Aggregate::Average, "avg"},
    {ChartSpec::Aggregate::Max, "max"},
    {ChartSpec::Aggregate::Count, "count"}};

QJsonArray toArray(const QStringList& list) {
    return QJsonArray::fromStringList(list);
}

QStringList toStrings(const QJsonValue& v) {
    QStringList out;
    for (const QJsonValue& s : v.toArray())
        out << s.toString();
    return out;
}

} // namespace

QString chartTypeName(ChartSpec::Type type) {
    return nameOf(type, kTypes);
}

QJsonObject DataSetSpec::toJson() const {
    QJsonObject o{{"name", name}, {"source", nameOf(source, kSources)}};
    if (source == Source::Printf || source == Source::Stacks) {
        if (formatId >= 0) o["formatId"] = formatId;
        if (!format.isEmpty()) o["format"] = format;
    } else if (source == Source::Regex) {
        o["regex"] = regex;
    } else {
        if (!statistic.isEmpty()) o["statistic"] = statistic;
        if (history) o["history"] = true;
    }
    QJsonArray cols;
    for (const Column& c : columns)
        cols.append(QJsonObject{{"name", c.name}, {"type", typeName(c.type)}});
    if (!cols.isEmpty()) o["columns"] = cols;
    o["capacity"] = capacity;
    QJsonArray fs;
    for (const Filter& f : filters)
        fs.append(f.toJson());
    if (!fs.isEmpty()) o["filters"] = fs;
    return o;
}

DataSetSpec DataSetSpec::fromJson(const QJsonObject& o) {
    DataSetSpec s;
    s.name = o.value("name").toString();
    s.source = valueOf(o.value("source").toString(), kSources);
    s.formatId = o.value("formatId").toInt(-1);
    s.format = o.value("format").toString();
    s.regex = o.value("regex").toString();
    s.statistic = o.value("statistic").toString();
    s.history = o.value("history").toBool();
    for (const QJsonValue& c : o.value("columns").toArray()) {
        QJsonObject co = c.toObject();
        s.columns.push_back(
            {co.value("name").toString(), typeFromName(co.value("type").toString())});
    }
    s.capacity = o.value("capacity").toInt(kDefaultCapacity);
    for (const QJsonValue& f : o.value("filters").toArray())
        s.filters.push_back(Filter::fromJson(f.toObject()));
    return s;
}

QJsonObject ChartSpec::toJson() const {
    QJsonObject o{{"title", title},     {"type", chartTypeName(type)},
                  {"dataSet", dataSet}, {"values", toArray(values)},
                  {"row", row},         {"column", column}};
    if (!key.isEmpty()) o["key"] = key;
    if (topKeys > 0) o["topKeys"] = topKeys;
    if (rate) o["rate"] = true;
    if (bucketMs > 0) {
        o["bucketMs"] = double(bucketMs);
        o["bucketOp"] = bucketAverage ? "avg" : "sum";
    }
    if (type == Type::Bar || type == Type::StackedBar || type == Type::Pie) {
        o["aggregate"] = nameOf(aggregate, kAggregates);
        o["latestBatch"] = latestBatch;
    } else {
        o["windowSeconds"] = windowSeconds;
    }
    if (type == Type::Flame) {
        o["slidingWindow"] = slidingWindow;
        o["icicle"] = icicle;
        if (comparePrevious) o["baseline"] = "previousWindow";
    }
    if (type == Type::HeatMap) {
        o["yScale"] = yLinear ? "linear" : "log2";
        if (yLinear) o["yBucket"] = yBucket;
        o["colorScale"] = logColors ? "log" : "linear";
    }
    return o;
}

ChartSpec ChartSpec::fromJson(const QJsonObject& o) {
    ChartSpec s;
    s.title = o.value("title").toString();
    s.type = valueOf(o.value("type").toString(), kTypes);
    s.dataSet = o.value("dataSet").toString();
    s.values = toStrings(o.value("values"));
    s.key = o.value("key").toString();
    s.topKeys = o.value("topKeys").toInt();
    s.rate = o.value("rate").toBool();
    s.bucketMs = qint64(o.value("bucketMs").toDouble());
    s.bucketAverage = o.value("bucketOp").toString() == "avg";
    s.aggregate = valueOf(o.value("aggregate").toString(), kAggregates);
    s.latestBatch = o.value("latestBatch").toBool(true);
    s.windowSeconds = o.value("windowSeconds").toDouble(60);
    s.slidingWindow = o.value("slidingWindow").toBool();
    s.icicle = o.value("icicle").toBool();
    s.comparePrevious = o.value("baseline").toString() == "previousWindow";
    s.yLinear = o.value("yScale").toString() == "linear";
    s.yBucket = o.value("yBucket").toDouble();
    s.logColors = o.value("colorScale").toString() == "log";
    s.row = o.value("row").toInt();
    s.column = o.value("column").toInt();
    return s;
}

ChartSpec ChartSpec::withColumnsRenamed(const QHash<QString, QString>& renames) const {
    ChartSpec s = *this;
    for (QString& v : s.values)
        v = renames.value(v, v);
    s.key = renames.value(s.key, s.key);
    return s;
}

QJsonObject GraphSet::toJson() const {
    QJsonArray sets, cs;
    for (const DataSetSpec& d : dataSets)
        sets.append(d.toJson());
    for (const ChartSpec& c : charts)
        cs.append(c.toJson());
    QJsonObject o{{"tapstudioGraphSet", 1}, {"dataSets", sets}, {"charts", cs}};
    if (!script.isEmpty()) o["script"] = script;
    return o;
}

GraphSet GraphSet::fromJson(const QJsonObject& o) {
    GraphSet g;
    g.script = o.value("script").toString();
    for (const QJsonValue& d : o.value("dataSets").toArray())
        g.dataSets.push_back(DataSetSpec::fromJson(d.toObject()));
    for (const QJsonValue& c : o.value("charts").toArray())
        g.charts.push_back(ChartSpec::fromJson(c.toObject()));
    return g;
}

bool GraphSet::save(const QString& path, QString* error) const {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        if (error) *error = f.errorString();
        return false;
    }
    f.write(QJsonDocument(toJson()).toJson(QJsonDocument::Indented));
    return f.flush();
}

GraphSet GraphSet::load(const QString& path, QString* error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error) *error = f.errorString();
        return {};
    }
    QJsonParseError err;
    QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject()) {
        if (error) *error = QString("%1: %2").arg(path, err.errorString());
        return {};
    }
    return fromJson(doc.object());
}

const DataSetSpec* GraphSet::dataSet(const QString& name) const {
    for (const DataSetSpec& d : dataSets)
        if (d.name == name) return &d;
    return nullptr;
}

} // namespace tapgraphs
