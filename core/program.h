// Pass 2's result: the probes that will run, with their handlers, and the
// globals and functions they reach, every symbol resolved and typed.
#pragma once

#include "ast.h"
#include "probe_provider.h"

#include <string>
#include <vector>

namespace tap {

struct ResolvedProbe {
    ConcretePoint point;
    const ProbeProvider* provider = nullptr;
    std::string derivation;  // the probe points as the user wrote them
    const ProbeDecl* decl = nullptr;
    BlockStmt* body = nullptr; // alias prologues + handler + epilogues, a private copy
    size_t handlerIndex = 0;   // which statement of body is the script's handler
    Expr* condition = nullptr;
    std::vector<VarDecl*> locals;
    std::vector<ContextVar> context; // $variables the point offers
    bool isReturn = false;
    bool viaAlias = false; // derived through a probe alias
    ProbeSite site = ProbeSite::UserSpace;
    // .return probes whose entry can be probed: that point and its
    // variables (for @entry(...) and entry-time $variables).
    bool hasEntryPoint = false;
    ConcretePoint entryPoint;
    std::vector<ContextVar> entryContext;
    SourceLoc loc;
    // For messages, quoted: 'kernel.trace("sched:sched_switch")' or, through
    // an alias, 'kernel.trace("sched:sched_switch")' (the expansion of 'scheduler.ctxswitch').
    std::string quoted() const {
        std::string own = "'" + point.str() + "'";
        return viaAlias ? own + " (the expansion of '" + derivation + "')" : own;
    }
};

struct Program {
    Arena arena; // nodes made by pass 2 (handler copies, locals)
    std::vector<VarDecl*> globals;
    std::vector<FunctionDecl*> functions; // reachable from a probe
    std::vector<ResolvedProbe> probes;
};

} // namespace tap
