// Run-time parts of the executor that are more than a line: keys, calls,
// printing, foreach.
#include "exec_stmts.h"

#include <cstring>

namespace tap::rt {

void appendLongKey(std::string& key, int64_t v) {
    key += '\x01';
    char bytes[8];
    std::memcpy(bytes, &v, 8);
    key.append(bytes, 8);
}

void appendStringKey(std::string& key, std::string_view v) {
    key += '\x02';
    key.append(v);
    key += '\0';
}

DecodedKey decodeKey(const std::string& key) {
    DecodedKey d;
    size_t i = 0;
    while (i < key.size()) {
        if (key[i] == '\x01') {
            int64_t v;
            std::memcpy(&v, key.data() + i + 1, 8);
            d.longs.push_back(v);
            d.strings.emplace_back();
            d.isString.push_back(false);
            i += 9;
        } else {
            size_t end = key.find('\0', i + 1);
            d.strings.push_back(key.substr(i + 1, end - i - 1));
            d.longs.push_back(0);
            d.isString.push_back(true);
            i = end + 1;
        }
    }
    return d;
}

Flow callFunction(Ctx& c, const std::vector<CompiledFunction*>& overloads, ArgValues& args,
                  const SourceLoc& loc) {
    Runtime& rt = *c.rt;
    for (CompiledFunction* f : overloads) {
        c.retL = 0;
        c.retS.clear();
        if (f->native) {
            NativeCall call{c, args.l, args.s, loc, f->name};
            f->native(call, c.retL, c.retS);
            return Flow::Normal;
        }
        if (c.depth >= c.maxDepth)
            fail(loc, "MAXNESTING exceeded", "identifier '" + f->name + "'");
        if (rt.longTop + size_t(f->longSlots) > rt.longStack.size() ||
            rt.stringTop + size_t(f->stringSlots) > rt.stringStack.size())
            fail(loc, "MAXNESTING exceeded", "identifier '" + f->name + "'");
        int64_t* L = rt.longStack.data() + rt.longTop;
        std::string* S = rt.stringStack.data() + rt.stringTop;
        for (int i = 0; i < f->longSlots; ++i)
            L[i] = 0;
        for (int i = 0; i < f->stringSlots; ++i)
            S[i].clear();
        for (size_t i = 0; i < f->paramSlots.size(); ++i) {
            if (f->paramTypes[i] == Type::String)
                S[f->paramSlots[i]] = args.s[i];
            else
                L[f->paramSlots[i]] = args.l[i];
        }
        int64_t* savedL = c.L;
        std::string* savedS = c.S;
        c.L = L;
        c.S = S;
        rt.longTop += size_t(f->longSlots);
        rt.stringTop += size_t(f->stringSlots);
        ++c.depth;
        Flow flow = f->body->exec(c);
        --c.depth;
        rt.longTop -= size_t(f->longSlots);
        rt.stringTop -= size_t(f->stringSlots);
        c.L = savedL;
        c.S = savedS;
        if (flow != Flow::Next)
            return Flow::Normal;
    }
    return Flow::Next;
}

void PrintArgs::render(Ctx& c, std::string& out, const SourceLoc& loc) const {
    if (kind == PrintKind::Printf || kind == PrintKind::Sprintf) {
        ArgValues v;
        args.eval(c, v);
        std::vector<FormatArg> fa(args.isString.size());
        for (size_t i = 0; i < fa.size(); ++i) {
            if (args.isString[i])
                fa[i].text = v.s[i];
            else
                fa[i].number = v.l[i];
        }
        std::string error = formatInto(out, pieces, fa);
        if (!error.empty())
            fail(loc, error, "identifier 'printf'");
        return;
    }
    bool delimited = !delimiter.empty() || kind == PrintKind::Printd || kind == PrintKind::Printdln ||
                     kind == PrintKind::Sprintd || kind == PrintKind::Sprintdln;
    for (size_t i = 0; i < args.isString.size(); ++i) {
        if (i && delimited)
            out += delimiter;
        if (i < histograms.size() && histograms[i]) {
            Statistic* s = histograms[i]->find(c);
            Statistic empty;
            out += (s ? s : &empty)->histogramText(histShapes[i], c.rt->limits.histElision);
            continue;
        }
        if (args.isString[i])
            out += args.strings[i]->eval(c);
        else if (args.longs[i])
            out += std::to_string(args.longs[i]->eval(c));
    }
    if (kind == PrintKind::Println || kind == PrintKind::Printdln || kind == PrintKind::Sprintln ||
        kind == PrintKind::Sprintdln)
        out += '\n';
}

namespace {

struct Row {
    DecodedKey key;
    uint32_t slot = 0;
    int64_t number = 0;   // value, or the sort aggregate of a statistic
    std::string text;     // string value
};

int compareRows(const Row& a, const Row& b, int column, bool stringValues) {
    if (column == 0) {
        if (stringValues)
            return a.text.compare(b.text);
        return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
    }
    size_t k = size_t(column - 1);
    if (a.key.isString[k])
        return a.key.strings[k].compare(b.key.strings[k]);
    return a.key.longs[k] < b.key.longs[k] ? -1 : a.key.longs[k] > b.key.longs[k] ? 1 : 0;
}

int64_t aggregate(const Statistic& s, StatFn fn) {
    switch (fn) {
    case StatFn::Sum: return s.sum();
    case StatFn::Min: return s.min();
    case StatFn::Max: return s.max();
    case StatFn::Avg: return s.avg();
    default: return s.count();
    }
}

} // namespace

Flow ForeachN::exec(Ctx& c) {
    tick(c, loc);
    int64_t remaining = limit ? limit->eval(c) : -1;
    if (hist) {
        const HistogramShape& shape = hist->shape(c);
        Statistic* s = hist->find(c);
        for (int i = 0; i < shape.buckets; ++i) {
            if (remaining >= 0 && remaining-- == 0)
                break;
            keyVars[0].l(c) = i;
            if (hasValue)
                valueVar.l(c) = s ? s->bucket(i) : 0;
            tick(c, loc);
            Flow f = body->exec(c);
            if (f == Flow::Break)
                break;
            if (f == Flow::Return || f == Flow::Next)
                return f;
        }
        return Flow::Normal;
    }
    std::vector<Row> rows;
    auto collect = [&](auto& map, auto fill) {
        for (uint32_t slot : map.slots()) {
            Row r;
            r.slot = slot;
            r.key = decodeKey(map.node(slot).key);
            if (hasSlice && !keyMatches(c, slice, map.node(slot).key))
                continue;
            fill(r, map.node(slot).value);
            rows.push_back(std::move(r));
        }
    };
    switch (array->valueType) {
    case Type::String:
        collect(array->strings, [](Row& r, const std::string& v) { r.text = v; });
        break;
    case Type::Stats:
        collect(array->stats, [&](Row& r, const Statistic& v) { r.number = aggregate(v, sortAggregate); });
        break;
    default:
        collect(array->longs, [](Row& r, int64_t v) { r.number = v; });
        break;
    }
    if (sortDirection != 0) {
        bool stringValues = array->valueType == Type::String;
        std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
            int r = compareRows(a, b, sortColumn, stringValues);
            return sortDirection > 0 ? r < 0 : r > 0;
        });
    }
    for (Row& r : rows) {
        if (remaining >= 0 && remaining-- == 0)
            break;
        for (size_t k = 0; k < keyVars.size(); ++k) {
            if (keyIsString[k])
                keyVars[k].s(c) = r.key.strings[k];
            else
                keyVars[k].l(c) = r.key.longs[k];
        }
        if (hasValue) {
            if (valueType == Type::String)
                valueVar.s(c) = r.text;
            else
                valueVar.l(c) = r.number;
        }
        tick(c, loc);
        Flow f = body->exec(c);
        if (f == Flow::Break)
            break;
        if (f == Flow::Return || f == Flow::Next)
            return f;
    }
    return Flow::Normal;
}

} // namespace tap::rt
