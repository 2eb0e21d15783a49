// The executable node types of the user-space executor. Each is small and
// does one thing; the compiler (exec_compile.cpp) picks the right one for
// every typed expression and statement.
#pragma once

#include "builtins.h"
#include "exec.h"
#include "format.h"

#include <regex.h>

#include <algorithm>
#include <functional>

namespace tap::rt {

[[noreturn]] inline void fail(const SourceLoc& loc, std::string msg, std::string subject) {
    throw ScriptError{std::move(msg), loc, std::move(subject)};
}

inline void tick(Ctx& c, const SourceLoc& loc) {
    if (++c.actions >= c.maxActions) // stap: actionremaining <= 0
        fail(loc, "MAXACTION exceeded", "keyword");
}

// ------------------------------------------------------------- long values

struct ConstL : LNode {
    int64_t v;
    explicit ConstL(int64_t x) : v(x) {}
    int64_t eval(Ctx&) override { return v; }
};
struct LocalL : LNode {
    int slot;
    explicit LocalL(int s) : slot(s) {}
    int64_t eval(Ctx& c) override { return c.L[slot]; }
};
struct GlobalL : LNode {
    int index;
    explicit GlobalL(int i) : index(i) {}
    int64_t eval(Ctx& c) override { return c.rt->globalLongs[size_t(index)]; }
};

template <class F> struct BinL : LNode {
    LNode *a, *b;
    BinL(LNode* x, LNode* y) : a(x), b(y) {}
    int64_t eval(Ctx& c) override {
        int64_t x = a->eval(c);
        return F::apply(x, b->eval(c));
    }
};
struct OpAdd { static int64_t apply(int64_t x, int64_t y) { return int64_t(uint64_t(x) + uint64_t(y)); } };
struct OpSub { static int64_t apply(int64_t x, int64_t y) { return int64_t(uint64_t(x) - uint64_t(y)); } };
struct OpMul { static int64_t apply(int64_t x, int64_t y) { return int64_t(uint64_t(x) * uint64_t(y)); } };
struct OpAnd { static int64_t apply(int64_t x, int64_t y) { return x & y; } };
struct OpOr { static int64_t apply(int64_t x, int64_t y) { return x | y; } };
struct OpXor { static int64_t apply(int64_t x, int64_t y) { return x ^ y; } };
struct OpShl { static int64_t apply(int64_t x, int64_t y) { return int64_t(uint64_t(x) << (y & 63)); } };
struct OpShr { static int64_t apply(int64_t x, int64_t y) { return x >> (y & 63); } };
struct OpUShr { static int64_t apply(int64_t x, int64_t y) { return int64_t(uint64_t(x) >> (y & 63)); } };
struct OpLt { static int64_t apply(int64_t x, int64_t y) { return x < y; } };
struct OpGt { static int64_t apply(int64_t x, int64_t y) { return x > y; } };
struct OpLe { static int64_t apply(int64_t x, int64_t y) { return x <= y; } };
struct OpGe { static int64_t apply(int64_t x, int64_t y) { return x >= y; } };
struct OpEq { static int64_t apply(int64_t x, int64_t y) { return x == y; } };
struct OpNe { static int64_t apply(int64_t x, int64_t y) { return x != y; } };

inline int64_t divide(int64_t x, int64_t y, bool mod, const SourceLoc& loc) {
    if (y == 0)
        fail(loc, "division by 0", mod ? "operator '%'" : "operator '/'");
    if (y == -1) // INT64_MIN / -1 overflows in C; stap's _stp_div64 wraps
        return mod ? 0 : int64_t(uint64_t(0) - uint64_t(x));
    return mod ? x % y : x / y;
}
struct DivL : LNode {
    LNode *a, *b;
    bool mod;
    DivL(LNode* x, LNode* y, bool m) : a(x), b(y), mod(m) {}
    int64_t eval(Ctx& c) override {
        int64_t x = a->eval(c);
        return divide(x, b->eval(c), mod, loc);
    }
};
struct LogAndL : LNode {
    LNode *a, *b;
    LogAndL(LNode* x, LNode* y) : a(x), b(y) {}
    int64_t eval(Ctx& c) override { return a->eval(c) && b->eval(c); }
};
struct LogOrL : LNode {
    LNode *a, *b;
    LogOrL(LNode* x, LNode* y) : a(x), b(y) {}
    int64_t eval(Ctx& c) override { return a->eval(c) || b->eval(c); }
};
struct NegL : LNode {
    LNode* a;
    explicit NegL(LNode* x) : a(x) {}
    int64_t eval(Ctx& c) override { return int64_t(uint64_t(0) - uint64_t(a->eval(c))); }
};
struct NotL : LNode {
    LNode* a;
    explicit NotL(LNode* x) : a(x) {}
    int64_t eval(Ctx& c) override { return !a->eval(c); }
};
struct BitNotL : LNode {
    LNode* a;
    explicit BitNotL(LNode* x) : a(x) {}
    int64_t eval(Ctx& c) override { return ~a->eval(c); }
};
struct StrCmpL : LNode {
    SNode *a, *b;
    Op op;
    StrCmpL(SNode* x, SNode* y, Op o) : a(x), b(y), op(o) {}
    int64_t eval(Ctx& c) override {
        std::string x = a->eval(c);
        int r = x.compare(b->eval(c));
        switch (op) {
        case Op::Lt: return r < 0;
        case Op::Gt: return r > 0;
        case Op::Le: return r <= 0;
        case Op::Ge: return r >= 0;
        case Op::Eq: return r == 0;
        default: return r != 0;
        }
    }
};
struct TernaryL : LNode {
    LNode *cond, *a, *b;
    TernaryL(LNode* c, LNode* x, LNode* y) : cond(c), a(x), b(y) {}
    int64_t eval(Ctx& c) override { return cond->eval(c) ? a->eval(c) : b->eval(c); }
};
struct RegexL : LNode {
    SNode* subject;
    regex_t re{};
    bool negate;
    size_t groups;
    RegexL(SNode* s, const std::string& pattern, bool neg) : subject(s), negate(neg) {
        regcomp(&re, pattern.c_str(), REG_EXTENDED);
        groups = re.re_nsub + 1;
    }
    ~RegexL() override { regfree(&re); }
    int64_t eval(Ctx& c) override {
        std::string s = subject->eval(c);
        std::vector<regmatch_t> m(groups);
        bool ok = regexec(&re, s.c_str(), groups, m.data(), 0) == 0;
        Runtime& rt = *c.rt;
        rt.lastMatchOk = ok;
        rt.matches.clear();
        if (ok)
            for (const regmatch_t& g : m)
                rt.matches.push_back(g.rm_so < 0 ? std::string()
                                                 : s.substr(size_t(g.rm_so), size_t(g.rm_eo - g.rm_so)));
        return ok != negate;
    }
};
// --------------------------------------------------------------- variables

// Where a scalar lives: a frame slot or a global.
struct VarRef {
    bool global = false;
    int index = 0;
    int64_t& l(Ctx& c) const { return global ? c.rt->globalLongs[size_t(index)] : c.L[index]; }
    std::string& s(Ctx& c) const { return global ? c.rt->globalStrings[size_t(index)] : c.S[index]; }
};

inline int64_t applyAssign(Op op, int64_t old, int64_t v, const SourceLoc& loc) {
    switch (op) {
    case Op::Assign: return v;
    case Op::AddAssign: return int64_t(uint64_t(old) + uint64_t(v));
    case Op::SubAssign: return int64_t(uint64_t(old) - uint64_t(v));
    case Op::MulAssign: return int64_t(uint64_t(old) * uint64_t(v));
    case Op::DivAssign: return divide(old, v, false, loc);
    case Op::ModAssign: return divide(old, v, true, loc);
    case Op::AndAssign: return old & v;
    case Op::OrAssign: return old | v;
    case Op::XorAssign: return old ^ v;
    case Op::ShlAssign: return int64_t(uint64_t(old) << (v & 63));
    case Op::ShrAssign: return old >> (v & 63);
    default: return v;
    }
}

struct AssignLocalL : LNode {
    int slot;
    LNode* v;
    AssignLocalL(int s, LNode* x) : slot(s), v(x) {}
    int64_t eval(Ctx& c) override { return c.L[slot] = v->eval(c); }
};
struct AssignVarL : LNode {
    VarRef ref;
    Op op;
    LNode* v;
    AssignVarL(VarRef r, Op o, LNode* x) : ref(r), op(o), v(x) {}
    int64_t eval(Ctx& c) override {
        int64_t x = v->eval(c);
        int64_t& slot = ref.l(c);
        return slot = applyAssign(op, slot, x, loc);
    }
};
struct IncDecVarL : LNode {
    VarRef ref;
    int64_t delta;
    bool prefix;
    IncDecVarL(VarRef r, int64_t d, bool p) : ref(r), delta(d), prefix(p) {}
    int64_t eval(Ctx& c) override {
        int64_t& slot = ref.l(c);
        int64_t old = slot;
        slot = int64_t(uint64_t(slot) + uint64_t(delta));
        return prefix ? slot : old;
    }
};
struct IncLocalL : LNode { // the common i++ / ++i on a local
    int slot;
    explicit IncLocalL(int s) : slot(s) {}
    int64_t eval(Ctx& c) override { return ++c.L[slot]; }
};

struct LocalS : SNode {
    int slot;
    explicit LocalS(int s) : slot(s) {}
    std::string eval(Ctx& c) override { return c.S[slot]; }
};
struct GlobalS : SNode {
    int index;
    explicit GlobalS(int i) : index(i) {}
    std::string eval(Ctx& c) override { return c.rt->globalStrings[size_t(index)]; }
};
struct ConstS : SNode {
    std::string v;
    explicit ConstS(std::string x) : v(std::move(x)) {}
    std::string eval(Ctx&) override { return v; }
};
struct ConcatS : SNode {
    SNode *a, *b;
    ConcatS(SNode* x, SNode* y) : a(x), b(y) {}
    std::string eval(Ctx& c) override {
        std::string r = a->eval(c);
        r += b->eval(c);
        if (int64_t(r.size()) > c.rt->limits.maxStringLen - 1)
            r.resize(size_t(c.rt->limits.maxStringLen - 1));
        return r;
    }
};
struct TernaryS : SNode {
    LNode* cond;
    SNode *a, *b;
    TernaryS(LNode* c, SNode* x, SNode* y) : cond(c), a(x), b(y) {}
    std::string eval(Ctx& c) override { return cond->eval(c) ? a->eval(c) : b->eval(c); }
};
// $value of the procfs probe that runs: what a reader gets, or what a
// writer wrote. It holds up to the probe's maxsize bytes, not MAXSTRINGLEN.
struct ProcfsValueS : SNode {
    std::string eval(Ctx& c) override { return c.rt->procfsValue; }
};

struct AssignProcfsValueS : SNode {
    bool append;
    SNode* v;
    AssignProcfsValueS(bool app, SNode* x) : append(app), v(x) {}
    std::string eval(Ctx& c) override {
        std::string x = v->eval(c);
        std::string& value = c.rt->procfsValue;
        if (append)
            value += x;
        else
            value = std::move(x);
        if (value.size() > c.rt->procfsValueLimit)
            value.resize(c.rt->procfsValueLimit);
        return value;
    }
};

struct AssignVarS : SNode {
    VarRef ref;
    bool append;
    SNode* v;
    AssignVarS(VarRef r, bool app, SNode* x) : ref(r), append(app), v(x) {}
    std::string eval(Ctx& c) override {
        std::string x = v->eval(c);
        std::string& slot = ref.s(c);
        if (append) {
            slot += x;
            if (int64_t(slot.size()) > c.rt->limits.maxStringLen - 1)
                slot.resize(size_t(c.rt->limits.maxStringLen - 1));
        } else {
            slot = std::move(x);
        }
        return slot;
    }
};
// A string-valued expression used where only its effect matters.
struct ExprAsLong : LNode {
    SNode* s;
    explicit ExprAsLong(SNode* x) : s(x) {}
    int64_t eval(Ctx& c) override {
        s->eval(c);
        return 0;
    }
};

// Evaluates a long node for its effects, as a string-typed "void" value.
struct LongAsVoidS : SNode {
    LNode* a;
    explicit LongAsVoidS(LNode* x) : a(x) {}
    std::string eval(Ctx& c) override {
        a->eval(c);
        return {};
    }
};

// ----------------------------------------------------------------- arrays

// Keys of one index expression: each position a long or a string node, or
// null for the `*` wildcard.
struct KeyNodes {
    std::vector<LNode*> longs;
    std::vector<SNode*> strings;
    std::vector<bool> isString;
    size_t size() const { return isString.size(); }
    bool wildcard(size_t i) const { return !longs[i] && !strings[i]; }
    void encode(Ctx& c, std::string& key) const {
        for (size_t i = 0; i < isString.size(); ++i) {
            if (isString[i])
                appendStringKey(key, strings[i]->eval(c));
            else
                appendLongKey(key, longs[i]->eval(c));
        }
    }
};

inline std::string arrayOverflow(const ArrayStore& a) {
    // stap names the declared size, or the macro for arrays without one.
    if (!a.declaredSize)
        return "Array overflow, check MAXMAPENTRIES";
    return "Array overflow, check size limit (" + std::to_string(a.maxEntries) + ")";
}

// Finds or creates an element, enforcing the size limit (or wrapping).
template <class V>
V& arraySlot(OrderedMap<V>& map, ArrayStore& a, const std::string& key, const SourceLoc& loc) {
    if (V* v = map.find(key))
        return *v;
    if (int64_t(map.size()) >= a.maxEntries) {
        if (!a.wrap)
            fail(loc, arrayOverflow(a), "identifier '" + a.decl->name + "'");
        map.eraseOldest();
    }
    bool inserted = false;
    return map.findOrInsert(key, inserted);
}

struct ArrayGetL : LNode {
    ArrayStore* a;
    KeyNodes keys;
    int64_t eval(Ctx& c) override {
        std::string k;
        keys.encode(c, k);
        int64_t* v = a->longs.find(k);
        return v ? *v : 0;
    }
};
struct ArrayGetS : SNode {
    ArrayStore* a;
    KeyNodes keys;
    std::string eval(Ctx& c) override {
        std::string k;
        keys.encode(c, k);
        std::string* v = a->strings.find(k);
        return v ? *v : std::string();
    }
};
struct ArraySetL : LNode {
    ArrayStore* a;
    KeyNodes keys;
    SourceLoc keyLoc; // the array's identifier: where stap reports an overflow
    Op op = Op::Assign;
    LNode* v = nullptr;
    int64_t eval(Ctx& c) override {
        std::string k;
        keys.encode(c, k);
        int64_t x = v->eval(c);
        int64_t& slot = arraySlot(a->longs, *a, k, keyLoc);
        return slot = applyAssign(op, slot, x, loc);
    }
};
struct ArrayIncDecL : LNode {
    ArrayStore* a;
    KeyNodes keys;
    SourceLoc keyLoc; // the array's identifier: where stap reports an overflow
    int64_t delta = 1;
    bool prefix = true;
    int64_t eval(Ctx& c) override {
        std::string k;
        keys.encode(c, k);
        int64_t& slot = arraySlot(a->longs, *a, k, keyLoc);
        int64_t old = slot;
        slot = int64_t(uint64_t(slot) + uint64_t(delta));
        return prefix ? slot : old;
    }
};
struct ArraySetS : SNode {
    ArrayStore* a;
    KeyNodes keys;
    SourceLoc keyLoc; // the array's identifier: where stap reports an overflow
    bool append = false;
    SNode* v = nullptr;
    std::string eval(Ctx& c) override {
        std::string k;
        keys.encode(c, k);
        std::string x = v->eval(c);
        std::string& slot = arraySlot(a->strings, *a, k, keyLoc);
        if (append) {
            slot += x;
            if (int64_t(slot.size()) > c.rt->limits.maxStringLen - 1)
                slot.resize(size_t(c.rt->limits.maxStringLen - 1));
        } else {
            slot = std::move(x);
        }
        return slot;
    }
};

// Does a stored key match keys with wildcards?
inline bool keyMatches(Ctx& c, const KeyNodes& keys, const std::string& stored) {
    DecodedKey d = decodeKey(stored);
    for (size_t i = 0; i < keys.size(); ++i) {
        if (keys.wildcard(i))
            continue;
        if (keys.isString[i]) {
            if (d.strings[i] != keys.strings[i]->eval(c))
                return false;
        } else if (d.longs[i] != keys.longs[i]->eval(c)) {
            return false;
        }
    }
    return true;
}

template <class V> bool anyMatch(Ctx& c, OrderedMap<V>& map, const KeyNodes& keys) {
    for (uint32_t s : map.slots())
        if (keyMatches(c, keys, map.node(s).key))
            return true;
    return false;
}

struct InArrayL : LNode {
    ArrayStore* a;
    KeyNodes keys;
    bool wildcard = false;
    int64_t eval(Ctx& c) override {
        if (wildcard) {
            switch (a->valueType) {
            case Type::String: return anyMatch(c, a->strings, keys);
            case Type::Stats: return anyMatch(c, a->stats, keys);
            default: return anyMatch(c, a->longs, keys);
            }
        }
        std::string k;
        keys.encode(c, k);
        switch (a->valueType) {
        case Type::String: return a->strings.find(k) != nullptr;
        case Type::Stats: return a->stats.find(k) != nullptr;
        default: return a->longs.find(k) != nullptr;
        }
    }
};

// ------------------------------------------------------------- statistics

// A statistic operand: a global scalar or an element of a statistics array.
struct StatRef {
    std::string name;         // in the script (the --json "hist" record names it)
    int scalar = -1;          // index into globalStats
    ArrayStore* array = nullptr;
    KeyNodes keys;
    const HistogramShape& shape(Ctx& c) const {
        return array ? array->shape : c.rt->globalStats[size_t(scalar)].shape;
    }
    // Null for an array element that does not exist (reads see it empty).
    Statistic* find(Ctx& c) const {
        if (!array)
            return &c.rt->globalStats[size_t(scalar)].stat;
        std::string k;
        keys.encode(c, k);
        return array->stats.find(k);
    }
};

struct AddStatL : LNode {
    StatRef ref;
    SourceLoc keyLoc; // the array's identifier: where stap reports an overflow
    LNode* v;
    int64_t eval(Ctx& c) override {
        int64_t x = v->eval(c);
        if (!ref.array) {
            ScalarStat& s = c.rt->globalStats[size_t(ref.scalar)];
            s.stat.add(x, s.shape, s.varianceShift);
            return x;
        }
        std::string k;
        ref.keys.encode(c, k);
        Statistic& st = arraySlot(ref.array->stats, *ref.array, k, keyLoc);
        st.add(x, ref.array->shape, ref.array->varianceShift);
        return x;
    }
};

struct StatOpL : LNode {
    StatRef ref;
    StatFn fn;
    int shift = 0;
    std::string subject;
    int64_t eval(Ctx& c) override {
        Statistic* s = ref.find(c);
        int64_t count = s ? s->count() : 0;
        if (fn == StatFn::Count)
            return count;
        if (fn == StatFn::Sum)
            return s ? s->sum() : 0;
        if (count == 0)
            fail(loc, "empty aggregate", subject);
        switch (fn) {
        case StatFn::Min: return s->min();
        case StatFn::Max: return s->max();
        case StatFn::Avg: return s->avg();
        case StatFn::Variance: return s->variance(shift);
        default: return 0;
        }
    }
};

struct HistBucketL : LNode {
    StatRef ref;
    LNode* index;
    int64_t eval(Ctx& c) override {
        int64_t i = index->eval(c);
        const HistogramShape& shape = ref.shape(c);
        if (i < 0 || i >= shape.buckets)
            fail(loc, "histogram index out of range", "operator '[]'");
        Statistic* s = ref.find(c);
        return s ? s->bucket(int(i)) : 0;
    }
};

} // namespace tap::rt
