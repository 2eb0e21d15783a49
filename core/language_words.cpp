#include "language_words.h"

namespace tap {

std::span<const KeywordSpelling> keywordSpellings() {
    static constexpr KeywordSpelling kWords[] = {
        {"probe", Kw::Probe},       {"global", Kw::Global},   {"private", Kw::Private},
        {"function", Kw::Function}, {"if", Kw::If},           {"else", Kw::Else},
        {"for", Kw::For},           {"foreach", Kw::Foreach}, {"in", Kw::In},
        {"limit", Kw::Limit},       {"return", Kw::Return},   {"delete", Kw::Delete},
        {"while", Kw::While},       {"break", Kw::Break},     {"continue", Kw::Continue},
        {"next", Kw::Next},         {"try", Kw::Try},         {"catch", Kw::Catch},
        {"string", Kw::String},     {"long", Kw::Long},
    };
    return kWords;
}

std::span<const PrintFunction> printFunctions() {
    static constexpr PrintFunction kPrints[] = {
        {"printf", PrintKind::Printf},   {"sprintf", PrintKind::Sprintf},
        {"print", PrintKind::Print},     {"println", PrintKind::Println},
        {"printd", PrintKind::Printd},   {"printdln", PrintKind::Printdln},
        {"sprint", PrintKind::Sprint},   {"sprintln", PrintKind::Sprintln},
        {"sprintd", PrintKind::Sprintd}, {"sprintdln", PrintKind::Sprintdln},
    };
    return kPrints;
}

std::span<const std::string_view> atOperators() {
    static constexpr std::string_view kOperators[] = {
        "@count",     "@sum",       "@min",         "@max",    "@avg",
        "@variance",  "@hist_log",  "@hist_linear", "@cast",   "@var",
        "@defined",   "@entry",     "@probewrite",  "@perf",   "@const",
        "@kregister", "@uregister", "@kderef",      "@uderef",
    };
    return kOperators;
}

} // namespace tap
