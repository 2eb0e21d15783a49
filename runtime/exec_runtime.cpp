// Run-time parts of the executor that are more than a line: keys, calls,
// printing, foreach.
#include "exec_stmts.h"

#include <cstring>
#include <ctime>
#include <list>

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
        // Every function, tapset ones too, checks the nesting limit on entry;
        // stap reports it near the called function's declaration.
        if (c.depth >= c.maxDepth)
            fail(f->decl ? f->decl->loc : loc, "MAXNESTING exceeded", "identifier '" + f->name + "'");
        if (f->native) {
            NativeCall call{c, args.l, args.s, loc, f->name};
            f->native(call, c.retL, c.retS);
            return Flow::Normal;
        }
        if (rt.longTop + size_t(f->longSlots) > rt.longStack.size() ||
            rt.stringTop + size_t(f->stringSlots) > rt.stringStack.size())
            fail(f->decl ? f->decl->loc : loc, "MAXNESTING exceeded", "identifier '" + f->name + "'");
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
    // `next` in the last candidate: stap's "all functions exhausted".
    fail(loc, "all functions exhausted",
         "identifier '" + (overloads.empty() ? std::string() : overloads.back()->name) + "'");
}

std::string Output::quote(std::string_view s) {
    std::string out = "\"";
    for (unsigned char ch : s) {
        switch (ch) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (ch < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", ch);
                out += buf;
            } else {
                out += char(ch);
            }
        }
    }
    return out + "\"";
}

int64_t Output::elapsed() const {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec - startNs_;
}

void PrintArgs::evalArgs(Ctx& c, ArgValues& v, std::vector<PrintedStack>* printed) const {
    args.eval(c, v);
    Runtime& rt = *c.rt;
    for (const StackArgument& stack : stacks) {
        PrintedStack p{stack.arg, rt.symbols->frames(stack.user, rt.symbolProcess(), v.s[stack.arg], true)};
        v.s[stack.arg] = rt.symbols->formatFrames(p.frames, Symbolizer::Style::Syms, size_t(rt.limits.maxStringLen - 1));
        if (printed)
            printed->push_back(std::move(p));
    }
}

void PrintArgs::emit(Ctx& c, const SourceLoc& loc) const {
    Output& out = c.rt->out;
    if (kind == PrintKind::Printf && out.json()) {
        ArgValues v;
        std::vector<PrintedStack> printed;
        evalArgs(c, v, &printed);
        std::vector<FormatArg> fa(args.isString.size());
        std::vector<std::string_view> strings(fa.size());
        std::vector<int64_t> longs(fa.size(), 0);
        for (size_t i = 0; i < fa.size(); ++i) {
            if (args.isString[i])
                strings[i] = fa[i].text = v.s[i];
            else
                longs[i] = fa[i].number = v.l[i];
        }
        std::string text;
        std::string error = formatInto(text, pieces, fa);
        if (!error.empty())
            fail(loc, error, "identifier 'printf'");
        out.printfRecord(formatId, strings, longs, args.isString, text, printedStacksField(printed));
        return;
    }
    if (out.json()) {
        std::string text;
        render(c, text, loc);
        out.write(text);
        // Each printed histogram also as numbers, after its text.
        for (size_t i = 0; i < histograms.size(); ++i)
            if (histograms[i]) {
                Statistic* s = histograms[i]->find(c);
                Statistic empty;
                out.histogramRecord(histograms[i]->name, (s ? s : &empty)->histogramJsonFields(histShapes[i]));
            }
        return;
    }
    render(c, out.buffer(), loc);
    out.maybeFlush();
}

void PrintArgs::render(Ctx& c, std::string& out, const SourceLoc& loc) const {
    if (kind == PrintKind::Printf || kind == PrintKind::Sprintf) {
        ArgValues v;
        evalArgs(c, v, nullptr);
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
    // Every argument is evaluated before anything is printed, so an error in
    // a later argument prints nothing (as stap's generated code does).
    std::string text;
    renderPlain(c, text, delimited);
    out += text;
}

void PrintArgs::renderPlain(Ctx& c, std::string& out, bool delimited) const {
    for (size_t i = 0; i < args.isString.size(); ++i) {
        if (i && delimited)
            out += delimiter;
        if (i < histograms.size() && histograms[i]) {
            Statistic* s = histograms[i]->find(c);
            if (!s || s->count() == 0)
                fail(histLocs[i], "empty aggregate",
                     histShapes[i].kind == HistogramShape::Kind::Linear ? "operator '@hist_linear'" : "operator '@hist_log'");
            out += s->histogramText(histShapes[i], c.rt->limits.histElision);
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
    bool inSlice = true;
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

// stap's _stp_map_sortn (runtime/map.c) for 0 < n <= 30: a bubble sort of
// the first n entries, then an insertion of each later entry into the top
// n. `after(x, y)` says x belongs after y. Reproduced step by step because
// the order it leaves behind persists in the map.
template <class After> void sortTopN(std::list<Row*>& rows, int64_t n, After after) {
    if (rows.empty())
        return;
    auto a = rows.begin();
    for (bool swaps = true; swaps;) {
        swaps = false;
        int64_t num = n;
        a = rows.begin();
        while (std::next(a) != rows.end() && --num > 0) {
            auto b = std::next(a);
            if (after(*a, *b)) {
                std::iter_swap(a, b);
                swaps = true;
            }
            a = b;
        }
    }
    auto last = a;
    for (auto it = std::next(a); it != rows.end();) {
        auto following = std::next(it);
        auto c = last;
        bool atHead = false;
        while (after(*c, *it)) {
            if (c == rows.begin()) {
                atHead = true;
                break;
            }
            --c;
        }
        if (atHead || c != last) {
            Row* moved = *it;
            rows.erase(it);
            rows.insert(atHead ? rows.begin() : std::next(c), moved);
            --last;
        }
        it = following;
    }
}

} // namespace

Flow ForeachN::exec(Ctx& c) {
    tick(c, loc);
    int64_t limitValue = limit ? limit->eval(c) : -1;
    // stap's check before each iteration: `if (count++ >= limit) break`, so
    // a zero or negative limit runs no iteration.
    int64_t count = 0;
    auto limitReached = [&] { return limit && count++ >= limitValue; };
    if (hist) {
        const HistogramShape& shape = hist->shape(c);
        Statistic* s = hist->find(c);
        for (int i = 0; i < shape.buckets; ++i) {
            if (limitReached())
                return Flow::Normal;
            keyVars[0].l(c) = i;
            if (hasValue)
                valueVar.l(c) = s ? s->bucket(i) : 0;
            tick(c, loc);
            Flow f = body->exec(c);
            if (f == Flow::Break)
                return Flow::Normal;
            if (f == Flow::Return || f == Flow::Next)
                return f;
        }
        tick(c, loc);
        return Flow::Normal;
    }
    // Every entry (in the map's order), marked whether it is in the slice.
    std::vector<Row> rows;
    auto collect = [&](auto& map, auto fill) {
        for (uint32_t slot : map.slots()) {
            Row r;
            r.slot = slot;
            r.key = decodeKey(map.node(slot).key);
            r.inSlice = !hasSlice || keyMatches(c, slice, map.node(slot).key);
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
    std::vector<Row*> order;
    order.reserve(rows.size());
    for (Row& r : rows)
        order.push_back(&r);
    if (sortDirection != 0) {
        bool stringValues = array->valueType == Type::String;
        // x belongs after y (stap's _stp_cmp); ties keep the map's order.
        auto after = [&](const Row* x, const Row* y) {
            int r = compareRows(*x, *y, sortColumn, stringValues);
            return sortDirection > 0 ? r > 0 : r < 0;
        };
        if (limit && limitValue != 0 && limitValue <= 30) {
            std::list<Row*> list(order.begin(), order.end());
            sortTopN(list, limitValue, after);
            order.assign(list.begin(), list.end());
        } else {
            std::stable_sort(order.begin(), order.end(),
                             [&](const Row* x, const Row* y) { return after(y, x); });
        }
        // stap sorts the map itself; statistics arrays sort an aggregate copy.
        std::vector<uint32_t> slots;
        slots.reserve(order.size());
        for (const Row* r : order)
            slots.push_back(r->slot);
        if (array->valueType == Type::String)
            array->strings.relink(slots);
        else if (array->valueType != Type::Stats)
            array->longs.relink(slots);
    }
    for (Row* rp : order) {
        Row& r = *rp;
        // As stap's translator emits it: the limit counts every entry
        // visited and the keys are copied before the slice is checked.
        tick(c, loc);
        if (limitReached())
            return Flow::Normal;
        for (size_t k = 0; k < keyVars.size(); ++k) {
            if (keyIsString[k])
                keyVars[k].s(c) = r.key.strings[k];
            else
                keyVars[k].l(c) = r.key.longs[k];
        }
        if (!r.inSlice)
            continue;
        if (hasValue) {
            if (valueType == Type::String)
                valueVar.s(c) = r.text;
            else
                valueVar.l(c) = r.number;
        }
        Flow f = body->exec(c);
        if (f == Flow::Break)
            return Flow::Normal;
        if (f == Flow::Return || f == Flow::Next)
            return f;
    }
    tick(c, loc);
    return Flow::Normal;
}

} // namespace tap::rt
