// Pass 2: resolves probe points (aliases, wildcards, ? and !), symbols and
// functions, elides dead code as stap does, and infers every type.
#pragma once

#include "frontend.h"

#include <functional>

namespace tap {

// Parses a provider's prologue (script statements) into a block that lives
// as long as the program; null when the text does not parse.
using SnippetParser = std::function<BlockStmt*(const std::string& text, const std::string& origin)>;

std::unique_ptr<Program> elaborateProgram(const std::vector<FileAst*>& scriptFiles,
                                          const std::vector<FileAst*>& libraryFiles,
                                          const ProbeRegistry& registry,
                                          const CompileOptions& options, DiagnosticSink& diags,
                                          SnippetParser parseSnippet = nullptr);

} // namespace tap
