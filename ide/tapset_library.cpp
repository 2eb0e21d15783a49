#include "tapset_library.h"

#include "frontend.h"

#include <algorithm>
#include <chrono>
#include <sstream>

namespace tapide {

namespace {

std::string trim(std::string_view s) {
    size_t a = 0, b = s.size();
    while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r'))
        ++a;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r'))
        --b;
    return std::string(s.substr(a, b - a));
}

void appendText(std::string& to, const std::string& more) {
    if (more.empty())
        return;
    if (!to.empty() && to.back() != '\n')
        to += ' ';
    to += more;
}

const char* typeText(tap::Type t) {
    switch (t) {
    case tap::Type::Long: return "long";
    case tap::Type::String: return "string";
    case tap::Type::Stats: return "stats";
    case tap::Type::Unknown: break;
    }
    return "";
}

size_t offsetOf(std::string_view text, const tap::SourceLoc& loc) {
    size_t line = 1, i = 0;
    while (i < text.size() && line < loc.line) {
        if (text[i] == '\n')
            ++line;
        ++i;
    }
    return std::min(text.size(), i + (loc.col ? loc.col - 1 : 0));
}

size_t lineStartOf(std::string_view text, size_t offset) {
    while (offset > 0 && text[offset - 1] != '\n')
        --offset;
    return offset;
}

} // namespace

std::string DocComment::paramDoc(const std::string& name) const {
    for (const auto& [n, d] : params)
        if (n == name)
            return d;
    return {};
}

DocComment parseDocComment(std::string_view comment) {
    DocComment doc;
    if (comment.substr(0, 3) == "/**")
        comment.remove_prefix(3);
    if (comment.size() >= 2 && comment.substr(comment.size() - 2) == "*/")
        comment.remove_suffix(2);
    std::vector<std::string> lines;
    size_t pos = 0;
    while (pos <= comment.size()) {
        size_t nl = comment.find('\n', pos);
        std::string line = trim(comment.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
        if (!line.empty() && line[0] == '*')
            line = trim(std::string_view(line).substr(1));
        lines.push_back(line);
        if (nl == std::string_view::npos)
            break;
        pos = nl + 1;
    }
    enum { Head, Params, Body } state = Head;
    std::string* current = nullptr;
    for (const std::string& line : lines) {
        if (state == Head) {
            if (line.empty())
                continue;
            // "sfunction strlen - summary", "probe scheduler.ctxswitch - summary",
            // "function::name - summary"; a summary without a heading also works.
            size_t dash = line.find(" - ");
            doc.summary = dash == std::string::npos ? line : trim(std::string_view(line).substr(dash + 3));
            current = &doc.summary;
            state = Params;
            continue;
        }
        if (line.empty()) {
            current = nullptr;
            if (state == Body && !doc.description.empty() && doc.description.back() != '\n')
                doc.description += "\n";
            continue;
        }
        if (line[0] == '@') {
            size_t colon = line.find(':');
            if (colon != std::string::npos && line.find(' ') > colon) {
                doc.params.push_back({line.substr(1, colon - 1), trim(std::string_view(line).substr(colon + 1))});
                current = &doc.params.back().second;
                continue;
            }
        }
        if (line.rfind("Description:", 0) == 0) {
            state = Body;
            appendText(doc.description, trim(std::string_view(line).substr(12)));
            current = &doc.description;
            continue;
        }
        if (current) {
            appendText(*current, line);
        } else {
            state = Body;
            appendText(doc.description, line);
            current = &doc.description;
        }
    }
    while (!doc.description.empty() && doc.description.back() == '\n')
        doc.description.pop_back();
    return doc;
}

std::string_view docCommentBefore(std::string_view text, size_t declStart) {
    size_t end = std::min(declStart, text.size());
    while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\n' ||
                       text[end - 1] == '\r'))
        --end;
    if (end < 2 || text.substr(end - 2, 2) != "*/")
        return {};
    size_t start = text.rfind("/*", end - 2);
    if (start == std::string_view::npos || text.substr(start, 3) != "/**")
        return {};
    return text.substr(start, end - start);
}

std::string TapsetFunction::callSignature() const {
    std::string s = name + "(";
    for (size_t i = 0; i < params.size(); ++i) {
        if (i)
            s += ", ";
        s += params[i].name;
        if (!params[i].type.empty())
            s += ":" + params[i].type;
    }
    return s + ")";
}

std::string TapsetFunction::signature() const {
    std::string s = name;
    if (!returnType.empty())
        s += ":" + returnType;
    s += " (";
    for (size_t i = 0; i < params.size(); ++i) {
        if (i)
            s += ", ";
        s += params[i].name;
        if (!params[i].type.empty())
            s += ":" + params[i].type;
    }
    return s + ")";
}

struct LibraryBuilder {
    static std::shared_ptr<TapsetLibrary> collect(tap::Frontend& fe,
                                                        const std::vector<std::unique_ptr<tap::FileAst>>& files) {
        auto lib = std::make_shared<TapsetLibrary>();
        for (const auto& f : files) {
            std::string_view text = fe.sources().text(f->file);
            const std::string& path = fe.sources().name(f->file);
            for (const tap::FunctionDecl* fn : f->functions) {
                TapsetFunction tf;
                tf.name = fn->name;
                for (const tap::VarDecl* p : fn->params)
                    tf.params.push_back({p->name, p->declaredType ? typeText(p->type) : ""});
                if (fn->declaredReturnType)
                    tf.returnType = typeText(fn->returnType);
                tf.file = path;
                tf.line = int(fn->loc.line);
                tf.embedded = fn->embedded();
                tf.internal = fn->isPrivate || fn->name.empty() || fn->name[0] == '_';
                std::string_view comment = docCommentBefore(text, lineStartOf(text, offsetOf(text, fn->loc)));
                if (!comment.empty())
                    tf.doc = parseDocComment(comment);
                lib->functions_.push_back(std::move(tf));
            }
            for (const tap::AliasDecl* a : f->aliases) {
                std::string_view comment = docCommentBefore(text, lineStartOf(text, offsetOf(text, a->loc)));
                DocComment doc = comment.empty() ? DocComment{} : parseDocComment(comment);
                for (const tap::ProbePoint* name : a->names) {
                    TapsetAlias ta;
                    ta.point = name->str();
                    if (!a->targets.empty())
                        ta.target = a->targets.front()->str();
                    ta.doc = doc;
                    ta.file = path;
                    ta.line = int(a->loc.line);
                    ta.internal = a->isPrivate || ta.point.empty() || ta.point[0] == '_';
                    lib->aliases_.push_back(std::move(ta));
                }
            }
        }
        std::stable_sort(lib->functions_.begin(), lib->functions_.end(),
                         [](const TapsetFunction& a, const TapsetFunction& b) { return a.name < b.name; });
        std::stable_sort(lib->aliases_.begin(), lib->aliases_.end(),
                         [](const TapsetAlias& a, const TapsetAlias& b) { return a.point < b.point; });
        for (size_t i = 0; i < lib->functions_.size(); ++i)
            lib->byName_.emplace(lib->functions_[i].name, i);
        return lib;
    }
};

std::shared_ptr<const TapsetLibrary> TapsetLibrary::build() {
    auto start = std::chrono::steady_clock::now();
    tap::CompileOptions options;
    options.unoptimized = true;
    tap::Frontend fe(options);
    fe.addScriptText("<library>", "probe never {}\n");
    fe.elaborate();
    auto lib = LibraryBuilder::collect(fe, fe.libraryFiles());
    lib->buildMs_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return lib;
}

std::shared_ptr<const TapsetLibrary> TapsetLibrary::fromTexts(
    const std::vector<std::pair<std::string, std::string>>& files) {
    tap::CompileOptions options;
    tap::Frontend fe(options);
    for (const auto& [name, text] : files)
        fe.addScriptText(name, text);
    fe.parse();
    return LibraryBuilder::collect(fe, fe.scriptFiles());
}

std::vector<const TapsetFunction*> TapsetLibrary::overloads(std::string_view name) const {
    std::vector<const TapsetFunction*> out;
    auto [a, b] = byName_.equal_range(name);
    for (auto it = a; it != b; ++it)
        out.push_back(&functions_[it->second]);
    return out;
}

const TapsetFunction* TapsetLibrary::function(std::string_view name, int arity) const {
    const TapsetFunction* first = nullptr;
    for (const TapsetFunction* f : overloads(name)) {
        if (arity < 0 || int(f->params.size()) == arity)
            return f;
        if (!first)
            first = f;
    }
    return first;
}

const TapsetAlias* TapsetLibrary::alias(std::string_view point) const {
    auto it = std::lower_bound(aliases_.begin(), aliases_.end(), point,
                               [](const TapsetAlias& a, std::string_view p) { return a.point < p; });
    return it != aliases_.end() && it->point == point ? &*it : nullptr;
}

} // namespace tapide
