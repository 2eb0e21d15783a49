// What the editor colours, computed from core's tokenizer: a style for every
// byte of a script and a fold level for every line. Plain C++ so that the
// QScintilla lexer (stp_lexer.h) stays a thin adapter and tests can check the
// classes directly.
#pragma once

#include <string_view>
#include <vector>

namespace tapide {

enum class StpStyle : int {
    Default = 0,
    Comment,        // # and // comments
    BlockComment,   // /* */
    DocComment,     // /** */
    Keyword,        // probe global function if else for foreach ... long string
    Identifier,
    Number,
    String,
    Operator,
    TargetVar,      // $var $$vars
    AtOperator,     // @cast @defined @count ... and @macro uses
    Preprocessor,   // %( %? %: %) and @define
    Function,       // a name called with ( or declared with `function`
    ProbePoint,     // the components of a probe point: kernel.trace syscall.open
    EmbeddedC,      // %{ ... %}: C code
    EmbeddedKeyword,
    EmbeddedComment,
    EmbeddedString,
    EmbeddedNumber,
    Error,          // a character the language does not have
    Count
};

const char* styleName(StpStyle style);

struct StyledSpan {
    int start = 0; // byte offset
    int length = 0;
    StpStyle style = StpStyle::Default;
};

struct LineFold {
    int level = 0;       // brace/comment depth at the start of the line
    bool header = false; // a fold starts on this line
};

struct Highlighting {
    std::vector<StyledSpan> spans; // contiguous, covering the whole text
    std::vector<LineFold> folds;   // one per line
};

Highlighting highlight(std::string_view text);

// The style at a byte offset (for tests and hover): linear search.
StpStyle styleAt(const Highlighting& h, int offset);

} // namespace tapide
