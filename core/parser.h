// Pass 1c: builds a FileAst from the preprocessed token stream. Recovers after
// an error at the next statement or declaration, so one run reports every
// error and the IDE gets a tree for the rest of the file.
#pragma once

#include "ast.h"
#include "diagnostics.h"
#include "preprocessor.h"
#include "target_info.h"

#include <memory>
#include <string>
#include <vector>

namespace tap {

struct ParseOptions {
    const TargetInfo* target = nullptr;           // required
    MacroTable* libraryMacros = nullptr;          // required; .stpm files add to it
    const std::vector<std::string>* args = nullptr; // script arguments
    bool guru = false;                            // -g: embedded code allowed
};

std::unique_ptr<FileAst> parseFile(const SourceManager& sm, FileId file, DiagnosticSink& diags,
                                   const ParseOptions& options);

// Parses a literal as stap does: decimal, 0x hex, 0 octal; values up to
// 2^64-1 wrap to negative. Returns false when invalid or out of range.
bool parseNumberLiteral(std::string_view text, int64_t& value);

} // namespace tap
