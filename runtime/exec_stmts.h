// Statement nodes, calls and printing of the user-space executor.
#pragma once

#include "exec_nodes.h"
#include "stack_json.h"

namespace tap::rt {

struct CompiledFunction {
    const FunctionDecl* decl = nullptr;
    std::string name;
    Type returnType = Type::Unknown;
    std::vector<Type> paramTypes;
    std::vector<int> paramSlots; // frame slot of each parameter
    int longSlots = 0, stringSlots = 0;
    StmtNode* body = nullptr;
    NativeFn native = nullptr;
};

// Evaluated arguments of a call.
struct ArgValues {
    int64_t l[16] = {};
    std::string s[16];
};

struct CallArgs {
    std::vector<LNode*> longs;
    std::vector<SNode*> strings;
    std::vector<bool> isString;
    void eval(Ctx& c, ArgValues& out) const {
        for (size_t i = 0; i < isString.size(); ++i) {
            if (isString[i])
                out.s[i] = strings[i]->eval(c);
            else
                out.l[i] = longs[i]->eval(c);
        }
    }
};

// Runs a script function's overload chain (or a builtin); leaves the result
// in c.retL / c.retS. Returns Flow::Next when every overload said `next`.
Flow callFunction(Ctx& c, const std::vector<CompiledFunction*>& overloads, ArgValues& args,
                  const SourceLoc& loc);

struct CallL : LNode {
    std::vector<CompiledFunction*> overloads;
    CallArgs args;
    int64_t eval(Ctx& c) override {
        ArgValues v;
        args.eval(c, v);
        callFunction(c, overloads, v, loc);
        return c.retL;
    }
};
struct CallS : SNode {
    std::vector<CompiledFunction*> overloads;
    CallArgs args;
    std::string eval(Ctx& c) override {
        ArgValues v;
        args.eval(c, v);
        callFunction(c, overloads, v, loc);
        return std::move(c.retS);
    }
};

// print/println/printd/printdln/printf and their sprint forms.
struct PrintArgs {
    PrintKind kind;
    std::vector<FormatPiece> pieces; // printf
    std::string delimiter;           // printd
    CallArgs args;
    std::vector<StatRef*> histograms; // print(@hist_*(x)): one entry, others null
    std::vector<HistogramShape> histShapes;
    std::vector<SourceLoc> histLocs; // where each @hist_* is, for "empty aggregate"
    uint32_t formatId = 0; // printf: its id in the --json "formats" table
    // printf arguments that print a stack (sprint_stack(list), ...): the
    // argument's node gives the hex list, named here; its frames travel in
    // the --json record.
    std::vector<StackArgument> stacks;
    // Evaluates the arguments, naming the stacks (into `printed` when given).
    void evalArgs(Ctx& c, ArgValues& v, std::vector<PrintedStack>* printed) const;
    // Prints to the session's output (a printf record in JSON mode).
    void emit(Ctx& c, const SourceLoc& loc) const;
    void render(Ctx& c, std::string& out, const SourceLoc& loc) const;
    void renderPlain(Ctx& c, std::string& out, bool delimited) const;
};
struct PrintL : LNode {
    PrintArgs p;
    int64_t eval(Ctx& c) override {
        p.emit(c, loc);
        return 0;
    }
};
struct SprintS : SNode {
    PrintArgs p;
    std::string eval(Ctx& c) override {
        std::string s;
        p.render(c, s, loc);
        if (int64_t(s.size()) > c.rt->limits.maxStringLen - 1)
            s.resize(size_t(c.rt->limits.maxStringLen - 1));
        return s;
    }
};

// ------------------------------------------------------------- statements

struct BlockN : StmtNode {
    std::vector<StmtNode*> body;
    Flow exec(Ctx& c) override {
        for (StmtNode* s : body) {
            Flow f = s->exec(c);
            if (f != Flow::Normal)
                return f;
        }
        return Flow::Normal;
    }
};
// An expression statement counts one action (stap's MAXACTION); the init
// and step expressions of a for loop are expressions, not statements, and
// count none (counts = false).
template <class Node> struct ExprStmtN : StmtNode {
    Node* e;
    bool counts = true;
    explicit ExprStmtN(Node* x) : e(x) {}
    Flow exec(Ctx& c) override {
        if (counts)
            tick(c, loc);
        e->eval(c);
        return Flow::Normal;
    }
};
using ExprL_N = ExprStmtN<LNode>;
using ExprS_N = ExprStmtN<SNode>;
struct IfN : StmtNode {
    LNode* cond;
    StmtNode* then;
    StmtNode* otherwise = nullptr;
    Flow exec(Ctx& c) override {
        tick(c, loc);
        if (cond->eval(c))
            return then->exec(c);
        return otherwise ? otherwise->exec(c) : Flow::Normal;
    }
};
struct ForN : StmtNode {
    StmtNode* init = nullptr;
    LNode* cond = nullptr;
    StmtNode* step = nullptr;
    StmtNode* body = nullptr;
    // Actions as stap counts them: one for the loop, one per evaluation of
    // the condition (the last, failing one too), and the body's.
    Flow exec(Ctx& c) override {
        if (init)
            init->exec(c);
        tick(c, loc);
        for (;;) {
            tick(c, loc);
            if (cond && !cond->eval(c))
                return Flow::Normal;
            Flow f = body->exec(c);
            if (f == Flow::Break)
                return Flow::Normal;
            if (f == Flow::Return || f == Flow::Next)
                return f;
            if (step)
                step->exec(c);
        }
    }
};
struct SimpleN : StmtNode {
    Flow flow;
    explicit SimpleN(Flow f) : flow(f) {}
    Flow exec(Ctx& c) override {
        tick(c, loc);
        return flow;
    }
};
struct NullN : StmtNode {
    Flow exec(Ctx&) override { return Flow::Normal; }
};
struct ReturnN : StmtNode {
    LNode* l = nullptr;
    SNode* s = nullptr;
    Flow exec(Ctx& c) override {
        tick(c, loc);
        if (l)
            c.retL = l->eval(c);
        else if (s)
            c.retS = s->eval(c);
        return Flow::Return;
    }
};
struct TryN : StmtNode {
    StmtNode* body;
    StmtNode* handler;
    bool hasVar = false;
    VarRef var;
    Flow exec(Ctx& c) override {
        tick(c, loc);
        size_t longTop = c.rt->longTop, stringTop = c.rt->stringTop;
        int64_t* L = c.L;
        std::string* S = c.S;
        int depth = c.depth;
        try {
            return body->exec(c);
        } catch (const ScriptError& e) {
            // Unwind frames of calls the error left.
            c.rt->longTop = longTop;
            c.rt->stringTop = stringTop;
            c.L = L;
            c.S = S;
            c.depth = depth;
            if (hasVar)
                var.s(c) = e.message;
        }
        // Catching counts one action, so a MAXACTION error cannot be
        // swallowed: the catch block fails at once (as in stap).
        tick(c, loc);
        return handler->exec(c);
    }
};
struct DeleteScalarN : StmtNode {
    VarRef ref;
    Type type;
    int stat = -1;
    Flow exec(Ctx& c) override {
        tick(c, loc);
        if (stat >= 0)
            c.rt->globalStats[size_t(stat)].stat.clear();
        else if (type == Type::String)
            ref.s(c).clear();
        else
            ref.l(c) = 0;
        return Flow::Normal;
    }
};
struct DeleteArrayN : StmtNode {
    ArrayStore* a;
    Flow exec(Ctx& c) override {
        tick(c, loc);
        a->clear();
        return Flow::Normal;
    }
};
struct DeleteElementN : StmtNode {
    ArrayStore* a;
    KeyNodes keys;
    bool wildcard = false;
    template <class V> void erase(Ctx& c, OrderedMap<V>& map) {
        if (!wildcard) {
            std::string k;
            keys.encode(c, k);
            map.erase(k);
            return;
        }
        for (uint32_t s : map.slots()) {
            std::string k = map.node(s).key;
            if (keyMatches(c, keys, k))
                map.erase(k);
        }
    }
    Flow exec(Ctx& c) override {
        tick(c, loc);
        switch (a->valueType) {
        case Type::String: erase(c, a->strings); break;
        case Type::Stats: erase(c, a->stats); break;
        default: erase(c, a->longs); break;
        }
        return Flow::Normal;
    }
};

struct ForeachN : StmtNode {
    ArrayStore* array = nullptr; // or a histogram:
    StatRef* hist = nullptr;
    KeyNodes slice;              // foreach (... in a[k, *])
    bool hasSlice = false;
    std::vector<VarRef> keyVars;
    std::vector<bool> keyIsString;
    bool hasValue = false;
    VarRef valueVar;
    Type valueType = Type::Long;
    int sortColumn = 0, sortDirection = 0;
    StatFn sortAggregate = StatFn::Count;
    LNode* limit = nullptr;
    StmtNode* body = nullptr;
    Flow exec(Ctx& c) override;
};

} // namespace tap::rt
