// Deep copies of statement trees: every derived probe gets its own copy of its
// handler (alias prologues and epilogues included), so its symbols and types
// are its own, as in stap.
#pragma once

#include "ast.h"

namespace tap {

Expr* cloneExpr(Arena& arena, const Expr* e);
Stmt* cloneStmt(Arena& arena, const Stmt* s);

} // namespace tap
