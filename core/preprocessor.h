// Pass 1b: @define macros and %( %? %: %) conditionals over the lexer's tokens.
#pragma once

#include "diagnostics.h"
#include "lexer.h"
#include "target_info.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tap {

struct MacroDef {
    std::string name;
    std::vector<std::string> params;
    std::vector<Token> body;
    SourceLoc loc;
};

// Macros of library .stpm files: visible in every file. A script file's own
// macros are local to it.
using MacroTable = std::map<std::string, std::shared_ptr<const MacroDef>, std::less<>>;

class Preprocessor {
public:
    Preprocessor(Lexer& lexer, DiagnosticSink& diags, const TargetInfo& target,
                 MacroTable& libraryMacros, bool definesLibraryMacros);

    Token next();

private:
    Token nextExpanded();   // raw tokens with macros expanded
    Token nextRaw();        // pending expansion tokens first, then the lexer
    void defineMacro(const Token& at);
    bool expandMacro(const Token& use);
    const MacroDef* findMacro(std::string_view name) const;
    void beginConditional(const Token& open);
    bool evalCondition(const Token& open, Token& stop);
    bool evalComparison(const std::vector<Token>& toks, size_t& i, const Token& stop);
    void skipBranch(bool stopAtElse, const Token& open);
    void error(const std::string& msg, const Token& t);

    Lexer& lexer_;
    DiagnosticSink& diags_;
    const TargetInfo& target_;
    MacroTable& libraryMacros_;
    bool definesLibraryMacros_;
    MacroTable localMacros_;

    struct Pending {
        std::vector<Token> tokens;
        size_t pos = 0;
    };
    std::vector<Pending> pending_;
    // One entry per open %( whose taken branch we are in: true once in %: part.
    std::vector<bool> conditionals_;
    size_t expansions_ = 0;
};

} // namespace tap
