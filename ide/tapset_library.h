// The tapset library as the IDE shows it: every function with its signature
// and /** */ doc, every probe alias with its doc. Built once, off the UI
// thread, from core's own parse of the bundled tapsets; immutable afterwards
// (shared between threads as shared_ptr<const TapsetLibrary>).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tapide {

// A /** */ comment in kernel-doc form, as the tapsets write them:
//   sfunction strlen - Returns the length of a string
//   @s: the string
//   Description: ...
struct DocComment {
    std::string summary;                                  // after " - "
    std::vector<std::pair<std::string, std::string>> params; // @name: text (in order)
    std::string description;                              // the rest, paragraphs joined
    bool empty() const { return summary.empty() && params.empty() && description.empty(); }
    std::string paramDoc(const std::string& name) const;
};

// Parses the text of a /** ... */ comment (with or without the delimiters).
DocComment parseDocComment(std::string_view comment);

// The /** */ comment that ends right before byte offset `declStart` (only
// whitespace between), or "" when there is none.
std::string_view docCommentBefore(std::string_view text, size_t declStart);

struct TapsetParam {
    std::string name;
    std::string type; // "long", "string", or "" when inferred
};

struct TapsetFunction {
    std::string name;
    std::vector<TapsetParam> params;
    std::string returnType; // "long", "string", "" (none / inferred)
    DocComment doc;
    std::string file; // path of the tapset file
    int line = 0;
    bool embedded = false; // body is %{ %} (or a builtin)
    bool internal = false; // private, or a _name the library uses internally

    // "substr:string (str:string, start:long, length:long)"
    std::string signature() const;
    // "substr(str:string, start:long, length:long)"
    std::string callSignature() const;
};

struct TapsetAlias {
    std::string point;  // scheduler.ctxswitch, syscall.open.return
    std::string target; // what it expands to (the first target point)
    DocComment doc;
    std::string file;
    int line = 0;
    bool internal = false;
};

class TapsetLibrary {
public:
    // Parses the bundled tapsets (and TAPSTUDIO_TAPSETS) with tap::Frontend.
    static std::shared_ptr<const TapsetLibrary> build();
    // For tests: a library from script texts (name -> text).
    static std::shared_ptr<const TapsetLibrary> fromTexts(
        const std::vector<std::pair<std::string, std::string>>& files);

    const std::vector<TapsetFunction>& functions() const { return functions_; } // sorted by name
    const std::vector<TapsetAlias>& aliases() const { return aliases_; }       // sorted by point
    // Every overload of `name` (same name, any arity), in library order.
    std::vector<const TapsetFunction*> overloads(std::string_view name) const;
    const TapsetFunction* function(std::string_view name, int arity = -1) const;
    const TapsetAlias* alias(std::string_view point) const;
    double buildMs() const { return buildMs_; }

private:
    std::vector<TapsetFunction> functions_;
    std::vector<TapsetAlias> aliases_;
    std::multimap<std::string, size_t, std::less<>> byName_;
    double buildMs_ = 0;
    friend struct LibraryBuilder;
};

} // namespace tapide
