// Prints a tree the way `stap -p1` does ("# parse tree dump").
#pragma once

#include "ast.h"

#include <ostream>

namespace tap {

void printExpr(std::ostream& o, const Expr* e);
void printStmt(std::ostream& o, const Stmt* s);
void printProbePoint(std::ostream& o, const ProbePoint& p);
void printFunctionHeader(std::ostream& o, const FunctionDecl& f);
void printFile(std::ostream& o, const FileAst& file);

} // namespace tap
