// Pass 2: resolves probe points (aliases, wildcards, ? and !), symbols and
// functions, elides dead code as stap does, and infers every type.
#pragma once

#include "frontend.h"

namespace tap {

std::unique_ptr<Program> elaborateProgram(const std::vector<FileAst*>& scriptFiles,
                                          const std::vector<FileAst*>& libraryFiles,
                                          const ProbeRegistry& registry,
                                          const CompileOptions& options, DiagnosticSink& diags);

} // namespace tap
