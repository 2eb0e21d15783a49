// Pass 3: BPF C for the kernel-site probes. Every local lives in a per-CPU
// frame (a map value, not the 512-byte stack), strings in fixed buffers,
// loops become bpf_loop() callbacks, printf sends {id, args} over one ring
// buffer, errors send their site id and stop the handler.
#include "bpf/translator_impl.h"
#include "kernel/syscall_numbers.h"
#include "target_info.h"

#include <bit>
#include <cctype>
#include <cstring>

#include <algorithm>
#include <functional>
#include <regex>
#include <set>
#include <sstream>
#include <unistd.h>

namespace tap::bpf {

namespace detail {

// ------------------------------------------------------------------ globals

const GlobalMap& Translator::globalOf(const VarDecl* v, SourceLoc loc) {
    if (const GlobalMap* g = out_.find(v))
        return *g;
    error("internal error: global '" + v->name + "' has no map", loc);
}

void Translator::declareGlobals() {
    // Every global some kernel probe (or a function it calls) uses.
    std::set<const VarDecl*> used;
    std::set<const FunctionDecl*> seen;
    std::function<void(Stmt*)> scan = [&](Stmt* s) {
        walkExprs(s, [&](Expr* e) {
            if (e->kind == ExprKind::Symbol)
                if (const VarDecl* v = static_cast<SymbolExpr*>(e)->decl)
                    if (v->scope == VarDecl::Scope::Global)
                        used.insert(v);
            if (e->kind == ExprKind::Call)
                for (FunctionDecl* f : static_cast<CallExpr*>(e)->overloads)
                    if (!f->embedded() && seen.insert(f).second)
                        scan(f->body);
        });
    };
    for (const ResolvedProbe& p : program_.probes)
        if (p.site == ProbeSite::Kernel) {
            scan(p.body);
            if (p.condition)
                walkExprs(p.condition, [&](Expr* e) {
                    if (e->kind == ExprKind::Symbol && static_cast<SymbolExpr*>(e)->decl &&
                        static_cast<SymbolExpr*>(e)->decl->scope == VarDecl::Scope::Global)
                        used.insert(static_cast<SymbolExpr*>(e)->decl);
                });
        }

    // How kernel code uses each array: counters only (++, +=, delete), and
    // the longest string each key position receives. Keys hold whole strings
    // as stap's (MAXSTRINGLEN); only keys whose length is known are shorter,
    // because the map hashes every byte of the key.
    std::map<const VarDecl*, bool> onlyCounted;
    std::map<std::pair<const VarDecl*, size_t>, int> keyLength;
    const int keyStringMax = static_cast<int>(options_.maxStringLen);
    {
        std::set<const FunctionDecl*> seen2;
        const ResolvedProbe* scanned = nullptr; // nullptr inside script functions
        std::function<int(const Expr*)> stringBound = [&](const Expr* key) -> int {
            if (key->kind == ExprKind::String)
                return static_cast<int>(static_cast<const StringExpr*>(key)->value.size()) + 1;
            if (key->kind == ExprKind::Ternary) {
                auto* t = static_cast<const TernaryExpr*>(key);
                return std::max(stringBound(t->then), stringBound(t->otherwise));
            }
            if (key->kind == ExprKind::Call) {
                const std::string& name = static_cast<const CallExpr*>(key)->name;
                if (name == "execname")
                    return 16;
                if (scanned && name == "pp")
                    return static_cast<int>(scanned->point.str().size()) + 1;
                if (scanned && name == "pn")
                    return static_cast<int>(scanned->derivation.size()) + 1;
            }
            return keyStringMax;
        };
        std::function<void(Stmt*)> scanUses = [&](Stmt* s) {
            std::set<const Expr*> counted;
            walkExprs(s, [&](Expr* e) {
                Expr* target = nullptr;
                if (e->kind == ExprKind::IncDec)
                    target = static_cast<IncDecExpr*>(e)->operand;
                else if (e->kind == ExprKind::Assign && (static_cast<AssignExpr*>(e)->op == Op::AddAssign ||
                                                         static_cast<AssignExpr*>(e)->op == Op::SubAssign))
                    target = static_cast<AssignExpr*>(e)->target;
                if (target && target->kind == ExprKind::Index)
                    counted.insert(target);
                if (e->kind == ExprKind::Index) {
                    auto* i = static_cast<IndexExpr*>(e);
                    if (i->base->kind == ExprKind::Symbol) {
                        const VarDecl* v = static_cast<SymbolExpr*>(i->base)->decl;
                        for (size_t k = 0; k < i->keys.size(); ++k) {
                            Expr* key = i->keys[k];
                            int len = key ? std::min(stringBound(key), keyStringMax) : keyStringMax;
                            int& have = keyLength[{v, k}];
                            have = std::max(have, len);
                        }
                    }
                }
                if (e->kind == ExprKind::Call)
                    for (FunctionDecl* f : static_cast<CallExpr*>(e)->overloads)
                        if (!f->embedded() && seen2.insert(f).second) {
                            const ResolvedProbe* caller = std::exchange(scanned, nullptr);
                            scanUses(f->body);
                            scanned = caller;
                        }
            });
            // Any other use of an element (a read, an assignment) needs the
            // value itself in the kernel.
            walkExprs(s, [&](Expr* e) {
                if (e->kind != ExprKind::Index)
                    return;
                auto* i = static_cast<IndexExpr*>(e);
                if (i->base->kind != ExprKind::Symbol)
                    return;
                const VarDecl* v = static_cast<SymbolExpr*>(i->base)->decl;
                auto [it, fresh] = onlyCounted.emplace(v, true);
                if (!counted.count(e))
                    it->second = false;
            });
            walkExprs(s, [&](Expr* e) {
                if (e->kind == ExprKind::In) {
                    const Expr* b = static_cast<InExpr*>(e)->index->base;
                    if (b->kind == ExprKind::Symbol)
                        onlyCounted[static_cast<const SymbolExpr*>(b)->decl] = false;
                }
            });
        };
        for (const ResolvedProbe& p : program_.probes)
            if (p.site == ProbeSite::Kernel) {
                scanned = &p;
                scanUses(p.body);
            }
    }

    std::ostringstream scalars;
    int offset = 0;
    for (const VarDecl* v : program_.globals) {
        if (!used.count(v))
            continue;
        GlobalMap g;
        g.global = v;
        g.valueType = v->type;
        g.mapName = "tap_g_" + v->name;
        g.maxEntries = v->maxEntries ? v->maxEntries : options_.maxMapEntries;
        if (v->isArray()) {
            g.kind = v->type == Type::Stats ? GlobalMap::Kind::StatHash : GlobalMap::Kind::Hash;
            std::ostringstream key;
            key << "struct tap_key_" << v->name << " {\n";
            // Offsets as the C compiler lays the struct out: a number is
            // 8-aligned, and so is the size when there is a number.
            int koff = 0;
            bool aligned = false;
            for (size_t i = 0; i < v->keyTypes.size(); ++i) {
                KeyPart part;
                part.isString = v->keyTypes[i] == Type::String;
                auto len = keyLength.find({v, i});
                part.size = part.isString ? (len != keyLength.end() ? len->second : keyStringMax) : 8;
                if (!part.isString) {
                    koff = (koff + 7) & ~7;
                    aligned = true;
                }
                part.offset = koff;
                koff += part.size;
                g.keys.push_back(part);
                if (part.isString)
                    key << "\tchar k" << i << "[" << part.size << "];\n";
                else
                    key << "\t__s64 k" << i << ";\n";
            }
            key << "};\n";
            g.keySize = aligned ? (koff + 7) & ~7 : koff;
            maps_ << key.str();
            g.perCpuCounter = v->type == Type::Long && !v->wrap && onlyCounted.count(v) && onlyCounted[v];
        } else if (v->type == Type::Stats) {
            g.kind = GlobalMap::Kind::Stat;
        } else {
            g.kind = GlobalMap::Kind::Scalar;
            g.scalarOffset = offset;
            if (v->type == Type::String) {
                scalars << "\tchar " << v->name << "[TAP_STRLEN];\n";
                offset += out_.stringSize;
                g.valueSize = out_.stringSize;
            } else {
                scalars << "\t__s64 " << v->name << ";\n";
                offset += 8;
            }
        }
        if (g.kind == GlobalMap::Kind::Stat || g.kind == GlobalMap::Kind::StatHash)
            g.valueSize = 0; // set below with the histogram
        else if (g.kind == GlobalMap::Kind::Hash)
            g.valueSize = v->type == Type::String ? out_.stringSize : 8;
        out_.globals.push_back(g);
    }
    // Histogram shapes of statistics (from @hist_* uses anywhere).
    for (GlobalMap& g : out_.globals) {
        if (g.kind != GlobalMap::Kind::Stat && g.kind != GlobalMap::Kind::StatHash)
            continue;
        auto note = [&](Stmt* s) {
            walkExprs(s, [&](Expr* e) {
                if (e->kind != ExprKind::Hist)
                    return;
                auto* h = static_cast<HistExpr*>(e);
                Expr* base = h->stat->kind == ExprKind::Index ? static_cast<IndexExpr*>(h->stat)->base : h->stat;
                if (base->kind != ExprKind::Symbol || static_cast<SymbolExpr*>(base)->decl != g.global)
                    return;
                if (!h->linear) {
                    g.histKind = 1;
                    g.histBuckets = 128;
                } else {
                    auto lit = [](Expr* x) -> int64_t {
                        if (x->kind == ExprKind::Number) return static_cast<NumberExpr*>(x)->value;
                        if (x->kind == ExprKind::Unary)
                            return -static_cast<NumberExpr*>(static_cast<UnaryExpr*>(x)->operand)->value;
                        return 0;
                    };
                    int64_t lo = lit(h->params[0]), hi = lit(h->params[1]), step = lit(h->params[2]);
                    g.histKind = 2;
                    g.histStart = lo;
                    g.histInterval = step > 0 ? step : 1;
                    g.histBuckets = int(std::clamp<int64_t>((hi - lo) / g.histInterval + 3, 3, 128));
                }
            });
        };
        for (const ResolvedProbe& p : program_.probes)
            note(p.body);
        for (const FunctionDecl* f : program_.functions)
            if (!f->embedded())
                note(f->body);
        g.valueSize = 8 * 5 + 8 * histSlots(g);
        maps_ << "struct tap_stat_" << g.global->name << " { __s64 count, sum, min, max; __u64 sumsq; __u64 hist["
              << histSlots(g) << "]; };\n";
    }
    out_.scalarsSize = offset;
    maps_ << "struct tap_scalars {\n" << scalars.str() << "\t__s64 tap_unused;\n};\n"
          << "struct {\n\t__uint(type, BPF_MAP_TYPE_ARRAY);\n\t__uint(max_entries, 1);\n"
          << "\t__type(key, __u32);\n\t__type(value, struct tap_scalars);\n} tap_scalars_map TAP_MAPS;\n\n";
    for (const GlobalMap& g : out_.globals) {
        const std::string& name = g.global->name;
        switch (g.kind) {
        case GlobalMap::Kind::Scalar:
            break;
        case GlobalMap::Kind::Hash:
            maps_ << "struct {\n\t__uint(type, " << (g.global->wrap ? "BPF_MAP_TYPE_LRU_HASH"
                                                      : g.perCpuCounter ? "BPF_MAP_TYPE_PERCPU_HASH"
                                                                        : "BPF_MAP_TYPE_HASH")
                  << ");\n\t__uint(max_entries, " << g.maxEntries << ");\n\t__type(key, struct tap_key_" << name
                  << ");\n\t__type(value, " << (g.valueType == Type::String ? "char[TAP_STRLEN]" : "__s64")
                  << ");\n} " << g.mapName << " TAP_MAPS;\n\n";
            break;
        case GlobalMap::Kind::Stat:
            maps_ << "struct {\n\t__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);\n\t__uint(max_entries, 1);\n"
                  << "\t__type(key, __u32);\n\t__type(value, struct tap_stat_" << name << ");\n} " << g.mapName
                  << " TAP_MAPS;\n\n";
            break;
        case GlobalMap::Kind::StatHash:
            maps_ << "struct {\n\t__uint(type, "
                  << (g.global->wrap ? "BPF_MAP_TYPE_LRU_PERCPU_HASH" : "BPF_MAP_TYPE_PERCPU_HASH")
                  << ");\n\t__uint(max_entries, " << g.maxEntries
                  << ");\n\t__type(key, struct tap_key_" << name << ");\n\t__type(value, struct tap_stat_" << name
                  << ");\n} " << g.mapName << " TAP_MAPS;\n\n";
            break;
        }
    }
}

// ------------------------------------------------------------------- frames

std::string Translator::localL(const VarDecl* v) {
    auto it = slots_.find(v);
    if (it != slots_.end())
        return it->second;
    return slots_[v] = tempL();
}

std::string Translator::localS(const VarDecl* v) {
    auto it = slots_.find(v);
    if (it != slots_.end())
        return it->second;
    return slots_[v] = tempS();
}

std::string Translator::fail(const std::string& message, SourceLoc loc, const std::string& subject,
                             const std::string& value) {
    if (!ctx_.tries.empty()) {
        // Caught: the catch variable gets the message (with the faulting
        // address where it has one), the handler goes on.
        const auto& [label, slot] = ctx_.tries.back();
        std::string jump = "f->trydepth--; goto tap_catch_" + std::to_string(label) + ";";
        if (message.find('%') == std::string::npos) {
            StringExpr text(loc);
            text.value = message;
            return "{ tap_strcpy(" + slot + ", " + genS(&text) + "); " + jump + " }";
        }
        std::string fmt = "tap_fmt_" + std::to_string(literals_++);
        rodata_ << "static const char " << fmt << "[] = " << cString(message) << ";\n";
        return "{ __u64 __v[1] = { (__u64)(" + value + ") }; bpf_snprintf(" + slot + ", TAP_STRLEN, " + fmt +
               ", __v, 8); " + jump + " }";
    }
    // A try block further up the call chain catches it: leave the message
    // for it (abort 3); otherwise report it and end the handler.
    std::string fmt = "tap_fmt_" + std::to_string(literals_++);
    rodata_ << "static const char " << fmt << "[] = " << cString(message) << ";\n";
    uint32_t id = errorSite(message, loc, subject);
    return "{ if (f->trydepth > 0) { __u64 __v[1] = { (__u64)(" + value + ") }; bpf_snprintf(f->errmsg, TAP_STRLEN, " + fmt +
           ", __v, 8); f->abort = 3; } else { tap_emit(TAP_REC_ERROR, " + std::to_string(id) + ", " + value +
           "); f->abort = 1; } " + ctx_.leave() + " }";
}

// After a call or a loop: an error inside it ends this code too, unless a
// try block here catches it.
std::string Translator::propagate() {
    if (!ctx_.tries.empty()) {
        const auto& [label, slot] = ctx_.tries.back();
        return "{ if (f->abort == 3) { tap_strcpy(" + slot + ", f->errmsg); f->abort = 0; f->trydepth--; goto tap_catch_" +
               std::to_string(label) + "; } " + ctx_.leave() + " }";
    }
    return ctx_.leave();
}

// --------------------------------------------------------------- expressions

std::string Translator::genEffect(Expr* e) {
    if (e->type == Type::String)
        return "(void)" + genS(e);
    return "(void)" + genL(e);
}

std::string Translator::genL(Expr* e) {
    switch (e->kind) {
    case ExprKind::Number:
        return "((__s64)" + std::to_string(static_cast<NumberExpr*>(e)->value) + "LL)";
    case ExprKind::Symbol: {
        const VarDecl* v = static_cast<SymbolExpr*>(e)->decl;
        if (v->scope == VarDecl::Scope::Global) {
            const GlobalMap& g = globalOf(v, e->loc);
            if (g.kind != GlobalMap::Kind::Scalar)
                error("'" + v->name + "' is not a scalar", e->loc);
            return "g->" + v->name;
        }
        return localL(v);
    }
    case ExprKind::Index: {
        auto* i = static_cast<IndexExpr*>(e);
        if (i->base->kind == ExprKind::Hist)
            error("histogram buckets cannot be read in a kernel probe; read them in an end or timer probe", e->loc);
        return genArrayRead(i);
    }
    case ExprKind::Binary: {
        auto* b = static_cast<BinaryExpr*>(e);
        if (b->op == Op::Match || b->op == Op::NotMatch)
            return genRegexMatch(b);
        bool strings = b->lhs->type == Type::String || b->rhs->type == Type::String;
        std::string op(opText(b->op));
        switch (b->op) {
        case Op::Lt: case Op::Gt: case Op::Le: case Op::Ge: case Op::Eq: case Op::Ne:
            for (Expr* side : {b->lhs, b->rhs})
                if (makesSymbolToken(side))
                    error("'" + static_cast<CallExpr*>(side)->name +
                              "' in a kernel probe is a token that user space names later: comparing it there "
                              "compares the token; compare names in a begin, end or timer probe",
                          b->loc);
            if (strings)
                return "((__s64)(tap_strcmp(" + genS(b->lhs) + ", " + genS(b->rhs) + ") " + op + " 0))";
            return "((__s64)(" + genL(b->lhs) + " " + op + " " + genL(b->rhs) + "))";
        case Op::LogAnd: case Op::LogOr:
            return "((__s64)(" + genL(b->lhs) + " " + op + " " + genL(b->rhs) + "))";
        case Op::Slash: case Op::Percent: {
            std::string a = tempL(), d = tempL();
            return "({ " + a + " = " + genL(b->lhs) + "; " + d + " = " + genL(b->rhs) + "; if (" + d +
                   " == 0) " + fail("division by 0", b->loc, "operator '" + op + "'") + " " +
                   (b->op == Op::Slash ? "tap_sdiv(" : "tap_smod(") + a + ", " + d + "); })";
        }
        case Op::Shl:
            return "((__s64)((__u64)" + genL(b->lhs) + " << (" + genL(b->rhs) + " & 63)))";
        case Op::Shr:
            return "(" + genL(b->lhs) + " >> (" + genL(b->rhs) + " & 63))";
        case Op::ShrShr:
            return "((__s64)((__u64)" + genL(b->lhs) + " >> (" + genL(b->rhs) + " & 63)))";
        case Op::Plus: case Op::Minus: case Op::Star:
            return "((__s64)((__u64)" + genL(b->lhs) + " " + op + " (__u64)" + genL(b->rhs) + "))";
        default:
            return "(" + genL(b->lhs) + " " + op + " " + genL(b->rhs) + ")";
        }
    }
    case ExprKind::Unary: {
        auto* u = static_cast<UnaryExpr*>(e);
        std::string op(opText(u->op));
        if (u->op == Op::Minus)
            return "((__s64)(0ULL - (__u64)" + genL(u->operand) + "))";
        return "((__s64)(" + op + genL(u->operand) + "))";
    }
    case ExprKind::IncDec: {
        auto* u = static_cast<IncDecExpr*>(e);
        int64_t delta = u->op == Op::Inc ? 1 : -1;
        if (u->operand->kind == ExprKind::Index)
            return genArrayWrite(static_cast<IndexExpr*>(u->operand), Op::AddAssign, nullptr, !u->prefix, delta);
        if (u->operand->kind != ExprKind::Symbol)
            error("'" + std::string(opText(u->op)) + "' needs a variable or array element", e->loc);
        std::string lv = genL(u->operand);
        const VarDecl* v = static_cast<SymbolExpr*>(u->operand)->decl;
        if (v->scope == VarDecl::Scope::Global)
            return "((__s64)__sync_fetch_and_add(&" + lv + ", " + std::to_string(delta) + ")" +
                   (u->prefix ? " + " + std::to_string(delta) : std::string()) + ")";
        return u->prefix ? "(" + lv + " += " + std::to_string(delta) + ")"
                         : "((" + lv + " += " + std::to_string(delta) + ") - " + std::to_string(delta) + ")";
    }
    case ExprKind::Ternary: {
        auto* t = static_cast<TernaryExpr*>(e);
        if (t->knownCond == 1) return genL(t->then);
        if (t->knownCond == 0) return genL(t->otherwise);
        return "(" + genL(t->cond) + " ? " + genL(t->then) + " : " + genL(t->otherwise) + ")";
    }
    case ExprKind::Assign: {
        auto* a = static_cast<AssignExpr*>(e);
        if (a->op == Op::ShlStat)
            return genStatAdd(a->target, a->value);
        if (a->target->type == Type::String)
            return "((void)" + genS(e) + ", 0LL)";
        if (a->target->kind == ExprKind::Index)
            return genArrayWrite(static_cast<IndexExpr*>(a->target), a->op, a->value);
        if (a->target->kind == ExprKind::Target || a->target->kind == ExprKind::Cast ||
            a->target->kind == ExprKind::AtVar || a->target->kind == ExprKind::Autocast)
            error("BPF programs cannot change the traced kernel's variables or memory (a guru-mode write "
                  "such as '$var = ...' needs stap's kernel-module runtime)", e->loc);
        if (a->target->kind != ExprKind::Symbol)
            error("cannot assign to this expression in a kernel probe", e->loc);
        const VarDecl* v = static_cast<SymbolExpr*>(a->target)->decl;
        std::string lv = genL(a->target);
        std::string value = genL(a->value);
        if (v->scope == VarDecl::Scope::Global && (a->op == Op::AddAssign || a->op == Op::SubAssign))
            return "((__s64)__sync_fetch_and_add(&" + lv + ", " + (a->op == Op::SubAssign ? "-" : "") + value + "))";
        if (a->op == Op::DivAssign || a->op == Op::ModAssign) {
            std::string d = tempL();
            std::string op = a->op == Op::DivAssign ? "/" : "%";
            return "({ " + d + " = " + value + "; if (" + d + " == 0) " +
                   fail("division by 0", a->loc, "operator '" + op + "='") + " " + lv + " = " +
                   (op == "/" ? "tap_sdiv(" : "tap_smod(") + lv + ", " + d + "); })";
        }
        return "(" + lv + " " + std::string(opText(a->op)) + " " + value + ")";
    }
    case ExprKind::Call:
        return genCall(static_cast<CallExpr*>(e));
    case ExprKind::Print:
        if (static_cast<PrintExpr*>(e)->returnsString())
            return "((void)" + genS(e) + ", 0LL)";
        return genPrint(static_cast<PrintExpr*>(e));
    case ExprKind::StatOp:
        return genStatOp(static_cast<StatOpExpr*>(e));
    case ExprKind::In: {
        auto* in = static_cast<InExpr*>(e);
        if (in->index->hasWildcard())
            error("'in' with a '*' key cannot run in a kernel probe", e->loc);
        const VarDecl* v = static_cast<SymbolExpr*>(in->index->base)->decl;
        const GlobalMap& g = globalOf(v, e->loc);
        return "({ " + genKey(g, in->index->keys, e->loc) + " (__s64)(bpf_map_lookup_elem(&" + g.mapName +
               ", &f->key_" + v->name + ") != 0); })";
    }
    case ExprKind::Defined:
        return static_cast<WrapExpr*>(e)->value == 1 ? "1LL" : "0LL";
    case ExprKind::Target:
    case ExprKind::Cast:
    case ExprKind::Autocast:
    case ExprKind::AtVar:
        return genTarget(e);
    case ExprKind::Entry: {
        auto it = entrySlots_.find(e);
        if (it == entrySlots_.end())
            error("@entry needs a .return probe whose entry can be probed too (syscall.*.return, "
                  "nd_syscall.*.return)", e->loc);
        return it->second;
    }
    default:
        error("this expression cannot run in a kernel probe", e->loc);
    }
}

std::string Translator::genS(Expr* e) {
    switch (e->kind) {
    case ExprKind::String: {
        std::string value = static_cast<StringExpr*>(e)->value;
        if (int64_t(value.size()) > options_.maxStringLen - 1)
            value.resize(size_t(options_.maxStringLen - 1));
        auto it = literalNames_.find(value);
        if (it == literalNames_.end()) {
            std::string name = "tap_lit_" + std::to_string(literals_++);
            rodata_ << "static const char " << name << "[TAP_STRLEN] = " << cString(value) << ";\n";
            it = literalNames_.emplace(value, name).first;
        }
        return "((char *)" + it->second + ")";
    }
    case ExprKind::Symbol: {
        const VarDecl* v = static_cast<SymbolExpr*>(e)->decl;
        if (v->scope == VarDecl::Scope::Global) {
            globalOf(v, e->loc);
            return "g->" + v->name;
        }
        return localS(v);
    }
    case ExprKind::Index:
        return genArrayRead(static_cast<IndexExpr*>(e));
    case ExprKind::Binary: {
        auto* b = static_cast<BinaryExpr*>(e);
        if (b->op != Op::Dot)
            error("operator has no string value", e->loc);
        std::string a = genS(b->lhs), c = genS(b->rhs), t = tempS();
        return "({ tap_strcat(" + t + ", " + a + ", " + c + "); " + t + "; })";
    }
    case ExprKind::Ternary: {
        auto* t = static_cast<TernaryExpr*>(e);
        if (t->knownCond == 1) return genS(t->then);
        if (t->knownCond == 0) return genS(t->otherwise);
        return "(" + genL(t->cond) + " ? " + genS(t->then) + " : " + genS(t->otherwise) + ")";
    }
    case ExprKind::Assign: {
        auto* a = static_cast<AssignExpr*>(e);
        if (a->target->kind == ExprKind::Index)
            return "({ " + genArrayWrite(static_cast<IndexExpr*>(a->target), a->op, a->value) + "; (char *)\"\"; })";
        std::string dst = genS(a->target);
        std::string src = genS(a->value);
        if (a->op == Op::ConcatAssign) {
            std::string t = tempS();
            return "({ tap_strcat(" + t + ", " + dst + ", " + src + "); tap_strcpy(" + dst + ", " + t + "); " + dst + "; })";
        }
        return "({ tap_strcpy(" + dst + ", " + src + "); " + dst + "; })";
    }
    case ExprKind::Call:
        return genCall(static_cast<CallExpr*>(e));
    case ExprKind::Print:
        return genSprintf(static_cast<PrintExpr*>(e));
    case ExprKind::AtVar:
        return genTarget(e); // @var("x")$
    case ExprKind::Entry:
    case ExprKind::Target: {
        auto it = entrySlots_.find(e);
        if (it != entrySlots_.end())
            return it->second;
        if (e->kind == ExprKind::Entry)
            error("@entry needs a .return probe whose entry can be probed too (syscall.*.return, "
                  "nd_syscall.*.return, process(...).function(...).return)", e->loc);
        if (auto* t = e->kind == ExprKind::Target ? static_cast<TargetExpr*>(e) : nullptr; t &&
                                                     (t->name == "$$parms" || t->name == "$$locals" ||
                                                      t->name == "$$vars" || t->name == "$$return"))
            return genVarList(t);
        if (auto* t = e->kind == ExprKind::Target ? static_cast<TargetExpr*>(e) : nullptr; t && !t->components.empty() &&
                                                     t->components.back().kind == TargetComponent::Pretty)
            return genTarget(e); // $var$
        error("pretty-printing ($$vars) cannot run in this kernel probe yet", e->loc);
    }
    default:
        error("this string expression cannot run in a kernel probe", e->loc);
    }
}

// Kernel memory behind $variables, with CO-RE relocated member offsets:
// pointers are followed with BPF_CORE_READ, arrays and embedded structs are
// addresses (as in stap), [i] reads one element.
std::string Translator::genTarget(Expr* e) {
    if (auto it = entrySlots_.find(e); it != entrySlots_.end())
        return it->second; // an entry-time $variable of a .return probe
    if (e->kind == ExprKind::Cast)
        return genCast(static_cast<CastExpr*>(e));
    if (auto* v = e->kind == ExprKind::AtVar ? static_cast<AtVarExpr*>(e) : nullptr; v && !v->contextName.empty()) {
        TargetExpr t(v->loc, v->contextName);
        t.components = v->components;
        t.addressOf = v->addressOf;
        t.type = v->type;
        return genTarget(&t);
    }
    if (auto* v = e->kind == ExprKind::AtVar ? static_cast<AtVarExpr*>(e) : nullptr; v && v->userTypes) {
        // A program's global: a variable at its (relocated) link-time address.
        ContextVar global;
        global.name = "@var(\"" + v->varName + "\")";
        global.userTypes = v->userTypes;
        global.userType = v->userType;
        global.userLocation = {UserLocation::Kind::Memory, "", int64_t(v->userAddress), true, {}, v->userModule};
        TargetExpr t(v->loc, global.name);
        t.components = v->components;
        t.addressOf = v->addressOf;
        t.type = v->type;
        return genUserTarget(&t, global);
    }
    if (e->kind != ExprKind::Target)
        error("@var and autocast need kernel type information this runtime does not use yet", e->loc);
    auto* t = static_cast<TargetExpr*>(e);
    const ContextVar* var = nullptr;
    for (const ContextVar& v : probeContext())
        if (v.name == t->name)
            var = &v;
    if (!var)
        error("unresolved target-symbol expression", e->loc);
    if (var->isUser())
        return genUserTarget(t, *var);
    std::string expr;
    if (var->argIndex >= 0 && currentAttach_.kind == AttachSpec::Kind::Kprobe) {
        // A kprobe's context is the registers: the arguments by the calling
        // convention, a kretprobe's return value in the return register.
        static const char* const argumentRegisters[] = {"di", "si", "dx", "cx", "r8", "r9"};
        if (var->argIndex >= 6)
            error("a kprobe reads only the first 6 arguments, from registers", e->loc);
        std::string reg = var->name == "$return" ? "ax" : argumentRegisters[var->argIndex];
        expr = "((__s64)" + userRegister(reg, e->loc) + ")";
    } else if (var->argIndex >= 0) {
        expr = "((__s64)((__u64 *)ctx)[" + std::to_string(var->argIndex) + "])";
    } else if (var->offset >= 0) {
        std::string at = "((char *)ctx + " + std::to_string(var->offset) + ")";
        if (var->isString && var->cType.rfind("__data_loc", 0) == 0) {
            // A u32 locating the string in the record: low 16 bits its offset.
            expr = "((__s64)((char *)ctx + (*(__u32 *)" + at + " & 0xffff)))";
        } else if (var->isString || (t->addressOf && t->components.empty())) {
            expr = "((__s64)" + at + ")";
        } else {
            std::string bits = std::to_string(var->size * 8);
            std::string ctype = std::string(var->isSigned ? "__s" : "__u") + (var->size == 1 || var->size == 2 || var->size == 4 ? bits : "64");
            expr = "((__s64)*(" + ctype + " *)" + at + ")";
        }
    } else {
        error("this probe point's variables cannot be read in BPF yet", e->loc);
    }
    std::vector<TargetComponent> components;
    for (const std::string& member : var->path)
        components.push_back({TargetComponent::Field, e->loc, member, nullptr});
    components.insert(components.end(), t->components.begin(), t->components.end());
    bool pretty = !components.empty() && components.back().kind == TargetComponent::Pretty;
    if (pretty)
        components.pop_back();
    kernel::Btf* btf = kernel::Btf::vmlinux();
    if ((pretty || !components.empty()) && (!btf || !var->btfType))
        error("no kernel type information (BTF) for '" + t->name + "'", e->loc);
    if (!pretty) {
        if (!components.empty())
            return genMemberPath(expr, var->btfType, 0, components, t->addressOf);
        bool typedPointer = var->argIndex >= 0 && btf && var->btfType && btf->kind(var->btfType) == kernel::Btf::Kind::Pointer &&
                            (currentAttach_.kind == AttachSpec::Kind::TpBtf || currentAttach_.kind == AttachSpec::Kind::Fentry);
        return typedPointer ? "tap_number(" + expr + ")" : expr;
    }
    // $var$ / $p->member$: the type at the end of the path, pretty-printed.
    int32_t type = var->btfType;
    int32_t aggregate = 0;
    for (const TargetComponent& c : components) {
        if (c.kind == TargetComponent::Index) {
            type = btf->pointee(type);
            continue;
        }
        int32_t st = aggregate ? aggregate : btf->strip(btf->pointee(type));
        type = btf->member(st, c.name)->type;
        kernel::Btf::Kind k = btf->kind(type);
        aggregate = k == kernel::Btf::Kind::Struct || k == kernel::Btf::Kind::Union ? btf->strip(type) : 0;
    }
    std::string value = components.empty() ? expr : genMemberPath(expr, var->btfType, 0, components, false);
    // Read once: every member read starts from it (and the verifier refuses
    // a context pointer the compiler re-derived for each).
    std::string base = tempL();
    std::string fmt;
    std::vector<std::string> values;
    genBtfPretty(base, type, aggregate != 0, 0, fmt, values, e->loc);
    return "({ " + base + " = " + value + "; " + genSnprintf(fmt, values) + "; })";
}

const std::vector<ContextVar>& Translator::probeContext() {
    if (!probe_->context.empty() || !probe_->provider)
        return probe_->context;
    auto [it, fresh] = listedLate_.try_emplace(probe_);
    if (fresh)
        it->second = probe_->provider->contextVariables(probe_->point);
    return it->second;
}

// $$vars, $$parms, $$locals, $$return (and their $ pretty forms) as stap
// prints them: "name=0x..." for each variable (numbers and pointers in hex;
// "?" for what cannot be read here). A kernel event's variables are all
// parameters (as in stap's tracepoints); its record strings are addresses,
// or quoted text when pretty-printed.
std::string Translator::genVarList(const TargetExpr* t) {
    bool pretty = !t->components.empty();
    std::string fmt;
    std::vector<std::string> values;
    for (const ContextVar& v : probeContext()) {
        bool isReturn = v.name == "$return";
        bool isParameter = v.isUser() ? v.isParameter : !isReturn;
        if (t->name == "$$return" ? !isReturn : isReturn)
            continue;
        if ((t->name == "$$parms" && !isParameter) || (t->name == "$$locals" && (isParameter || isReturn)))
            continue;
        if (v.name.rfind("$__", 0) == 0 || v.fileScope)
            continue; // the tracepoint record's own bookkeeping (__syscall_nr, ...); a file's globals
        if (!fmt.empty())
            fmt += ' ';
        std::string name = isReturn ? "return" : v.name.substr(1);
        TargetExpr one(t->loc, v.name);
        if (!v.isUser()) {
            fmt += name + "=";
            if (pretty && v.btfType) {
                one.components.push_back({TargetComponent::Pretty, t->loc, "$", nullptr});
                one.type = Type::String;
                fmt += "%s";
            } else if (pretty && (v.isString || (v.cType.find("char") != std::string::npos &&
                                                  v.cType.find('*') != std::string::npos))) {
                // Record bytes, or a char pointer (a user one in syscall records).
                std::string text = tempS(), at = tempL();
                fmt += "\"%s\"";
                values.push_back("({ " + at + " = " + genTarget(&one) + "; if (bpf_probe_read_kernel_str(" + text +
                                 ", TAP_STRLEN, (void *)" + at + ") < 0 && bpf_probe_read_user_str(" + text +
                                 ", TAP_STRLEN, (void *)" + at + ") < 0) { " + text + "[0] = '?'; " + text +
                                 "[1] = 0; } " + text + "; })");
                continue;
            } else {
                fmt += pretty && !v.isString ? (v.isSigned ? "%lld" : "%llu") : "0x%llx";
            }
            values.push_back(genTarget(&one));
            continue;
        }
        UserType::Kind k = v.userType >= 0 ? v.userTypes->at(v.userType).kind : UserType::Kind::Base;
        bool aggregate = k == UserType::Kind::Struct || k == UserType::Kind::Union;
        if (!v.locationError.empty() || (aggregate && !pretty) || v.userLocation.kind == UserLocation::Kind::Pieces) {
            fmt += name + "=?";
            continue;
        }
        if (pretty) {
            fmt += name + "=";
            genUserPretty(genUserTarget(&one, v), *v.userTypes, v.userType, 0, fmt, values, t->loc);
            continue;
        }
        fmt += name + "=0x%llx";
        values.push_back(genUserTarget(&one, v));
    }
    return genSnprintf(fmt, values);
}

// The pretty form of a kernel value (stap's $var$), as genUserPretty does
// for user programs: numbers in decimal, pointers in hex, char pointers and
// arrays as quoted strings, a struct (or the struct a pointer points to,
// one level) as {.member=value, ...}. Members are read with CO-RE.
void Translator::genBtfPretty(const std::string& expr, int32_t type, bool aggregate, int depth, std::string& fmt,
                              std::vector<std::string>& values, SourceLoc loc) {
    kernel::Btf* btf = kernel::Btf::vmlinux();
    auto quoted = [&](const std::string& address) {
        std::string text = tempS();
        fmt += "\"%s\"";
        values.push_back("({ if (bpf_probe_read_kernel_str(" + text + ", TAP_STRLEN, (void *)(" + address + ")) < 0) { " +
                         text + "[0] = '?'; " + text + "[1] = 0; } " + text + "; })");
    };
    kernel::Btf::Kind k = btf->kind(type);
    int32_t st = btf->strip(type);
    if (k == kernel::Btf::Kind::Pointer) {
        int32_t target = btf->pointee(type);
        kernel::Btf::Kind tk = btf->kind(target);
        if (btf->isChar(target)) {
            quoted(expr);
        } else if (depth == 0 && (tk == kernel::Btf::Kind::Struct || tk == kernel::Btf::Kind::Union)) {
            genBtfPretty(expr, target, true, depth, fmt, values, loc);
        } else {
            fmt += "0x%llx";
            values.push_back(expr);
        }
        return;
    }
    if (k == kernel::Btf::Kind::Array) {
        if (btf->isChar(btf->pointee(type)))
            quoted(expr);
        else
            fmt += "[...]";
        return;
    }
    if (k == kernel::Btf::Kind::Struct || k == kernel::Btf::Kind::Union) {
        if (depth > 0 || !aggregate) {
            fmt += "{...}";
            return;
        }
        std::string sname = (k == kernel::Btf::Kind::Union ? "union " : "struct ") + btf->name(st);
        if (btf->name(st).empty()) {
            fmt += "{...}";
            return;
        }
        fmt += "{";
        bool first = true;
        for (const kernel::BtfMember& m : btf->members(st)) {
            fmt += (first ? "." : ", .") + m.name + "=";
            first = false;
            kernel::Btf::Kind mk = btf->kind(m.type);
            if (m.bitfieldSize || (mk != kernel::Btf::Kind::Int && mk != kernel::Btf::Kind::Enum &&
                                   mk != kernel::Btf::Kind::Pointer && mk != kernel::Btf::Kind::Array)) {
                fmt += mk == kernel::Btf::Kind::Struct || mk == kernel::Btf::Kind::Union ? "{...}" : "?";
                continue;
            }
            if (btf->member(st, m.name)->bitOffset != m.bitOffset) {
                fmt += "?"; // a name repeated in an inner anonymous member: not addressable by name
                continue;
            }
            noteKernelMember(st, m.name);
            std::string address = "({ __u64 __p = " + expr + "; (__s64)__builtin_preserve_access_index(&((" + sname +
                                  " *)__p)->" + m.name + "); })";
            if (mk == kernel::Btf::Kind::Array)
                genBtfPretty(address, m.type, false, depth + 1, fmt, values, loc);
            else
                genBtfPretty("({ __u64 __p = " + expr + "; (__s64)BPF_CORE_READ((" + sname + " *)__p, " + m.name + "); })",
                             m.type, false, depth + 1, fmt, values, loc);
        }
        fmt += "}";
        return;
    }
    if (k == kernel::Btf::Kind::Int || k == kernel::Btf::Kind::Enum) {
        fmt += btf->isSigned(type) ? "%lld" : "%llu";
        values.push_back(expr);
        return;
    }
    fmt += "?";
}

// @cast(p, "type")->a->b: p is the address of a `type` (struct/union).
std::string Translator::genCast(CastExpr* c) {
    if (c->userTypes) {
        // A user program's type: its offsets are known, its memory is user memory.
        const UserType& t = c->userTypes->at(c->userType);
        std::string expr = "((__s64)(" + genL(c->operand) + "))";
        std::vector<TargetComponent> components = c->components;
        if (!components.empty() && components[0].kind == TargetComponent::Index) {
            expr = "(" + expr + " + (" + genL(components[0].index) + ") * " + std::to_string(t.size) + "LL)";
            components.erase(components.begin());
        }
        if (components.empty())
            return expr;
        bool aggregate = t.kind == UserType::Kind::Struct || t.kind == UserType::Kind::Union;
        return genUserMemberPath(expr, *c->userTypes, c->userType, aggregate, components, c->addressOf);
    }
    kernel::Btf* btf = kernel::Btf::vmlinux();
    std::string problem;
    int32_t id = kernel::castType(btf, c->typeName, c->module, &problem);
    if (!id)
        error(problem, c->loc);
    std::string expr = "((__s64)(" + genL(c->operand) + "))";
    if (c->pureAddress)
        return "(" + expr + " + " + std::to_string(c->addressOffset) + "LL)";
    int32_t st = btf->strip(id);
    kernel::Btf::Kind k = btf->kind(st);
    if (k != kernel::Btf::Kind::Struct && k != kernel::Btf::Kind::Union)
        error("@cast to '" + c->typeName + "' needs a struct or union type", c->loc);
    if (c->components.empty())
        return expr; // &@cast(p, "type")
    std::vector<TargetComponent> components = c->components;
    if (components[0].kind == TargetComponent::Index) { // @cast(p, "T")[i]: p is a T *
        std::string idx = genL(components[0].index);
        expr = "(" + expr + " + (" + idx + ") * " + std::to_string(btf->size(st)) + "LL)";
        components.erase(components.begin());
        if (components.empty()) {
            if (!c->addressOf)
                error("'" + c->typeName + "' is being accessed instead of a member", c->loc);
            return expr;
        }
    }
    return genMemberPath(expr, st, st, components, c->addressOf);
}

// Walks ->member / [index] components from `expr`, a value of BTF type `type`
// (or, when `aggregate` is non-zero, the address of an embedded struct of
// that type).
std::string Translator::genMemberPath(std::string expr, int32_t type, int32_t aggregate,
                                      const std::vector<TargetComponent>& components, bool addressOf) {
    kernel::Btf* btf = kernel::Btf::vmlinux();
    for (size_t i = 0; i < components.size(); ++i) {
        const TargetComponent& c = components[i];
        bool last = i + 1 == components.size();
        if (c.kind == TargetComponent::Pretty)
            error("pretty-printing ($var$) cannot run in a kernel probe yet", c.loc);
        if (c.kind == TargetComponent::Index) {
            int32_t elem = aggregate ? 0 : btf->pointee(type);
            int64_t size = elem ? btf->size(elem) : 0;
            if (!elem)
                error("'[...]' needs a pointer or an array", c.loc);
            kernel::Btf::Kind ek = btf->kind(elem);
            if ((ek == kernel::Btf::Kind::Struct || ek == kernel::Btf::Kind::Union) && size > 0) {
                // An element that is a struct is its address (rlim[i]->rlim_cur).
                expr = "(" + expr + " + (" + genL(c.index) + ") * " + std::to_string(size) + "LL)";
                aggregate = btf->strip(elem);
                continue;
            }
            if (size <= 0 || size > 8)
                error("array elements of this type cannot be read yet", c.loc);
            std::string idx = genL(c.index), tmp = tempL();
            expr = "({ " + tmp + " = 0; bpf_probe_read_kernel(&" + tmp + ", " + std::to_string(size) + ", (void *)(" + expr +
                   " + (" + idx + ") * " + std::to_string(size) + ")); " + tmp + "; })";
            type = elem;
            continue;
        }
        int32_t st = aggregate;
        if (!st) {
            if (btf->kind(type) != kernel::Btf::Kind::Pointer)
                error("'->" + c.name + "' needs a pointer to a struct", c.loc);
            st = btf->strip(btf->pointee(type));
        }
        kernel::Btf::Kind sk = btf->kind(st);
        if (sk != kernel::Btf::Kind::Struct && sk != kernel::Btf::Kind::Union)
            error("'->" + c.name + "' needs a pointer to a struct", c.loc);
        auto m = btf->member(st, c.name);
        bool anonymous = btf->name(st).empty();
        std::string sname = (sk == kernel::Btf::Kind::Union ? "union " : "struct ") + (anonymous ? "(anon)" : btf->name(st));
        if (!m)
            error("unable to find member '" + c.name + "' for " + sname, c.loc);
        if (m->bitfieldSize) {
            if (!last)
                error("bit-field member '" + c.name + "' has no members", c.loc);
            if (addressOf)
                error("bit-field member '" + c.name + "' has no address", c.loc);
            if (anonymous)
                error("bit-field member '" + c.name + "' of an anonymous struct cannot be read yet", c.loc);
            noteKernelMember(st, c.name);
            // CO-RE relocates the bit-field's byte offset, size and shifts.
            return "({ __u64 __p = " + expr + "; (__s64)BPF_CORE_READ_BITFIELD_PROBED((" + sname + " *)__p, " + c.name +
                   "); })";
        }
        kernel::Btf::Kind mk = btf->kind(m->type);
        std::string address;
        if (anonymous) { // no name for CO-RE to match: the member's offset in the BTF compiled for
            address = "((__s64)(" + expr + ") + " + std::to_string(m->bitOffset / 8) + "LL)";
            if (mk != kernel::Btf::Kind::Struct && mk != kernel::Btf::Kind::Union && mk != kernel::Btf::Kind::Array &&
                !(last && addressOf)) {
                int64_t size = btf->size(m->type);
                if (size != 1 && size != 2 && size != 4 && size != 8)
                    error("member '" + c.name + "' of this size cannot be read yet", c.loc);
                std::string ctype = std::string(btf->isSigned(m->type) ? "__s" : "__u") + std::to_string(size * 8);
                expr = "({ " + ctype + " __v = 0; bpf_probe_read_kernel(&__v, " + std::to_string(size) + ", (void *)" +
                       address + "); (__s64)__v; })";
                type = m->type;
                aggregate = 0;
                continue;
            }
        } else {
            noteKernelMember(st, c.name);
            address = "({ __u64 __p = " + expr + "; (__s64)__builtin_preserve_access_index(&((" + sname + " *)__p)->" +
                      c.name + "); })";
        }
        aggregate = 0;
        if (mk == kernel::Btf::Kind::Struct || mk == kernel::Btf::Kind::Union) {
            expr = address;
            aggregate = btf->strip(m->type);
        } else if (mk == kernel::Btf::Kind::Array || (last && addressOf)) {
            expr = address;
            type = m->type;
        } else {
            // The pointer goes through a temporary: clang rejects CO-RE reads
            // nested in each other's arguments.
            // (A C local, not a frame slot: a member access inside the CO-RE
            // builtin would be relocated too.)
            expr = "({ __u64 __p = " + expr + "; (__s64)BPF_CORE_READ((" + sname + " *)__p, " + c.name + "); })";
            type = m->type;
        }
    }
    return expr;
}


// The kernel's direct map and NUMA nodes, as typeless kernel symbols (their
// addresses; weak: a kernel without NUMA has no node_data).
const char* const kAddrToNode = R"(extern const void page_offset_base __ksym __weak;
extern const void max_pfn __ksym __weak;
extern const void node_data __ksym __weak;
extern const void phys_base __ksym __weak;

static __noinline __s64 tap_addr_to_node(__u64 addr)
{
	/* Without those symbols in kallsyms (no CONFIG_KALLSYMS_ALL, no
	 * CONFIG_RANDOMIZE_MEMORY): x86-64's fixed direct map, 64 TiB at
	 * __PAGE_OFFSET_BASE_L4. */
	__u64 base = 0xffff888000000000ULL, pages = 1ULL << 34, pfn;
	if (&page_offset_base)
		bpf_probe_read_kernel(&base, 8, &page_offset_base);
	if (&max_pfn)
		bpf_probe_read_kernel(&pages, 8, &max_pfn);
	if (addr >= 0xffffffff80000000ULL && addr < 0xffffffffa0000000ULL) {
		/* The kernel image (init_task ...): __START_KERNEL_map + phys_base. */
		__u64 phys_base_value = 0;
		if (&phys_base)
			bpf_probe_read_kernel(&phys_base_value, 8, &phys_base);
		pfn = (addr - 0xffffffff80000000ULL + phys_base_value) >> 12;
	} else if (addr >= base && ((addr - base) >> 12) < pages) {
		pfn = (addr - base) >> 12;
	} else {
		return -1;
	}
	if (!&node_data)
		return 0;
	for (int i = 0; i < 64; i++) {
		struct pglist_data *node = 0;
		bpf_probe_read_kernel(&node, 8, (const char *)&node_data + 8 * i);
		if (!node)
			continue;
		__u64 start = BPF_CORE_READ(node, node_start_pfn), span = BPF_CORE_READ(node, node_spanned_pages);
		if (pfn >= start && pfn < start + span)
			return i;
	}
	return -1;
}

)";

// addr_to_node(addr): the NUMA node of a kernel address in the direct map
// or the kernel image (virt_addr_valid(), as stap's): the node whose span
// (node_data[i]) holds its page frame; an error for any other address (a
// user address among them). A kernel without NUMA has no node_data: node 0.
std::string Translator::genAddrToNode(CallExpr* c) {
    kernel::Btf* btf = kernel::Btf::vmlinux();
    int32_t pglist = btf ? btf->strip(btf->findType("struct pglist_data")) : 0;
    if (!pglist)
        error("addr_to_node() needs the kernel's struct pglist_data (BTF)", c->loc);
    noteKernelMember(pglist, "node_start_pfn");
    noteKernelMember(pglist, "node_spanned_pages");
    numaSymbolsUsed_ = true;
    std::string addr = tempL(), node = tempL();
    return "({ " + addr + " = " + genL(c->args[0]) + "; " + node +
           " = tap_addr_to_node((__u64)" + addr + "); if (" + node + " < 0) " +
           fail("invalid kernel virtual address 0x%llx", c->loc, "identifier 'addr_to_node'", addr) + " " + node +
           "; })";
}

// proc_mem_size/rss/shr/txt/data() in a kernel probe, in pages as
// /proc/PID/statm counts them, of the current process (or of PID when it is
// the current one: a kernel probe cannot look other processes up; 0 then).
// The RSS counters are mm->rss_stat: an array of percpu_counter since Linux
// 6.2, a struct of atomic counters before; read at the offsets of the BTF
// compiled for.
std::string Translator::genProcMem(CallExpr* c, const std::string& what) {
    kernel::Btf* btf = kernel::Btf::vmlinux();
    int32_t mmType = btf ? btf->strip(btf->findType("struct mm_struct")) : 0;
    if (!mmType)
        error("proc_mem_" + what + "() needs the kernel's struct mm_struct (BTF)", c->loc);
    noteKernelMember(taskStructType(), "mm");
    std::string mm = "((struct mm_struct *)BPF_CORE_READ((struct task_struct *)bpf_get_current_task(), mm))";
    auto field = [&](const std::string& member) {
        noteKernelMember(mmType, member);
        return "(__s64)BPF_CORE_READ(__mm, " + member + ")";
    };
    // MM_FILEPAGES 0, MM_ANONPAGES 1, MM_SHMEMPAGES 3 (enum of include/linux/mm_types_task.h).
    auto counter = [&](int index) {
        auto rss = btf->member(mmType, "rss_stat");
        if (!rss)
            error("proc_mem_" + what + "() needs mm_struct.rss_stat, which this kernel lacks", c->loc);
        int64_t at = rss->bitOffset / 8;
        int32_t type = btf->strip(rss->type);
        if (btf->kind(type) == kernel::Btf::Kind::Array) { // struct percpu_counter rss_stat[NR_MM_COUNTERS]
            int32_t element = btf->strip(btf->pointee(type));
            auto count = btf->member(element, "count");
            if (!count)
                error("proc_mem_" + what + "(): mm_struct.rss_stat's counters have no 'count'", c->loc);
            at += index * btf->size(element) + count->bitOffset / 8;
        } else { // struct mm_rss_stat { atomic_long_t count[NR_MM_COUNTERS]; }
            at += index * 8;
        }
        return "({ __s64 __v = 0; bpf_probe_read_kernel(&__v, 8, (char *)__mm + " + std::to_string(at) + "); __v; })";
    };
    std::string value;
    if (what == "size")
        value = field("total_vm");
    else if (what == "rss")
        value = counter(0) + " + " + counter(1) + " + " + counter(3);
    else if (what == "shr")
        value = counter(0) + " + " + counter(3);
    else if (what == "txt") {
        int64_t page = sysconf(_SC_PAGESIZE) > 0 ? sysconf(_SC_PAGESIZE) : 4096;
        std::string mask = "~(__s64)" + std::to_string(page - 1);
        value = "((__u64)(((" + field("end_code") + " + " + std::to_string(page - 1) + ") & " + mask + ") - (" +
                field("start_code") + " & " + mask + ")) / " + std::to_string(page) + "ULL)";
    } else if (what == "data")
        value = field("data_vm") + " + " + field("stack_vm");
    else
        error("function 'proc_mem_" + what + "' cannot run in a kernel probe yet", c->loc);
    std::string pidTest = c->args.empty() ? std::string("1") : "(" + genL(c->args[0]) + ") == tap_pid()";
    return "({ struct mm_struct *__mm = " + mm + "; (" + pidTest + ") && __mm ? (__s64)(" + value + ") : 0LL; })";
}

void Translator::noteKernelMember(int32_t structType, const std::string& member) {
    kernel::Btf* btf = kernel::Btf::vmlinux();
    std::string name = btf->name(structType);
    if (name.empty())
        error("members of anonymous kernel types cannot be named", {});
    auto& entry = kernelStructs_[structType];
    entry.insert(member);
}

std::string Translator::genKey(const GlobalMap& g, const std::vector<Expr*>& keys, SourceLoc loc, bool wildcards) {
    std::string code;
    std::vector<std::string> parts;
    std::vector<bool> comm(keys.size(), false);
    for (size_t i = 0; i < keys.size(); ++i) {
        if (!keys[i] && !wildcards)
            error("'*' keys cannot be used here in a kernel probe", loc);
        if (!keys[i]) {
            parts.emplace_back(); // left zero
            continue;
        }
        if (g.keys[i].isString && keys[i]->kind == ExprKind::Call &&
            static_cast<CallExpr*>(keys[i])->name == "execname" && g.keys[i].size >= 16) {
            comm[i] = true; // read straight into the key below
            parts.emplace_back();
        } else if (g.keys[i].isString) {
            parts.push_back(genS(keys[i]));
        } else {
            std::string t = tempL();
            code += t + " = " + genL(keys[i]) + "; ";
            parts.push_back(t);
        }
    }
    std::string key = "f->key_" + g.global->name;
    frameKeys_[keyStructOf(g) + " key_" + g.global->name] = 1;
    code += "TAP_ZERO(&" + key + "); ";
    for (size_t i = 0; i < keys.size(); ++i) {
        if (!keys[i])
            continue;
        if (comm[i])
            code += "bpf_get_current_comm(" + key + ".k" + std::to_string(i) + ", 16); ";
        else if (g.keys[i].isString)
            code += "bpf_probe_read_kernel_str(" + key + ".k" + std::to_string(i) + ", " + std::to_string(g.keys[i].size) +
                    ", " + parts[i] + "); ";
        else
            code += key + ".k" + std::to_string(i) + " = " + parts[i] + "; ";
    }
    return code;
}

std::string Translator::genArrayRead(IndexExpr* i) {
    const VarDecl* v = static_cast<SymbolExpr*>(i->base)->decl;
    const GlobalMap& g = globalOf(v, i->loc);
    if (g.kind != GlobalMap::Kind::Hash)
        error("'" + v->name + "' is not an array of values", i->loc);
    std::string key = genKey(g, i->keys, i->loc);
    if (g.valueType == Type::String) {
        std::string t = tempS();
        return "({ " + key + "char *__v = bpf_map_lookup_elem(&" + g.mapName + ", &f->key_" + v->name + "); if (__v) tap_strcpy(" +
               t + ", __v); else " + t + "[0] = 0; " + t + "; })";
    }
    return "({ " + key + "__s64 *__v = bpf_map_lookup_elem(&" + g.mapName + ", &f->key_" + v->name + "); __v ? *__v : 0; })";
}

// stap names the declared size, or the macro for arrays without one.
std::string Translator::arrayOverflow(const GlobalMap& g) {
    if (!g.global->maxEntries)
        return "Array overflow, check MAXMAPENTRIES";
    return "Array overflow, check size limit (" + std::to_string(g.maxEntries) + ")";
}

std::string Translator::genArrayWrite(IndexExpr* i, Op op, Expr* value, bool postIncDec, int64_t delta) {
    const VarDecl* v = static_cast<SymbolExpr*>(i->base)->decl;
    const GlobalMap& g = globalOf(v, i->loc);
    if (g.kind != GlobalMap::Kind::Hash)
        error("'" + v->name + "' is not an array of values", i->loc);
    std::string overflow = fail(arrayOverflow(g), i->loc, "identifier '" + v->name + "'");
    std::string keyRef = "&f->key_" + v->name;
    if (g.valueType == Type::String) {
        std::string src = genS(value);
        std::string key = genKey(g, i->keys, i->loc);
        std::string t = tempS();
        std::string body;
        if (op == Op::ConcatAssign) {
            body = "char *__old = bpf_map_lookup_elem(&" + g.mapName + ", " + keyRef + "); tap_strcat(" + t +
                   ", __old ? __old : (char *)\"\", " + src + ");";
        } else {
            body = "tap_strcpy(" + t + ", " + src + ");";
        }
        return "({ " + key + body + " if (bpf_map_update_elem(&" + g.mapName + ", " + keyRef + ", " + t +
               ", BPF_ANY)) " + overflow + " 0LL; })";
    }
    std::string val = value ? genL(value) : std::to_string(delta) + "LL";
    std::string t = tempL();
    std::string key = genKey(g, i->keys, i->loc);
    std::string code = "({ " + t + " = " + val + "; " + key + "__s64 *__v = bpf_map_lookup_elem(&" + g.mapName + ", " + keyRef + "); ";
    if ((op == Op::AddAssign || op == Op::SubAssign) && g.perCpuCounter) {
        std::string d = op == Op::SubAssign ? "-" + t : t;
        // Full is an update that failed with the key still absent (another
        // CPU may have added it): the error differs by kernel (E2BIG here,
        // another on 6.1 for per-CPU maps).
        code += "if (__v) *__v += " + d + "; else if (bpf_map_update_elem(&" + g.mapName + ", " + keyRef + ", &" + t +
                ", BPF_NOEXIST) && !bpf_map_lookup_elem(&" + g.mapName + ", " + keyRef + ")) " + overflow + " 0LL; })";
        return code;
    }
    if (op == Op::AddAssign || op == Op::SubAssign) {
        std::string d = op == Op::SubAssign ? "-" + t : t;
        std::string r = tempL();
        code += "if (__v) { " + r + " = __sync_fetch_and_add(__v, " + d + ") + " + d + "; } else { " + r + " = " + d +
                "; if (bpf_map_update_elem(&" + g.mapName + ", " + keyRef + ", &" + r + ", BPF_NOEXIST)) { __v = bpf_map_lookup_elem(&" +
                g.mapName + ", " + keyRef + "); if (__v) " + r + " = __sync_fetch_and_add(__v, " + d + ") + " + d + "; else " + overflow +
                " } } " + (postIncDec ? r + " - " + d : r) + "; })";
        return code;
    }
    if (op == Op::Assign) {
        code += "if (__v) *__v = " + t + "; else if (bpf_map_update_elem(&" + g.mapName + ", " + keyRef + ", &" + t +
                ", BPF_ANY)) " + overflow + " " + t + "; })";
        return code;
    }
    std::string cop(opText(op));
    cop.pop_back(); // "*=" -> "*"
    std::string r = tempL();
    code += r + " = __v ? *__v : 0; ";
    if (op == Op::DivAssign || op == Op::ModAssign)
        code += "if (" + t + " == 0) " + fail("division by 0", i->loc, "operator '" + cop + "='") + " ";
    if (op == Op::DivAssign || op == Op::ModAssign)
        code += r + " = " + (op == Op::DivAssign ? "tap_sdiv(" : "tap_smod(") + r + ", " + t + "); ";
    else
        code += r + " = " + r + " " + cop + " " + t + "; ";
    code += "if (__v) *__v = " + r + "; else if (bpf_map_update_elem(&" + g.mapName +
            ", " + keyRef + ", &" + r + ", BPF_ANY)) " + overflow + " " + r + "; })";
    return code;
}

std::string Translator::genStatAdd(Expr* target, Expr* value) {
    const VarDecl* v = nullptr;
    std::string key;
    if (target->kind == ExprKind::Symbol) {
        v = static_cast<SymbolExpr*>(target)->decl;
    } else if (target->kind == ExprKind::Index) {
        auto* i = static_cast<IndexExpr*>(target);
        v = static_cast<SymbolExpr*>(i->base)->decl;
        key = genKey(globalOf(v, target->loc), i->keys, target->loc);
    } else {
        error("expected a statistic", target->loc);
    }
    const GlobalMap& g = globalOf(v, target->loc);
    std::string x = tempL();
    std::string code = "({ " + x + " = " + genL(value) + "; ";
    std::string stype = "struct tap_stat_" + v->name;
    if (g.kind == GlobalMap::Kind::Stat) {
        code += "__u32 __z = 0; " + stype + " *__s = bpf_map_lookup_elem(&" + g.mapName + ", &__z); ";
    } else {
        code += key + stype + " *__s = bpf_map_lookup_elem(&" + g.mapName + ", &f->key_" + v->name + "); if (!__s) { " +
                "TAP_ZERO(&f->stat_" + v->name + "); if (bpf_map_update_elem(&" +
                g.mapName + ", &f->key_" + v->name + ", &f->stat_" + v->name + ", BPF_NOEXIST) && !bpf_map_lookup_elem(&" +
                g.mapName + ", &f->key_" + v->name + ")) " +
                fail(arrayOverflow(g), target->loc,
                     "identifier '" + v->name + "'") +
                " __s = bpf_map_lookup_elem(&" + g.mapName + ", &f->key_" + v->name + "); } ";
        frameKeys_[stype + " stat_" + v->name] = 1;
    }
    code += "if (__s) { if (__s->count == 0 || " + x + " < __s->min) __s->min = " + x + "; if (__s->count == 0 || " + x +
            " > __s->max) __s->max = " + x + "; __s->count++; __s->sum += " + x + "; __s->sumsq += (__u64)" + x + " * (__u64)" + x + "; ";
    if (g.histKind == 1) {
        // The bucket is masked behind a barrier, as below: clang dropped the
        // mask after the clamps, and 6.1's verifier then found the
        // sign-extended index unbounded.
        code += "{ __u64 __m = " + x + " < 0 ? -(__u64)" + x + " : (__u64)" + x + "; int __b = 64; if (" + x +
                " != 0) { int __bits = tap_bits(__m); __b = " + x + " < 0 ? 64 - __bits : 64 + __bits; } " +
                "if (__b > 127) __b = 127; if (__b < 0) __b = 0; __u64 __i = (__u64)__b; barrier_var(__i); "
                "__s->hist[__i & 127]++; } ";
    } else if (g.histKind == 2) {
        // The index is masked to the array's (power of two) length, behind
        // a barrier: clang would otherwise fold the clamp into a test of the
        // dividend, and the verifier cannot bound a quotient.
        code += "{ __s64 __d = " + x + " - (" + std::to_string(g.histStart) + "LL); __u64 __b = __d < 0 ? 0 : (__u64)__d / " +
                std::to_string(g.histInterval) + "ULL + 1; if (__b > " + std::to_string(g.histBuckets - 1) + ") __b = " +
                std::to_string(g.histBuckets - 1) + "; barrier_var(__b); __s->hist[__b & " + std::to_string(histSlots(g) - 1) + "]++; } ";
    }
    code += "} " + x + "; })";
    return code;
}

std::string Translator::genStatOp(StatOpExpr* s) {
    const VarDecl* v = nullptr;
    std::string key;
    if (s->stat->kind == ExprKind::Symbol) {
        v = static_cast<SymbolExpr*>(s->stat)->decl;
    } else {
        auto* i = static_cast<IndexExpr*>(s->stat);
        v = static_cast<SymbolExpr*>(i->base)->decl;
        key = genKey(globalOf(v, s->loc), i->keys, s->loc);
    }
    const GlobalMap& g = globalOf(v, s->loc);
    std::string count = tempL(), sum = tempL(), mn = tempL(), mx = tempL();
    std::string keyArg = g.kind == GlobalMap::Kind::Stat ? "&__z" : "&f->key_" + v->name;
    std::string code = "({ __u32 __z = 0; __u64 __sq = 0; " + key + count + " = 0; " + sum + " = 0; " + mn + " = 0; " + mx + " = 0; " +
                       "struct tap_config *__cfg = tap_config(); __u32 __n = __cfg ? __cfg->ncpus : 1; for (__u32 __c = 0; __c < 128 && __c < __n; __c++) { struct tap_stat_" + v->name +
                       " *__s = bpf_map_lookup_percpu_elem(&" + g.mapName + ", " + keyArg + ", __c); if (__s && __s->count) { if (" +
                       count + " == 0 || __s->min < " + mn + ") " + mn + " = __s->min; if (" + count + " == 0 || __s->max > " + mx +
                       ") " + mx + " = __s->max; " + count + " += __s->count; " + sum + " += __s->sum; " +
                       (s->fn == StatFn::Variance ? "__sq += __s->sumsq; " : "") + "} } ";
    std::string subject = std::string("operator '") + statFnName(s->fn) + "'";
    switch (s->fn) {
    case StatFn::Count: return code + count + "; })";
    case StatFn::Sum: return code + sum + "; })";
    case StatFn::Min: return code + "if (" + count + " == 0) " + fail("empty aggregate", s->loc, subject) + " " + mn + "; })";
    case StatFn::Max: return code + "if (" + count + " == 0) " + fail("empty aggregate", s->loc, subject) + " " + mx + "; })";
    case StatFn::Avg: return code + "if (" + count + " == 0) " + fail("empty aggregate", s->loc, subject) + " " + sum + " / " + count + "; })";
    case StatFn::Variance:
        // (n*sumsq - sum^2) / (n*(n-1)), floored as user space computes it
        // in 128 bits, here in 64: with sum = q*n + r, A = sumsq - q*(sum + r)
        // is the sum of squares about q, and the quotient is A / (n-1) or one less.
        return code + "__s64 __var = 0; if (" + count + " > 1) { __s64 __n = " + count + "; __s64 __q = tap_sdiv(" + sum +
               ", __n); __s64 __r = " + sum + " - __q * __n; __u64 __a = __sq - (__u64)(__q * (" + sum +
               " + __r)); __u64 __k = __a / (__u64)(__n - 1); __u64 __m = __a - __k * (__u64)(__n - 1); __var = (__s64)__k - " +
               "((__u64)__n * __m < (__u64)(__r * __r)); } __var; })";
    }
    return "0";
}

// ------------------------------------------------------------------ printing

std::string Translator::genPrint(PrintExpr* p, bool command) {
    PrintfSite site;
    site.id = uint32_t(out_.printfs.size());
    site.kind = p->printKind;
    site.command = command;
    site.loc = p->loc;
    site.probe = probe_ ? probe_->point.str() : "";
    size_t first = 0;
    if (p->hasFormat()) {
        std::string err;
        site.format = static_cast<StringExpr*>(p->args[0])->value;
        parseFormat(site.format, site.pieces, err);
        first = 1;
    } else if (p->hasDelimiter()) {
        site.delimiter = static_cast<StringExpr*>(p->args[0])->value;
        first = 1;
    }
    // Arguments first, into frame temporaries, then one record.
    std::string code = "({ ";
    std::vector<std::string> values;
    std::ostringstream rec;
    rec << "struct tap_pf_" << site.id << " { struct tap_rec_head h;";
    int offset = 0;
    for (size_t i = first; i < p->args.size(); ++i) {
        Expr* a = p->args[i];
        if (a->kind == ExprKind::Hist)
            error("histograms cannot be printed from a kernel probe; print them in an end or timer probe", a->loc);
        bool str = a->type == Type::String;
        std::optional<SymbolArg> symbol = symbolArgOf(a);
        if (symbol && (probedSymbolKnown(static_cast<CallExpr*>(a)) ||
                       (symbol->source == SymbolArg::Source::ProbeAddress &&
                        (ctx_.kind == CodeContext::Kind::Function || sharedHandler_))))
            symbol.reset();
        std::string symbolValue;
        if (symbol) {
            site.symbolArgs.resize(p->args.size() - first);
            site.symbolArgs[i - first] = *symbol;
            symbolValue = genSymbolValue(static_cast<CallExpr*>(a), *symbol, str);
            if (symbol->needsProcess())
                site.pidOffset = 0; // placed after the arguments below
        }
        site.argIsString.push_back(str);
        site.argIsText.push_back(str || symbol);
        site.argOffsets.push_back(offset);
        if (str) {
            values.push_back(symbol ? symbolValue : genS(a));
            rec << " char a" << (i - first) << "[TAP_STRLEN];";
            offset += out_.stringSize;
        } else {
            std::string t = tempL();
            code += t + " = " + (symbol ? symbolValue : genL(a)) + "; ";
            values.push_back(t);
            rec << " __s64 a" << (i - first) << ";";
            offset += 8;
        }
    }
    if (site.pidOffset >= 0) {
        site.pidOffset = offset;
        rec << " __s64 pid;";
        offset += 8;
    }
    // String arguments are pointers to buffers: copy them now, before reserving.
    for (size_t k = 0; k < values.size(); ++k)
        if (site.argIsString[k]) {
            std::string t = tempS();
            code += "tap_strcpy(" + t + ", " + values[k] + "); ";
            values[k] = t;
        }
    rec << " };\n";
    maps_ << rec.str();
    site.recordSize = offset;
    std::string type = "struct tap_pf_" + std::to_string(site.id);
    code += type + " *__r = bpf_ringbuf_reserve(&tap_events, sizeof(" + type + "), 0); if (__r) { __r->h.kind = TAP_REC_PRINTF; __r->h.id = " +
            std::to_string(site.id) + "; ";
    for (size_t k = 0; k < values.size(); ++k) {
        std::string field = "__r->a" + std::to_string(k);
        if (site.argIsString[k])
            code += "bpf_probe_read_kernel_str(" + field + ", TAP_STRLEN, " + values[k] + "); ";
        else
            code += field + " = " + values[k] + "; ";
    }
    if (site.pidOffset >= 0)
        code += "__r->pid = tap_pid(); ";
    code += "bpf_ringbuf_submit(__r, 0); } else tap_count_drop(); 0LL; })";
    out_.printfs.push_back(site);
    return code;
}

// sprintf in the kernel: bpf_snprintf with the directives it supports.
std::string Translator::genSprintf(PrintExpr* p) {
    if (!p->hasFormat()) {
        // sprint/sprintln of one string or number.
        std::string t = tempS();
        if (p->args.size() == 1 && p->args[0]->type == Type::String && p->printKind == PrintKind::Sprint)
            return "({ tap_strcpy(" + t + ", " + genS(p->args[0]) + "); " + t + "; })";
        // The others as the sprintf they mean: %s / %d per value, joined by
        // the delimiter (a literal, as stap requires), "\n" for the ln forms.
        size_t first = p->hasDelimiter() ? 1 : 0;
        std::string delimiter;
        if (first)
            for (char ch : static_cast<StringExpr*>(p->args[0])->value)
                delimiter += ch == '%' ? std::string("%%") : std::string(1, ch);
        StringExpr format(p->loc);
        format.type = Type::String;
        for (size_t i = first; i < p->args.size(); ++i) {
            if (p->args[i]->kind == ExprKind::Hist)
                error("histograms cannot be printed from a kernel probe; print them in an end or timer probe", p->args[i]->loc);
            format.value += (i > first ? delimiter : "") + (p->args[i]->type == Type::String ? "%s" : "%d");
        }
        if (p->printKind == PrintKind::Sprintln || p->printKind == PrintKind::Sprintdln)
            format.value += "\n";
        PrintExpr asSprintf(p->loc, PrintKind::Sprintf, "sprintf");
        asSprintf.args.push_back(&format);
        asSprintf.args.insert(asSprintf.args.end(), p->args.begin() + long(first), p->args.end());
        return genSprintf(&asSprintf);
    }
    std::vector<FormatPiece> pieces;
    std::string err;
    parseFormat(static_cast<StringExpr*>(p->args[0])->value, pieces, err);
    // bpf_snprintf's format and its values; a '*' width is applied by
    // formatting the value alone first and padding that text (bpf_snprintf
    // has no '*'), %o by turning the value into digits.
    std::string fmt, code;
    std::vector<std::string> values;
    size_t next = 1;
    auto rodataFormat = [&](const std::string& text) {
        std::string name = "tap_fmt_" + std::to_string(literals_++);
        rodata_ << "static const char " << name << "[] = " << cString(text) << ";\n";
        return name;
    };
    bool afterString = false;
    for (const FormatPiece& piece : pieces) {
        if (piece.conv == FormatPiece::Conv::Literal) {
            // Older kernels (Debian 12's 6.1) refuse a %s followed by a
            // letter or digit ("%sp%d", ioblock's partition names): that
            // one is printed with %c.
            size_t from = 0;
            if (afterString && !piece.text.empty() && std::isalnum(static_cast<unsigned char>(piece.text[0]))) {
                fmt += "%c";
                values.push_back("(__u64)'" + piece.text.substr(0, 1) + "'");
                from = 1;
            }
            for (char c : piece.text.substr(from))
                fmt += c == '%' ? std::string("%%") : std::string(1, c);
            afterString = false;
            continue;
        }
        if (piece.precisionArg)
            error("'*' precisions cannot be used in sprintf in a kernel probe", p->loc);
        std::string width;
        if (piece.widthArg) {
            if (piece.zero)
                error("'0*' widths cannot be used in sprintf in a kernel probe", p->loc);
            width = genL(p->args[next++]);
        }
        Expr* a = p->args[next++];
        std::string spec = "%";
        if (piece.left && !piece.widthArg) spec += '-';
        if (piece.plus) spec += '+';
        if (piece.space) spec += ' ';
        if (piece.alternate) spec += '#';
        if (piece.zero) spec += '0';
        if (piece.width >= 0) spec += std::to_string(piece.width);
        if (piece.precision >= 0) spec += "." + std::to_string(piece.precision);
        std::string value;
        switch (piece.conv) {
        case FormatPiece::Conv::Signed: spec += "lld"; break;
        case FormatPiece::Conv::Unsigned: spec += "llu"; break;
        case FormatPiece::Conv::HexLower: spec += "llx"; break;
        case FormatPiece::Conv::HexUpper: spec += "llX"; break;
        case FormatPiece::Conv::Octal:
            spec = "%";
            if (piece.left && !piece.widthArg) spec += '-';
            if (piece.width >= 0) spec += std::to_string(piece.width);
            spec += "s";
            value = "(__u64)tap_octal(" + tempS() + ", " + genL(a) + ", " + (piece.alternate ? "1" : "0") + ")";
            break;
        case FormatPiece::Conv::String: spec += "s"; break;
        case FormatPiece::Conv::Char: spec += "c"; break;
        case FormatPiece::Conv::Pointer: spec = "0x%llx"; break; // stap: %#x, "0x0" too
        default: error("this sprintf directive cannot run in a kernel probe", p->loc);
        }
        if (value.empty())
            value = a->type == Type::String ? "(__u64)(" + genS(a) + ")" : "(__u64)(" + genL(a) + ")";
        if (piece.widthArg) {
            std::string alone = tempS(), padded = tempS();
            value = "({ __u64 __w[1] = { " + value + " }; bpf_snprintf(" + alone + ", TAP_STRLEN, " + rodataFormat(spec) +
                    ", __w, 8); (__u64)tap_pad(" + padded + ", " + alone + ", " + width + ", " +
                    (piece.left ? "1" : "0") + "); })";
            spec = "%s";
        }
        fmt += spec;
        afterString = spec.back() == 's';
        values.push_back(value);
    }
    if (values.size() > 12)
        error("sprintf in a kernel probe takes at most 12 values", p->loc);
    std::string fmtName = rodataFormat(fmt);
    std::string t = tempS();
    code = "({ __u64 __a[" + std::to_string(std::max<size_t>(values.size(), 1)) + "]; ";
    for (size_t i = 0; i < values.size(); ++i)
        code += "__a[" + std::to_string(i) + "] = " + values[i] + "; ";
    code += "bpf_snprintf(" + t + ", TAP_STRLEN, " + fmtName + ", __a, " + std::to_string(values.size() * 8) + "); " + t +
            "; })";
    return code;
}

// --------------------------------------------------------------------- calls

// The length of a statistic's bucket array: its buckets rounded up to a
// power of two, so that a masked index stays inside it.
int Translator::histSlots(const GlobalMap& g) {
    return int(std::bit_ceil(unsigned(std::max(g.histBuckets, 1))));
}

// Keys and statistics are zeroed before they are filled in (hash keys
// compare every byte). clang's BPF back end expands a memset into stores up
// to 1 KiB only and calls memset beyond, which BPF has not: larger ones copy
// from a zeroed object as large as any of them.
std::string Translator::zeroingHelpers() const {
    if (frameKeys_.empty())
        return "";
    std::string union_ = "union tap_zeroable {\n";
    for (const auto& [member, unused] : frameKeys_)
        union_ += "\t" + member + ";\n";
    return union_ + "};\nstatic const union tap_zeroable tap_zeros;\n"
                    "#define TAP_ZERO(p) __builtin_choose_expr(sizeof(*(p)) <= 1024, "
                    "(void)__builtin_memset((p), 0, sizeof(*(p))), (void)bpf_probe_read_kernel((p), sizeof(*(p)), &tap_zeros))\n\n";
}

namespace {

// Whether a function's C text reads the probe's context or the scalar
// globals, itself or through the functions it calls (`usesContext`).
bool readsContext(const std::string& text, const std::map<std::string, bool>& usesContext) {
    static const std::regex call("(tap_fn_\\w+)\\(f, ctx, g");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), call); it != std::sregex_iterator(); ++it)
        if (auto callee = usesContext.find((*it)[1]); callee == usesContext.end() || callee->second)
            return true;
    static const std::regex use("\\bctx\\b");
    return std::regex_search(std::regex_replace(text, call, ""), use);
}

} // namespace

// A large function becomes a BPF subprogram, compiled once rather than into
// every program that calls it: errno_str() and the flag decoders of the
// syscall tapsets are hundreds of lines, and syscall.*.return calls them from
// hundreds of programs (clang took 30 s for errsnoop.stp, mostly for them).
// Where it can, a global one: the verifier checks a global function once per
// program, a static one at every call (retstr's decoding cost 10,000
// instructions per system call). A global function takes numbers only, no
// context, and returns a number (a string function leaves its result in its
// frame slot); a static one at most 5 arguments (f, ctx, g and 2
// parameters). Small ones stay inline, where the verifier sees their values;
// user_string_quoted() (600 characters), inlined in each of strace.stp's
// 106 calls, was a third of the instructions its programs had verified.
std::string Translator::functionWithLinkage(const FunctionDecl* fn, const std::string& name, const std::string& retSlot,
                                            const std::string& inner) {
    // One reading the context stays inline longer: inline, the verifier
    // sees its constant offsets into the context (int_arg(1)); in a
    // subprogram they are variables, which it refuses.
    constexpr size_t kSubprogramChars = 400, kContextSubprogramChars = 1000;
    bool numbersOnly = fn->params.size() <= 4 && std::all_of(fn->params.begin(), fn->params.end(), [](const VarDecl* p) {
                           return p->type != Type::String;
                       });
    bool context = readsContext(inner, functionUsesContext_);
    functionUsesContext_[name] = context;
    std::string params;
    for (size_t i = 0; i < fn->params.size(); ++i)
        params += (fn->params[i]->type == Type::String ? ", char *p" : ", __s64 p") + std::to_string(i);
    bool large = inner.size() >= (context ? kContextSubprogramChars : kSubprogramChars);
    if (large && numbersOnly && !context) {
        globalFunctions_.insert(fn);
        std::string result = fn->returnType == Type::String ? "0" : retSlot;
        std::string prototype = "__s64 " + name + "(" + (params.empty() ? "void" : params.substr(2)) + ")";
        std::string definition = "TAP_GLOBAL " + prototype + "\n{\n" + subprogramStart() + inner + "tap_fn_out:\n\treturn " +
                                 result + ";\n}\n\n";
        globalDefinitions_.push_back({definition, "__noinline " + prototype + ";\n\n"});
        return definition;
    }
    std::string linkage = large && fn->params.size() <= 2 ? "static __noinline " : "static __always_inline ";
    std::string ret = fn->returnType == Type::String ? "char *" : "__s64";
    return linkage + ret + " " + name + "(struct tap_frame *f, void *ctx, struct tap_scalars *g" + params + ")\n{\n" +
           inner + "tap_fn_out:\n\treturn " + retSlot + ";\n}\n\n";
}

// The start of a BPF global function. The verifier types its arguments from
// the prototype alone: it finds this CPU's frame (the caller's) and the
// scalar globals itself, as map values: a frame passed in is plain memory
// to the verifier, which 6.1's refuses as a map key ("R2 type=mem"). The
// context cannot be passed, so the caller made sure it is not read.
std::string Translator::subprogramStart() const {
    return std::string("\tvoid *ctx = 0; /* not read */\n\t__u32 __cpu = bpf_get_smp_processor_id(), __zero = 0;\n"
                       "\tstruct tap_frame *f = bpf_map_lookup_elem(&tap_frames, &__cpu);\n") +
           (out_.scalarsSize ? "\tstruct tap_scalars *g = bpf_map_lookup_elem(&tap_scalars_map, &__zero);\n"
                               "\tif (!f || !g)\n\t\treturn 0;\n"
                             : "\tstruct tap_scalars *g = 0; /* no scalar globals */\n\tif (!f)\n\t\treturn 0;\n");
}

// A function that reads the probe's arguments (int_arg() ...) is emitted
// once for each kind of probe context that calls it: a kprobe reads them
// from registers, fentry from its argument array, a system call from its
// record.
std::pair<const FunctionDecl*, std::string> Translator::functionKey(const FunctionDecl* f) const {
    std::set<const FunctionDecl*> seen;
    if (!readsArguments(f, seen))
        return {f, ""};
    return {f, std::to_string(int(currentAttach_.kind)) + (currentAttach_.isReturn ? "r:" : ":") + currentAttach_.target};
}

bool Translator::readsArguments(const FunctionDecl* f, std::set<const FunctionDecl*>& seen) const {
    if (!f || !f->body || !seen.insert(f).second)
        return false;
    bool reads = false;
    walkExprs(f->body, [&](Expr* e) {
        if (reads || e->kind != ExprKind::Call)
            return;
        auto* c = static_cast<CallExpr*>(e);
        reads = c->name == "__stp_arg" || (c->decl && !c->decl->embedded() && readsArguments(c->decl, seen));
    });
    return reads;
}

std::string Translator::genCall(CallExpr* c) {
    const FunctionDecl* f = c->decl;
    if (!f)
        error("unresolved function '" + c->name + "'", c->loc);
    if (makesSymbolToken(c))
        return genSymbolToken(c, *symbolArgOf(c));
    if (c->name == "probefunc" && c->args.empty())
        return genProbefunc(c);
    if (printsSymbols(c) && !probedSymbolKnown(c))
        return genSymbolPrint(c);
    if (std::optional<std::string> stack = genStackBuiltin(c))
        return *stack;
    if (f->embedded())
        return genBuiltin(c, f);
    if (inProgress_.count(f))
        error("recursion cannot run in a kernel probe (function '" + f->name + "')", c->loc);
    auto key = functionKey(f);
    auto it = functions_.find(key);
    if (it == functions_.end()) {
        // Emit the function: its own frame slots, called with (f, ctx, args).
        inProgress_.insert(f);
        CodeContext saved = ctx_;
        auto savedSlots = slots_;
        int savedLong = nextLong_, savedString = nextString_;
        bool savedFnSlots = fnSlots_;
        if (fnSlots_) { // emitted from inside another function: after its slots so far
            fnNextLong_ = std::max(fnNextLong_, nextLong_);
            fnNextString_ = std::max(fnNextString_, nextString_);
        }
        nextLong_ = fnNextLong_;
        nextString_ = fnNextString_;
        fnSlots_ = true;
        ctx_ = {CodeContext::Kind::Function, 0, f};
        ctx_.specialization = key.second;
        std::string name = "tap_fn_" + f->name + "_" + std::to_string(functions_.size());
        std::ostringstream body;
        for (size_t i = 0; i < f->params.size(); ++i) {
            const VarDecl* p = f->params[i];
            if (p->type == Type::String)
                body << "\ttap_strcpy(" << localS(p) << ", p" << i << ");\n";
            else
                body << "\t" << localL(p) << " = p" << i << ";\n";
        }
        for (const VarDecl* l : f->locals) {
            if (l->type == Type::String)
                body << "\t" << localS(l) << "[0] = 0;\n";
            else
                body << "\t" << localL(l) << " = 0;\n";
        }
        std::string retSlot = f->returnType == Type::String ? tempS() : tempL();
        body << "\t" << (f->returnType == Type::String ? retSlot + "[0] = 0" : retSlot + " = 0") << ";\n";
        functions_[key] = name + "\x01" + retSlot;
        genStmt(f->body, body, 1);
        funcs_ << functionWithLinkage(f, name, retSlot, body.str());
        ctx_ = saved;
        slots_ = savedSlots;
        fnNextLong_ = std::max(fnNextLong_, nextLong_);
        fnNextString_ = std::max(fnNextString_, nextString_);
        fnSlots_ = savedFnSlots;
        // A calling function goes on after this one's slots; a probe where it was.
        nextLong_ = savedFnSlots ? fnNextLong_ : savedLong;
        nextString_ = savedFnSlots ? fnNextString_ : savedString;
        inProgress_.erase(f);
        it = functions_.find(key);
    }
    std::string name = it->second.substr(0, it->second.find('\x01'));
    bool global = globalFunctions_.count(f) > 0;
    std::string args;
    for (size_t i = 0; i < c->args.size(); ++i) {
        if (f->params[i]->type == Type::String)
            args += ", " + genS(c->args[i]);
        else if (global) {
            // The verifier lets a global function take numbers only: a
            // kernel pointer ($bio of a tracepoint) becomes one on its way
            // through the frame.
            std::string slot = tempL();
            args += ", ({ " + slot + " = " + genL(c->args[i]) + "; *(volatile __s64 *)&" + slot + "; })";
        } else
            args += ", " + genL(c->args[i]);
    }
    if (global) {
        std::string retSlot = it->second.substr(it->second.find('\x01') + 1);
        std::string result = f->returnType == Type::String ? retSlot : "__ret";
        return "({ __s64 __ret = " + name + "(" + (args.empty() ? "" : args.substr(2)) + "); if (f->abort) " +
               propagate() + " " + result + "; })";
    }
    std::string call = name + "(f, ctx, g" + args + ")";
    std::string t = f->returnType == Type::String ? "char *__ret" : "__s64 __ret";
    return "({ " + t + " = " + call + "; if (f->abort) " + propagate() + " __ret; })";
}

std::string Translator::genBuiltin(CallExpr* c, const FunctionDecl* f) {
    const std::string& n = f->name;
    auto argL = [&](size_t i) { return genL(c->args[i]); };
    // The task the handler runs for: the current one, or the task argument
    // of the probe point (process.begin reports the new child).
    int taskArg = currentAttach_.taskArgIndex;
    auto taskRead = [&](const std::string& member) {
        int32_t task = taskStructType();
        noteKernelMember(task, member);
        std::string p = taskArg >= 0 ? "((struct task_struct *)((__u64 *)ctx)[" + std::to_string(taskArg) + "])"
                                     : "((struct task_struct *)bpf_get_current_task())";
        return "((__s64)BPF_CORE_READ(" + p + ", " + member + "))";
    };
    if (n == "pid") return taskArg >= 0 ? taskRead("tgid") : "tap_pid()";
    if (n == "tid") return taskArg >= 0 ? taskRead("pid") : "tap_tid()";
    if (n == "pgrp" || n == "sid") {
        // task->signal->pids[PIDTYPE_PGID or PIDTYPE_SID]->numbers[0].nr
        kernel::Btf* btf = kernel::Btf::vmlinux();
        int32_t signal = btf ? btf->findType("signal_struct") : 0, pid = btf ? btf->findType("pid") : 0,
                upid = btf ? btf->findType("upid") : 0;
        if (!signal || !pid || !upid)
            error(n + "() needs the kernel's signal_struct, pid and upid types (BTF)", c->loc);
        noteKernelMember(taskStructType(), "signal");
        noteKernelMember(btf->strip(signal), "pids");
        noteKernelMember(btf->strip(pid), "numbers");
        noteKernelMember(btf->strip(upid), "nr");
        std::string task = taskArg >= 0 ? "((struct task_struct *)((__u64 *)ctx)[" + std::to_string(taskArg) + "])"
                                        : "((struct task_struct *)bpf_get_current_task())";
        std::string type = n == "pgrp" ? "2" : "3"; // PIDTYPE_PGID, PIDTYPE_SID
        return "({ struct signal_struct *__sig = BPF_CORE_READ(" + task + ", signal); struct pid *__p = 0; __s32 __nr = 0; "
               "if (__sig) bpf_probe_read_kernel(&__p, 8, __builtin_preserve_access_index(&__sig->pids[" + type + "])); "
               "if (__p) bpf_probe_read_kernel(&__nr, 4, __builtin_preserve_access_index(&__p->numbers[0].nr)); (__s64)__nr; })";
    }
    if (n == "ppid") {
        int32_t task = taskStructType();
        noteKernelMember(task, "real_parent");
        noteKernelMember(task, "tgid");
        std::string p = taskArg >= 0 ? "((struct task_struct *)((__u64 *)ctx)[" + std::to_string(taskArg) + "])"
                                     : "((struct task_struct *)bpf_get_current_task())";
        std::string parent = tempL();
        return "({ __u64 __p = (__u64)BPF_CORE_READ(" + p + ", real_parent); (__s64)BPF_CORE_READ((struct task_struct *)__p, tgid); })";
    }
    if (n == "stp_pid")
        return "({ struct tap_config *__cfg = tap_config(); __cfg ? __cfg->stp_pid : 0LL; })";
    if (n == "task_current") {
        if (taskArg >= 0)
            return "((__s64)((__u64 *)ctx)[" + std::to_string(taskArg) + "])";
        return "((__s64)bpf_get_current_task())";
    }
    if ((n == "task_utime" || n == "task_stime") && c->args.empty())
        return taskRead(n == "task_utime" ? "utime" : "stime");
    if (n == "pexecname") {
        int32_t task = taskStructType();
        noteKernelMember(task, "real_parent");
        noteKernelMember(task, "comm");
        std::string p = taskArg >= 0 ? "((struct task_struct *)((__u64 *)ctx)[" + std::to_string(taskArg) + "])"
                                     : "((struct task_struct *)bpf_get_current_task())";
        std::string t = tempS();
        return "({ __u64 __p = (__u64)BPF_CORE_READ(" + p + ", real_parent); " + t +
               "[0] = 0; bpf_probe_read_kernel_str(" + t +
               ", 16, __builtin_preserve_access_index(&((struct task_struct *)__p)->comm)); " + t + "; })";
    }
    if (n == "HZ") {
        // The kernel's tick rate is fixed when it is built: its CONFIG_HZ.
        int64_t hz = std::atoll(TargetInfo::forRunningKernel().kernelConfig("CONFIG_HZ").c_str());
        if (hz <= 0)
            error("HZ() needs the kernel's configuration (/proc/config.gz or /boot/config-RELEASE), which is not "
                  "readable here",
                  c->loc);
        return std::to_string(hz) + "LL";
    }
    if (n.rfind("proc_mem_", 0) == 0 && c->args.size() <= 1)
        return genProcMem(c, n.substr(9));
    if (n == "addr_to_node" && c->args.size() == 1)
        return genAddrToNode(c);
    if (n == "mem_page_size") {
        long page = sysconf(_SC_PAGESIZE);
        return std::to_string(page > 0 ? page : 4096) + "LL";
    }
    if (n == "__stp_arg") {
        // int_arg(), pointer_arg(), ...: argument N of the system call, from
        // the sys_enter_* record (each argument is stored in 8 bytes); of a
        // kernel function, from the registers of the calling convention
        // (kprobes, as stap) or fentry/fexit's argument array.
        const std::string& tp = currentAttach_.target;
        AttachSpec::Kind kind = currentAttach_.kind;
        bool syscallEntry = kind == AttachSpec::Kind::Tracepoint && tp.rfind("syscalls/sys_enter_", 0) == 0;
        bool syscallReturn = kind == AttachSpec::Kind::Tracepoint && tp.rfind("syscalls/sys_exit_", 0) == 0;
        if (!syscallEntry && !syscallReturn && kind != AttachSpec::Kind::Kprobe && kind != AttachSpec::Kind::Fentry)
            error("the *_arg() functions can only read arguments here in system call probes (syscall.* and "
                  "nd_syscall.*) and kernel function probes (kernel.function, kprobe.function); use the probe's "
                  "$variables",
                  c->loc);
        std::vector<std::string> reads;
        if (syscallReturn) {
            // The call's arguments are still in the registers it was made
            // with, saved at the kernel's entry (x86-64: rdi, rsi, rdx, r10,
            // r8, r9; the words of struct pt_regs), as stap's nd_syscall
            // .return probes read them.
#if !defined(__x86_64__)
            error("the *_arg() functions read a system call's arguments at its return on x86-64 only", c->loc);
#endif
            for (int word : {14, 13, 12, 7, 9, 8})
                reads.push_back("({ __u64 __v = 0; bpf_probe_read_kernel(&__v, 8, (__u64 *)bpf_task_pt_regs("
                                "bpf_get_current_task_btf()) + " +
                                std::to_string(word) + "); __v; })");
        } else if (syscallEntry) {
            std::vector<int> offsets;
            for (const ContextVar& v : probeContext())
                if (v.offset >= 0) // a string argument's record slot holds its address
                    offsets.push_back(v.offset);
            std::sort(offsets.begin(), offsets.end());
            for (int offset : offsets)
                reads.push_back("*(__u64 *)((char *)ctx + " + std::to_string(offset) + ")");
        } else if (kind == AttachSpec::Kind::Kprobe) {
            for (const char* reg : {"di", "si", "dx", "cx", "r8", "r9"})
                reads.push_back(userRegister(reg, c->loc));
        } else {
            int params = 0;
            for (const ContextVar& v : probeContext())
                if (v.argIndex >= 0 && v.name != "$return")
                    params = std::max(params, v.argIndex + 1);
            for (int i = 0; i < params; ++i)
                reads.push_back("((__u64 *)ctx)[" + std::to_string(i) + "]");
        }
        std::string num = tempL(), raw = tempL();
        std::string code = "({ " + num + " = " + argL(0) + "; " + raw + " = 0; ";
        for (size_t i = 0; i < reads.size(); ++i)
            code += (i ? "else if (" : "if (") + num + " == " + std::to_string(i + 1) + ") " + raw + " = (__s64)" +
                    reads[i] + "; ";
        code += (reads.empty() ? "" : "else ") +
                fail(syscallEntry ? "cannot access argument %lld of this system call"
                                  : "cannot access argument %lld of this function",
                     c->loc, "identifier '__stp_arg'", num) +
                " ";
        std::string sign = argL(1), trunc = argL(2);
        code += "if (" + trunc + ") " + raw + " = (" + sign + ") ? (__s64)(__s32)" + raw + " : (__s64)(__u32)" + raw + "; " +
                raw + "; })";
        return code;
    }
    if (n == "returnval") {
        // The value the probed function or system call returned: $return of
        // a .return probe (stap reads the return register; same value).
        for (const ContextVar& v : probeContext())
            if (v.name == "$return") {
                TargetExpr ret(c->loc, "$return");
                return genTarget(&ret);
            }
        error("returnval() needs a .return probe that provides $return", c->loc);
    }
    if (n == "uid" || n == "euid") return "tap_uid()";
    if (n == "gid" || n == "egid") return "tap_gid()";
    if (n == "cpu") return "((__s64)bpf_get_smp_processor_id())";
    if (n == "target") return "({ struct tap_config *__c = tap_config(); __c ? __c->target : 0; })";
    if (n == "gettimeofday_ns")
        return "({ struct tap_config *__c = tap_config(); (__s64)bpf_ktime_get_boot_ns() + (__c ? __c->realtime_offset : 0); })";
    if (n == "local_clock_ns" || n == "ktime_get_ns") return "((__s64)bpf_ktime_get_ns())";
    // One clock for every CPU (stap's cpu_clock is sched_clock, per CPU, on
    // a stable TSC the same), as in user space.
    if (n == "cpu_clock_ns" && c->args.size() == 1) return "({ (void)(" + argL(0) + "); (__s64)bpf_ktime_get_ns(); })";
    if (n == "get_cycles") return "((__s64)bpf_ktime_get_ns())";
    // The current process's argument or environment area (mm->X_start ..
    // X_end, NUL-separated strings in its memory): declares __s and __len.
    auto processArea = [&](const std::string& area) {
        kernel::Btf* btf = kernel::Btf::vmlinux();
        int32_t mm = btf ? btf->findType("mm_struct") : 0;
        if (!mm)
            error(n + "() needs the kernel's mm_struct type (BTF)", c->loc);
        noteKernelMember(taskStructType(), "mm");
        noteKernelMember(btf->strip(mm), area + "_start");
        noteKernelMember(btf->strip(mm), area + "_end");
        return "struct task_struct *__task = (struct task_struct *)bpf_get_current_task(); __u64 __s = BPF_CORE_READ(__task, mm, " +
               area + "_start), __e = BPF_CORE_READ(__task, mm, " + area + "_end); __s64 __len = __e > __s ? (__s64)(__e - __s) : 0; ";
    };
    if (n == "cmdline_args") {
        // tap_cmdline_args picks and joins the arguments.
        frameKeys_["__s64 args_state[3]"] = 1; // tap_cmdline_args' counters
        std::string t = tempS(), raw = tempS(), delimiter = tempS(), from = tempL(), to = tempL();
        return "({ " + from + " = " + argL(0) + "; " + to + " = " + argL(1) + "; tap_strcpy(" + delimiter + ", " +
               genS(c->args[2]) + "); " + processArea("arg") + "if (__len > TAP_STRLEN - 1) __len = TAP_STRLEN - 1; " +
               t + "[0] = 0; if (__len > 0 && bpf_probe_read_user(" + raw + ", __len & (TAP_STRLEN - 1), (void *)__s) == 0) " +
               "tap_cmdline_args(" + t + ", " + raw + ", __len, " + from + ", " + to + ", " + delimiter + ", f->args_state); " +
               t + "; })";
    }
    if (n == "env_var") {
        frameKeys_["__s64 env_state[2]"] = 1; // tap_env_var's state
        std::string t = tempS(), name = tempS();
        return "({ tap_strcpy(" + name + ", " + genS(c->args[0]) + "); " + processArea("env") + "tap_env_var(" + t + ", " +
               name + ", __s, __len, f->env_state); " + t + "; })";
    }
    if (n == "addr" || n == "uaddr")
        return genProbeAddress(n == "uaddr", c->loc);
    if (probedSymbolKnown(c)) {
        StringExpr name(c->loc);
        name.value = currentAttach_.symbol;
        return genS(&name);
    }
    if (n == "is_return" && ctx_.kind == CodeContext::Kind::Function) {
        probeTableUsed_ = true;
        return "((__s64)tap_is_return_table[tap_probe_index(f)])";
    }
    if (n == "is_return") return probe_ && probe_->isReturn ? "1LL" : "0LL";
    if (n == "user_mode") {
        // 1 when the probe fired in user mode: uprobes always, kernel events
        // never, perf samples (timer.profile, perf.*) when the interrupted
        // code ran in user mode (its saved registers are the ctx).
        switch (currentAttach_.kind) {
        case AttachSpec::Kind::Uprobe:
            return "1LL";
        case AttachSpec::Kind::PerfEvent:
#if defined(__x86_64__)
            // struct pt_regs (uapi) word 17 is cs; RPL 3 is user mode.
            return "((((__u64 *)ctx)[17] & 3) == 3 ? 1LL : 0LL)";
#elif defined(__aarch64__)
            // struct user_pt_regs: regs[31], sp, pc, pstate; EL0 is user mode.
            return "((((__u64 *)ctx)[33] & 0xf) == 0 ? 1LL : 0LL)";
#else
            error("user_mode() is not supported on this architecture in perf probes", c->loc);
#endif
        default:
            return "0LL";
        }
    }
    if (n == "exit")
        return "({ tap_request_stop(); tap_emit(TAP_REC_EXIT, 0, 0); 0LL; })";
    if (n == "error") {
        std::string msg = genS(c->args[0]);
        // The message text travels in the error record.
        if (!ctx_.tries.empty()) {
            const auto& [label, slot] = ctx_.tries.back();
            return "({ tap_strcpy(" + slot + ", " + msg + "); f->trydepth--; goto tap_catch_" + std::to_string(label) + "; 0LL; })";
        }
        uint32_t id = errorSite("", c->loc, "identifier 'error'");
        std::string t = tempS();
        return "({ tap_strcpy(" + t + ", " + msg + "); if (f->trydepth > 0) { tap_strcpy(f->errmsg, " + t +
               "); f->abort = 3; } else { tap_emit_error_text(" + std::to_string(id) + ", " + t + "); f->abort = 1; } " +
               ctx_.leave() + " 0LL; })";
    }
    if (n == "strlen") return "tap_strlen(" + genS(c->args[0]) + ")";
    if (n == "strtol") {
        // From a frame copy: the helper reads up to TAP_STRLEN bytes.
        std::string s = tempS();
        return "({ tap_strcpy(" + s + ", " + genS(c->args[0]) + "); tap_strtol(" + s + ", " + argL(1) + "); })";
    }
    if (n == "stringat") {
        std::string s = tempS(), at = tempL();
        return "({ tap_strcpy(" + s + ", " + genS(c->args[0]) + "); " + at + " = " + argL(1) + "; if (" + at + " < 0 || " +
               at + " >= tap_strlen(" + s + ")) " + fail("Position out of bounds", c->loc, "identifier 'stringat'") +
               " (__s64)(signed char)" + s + "[" + at + " & (TAP_STRLEN - 1)]; })";
    }
    if (n == "randint") {
        std::string bound = tempL();
        return "({ " + bound + " = " + argL(0) + "; if (" + bound + " < 0 || " + bound + " > (1LL << 20)) " +
               fail("range too wide", c->loc, "identifier 'randint'") + " " + bound + " ? (__s64)(bpf_get_prandom_u32() % (__u32)" +
               bound + ") : 0LL; })";
    }
    if (n == "jiffies") return "((__s64)bpf_jiffies64())";
    if (n == "strpos") {
        std::string a = genS(c->args[0]), b = genS(c->args[1]), i = tempL(), j = tempL();
        return "tap_strpos(" + a + ", " + b + ", &" + i + ", &" + j + ")";
    }
    if (n == "__maxstringlen") return std::to_string(options_.maxStringLen) + "LL";
    if (n == "substr") {
        std::string t = tempS(), s = tempS(), st = tempL(), ln = tempL();
        return "({ tap_strcpy(" + s + ", " + genS(c->args[0]) + "); " + st + " = " + argL(1) + "; " + ln + " = " + argL(2) +
               "; __s64 __len = tap_strlen(" + s + "); " + t + "[0] = 0; if (" + st + " >= 0 && " + st + " < __len && " + ln +
               " > 0) { if (" + ln + " > TAP_STRLEN - 1) " + ln + " = TAP_STRLEN - 1; bpf_probe_read_kernel_str(" + t + ", (" + ln +
               " + 1) & (2 * TAP_STRLEN - 1), " + s + " + (" + st + " & (TAP_STRLEN - 1))); } " + t + "; })";
    }
    if (n == "text_strn") {
        std::string t = tempS();
        return "({ tap_text_strn(" + t + ", " + genS(c->args[0]) + ", " + argL(1) + ", " + argL(2) + " != 0); " + t + "; })";
    }
    if (n == "execname") {
        std::string t = tempS();
        if (taskArg >= 0) {
            noteKernelMember(taskStructType(), "comm");
            return "({ bpf_probe_read_kernel_str(" + t + ", 16, __builtin_preserve_access_index(&((struct task_struct *)((__u64 *)ctx)[" +
                   std::to_string(taskArg) + "])->comm)); " + t + "; })";
        }
        return "({ bpf_get_current_comm(" + t + ", 16); " + t + "; })";
    }
    if ((n == "pp" || n == "pn") && (ctx_.kind == CodeContext::Kind::Function || sharedHandler_)) {
        // A script function (or a shared handler) serves several probes.
        probeTableUsed_ = true;
        std::string t = tempS();
        return "({ tap_strcpy(" + t + ", tap_" + n + "_table[tap_probe_index(f)]); " + t + "; })";
    }
    if (n == "pp" || n == "pn") {
        StringExpr lit(c->loc);
        lit.value = n == "pp" ? probe_->point.str() : probe_->derivation;
        return genS(&lit);
    }
    if (n == "kernel_string" || n == "user_string" || n == "kernel_string_n" || n == "user_string_n") {
        bool user = n[0] == 'u';
        std::string code0;
        std::string t = tempS();
        std::string addr = tempL();
        // Bytes to read, the NUL included: clamp(n + 1, 1, TAP_STRLEN).
        std::string len = "TAP_STRLEN";
        if (n.back() == 'n') {
            // In a C local, not a frame slot: the verifier must see the
            // clamped range at the call (it forgets what was stored in a map).
            code0 = "__s64 __n = " + argL(1) + " + 1; __u32 __len = __n < 1 ? 1 : __n > TAP_STRLEN ? TAP_STRLEN : (__u32)__n; ";
            len = "__len";
        }
        std::string what = user ? "user string copy fault %lld at 0x%llx [man error::fault]"
                                : "kernel string copy fault at 0x%llx [man error::fault]";
        return "({ " + code0 + addr + " = " + argL(0) + "; if (bpf_probe_read_" + (user ? "user" : "kernel") + "_str(" + t + ", " +
               len + ", (void *)" + addr + ") < 0) " +
               fail(user ? "user string copy fault at 0x%llx [man error::fault]" : what, c->loc,
                    "identifier '" + n + "'", addr) +
               " " + t + "; })";
    }
    // kernel_long(), user_int32_error(), user_ushort(), ...: a number read
    // from kernel or user memory; a fault is an error.
    {
        static const struct { const char* kind; int size; bool sign; } kinds[] = {
            {"long", 8, true},    {"ulong", 8, false},  {"pointer", 8, false}, {"int", 4, true},
            {"uint", 4, false},   {"short", 2, true},   {"ushort", 2, false},  {"char", 1, true},
            {"int8", 1, true},    {"uint8", 1, false},  {"int16", 2, true},    {"uint16", 2, false},
            {"int32", 4, true},   {"uint32", 4, false}, {"int64", 8, true},    {"uint64", 8, false}};
        bool user = n.rfind("user_", 0) == 0, kern = n.rfind("kernel_", 0) == 0;
        if ((user || kern) && c->args.size() == 1) {
            std::string kind = n.substr(n.find('_') + 1);
            bool strict = false;
            if (kind.size() > 6 && kind.compare(kind.size() - 6, 6, "_error") == 0) {
                kind = kind.substr(0, kind.size() - 6);
                strict = true;
            }
            for (const auto& k : kinds) {
                if (kind != k.kind)
                    continue;
                (void)strict;
                std::string ctype = std::string(k.sign ? "__s" : "__u") + std::to_string(k.size * 8);
                std::string addr = tempL(), tmp = tempL();
                return "({ " + addr + " = " + argL(0) + "; " + ctype + " __x = 0; if (bpf_probe_read_" +
                       (user ? "user" : "kernel") + "(&__x, " + std::to_string(k.size) + ", (void *)" + addr + ") < 0) " +
                       fail(std::string(user ? "user " : "kernel ") + kind + " copy fault at 0x%llx [man error::fault]",
                            c->loc, "identifier '" + n + "'", addr) +
                       " " + tmp + " = __x; " + tmp + "; })";
            }
        }
    }
    if (n == "system" && c->args.size() == 1) { // stap too runs it in user space, after the handler
        PrintExpr print(c->loc, PrintKind::Print, "print");
        print.args.push_back(c->args[0]);
        return genPrint(&print, true);
    }
    if (n == "matched" || n == "matched_str" || n == "ngroups")
        error("'" + n + "' cannot run in a kernel probe: its =~ runs as a DFA there, which finds whether the "
              "pattern matches but not where its subexpressions are; match in a begin, end or timer probe for them",
              c->loc);
    error("function '" + n + "' cannot run in a kernel probe yet", c->loc);
}

// ---------------------------------------------------------------- statements

void Translator::genStmt(Stmt* s, std::ostringstream& o, int indent) {
    std::string pad(size_t(indent), '\t');
    switch (s->kind) {
    case StmtKind::Block:
        o << pad << "{\n";
        for (Stmt* st : static_cast<BlockStmt*>(s)->body)
            genStmt(st, o, indent + 1);
        o << pad << "}\n";
        return;
    case StmtKind::Null:
        return;
    case StmtKind::Expr:
        o << pad << "/* line " << s->loc.line << " */ " << genEffect(static_cast<ExprStmt*>(s)->expr) << ";\n";
        return;
    case StmtKind::If: {
        auto* i = static_cast<IfStmt*>(s);
        if (i->knownCond == 1) { genStmt(i->then, o, indent); return; }
        if (i->knownCond == 0) { if (i->otherwise) genStmt(i->otherwise, o, indent); return; }
        o << pad << "if (" << genL(i->cond) << ")\n";
        genStmt(i->then, o, indent + 1);
        if (i->otherwise) {
            o << pad << "else\n";
            genStmt(i->otherwise, o, indent + 1);
        }
        return;
    }
    case StmtKind::For:
        genLoop(static_cast<ForStmt*>(s), o, indent);
        return;
    case StmtKind::Foreach:
        error("foreach cannot run in a kernel probe: iterate in an end or timer probe (user space)", s->loc);
    case StmtKind::Return: {
        auto* r = static_cast<ReturnStmt*>(s);
        auto fn = functions_.find({ctx_.function, ctx_.specialization});
        std::string slot = fn != functions_.end() ? fn->second.substr(fn->second.find('\x01') + 1) : "";
        if (ctx_.kind == CodeContext::Kind::Loop) {
            // In a loop's callback: the value goes to the function's slot,
            // and the loop's caller returns (genLoop).
            if (!ctx_.function)
                error("return outside a function", s->loc);
            o << pad << "{\n";
            if (r->value && ctx_.function->returnType == Type::String)
                o << pad << "\ttap_strcpy(" << slot << ", " << genS(r->value) << ");\n";
            else if (r->value)
                o << pad << "\t" << slot << " = " << genL(r->value) << ";\n";
            o << pad << "\tlc->returned = 1;\n" << pad << "\treturn 1;\n" << pad << "}\n";
            return;
        }
        // Braced: a return is often the body of an if.
        o << pad << "{\n";
        if (r->value) {
            if (ctx_.function && ctx_.function->returnType == Type::String)
                o << pad << "\ttap_strcpy(" << slot << ", " << genS(r->value) << ");\n";
            else
                o << pad << "\t" << slot << " = " << genL(r->value) << ";\n";
        }
        if (!ctx_.tries.empty())
            o << pad << "\tf->trydepth -= " << ctx_.tries.size() << ";\n";
        o << pad << "\tgoto tap_fn_out;\n" << pad << "}\n";
        return;
    }
    case StmtKind::Delete: {
        Expr* t = static_cast<DeleteStmt*>(s)->target;
        if (t->kind == ExprKind::Index) {
            auto* i = static_cast<IndexExpr*>(t);
            const VarDecl* v = static_cast<SymbolExpr*>(i->base)->decl;
            const GlobalMap& g = globalOf(v, s->loc);
            if (i->hasWildcard()) {
                genWildcardDelete(g, i->keys, o, pad, s->loc);
                return;
            }
            o << pad << "{ " << genKey(g, i->keys, s->loc) << "bpf_map_delete_elem(&" << g.mapName << ", &f->key_"
              << v->name << "); }\n";
            return;
        }
        const VarDecl* v = static_cast<SymbolExpr*>(t)->decl;
        if (v->scope != VarDecl::Scope::Global) {
            o << pad << (v->type == Type::String ? localS(v) + "[0] = 0;\n" : localL(v) + " = 0;\n");
            return;
        }
        const GlobalMap& g = globalOf(v, s->loc);
        if (g.kind == GlobalMap::Kind::Scalar) {
            o << pad << (v->type == Type::String ? "g->" + v->name + "[0] = 0;\n" : "g->" + v->name + " = 0;\n");
            return;
        }
        if (g.kind == GlobalMap::Kind::Stat) { // each CPU's part zeroed
            o << pad << "{ __u32 __z = 0; struct tap_config *__cfg = tap_config(); __u32 __n = __cfg ? __cfg->ncpus : 1; "
              << "for (__u32 __c = 0; __c < 128 && __c < __n; __c++) { struct tap_stat_" << v->name
              << " *__s = bpf_map_lookup_percpu_elem(&" << g.mapName << ", &__z, __c); if (__s) TAP_ZERO(__s); } }\n";
            return;
        }
        genWildcardDelete(g, std::vector<Expr*>(g.keys.size(), nullptr), o, pad, s->loc);
        return;
    }
    case StmtKind::Next:
        if (ctx_.kind == CodeContext::Kind::Probe)
            o << pad << "goto tap_out;\n";
        else
            o << pad << "{ f->abort = 2; " << ctx_.leave() << " }\n";
        return;
    case StmtKind::Break:
    case StmtKind::Continue:
        if (ctx_.kind != CodeContext::Kind::Loop)
            error("break/continue outside a loop", s->loc);
        if (s->kind == StmtKind::Break)
            o << pad << "{ lc->broke = 1; return 1; }\n";
        else
            o << pad << "goto tap_continue_" << ctx_.loopId << ";\n";
        return;
    case StmtKind::Try: {
        // Errors raised in this function's code inside the block jump to
        // the catch label; errors inside called functions and loops are not
        // caught (they end the handler).
        auto* tr = static_cast<TryStmt*>(s);
        int label = tries_++;
        std::string slot = tempS();
        o << pad << "{\n" << pad << "\tf->trydepth++;\n";
        ctx_.tries.push_back({label, slot});
        genStmt(tr->tryBlock, o, indent + 1);
        ctx_.tries.pop_back();
        o << pad << "\tf->trydepth--;\n" << pad << "\tgoto tap_tryend_" << label << ";\n" << pad << "tap_catch_" << label
          << ": ;\n";
        if (tr->errorVar)
            o << pad << "\ttap_strcpy(" << localS(tr->errorVar->decl) << ", " << slot << ");\n";
        genStmt(tr->catchBlock, o, indent + 1);
        o << pad << "tap_tryend_" << label << ": ;\n" << pad << "}\n";
        return;
    }
    case StmtKind::Embedded:
        error("embedded C cannot be translated to BPF", s->loc);
    }
}

// delete a[k, *]: bpf_for_each_map_elem() visits every element and the
// callback deletes those whose keys equal the given ones (the deleted
// element is the one visited, which hash maps allow). The callback is
// verified once, whatever the map holds.
void Translator::genWildcardDelete(const GlobalMap& g, const std::vector<Expr*>& keys, std::ostringstream& o,
                                   const std::string& pad, SourceLoc loc) {
    if (g.kind != GlobalMap::Kind::Hash && g.kind != GlobalMap::Kind::StatHash)
        error("delete with '*' keys needs an array", loc);
    int id = wildcardDeletes_++;
    const std::string keyType = keyStructOf(g);
    o << pad << "{\n"
      << pad << "\tstruct tap_loopctx __lc = { .f = f, .ctx = ctx, .g = g };\n"
      << pad << "\t" << genKey(g, keys, loc, true) << "\n"
      << pad << "\tbpf_for_each_map_elem(&" << g.mapName << ", tap_wdel_" << id << ", &__lc, 0);\n"
      << pad << "}\n";
    std::ostringstream cb;
    cb << "static long tap_wdel_" << id << "(void *map, const " << keyType << " *key, void *value, struct tap_loopctx *lc)\n{\n"
       << "\tconst " << keyType << " *want = &lc->f->key_" << g.global->name << ";\n";
    for (size_t i = 0; i < keys.size(); ++i) {
        if (!keys[i])
            continue;
        std::string k = "k" + std::to_string(i);
        if (!g.keys[i].isString) {
            cb << "\tif (key->" << k << " != want->" << k << ")\n\t\treturn 0;\n";
            continue;
        }
        // Both strings are zero after their end: compare up to the first 0.
        cb << "\tfor (int j = 0; j < " << g.keys[i].size << "; j++) {\n"
           << "\t\tif (key->" << k << "[j] != want->" << k << "[j])\n\t\t\treturn 0;\n"
           << "\t\tif (!key->" << k << "[j])\n\t\t\tbreak;\n\t}\n";
    }
    cb << "\tbpf_map_delete_elem(map, (void *)key);\n\treturn 0;\n}\n\n";
    funcs_ << cb.str();
}

// Loops run as bpf_loop() callbacks so the verifier sees a bounded program;
// MAXACTION bounds the iterations, and the kernel's limit of bpf_loop
// (BPF_MAX_LOOPS, 1 << 23: more and it runs none).
// After a loop whose body returned from the function: return from here too
// (from an enclosing loop's callback, on to its caller).
std::string Translator::returnFromLoop() const {
    if (ctx_.kind == CodeContext::Kind::Loop)
        return "{ lc->returned = 1; return 1; }";
    std::string leave = "goto tap_fn_out;";
    if (!ctx_.tries.empty())
        leave = "{ f->trydepth -= " + std::to_string(ctx_.tries.size()) + "; " + leave + " }";
    return leave;
}

void Translator::genLoop(ForStmt* f, std::ostringstream& o, int indent) {
    constexpr int64_t kBpfMaxLoops = int64_t(1) << 23;
    std::string pad(size_t(indent), '\t');
    int id = loops_++;
    if (f->init)
        o << pad << genEffect(f->init) << ";\n";
    o << pad << "{\n" << pad << "\tstruct tap_loopctx __lc = { .f = f, .ctx = ctx, .g = g };\n"
      << pad << "\tbpf_loop(" << std::min(options_.maxAction, kBpfMaxLoops) << ", tap_loop_" << id << ", &__lc, 0);\n"
      << pad << "\tif (f->abort) " << propagate() << "\n"
      << (ctx_.function ? pad + "\tif (__lc.returned) " + returnFromLoop() + "\n" : std::string())
      << pad << "\tif (!__lc.done && !__lc.broke) " << fail("MAXACTION exceeded", f->loc, "keyword") << "\n"
      << pad << "}\n";
    CodeContext saved = ctx_;
    ctx_ = {CodeContext::Kind::Loop, id, saved.function};
    ctx_.specialization = saved.specialization;
    std::ostringstream cb;
    cb << "static long tap_loop_" << id << "(__u32 __i, struct tap_loopctx *lc)\n{\n"
       << "\tstruct tap_frame *f = lc->f;\n\tvoid *ctx = lc->ctx;\n\tstruct tap_scalars *g = lc->g;\n";
    if (f->cond)
        cb << "\tif (!(" << genL(f->cond) << ")) { lc->done = 1; return 1; }\n";
    genStmt(f->body, cb, 1);
    cb << "tap_continue_" << id << ":\n";
    if (f->step)
        cb << "\t" << genEffect(f->step) << ";\n";
    cb << "\treturn 0;\n}\n\n";
    funcs_ << cb.str();
    ctx_ = saved;
}

// ------------------------------------------------------------- @entry

// The values a .return handler needs from its entry (@entry(...), and
// entry-time $variables): none when the point has no entry.
void Translator::collectEntryValues(const ResolvedProbe& p, const AttachSpec& attach, std::vector<const Expr*>& exprs) {
    if (!p.hasEntryPoint)
        return;
    std::set<const Expr*> underEntry;
    std::vector<const Expr*> entries, implicit;
    bool userReturn = attach.kind == AttachSpec::Kind::Uprobe;
    auto collect = [&](Stmt* s, Expr* cond) {
        auto visitEntry = [&](Expr* x) {
            if (x->kind == ExprKind::Entry) {
                entries.push_back(x);
                walkExprs(static_cast<WrapExpr*>(x)->operand, [&](Expr* y) { underEntry.insert(y); });
            }
        };
        if (s) walkLiveExprs(s, visitEntry);
        if (cond) walkLiveExprs(cond, visitEntry);
        auto visitTarget = [&](Expr* x) {
            if ((x->kind != ExprKind::Target && x->kind != ExprKind::AtVar) || underEntry.count(x))
                return;
            if (auto* v = x->kind == ExprKind::AtVar ? static_cast<AtVarExpr*>(x) : nullptr; v && v->contextName.empty()) {
                // A program's global, at an address relative to where the
                // program is loaded, which only the entry's address tells.
                if (v->userTypes && userReturn)
                    implicit.push_back(x);
                return;
            }
            const std::string& name = x->kind == ExprKind::Target ? static_cast<TargetExpr*>(x)->name
                                                                 : static_cast<AtVarExpr*>(x)->contextName;
            bool here = false, atEntry = false;
            for (const ContextVar& v : p.context) here = here || v.name == name;
            for (const ContextVar& v : p.entryContext) atEntry = atEntry || v.name == name;
            // A return uprobe's $$parms, $$locals, $$vars: the entry's variables, as in stap.
            bool entryVars = (name == "$$parms" || name == "$$locals" || name == "$$vars") && userReturn;
            if ((!here && atEntry) || entryVars)
                implicit.push_back(x);
        };
        if (s) walkLiveExprs(s, visitTarget);
        if (cond) walkLiveExprs(cond, visitTarget);
    };
    collect(p.body, p.condition);
    for (const Expr* x : entries) {
        bool nested = false; // an @entry inside another @entry's operand is evaluated with it
        for (const Expr* y : entries)
            if (y != x) {
                walkExprs(static_cast<const WrapExpr*>(y)->operand, [&](Expr* z) { nested = nested || z == x; });
            }
        if (!nested)
            exprs.push_back(x);
    }
    exprs.insert(exprs.end(), implicit.begin(), implicit.end());
}

// For a .return probe that uses @entry(expr) or entry-time $variables:
// generates the program for the entry point that evaluates them and keeps
// them per thread; returns its C text ("" when none is needed). `restore`
// gets the code the return program runs first: look the values up (no
// entry seen: the hit is skipped, as stap has no return without entry),
// copy them into frame slots, free the entry.
std::string Translator::genEntryProgram(const ResolvedProbe& p, const AttachSpec& attach, const std::string& function,
                                        std::vector<const Expr*>& exprs, std::vector<std::pair<bool, int>>& where) {
    exprs.clear();
    where.clear();
    collectEntryValues(p, attach, exprs);
    if (exprs.empty())
        return {};

    std::string tag = function;
    int nl = 0, ns = 0; // where: (isString, index in l[] or s[])
    for (const Expr* x : exprs) {
        bool str = x->type == Type::String;
        where.push_back({str, str ? ns++ : nl++});
    }
    maps_ << "struct " << tag << "_entry {\n\t__s64 l[" << std::max(nl, 1) << "];\n\tchar s[" << std::max(ns, 1)
          << "][TAP_STRLEN];\n};\n"
          << "struct {\n\t__uint(type, BPF_MAP_TYPE_HASH);\n\t__uint(max_entries, 10240);\n\t__type(key, struct tap_entry_key);\n"
          << "\t__type(value, struct " << tag << "_entry);\n} " << tag << "_entries TAP_MAPS;\n"
          << "struct {\n\t__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);\n\t__uint(max_entries, 1);\n\t__type(key, __u32);\n"
          << "\t__type(value, struct " << tag << "_entry);\n} " << tag << "_scratch TAP_MAPS;\n\n";

    // The entry program: the same handler frame, the entry point's variables.
    ResolvedProbe ep = p;
    ep.point = p.entryPoint;
    ep.context = p.entryContext;
    ep.isReturn = false;
    const ResolvedProbe* savedProbe = probe_;
    AttachSpec savedAttach = currentAttach_;
    probe_ = &ep;
    ProgramSpec spec;
    spec.function = tag + "_entry";
    spec.attach = p.provider->attach(p.entryPoint);
    currentAttach_ = spec.attach;
    spec.probe = &p;
    spec.pointText = p.entryPoint.str();
    slots_.clear();
    nextLong_ = nextString_ = 0;
    ctx_ = {};
    std::ostringstream body;
    body << cComment("entry values for " + p.point.str()) << "\nSEC(\"" << spec.attach.section() << "\")\nint "
         << spec.function << "(void *ctx)\n{\n" << handlerStart(ep);
    if (spec.attach.filterPid >= 0)
        body << "\tif (tap_pid() != " << spec.attach.filterPid << ")\n\t\treturn 0;\n";
    body << "\tstruct " << tag << "_entry *__ev = bpf_map_lookup_elem(&" << tag << "_scratch, &__zero);\n"
         << "\tif (!__ev)\n\t\treturn 0;\n";
    for (size_t i = 0; i < exprs.size(); ++i) {
        Expr* x = const_cast<Expr*>(exprs[i]);
        Expr* value = x->kind == ExprKind::Entry ? static_cast<WrapExpr*>(x)->operand : x;
        if (where[i].first)
            body << "\t/* line " << x->loc.line << " */ tap_strcpy(__ev->s[" << where[i].second << "], " << genS(value)
                 << ");\n";
        else
            body << "\t/* line " << x->loc.line << " */ __ev->l[" << where[i].second << "] = " << genL(value) << ";\n";
    }
    body << "\t{\n\t\tstruct tap_entry_key __ek = {bpf_get_current_pid_tgid(), " << frameAddress(spec.attach, p.loc)
         << "};\n\t\tbpf_map_update_elem(&" << tag << "_entries, &__ek, __ev, BPF_ANY);\n\t}\n"
         << "tap_out:\n\treturn 0;\n}\n\n";
    maxLong_ = std::max(maxLong_, nextLong_);
    maxString_ = std::max(maxString_, nextString_);
    out_.programs.push_back(spec);
    probe_ = savedProbe;
    currentAttach_ = savedAttach;

    return body.str();
}

// The start of the .return program: look the entry values up (no entry
// seen: the hit is skipped, as stap has no return without an entry), copy
// them into this program's frame slots, free the entry.
std::string Translator::genEntryRestore(const std::string& tag, const std::vector<const Expr*>& exprs,
                                        const std::vector<std::pair<bool, int>>& where) {
    std::string restore = "\tstruct tap_entry_key __ek = {bpf_get_current_pid_tgid(), " +
                          frameAddress(currentAttach_, probe_->loc) + "};\n\tstruct " + tag +
                          "_entry *__ev = bpf_map_lookup_elem(&" + tag +
                          "_entries, &__ek);\n\tif (!__ev)\n\t\treturn 0; /* no entry seen (the session began later) */\n";
    for (size_t i = 0; i < exprs.size(); ++i) {
        std::string slot;
        if (where[i].first) {
            slot = tempS();
            restore += "\ttap_strcpy(" + slot + ", __ev->s[" + std::to_string(where[i].second) + "]);\n";
        } else {
            slot = tempL();
            restore += "\t" + slot + " = __ev->l[" + std::to_string(where[i].second) + "];\n";
        }
        entrySlots_[exprs[i]] = slot;
    }
    restore += "\tbpf_map_delete_elem(&" + tag + "_entries, &__ek);\n";
    return restore;
}

// The start of every program: this CPU's frame and the scalar globals,
// nothing once exit() was called, and a fresh hit of probe `p`.
std::string Translator::handlerStart(const ResolvedProbe& p, bool setProbe) {
    return std::string("\t__u32 __cpu = bpf_get_smp_processor_id(), __zero = 0;\n"
                       "\tstruct tap_frame *f = bpf_map_lookup_elem(&tap_frames, &__cpu);\n") +
           (out_.scalarsSize ? "\tstruct tap_scalars *g = bpf_map_lookup_elem(&tap_scalars_map, &__zero);\n"
                               "\tif (!f || !g)\n\t\treturn 0;\n"
                             : "\tstruct tap_scalars *g = 0; /* no scalar globals */\n\tif (!f)\n\t\treturn 0;\n") +
           "\tif (tap_stopping())\n\t\treturn 0; /* exit() was called */\n"
           "\tif (f->busy) { /* this handler interrupted another on this CPU, whose frame it is: skipped, as in stap */\n"
           "\t\ttap_count_skip();\n\t\treturn 0;\n\t}\n"
           "\tf->busy = 1;\n"
           "\tstruct tap_frame *__held __attribute__((cleanup(tap_release_frame))) = f; /* busy = 0 at any return */\n"
           "\tf->abort = 0;\n\tf->trydepth = 0;\n" +
           (setProbe ? "\tf->probe = " + std::to_string(probeIndex(p)) + ";\n" : std::string()) + "\tTAP_HIT_START(f);\n";
}

// One BPF program running a probe's handler. A TaskIter program runs it for
// each process that exists, with a ctx laid out as the probe's tracepoint's.
// A typed tracepoint whose handler reads none of its arguments runs as a raw
// tracepoint: the same event, but libbpf need not read the kernel's BTF (5 MB)
// to attach it, which was a third of a cached start's time.
std::string Translator::genProgram(const ResolvedProbe& p, ProgramSpec& spec,
                                   const std::function<std::string()>& entryRestore) {
    resetSlots();
    std::string restore = entryRestore(); // takes its slots first
    std::ostringstream body;
    AttachSpec& a = spec.attach;
    if (a.kind == AttachSpec::Kind::TaskIter) {
        // struct bpf_iter__task { meta; task; }: the task, or NULL at the end.
        // Processes only: thread-group leaders with an address space.
        for (const char* member : {"pid", "tgid", "mm", "real_parent"})
            noteKernelMember(taskStructType(), member);
        bool exec = a.existingTasks == AttachSpec::ExistingTasks::AsExec;
        body << "\tstruct task_struct *__task = (struct task_struct *)((__u64 *)__it)[1];\n"
             << "\tif (!__task || BPF_CORE_READ(__task, pid) != BPF_CORE_READ(__task, tgid) || !BPF_CORE_READ(__task, mm))\n"
             << "\t\treturn 0;\n"
             << (exec ? "\t__u64 ctx[3] = {(__u64)__task, (__u64)BPF_CORE_READ(__task, tgid), 0}; /* p, old_pid, bprm */\n"
                      : "\t__u64 ctx[3] = {(__u64)BPF_CORE_READ(__task, real_parent), (__u64)__task, 0}; /* parent, child */\n");
    }
    body << handlerStart(p);
    if (a.filterPid >= 0) {
        std::string pid = "tap_pid()";
        if (a.taskArgIndex >= 0) {
            noteKernelMember(taskStructType(), "tgid");
            pid = "BPF_CORE_READ((struct task_struct *)ctx[" + std::to_string(a.taskArgIndex) + "], tgid)";
        }
        body << "\tif (" << pid << " != " << a.filterPid << ")\n\t\treturn 0;\n";
    }
    genHandler(p, restore, body, 1);
    body << "tap_out:\n\treturn 0;\n}\n\n";
    keepSlotHighWater();
    if (a.kind == AttachSpec::Kind::TpBtf && !readsContext(body.str(), functionUsesContext_))
        a.kind = AttachSpec::Kind::RawTracepoint;

    std::string ctxType = a.kind == AttachSpec::Kind::TpBtf || a.kind == AttachSpec::Kind::RawTracepoint ? "__u64 *" : "void *";
    std::string where;
    if (a.kind == AttachSpec::Kind::Uprobe) {
        char offset[32];
        std::snprintf(offset, sizeof offset, "%llx", (unsigned long long)a.offset);
        where = " (uprobe at file offset 0x" + std::string(offset) + ")";
    }
    if (a.kind == AttachSpec::Kind::TaskIter)
        where = " (once for each process that exists at start-up)";
    std::ostringstream header;
    header << cComment(spec.pointText + " <- " + p.derivation + where) << "\n";
    if (a.kind == AttachSpec::Kind::Netfilter) {
        // The handler's returns are 0, which a netfilter program would make
        // NF_DROP: it runs inlined, and the program lets every packet go on.
        header << "static __always_inline int " << spec.function << "_handler(void *ctx)\n{\n";
        return header.str() + body.str() + "SEC(\"netfilter\")\nint " + spec.function + "(void *ctx)\n{\n\t" +
               spec.function + "_handler(ctx);\n\treturn 1; /* NF_ACCEPT */\n}\n\n";
    }
    header << "SEC(\"" << a.section() << "\")\nint " << spec.function << "("
           << (a.kind == AttachSpec::Kind::TaskIter ? std::string("void *__it") : ctxType + "ctx") << ")\n{\n";
    return header.str() + body.str();
}

void Translator::resetSlots() {
    slots_.clear();
    nextLong_ = nextString_ = 0;
    ctx_ = {};
}

// The frame holds the most slots any program (or dispatched case) uses.
void Translator::keepSlotHighWater() {
    maxLong_ = std::max(maxLong_, nextLong_);
    maxString_ = std::max(maxString_, nextString_);
}

void Translator::genHandler(const ResolvedProbe& p, const std::string& restore, std::ostringstream& body, int indent) {
    std::string pad(size_t(indent), '\t');
    for (const VarDecl* l : p.locals) {
        if (l->type == Type::String)
            body << pad << localS(l) << "[0] = 0;\n";
        else
            body << pad << localL(l) << " = 0;\n";
    }
    body << restore;
    if (p.condition)
        body << pad << "if (!(" << genL(p.condition) << "))\n" << pad << "\treturn 0;\n";
    genStmt(p.body, body, indent);
}

// A syscall wildcard (syscall.*, nd_syscall.*, aliases over them) expands to
// a point per system call: hundreds of programs, which clang took tens of
// seconds to compile and the kernel seconds to attach and release. The
// points of one probe on the syscalls tracepoints run instead as one program
// on raw_syscalls:sys_enter (or sys_exit) that switches on the call's
// number, each case the point's handler as it was: the syscalls records lay
// out their arguments (and return value) at the offsets raw_syscalls does.
std::vector<Translator::SyscallDispatch> Translator::syscallDispatches(std::set<const ResolvedProbe*>& members) {
    // Below this, a few tracepoints cost less than seeing every call.
    constexpr size_t kMinimumCalls = 16;
    std::vector<SyscallDispatch> out;
    std::map<std::pair<const ProbeDecl*, bool>, SyscallDispatch> byProbe;
    std::map<std::pair<const ProbeDecl*, bool>, std::vector<std::pair<const ResolvedProbe*, std::string>>> unnumbered;
    for (const ResolvedProbe& p : program_.probes) {
        if (p.site != ProbeSite::Kernel)
            continue;
        AttachSpec a = p.provider->attach(p.point);
        constexpr std::string_view enter = "syscalls/sys_enter_", exit = "syscalls/sys_exit_";
        bool isEnter = a.target.starts_with(enter), isExit = a.target.starts_with(exit);
        if (a.kind != AttachSpec::Kind::Tracepoint || !(isEnter || isExit) || a.filterPid >= 0 ||
            a.existingTasks != AttachSpec::ExistingTasks::None)
            continue;
        std::vector<const Expr*> entryValues;
        collectEntryValues(p, a, entryValues);
        if (!entryValues.empty())
            continue; // a program of its own
        std::optional<long> number = kernel::syscallNumber(a.target.substr((isEnter ? enter : exit).size()));
        SyscallDispatch& d = byProbe[{p.decl, isExit}];
        d.isReturn = isExit;
        if (number)
            d.cases.push_back({*number, &p});
        else
            unnumbered[{p.decl, isExit}].push_back({&p, a.target});
    }
    if (std::none_of(byProbe.begin(), byProbe.end(), [&](const auto& entry) {
            return entry.second.cases.size() >= kMinimumCalls;
        }))
        return out; // and no reading of the kernel's BTF, which costs milliseconds of start-up
    kernel::Btf* btf = kernel::Btf::vmlinux();
    int32_t threadInfo = btf ? btf->findType("struct thread_info") : -1;
    if (threadInfo <= 0 || !btf->member(btf->strip(threadInfo), "status"))
        return out; // 32-bit calls could not be told apart (below)
    for (auto& [key, d] : byProbe) {
        std::set<long> numbers;
        for (const auto& [number, p] : d.cases)
            numbers.insert(number);
        if (d.cases.size() < kMinimumCalls || numbers.size() != d.cases.size())
            continue;
        for (const auto& [number, p] : d.cases)
            members.insert(p);
        // Calls newer than the number table keep their own tracepoint, and
        // share the handler's code with the rest.
        for (const auto& [p, tracepoint] : unnumbered[key]) {
            members.insert(p);
            out.push_back({d.isReturn, {{-1, p}}, tracepoint});
        }
        // The verifier walks every case of a program, and its limit is per
        // program: a few dozen calls each keep far below it (retstr's
        // decoding in every case of one program went past it). Fewer
        // programs check the global functions they call fewer times.
        constexpr size_t kCallsPerProgram = 48;
        for (size_t from = 0; from < d.cases.size(); from += kCallsPerProgram) {
            SyscallDispatch part{d.isReturn, {}, {}};
            part.cases.assign(d.cases.begin() + long(from),
                              d.cases.begin() + long(std::min(d.cases.size(), from + kCallsPerProgram)));
            out.push_back(std::move(part));
        }
    }
    return out;
}

namespace {

// The local variables a handler reads or writes, by name (each expansion of
// a probe has its own copy of them), with their types.
std::map<std::string, Type> handlerLocals(const ResolvedProbe& p, Stmt* handler) {
    std::set<const VarDecl*> locals(p.locals.begin(), p.locals.end());
    std::map<std::string, Type> used;
    walkExprs(handler, [&](Expr* e) {
        if (e->kind == ExprKind::Symbol)
            if (const VarDecl* v = static_cast<SymbolExpr*>(e)->decl; v && locals.count(v))
                used[v->name] = v->type;
    });
    return used;
}

std::string printed(const Stmt* s) {
    std::ostringstream o;
    printStmt(o, s);
    return o.str();
}

} // namespace

// Whether every point runs the same handler after its alias prologue (the
// wildcard's own handler, last in each body): then it is generated once,
// with the variables it shares with the prologues in the same slots for
// every point (`variables`). Not when it reads the point's $variables,
// @entry values, system call arguments by number or usymname(uaddr()),
// which are known for each point when it is translated.
bool Translator::sharesHandler(const std::vector<const ResolvedProbe*>& points,
                               std::vector<std::pair<std::string, Type>>& variables) const {
    const ResolvedProbe& first = *points.front();
    auto handlerOf = [](const ResolvedProbe& p) -> Stmt* {
        return p.handlerIndex + 1 == p.body->body.size() ? p.body->body[p.handlerIndex] : nullptr;
    };
    Stmt* handler = handlerOf(first);
    if (!handler)
        return false;
    bool pointSpecific = false;
    auto visit = [&](Expr* e) {
        pointSpecific = pointSpecific || e->kind == ExprKind::Target || e->kind == ExprKind::AtVar ||
                        e->kind == ExprKind::Entry ||
                        (e->kind == ExprKind::Call && (static_cast<CallExpr*>(e)->name == "__stp_arg" ||
                                                       static_cast<CallExpr*>(e)->name == "usymname"));
    };
    walkExprs(handler, visit);
    if (first.condition)
        walkExprs(first.condition, visit);
    if (pointSpecific)
        return false;
    std::string text = printed(handler);
    std::map<std::string, Type> locals = handlerLocals(first, handler);
    for (const ResolvedProbe* p : points) {
        Stmt* h = handlerOf(*p);
        if (!h || printed(h) != text || handlerLocals(*p, h) != locals)
            return false;
    }
    variables.assign(locals.begin(), locals.end());
    return true;
}

// A uprobe wildcard (process("...").function("*")) expands to a point per
// function: thousands of programs, which clang took minutes to compile
// (7,590 in Qt's widgets library: 81 s). Where the handler is the same at
// every point, one program serves them all, attached at each with the
// point's probe index as its cookie.
std::vector<std::vector<const ResolvedProbe*>> Translator::sharedUprobes(std::set<const ResolvedProbe*>& members) {
    struct Key {
        const ProbeDecl* decl;
        std::string target;
        bool isReturn, targetOnly;
        int64_t filterPid;
        auto operator<=>(const Key&) const = default;
    };
    std::map<Key, std::vector<const ResolvedProbe*>> byProbe;
    for (const ResolvedProbe& p : program_.probes) {
        if (p.site != ProbeSite::Kernel)
            continue;
        AttachSpec a = p.provider->attach(p.point);
        if (a.kind != AttachSpec::Kind::Uprobe)
            continue;
        std::vector<const Expr*> entryValues;
        collectEntryValues(p, a, entryValues);
        if (entryValues.empty())
            byProbe[{p.decl, a.target, a.isReturn, a.targetOnly, a.filterPid}].push_back(&p);
    }
    std::vector<std::vector<const ResolvedProbe*>> out;
    for (auto& [key, points] : byProbe) {
        std::vector<std::pair<std::string, Type>> unused;
        if (points.size() < 2 || !sharesHandler(points, unused))
            continue;
        members.insert(points.begin(), points.end());
        out.push_back(std::move(points));
    }
    return out;
}

std::string Translator::genSharedUprobe(const std::vector<const ResolvedProbe*>& points, ProgramSpec& spec) {
    const ResolvedProbe& first = *points.front();
    spec.probe = &first;
    spec.attach = first.provider->attach(first.point);
    spec.pointText = first.derivation + " (" + std::to_string(points.size()) + " points, one program)";
    for (const ResolvedProbe* p : points) {
        currentAttach_ = p->provider->attach(p->point);
        spec.sharedPoints.push_back({currentAttach_, probeIndex(*p)});
    }
    probeTableUsed_ = true; // pp(), probefunc() ... of the point that fired
    probe_ = &first;
    currentAttach_ = spec.attach;
    resetSlots();
    std::ostringstream body;
    body << cComment(spec.pointText) << "\nSEC(\"" << spec.attach.section() << "\")\nint " << spec.function
         << "(void *ctx)\n{\n"
         << handlerStart(first, false) << "\tf->probe = bpf_get_attach_cookie(ctx);\n";
    if (spec.attach.filterPid >= 0)
        body << "\tif (tap_pid() != " << spec.attach.filterPid << ")\n\t\treturn 0;\n";
    sharedHandler_ = true;
    genHandler(first, "", body, 1);
    sharedHandler_ = false;
    body << "tap_out:\n\treturn 0;\n}\n\n";
    keepSlotHighWater();
    return body.str();
}

// A handler shared by the programs of a wildcard is a program of its own,
// which each of them ends with a tail call into: compiled once, and checked
// by the verifier once, where a global function was checked once per
// calling program (strace.stp's 49 programs: 510,000 instructions verified,
// half of them its handler again and again). The frame is per CPU and stays
// busy across the jump; the handler releases it. Not when it reads the
// context, whose layout differs between the callers' tracepoints.
std::string Translator::handlerTailCall(const std::string& handler) {
    if (readsContext(handler, functionUsesContext_))
        return handler;
    auto [it, added] = handlerPrograms_.try_emplace(handler);
    if (added) {
        size_t index = handlerProgramTexts_.size();
        std::string name = "tap_handler_" + std::to_string(index);
        handlerProgramTexts_.push_back(
            "SEC(\"tracepoint\")\nint " + name + "(void *ctx)\n{\n" +
            "\t__u32 __cpu = bpf_get_smp_processor_id(), __zero = 0;\n"
            "\tstruct tap_frame *f = bpf_map_lookup_elem(&tap_frames, &__cpu);\n\tif (!f)\n\t\treturn 0;\n"
            "\tstruct tap_frame *__held __attribute__((cleanup(tap_release_frame))) = f; /* busy = 0 at any return */\n" +
            (out_.scalarsSize ? "\tstruct tap_scalars *g = bpf_map_lookup_elem(&tap_scalars_map, &__zero);\n"
                                "\tif (!g)\n\t\treturn 0;\n"
                              : "\tstruct tap_scalars *g = 0; /* no scalar globals */\n") +
            handler + "tap_out:\n\treturn 0;\n}\n\n");
        out_.tailCallPrograms.push_back(name);
        it->second = "\tbpf_tail_call(ctx, &tap_handlers, " + std::to_string(index) + "); /* " + name + " */\n";
    }
    return it->second;
}

std::string Translator::genSyscallDispatch(const SyscallDispatch& d, ProgramSpec& spec) {
    const ResolvedProbe& first = *d.cases.front().second;
    spec.attach = {};
    spec.attach.kind = AttachSpec::Kind::Tracepoint;
    spec.probe = &first;
    if (d.ownTracepoint.empty()) {
        spec.attach.target = d.isReturn ? "raw_syscalls/sys_exit" : "raw_syscalls/sys_enter";
        spec.pointText = first.derivation + " (" + std::to_string(d.cases.size()) + " system calls by number, on " +
                         spec.attach.target + ")";
    } else {
        spec.attach.target = d.ownTracepoint;
        spec.pointText = first.point.str() + " <- " + first.derivation;
    }
    kernel::Btf* btf = kernel::Btf::vmlinux();
    noteKernelMember(taskStructType(), "thread_info");
    noteKernelMember(btf->strip(btf->findType("struct thread_info")), "status");
    std::vector<std::pair<std::string, Type>> shared;
    std::vector<const ResolvedProbe*> points;
    for (const auto& [number, p] : d.cases)
        points.push_back(p);
    bool sharing = sharesHandler(points, shared);
    // The shared variables take the first slots, in the same order in
    // every case and in the handler after the switch.
    auto placeShared = [&](const ResolvedProbe& p) {
        resetSlots();
        for (const auto& [name, type] : shared)
            for (const VarDecl* l : p.locals)
                if (l->name == name)
                    type == Type::String ? localS(l) : localL(l);
    };
    std::ostringstream body;
    bool switching = d.ownTracepoint.empty();
    body << cComment(spec.pointText) << "\nSEC(\"" << spec.attach.section() << "\")\nint " << spec.function
         << "(void *ctx)\n{\n"
         << handlerStart(first, false);
    if (switching)
        // TS_COMPAT: a 32-bit call, numbered otherwise, which the syscalls
        // tracepoints do not report either.
        body << "\tif (BPF_CORE_READ((struct task_struct *)bpf_get_current_task(), thread_info.status) & 0x0002)\n"
             << "\t\treturn 0;\n"
             << "\tswitch (*(__s64 *)((char *)ctx + 8)) { /* the call's number */\n";
    for (const auto& [number, p] : d.cases) {
        probe_ = p;
        currentAttach_ = p->provider->attach(p->point);
        placeShared(*p);
        if (switching)
            body << "\tcase " << number << ": { " << cComment(p->point.str()) << "\n";
        else
            body << "\t{ " << cComment(p->point.str()) << "\n";
        body << "\t\tf->probe = " << probeIndex(*p) << ";\n";
        if (sharing) {
            for (const VarDecl* l : p->locals)
                body << "\t\t" << (l->type == Type::String ? localS(l) + "[0] = 0" : localL(l) + " = 0") << ";\n";
            if (p->condition)
                body << "\t\tif (!(" << genL(p->condition) << "))\n\t\t\treturn 0;\n";
            for (size_t i = 0; i < p->handlerIndex; ++i)
                genStmt(p->body->body[i], body, 2);
        } else {
            genHandler(*p, "", body, 2);
        }
        body << (switching ? "\t\tbreak;\n\t}\n" : "\t}\n");
        keepSlotHighWater();
    }
    if (switching)
        body << "\tdefault:\n\t\treturn 0;\n\t}\n";
    if (sharing) {
        probe_ = &first;
        currentAttach_ = first.provider->attach(first.point);
        placeShared(first);
        body << "\t/* the handler, the same for every call */\n";
        auto key = std::make_tuple(first.decl, d.isReturn, shared);
        auto made = dispatchHandlers_.find(key);
        if (made == dispatchHandlers_.end()) {
            sharedHandler_ = true;
            std::ostringstream handler;
            genStmt(first.body->body[first.handlerIndex], handler, 1);
            sharedHandler_ = false;
            keepSlotHighWater();
            std::string jump = handlerTailCall(handler.str());
            body << jump;
            if (jump != handler.str()) // a program of its own, jumped to from every program
                dispatchHandlers_.emplace(key, jump);
        } else {
            body << made->second;
        }
    }
    body << "tap_out:\n\treturn 0;\n}\n\n";
    return body.str();
}

// ------------------------------------------------------------------------ run

// Reads kernel memory for user-space probes: args[0] the address, args[1]
// the bytes of a number (1 to 8), args[2] nonzero for a string. User space
// runs it with BPF_PROG_TEST_RUN; nothing attaches it.
static const char* const kKernelReaderSource = R"(
struct tap_kread {
	__s64 result; /* bpf_probe_read_kernel(_str)'s */
	char data[TAP_STRLEN];
};
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tap_kread);
} tap_kread_map TAP_MAPS;

SEC("raw_tp")
int tap_kernel_read(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 zero = 0;
	struct tap_kread *r = bpf_map_lookup_elem(&tap_kread_map, &zero);
	if (!r)
		return 0;
	const void *addr = (const void *)ctx->args[0];
	if (ctx->args[2]) {
		r->result = bpf_probe_read_kernel_str(r->data, TAP_STRLEN, addr);
	} else {
		__u32 n = ctx->args[1] > 8 ? 8 : ctx->args[1] < 1 ? 1 : (__u32)ctx->args[1];
		r->result = bpf_probe_read_kernel(r->data, n, addr);
	}
	return 0;
}

)";

// Whether a user-space probe may read kernel memory: a reachable kernel
// reader function, or an @cast to a kernel type in a user-space probe or in
// a function (the kernel's own handlers read inline).
static bool readsKernelMemory(const Program& program) {
    static const std::set<std::string> readers = {"kernel_string", "kernel_string_n", "kernel_long", "kernel_int",
                                                  "kernel_short",  "kernel_char",     "kernel_pointer"};
    bool found = false;
    auto kernelCast = [&](Expr* e) {
        if (e->kind == ExprKind::Cast) {
            auto* c = static_cast<CastExpr*>(e);
            found = found || (!c->userTypes && !c->pureAddress && !c->components.empty());
        }
    };
    for (const FunctionDecl* f : program.functions) {
        if (f->embedded())
            found = found || readers.count(f->name);
        else if (f->body)
            walkExprs(f->body, kernelCast);
    }
    for (const ResolvedProbe& p : program.probes)
        if (p.site != ProbeSite::Kernel && p.body)
            walkExprs(p.body, kernelCast);
    return found;
}

void Translator::run() {
    out_.stringSize = roundUpPow2(options_.maxStringLen);
    declareGlobals();
    int index = 0;
    if (readsKernelMemory(program_)) {
        out_.kernelReader = true;
        programTexts_.push_back(kKernelReaderSource);
    }
    std::set<const ResolvedProbe*> dispatched;
    for (const SyscallDispatch& d : syscallDispatches(dispatched)) {
        ProgramSpec spec;
        spec.function = "tap_probe_" + std::to_string(index++);
        programTexts_.push_back(genSyscallDispatch(d, spec));
        out_.programs.push_back(spec);
    }
    for (const std::vector<const ResolvedProbe*>& points : sharedUprobes(dispatched)) {
        ProgramSpec spec;
        spec.function = "tap_probe_" + std::to_string(index++);
        programTexts_.push_back(genSharedUprobe(points, spec));
        out_.programs.push_back(spec);
    }
    for (const ResolvedProbe& p : program_.probes) {
        if (p.site != ProbeSite::Kernel || dispatched.count(&p))
            continue;
        entrySlots_.clear();
        std::string function = "tap_probe_" + std::to_string(index++);
        std::vector<const Expr*> entryExprs;
        std::vector<std::pair<bool, int>> entryWhere;
        AttachSpec attach = p.provider->attach(p.point);
        std::string entryProgram = genEntryProgram(p, attach, function, entryExprs, entryWhere);
        if (!entryProgram.empty())
            programTexts_.push_back(entryProgram);
        probe_ = &p;
        ProgramSpec spec;
        spec.function = function;
        spec.attach = attach;
        currentAttach_ = spec.attach;
        spec.probe = &p;
        spec.pointText = p.point.str();
        if (spec.attach.kind == AttachSpec::Kind::None)
            error("probe point '" + spec.pointText + "' has no kernel attachment", p.loc);
        auto restore = [&] {
            return entryExprs.empty() ? std::string() : genEntryRestore(function, entryExprs, entryWhere);
        };
        programTexts_.push_back(genProgram(p, spec, restore));
        out_.programs.push_back(spec);
        if (spec.attach.existingTasks != AttachSpec::ExistingTasks::None) {
            ProgramSpec existing = spec;
            existing.function = function + "_existing";
            existing.attach.kind = AttachSpec::Kind::TaskIter;
            if (spec.attach.existingTasks == AttachSpec::ExistingTasks::AsExec)
                existing.attach.taskArgIndex = 0;
            currentAttach_ = existing.attach;
            programTexts_.push_back(genProgram(p, existing, restore));
            out_.programs.push_back(existing);
        }
    }
    // Functions and loops allocated their slots after the probes' counters
    // too; the frame holds the largest use.
    maxLong_ = std::max(maxLong_, nextLong_ + 1);
    maxString_ = std::max(maxString_, nextString_ + 1);

    std::ostringstream src;
    src << "/* Generated by tstap (pass 3). One BPF program per kernel probe. */\n"
        << "#define TAP_STRLEN " << out_.stringSize << "\n"
        << "#define TAP_RINGBUF_SIZE " << out_.ringbufSize << "\n"
        << (noteProcesses_ ? "#define TAP_NOTE_PROCESSES 1\n" : "") << "#include \"tapstudio.bpf.h\"\n"
        // A backtrace is taken once per hit (stap caches it too), whatever
        // asks for it: each program forgets the last hit's.
        << "#define TAP_HIT_START(f) " << (stackUsed_ ? "((f)->stack_kind = 0)" : "((void)0)") << "\n\n";
    // Kernel structs: only the members the script reads, relocated by CO-RE.
    // Reading the kernel's BTF costs milliseconds of start-up: only then.
    kernel::Btf* btf = kernelStructs_.empty() ? nullptr : kernel::Btf::vmlinux();
    // A member that embeds a named struct or union is declared with that
    // type (CO-RE matches a member's type by kind and name: a char array in
    // its place does not relocate), so that type is defined first, with the
    // members read through it (possibly none).
    // The named struct a member holds by value: itself, or an array's element.
    auto embedded = [&](int32_t type) -> int32_t {
        if (btf->kind(type) == kernel::Btf::Kind::Array)
            type = btf->pointee(type);
        kernel::Btf::Kind k = btf->kind(type);
        int32_t st = btf->strip(type);
        return (k == kernel::Btf::Kind::Struct || k == kernel::Btf::Kind::Union) && !btf->name(st).empty() ? st : 0;
    };
    std::map<int32_t, std::set<std::string>> structs = kernelStructs_;
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto& [id, used] : std::map<int32_t, std::set<std::string>>(structs))
            for (const std::string& m : used)
                if (int32_t inner = embedded(btf->member(id, m)->type); inner && !structs.count(inner)) {
                    structs[inner];
                    grew = true;
                }
    }
    std::set<int32_t> emitted;
    std::function<void(int32_t)> emit = [&](int32_t id) {
        if (!emitted.insert(id).second)
            return;
        const std::set<std::string>& used = structs[id];
        for (const std::string& m : used)
            if (int32_t inner = embedded(btf->member(id, m)->type))
                emit(inner);
        bool isUnion = btf->kind(id) == kernel::Btf::Kind::Union;
        src << (isUnion ? "union " : "struct ") << btf->name(id) << " {\n";
        for (const std::string& m : used) {
            auto mem = btf->member(id, m);
            kernel::Btf::Kind k = btf->kind(mem->type);
            int64_t size = btf->size(mem->type);
            if (k == kernel::Btf::Kind::Pointer) {
                int32_t target = btf->strip(btf->pointee(mem->type));
                kernel::Btf::Kind tk = btf->kind(target);
                std::string tname = btf->name(target);
                if ((tk == kernel::Btf::Kind::Struct || tk == kernel::Btf::Kind::Union) && !tname.empty())
                    src << "\t" << (tk == kernel::Btf::Kind::Union ? "union " : "struct ") << tname << " *" << m << ";\n";
                else
                    src << "\tvoid *" << m << ";\n";
            } else if (int32_t inner = embedded(mem->type)) {
                src << "\t" << (btf->kind(inner) == kernel::Btf::Kind::Union ? "union " : "struct ") << btf->name(inner)
                    << " " << m;
                if (k == kernel::Btf::Kind::Array)
                    src << "[" << btf->arrayLength(mem->type) << "]";
                src << ";\n";
            } else if (k == kernel::Btf::Kind::Array &&
                       btf->kind(btf->pointee(mem->type)) == kernel::Btf::Kind::Pointer) {
                // Pointers: CO-RE checks that the element kinds agree.
                src << "\tvoid *" << m << "[" << btf->arrayLength(mem->type) << "];\n";
            } else if (k == kernel::Btf::Kind::Struct || k == kernel::Btf::Kind::Union) {
                // An anonymous one (kuid_t's): its members are read at their
                // offsets (genMemberPath); CO-RE relocates the member itself
                // when its kind agrees.
                src << "\t" << (k == kernel::Btf::Kind::Union ? "union" : "struct") << " { } " << m << ";\n";
            } else if (k == kernel::Btf::Kind::Array) {
                src << "\tchar " << m << "[" << size << "];\n";
            } else {
                bool sign = btf->isSigned(mem->type);
                src << "\t" << (sign ? "__s" : "__u") << (size == 1 || size == 2 || size == 4 ? std::to_string(size * 8) : "64")
                    << " " << m;
                if (mem->bitfieldSize)
                    src << ":" << mem->bitfieldSize;
                src << ";\n";
            }
        }
        src << "} __attribute__((preserve_access_index));\n\n";
    };
    for (const auto& [id, used] : structs)
        emit(id);
    src << maps_.str() << "\n";
    if (!handlerProgramTexts_.empty())
        src << "struct {\n\t__uint(type, BPF_MAP_TYPE_PROG_ARRAY);\n\t__uint(max_entries, " << handlerProgramTexts_.size()
            << ");\n\t__type(key, __u32);\n\t__type(value, __u32);\n} tap_handlers TAP_MAPS;\n\n";
    src << "struct tap_frame {\n\t__s64 busy; /* a handler runs on this CPU */\n\t__s64 abort; /* 1 error, 2 next, 3 error for a try further up */\n\t__s64 trydepth;\n\t__s64 probe; /* the running program's index in tap_pp_table */\n\tchar errmsg[TAP_STRLEN];\n\t__s64 l[" << maxLong_ << "];\n\tchar s[" << maxString_
        << "][2 * TAP_STRLEN];\n\t__s64 fl[" << std::max(fnNextLong_, 1) << "];\n\tchar fs["
        << std::max(fnNextString_, 1) << "][2 * TAP_STRLEN];\n";
    for (const auto& [member, unused] : frameKeys_)
        src << "\t" << member << ";\n";
    if (stackUsed_)
        src << "\t__u64 stack[TAP_MAXBACKTRACE];\n\t__s64 stack_kind, stack_count; /* what f->stack holds this hit */\n";
    if (noteProcesses_)
        src << "\tstruct bpf_stack_build_id stack_ids[TAP_MAXBACKTRACE];\n";
    src << "};\n"
        << "struct {\n\t__uint(type, BPF_MAP_TYPE_ARRAY);\n\t__uint(max_entries, 512);\n\t__type(key, __u32);\n"
        << "\t__type(value, struct tap_frame);\n} tap_frames TAP_MAPS;\n\n"
        << "static __always_inline void tap_release_frame(struct tap_frame **held)\n{\n\t(*held)->busy = 0;\n}\n\n"
        << zeroingHelpers()
        << "struct tap_loopctx { struct tap_frame *f; void *ctx; struct tap_scalars *g; int done, broke, returned; };\n\n"
        << "static __always_inline void tap_emit_error_text(__u32 id, const char *text)\n{\n"
        << "\tstruct { struct tap_rec_head h; char text[TAP_STRLEN]; } *r = bpf_ringbuf_reserve(&tap_events, sizeof(*r), 0);\n"
        << "\tif (!r) { tap_count_drop(); return; }\n\tr->h.kind = TAP_REC_ERROR; r->h.id = id;\n"
        << "\tbpf_probe_read_kernel_str(r->text, TAP_STRLEN, text);\n\tbpf_ringbuf_submit(r, 0);\n}\n\n";
    if (numaSymbolsUsed_)
        src << kAddrToNode;
    src << rodata_.str() << "\n" << (mappingHelpersUsed_ ? kFileNameHash : "") << (moduleBiasUsed_ ? kModuleBiasHelper : "") << (userUnwinderUsed_ ? kUserUnwinder : "") << probeTables() << funcs_.str();
    out_.sharedSource = src.str();
    out_.sharedDeclarations = out_.sharedSource;
    for (const auto& [definition, declaration] : globalDefinitions_) {
        size_t at = out_.sharedDeclarations.find(definition);
        if (at != std::string::npos)
            out_.sharedDeclarations.replace(at, definition.size(), declaration);
    }
    programTexts_.insert(programTexts_.end(), handlerProgramTexts_.begin(), handlerProgramTexts_.end());
    out_.programSources = programTexts_;
    for (const std::string& program : programTexts_)
        src << program;
    src << kLicense;
    out_.source = src.str();
}

} // namespace detail

uint64_t mappedFileNameHash(const std::string& path) {
    uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : path.substr(path.rfind('/') + 1).substr(0, 63))
        h = (h ^ c) * 1099511628211ULL;
    return h;
}

bool translate(const Program& program, const TranslateOptions& options, DiagnosticSink& diags,
               Translation& out) {
    detail::Translator t(program, options, out);
    try {
        t.run();
    } catch (const detail::TranslateError& e) {
        diags.error(Phase::Other, e.message, e.loc);
        return false;
    }
    return true;
}

} // namespace tap::bpf
