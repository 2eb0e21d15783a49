#include "diagnostics.h"

#include <algorithm>

namespace tap {

Diagnostic& DiagnosticSink::error(Phase phase, std::string message, SourceLoc loc,
                                  std::string subject) {
    ++errors_;
    list_.push_back({Severity::Error, phase, std::move(message), loc, std::move(subject), {}});
    return list_.back();
}

Diagnostic& DiagnosticSink::warning(std::string message, SourceLoc loc, std::string subject) {
    list_.push_back(
        {Severity::Warning, Phase::Other, std::move(message), loc, std::move(subject), {}});
    return list_.back();
}

void DiagnosticSink::promoteWarnings() {
    for (Diagnostic& d : list_)
        if (d.severity == Severity::Warning) {
            d.severity = Severity::Error;
            ++errors_;
        }
}

std::string formatLocation(const SourceLoc& loc, const SourceManager& sm) {
    if (!loc.valid())
        return {};
    return sm.name(loc.file) + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.col);
}

namespace {

// Appends "<label> <source line>\n<caret>\n", the caret under loc.col. A
// long line (a generated script, a binary file) shows a window around the
// column, and control bytes show as '?', so the terminal gets one readable
// line.
void appendSource(std::string& out, const char* label, const SourceLoc& loc,
                  const SourceManager& sm) {
    if (!loc.valid())
        return;
    constexpr size_t kWidth = 160;
    std::string_view line = sm.lineText(loc.file, loc.line);
    size_t col = loc.col ? loc.col - 1 : 0;
    size_t from = line.size() > kWidth && col > kWidth / 2 ? std::min(col - kWidth / 2, line.size() - kWidth) : 0;
    std::string_view shown = line.substr(from, kWidth);
    std::string lead = from ? "..." : "";
    out += label + lead;
    for (char c : shown)
        out += (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f ? '?' : c;
    if (from + shown.size() < line.size())
        out += "...";
    out += '\n';
    std::string caret(std::string_view(label).size() + lead.size(), ' ');
    for (size_t i = from; i < col && i < from + shown.size(); ++i)
        caret += line[i] == '\t' ? '\t' : ' ';
    out += caret + "^\n";
}

std::string prefix(const Diagnostic& d) {
    if (d.severity == Severity::Warning)
        return "WARNING: ";
    switch (d.phase) {
    case Phase::Parse:
        return "parse error: ";
    case Phase::Semantic:
        return "semantic error: ";
    case Phase::Other:
        break;
    }
    return "ERROR: ";
}

void formatOne(std::string& out, const Diagnostic& d, const SourceManager& sm) {
    out += prefix(d) + d.message;
    if (d.phase == Phase::Parse && d.severity == Severity::Error) {
        out += '\n';
        if (!d.subject.empty() || d.loc.valid()) {
            out += "        saw: " + (d.subject.empty() ? std::string("input") : d.subject);
            if (d.loc.valid())
                out += " at " + formatLocation(d.loc, sm);
            out += '\n';
        }
        appendSource(out, "     source: ", d.loc, sm);
    } else {
        if (!d.subject.empty())
            out += ": " + d.subject;
        if (d.loc.valid())
            out += " at " + formatLocation(d.loc, sm);
        out += '\n';
        appendSource(out, d.severity == Severity::Warning ? " source: " : "        source: ", d.loc,
                     sm);
        if (d.severity == Severity::Error && d.phase == Phase::Semantic)
            out += '\n'; // stap ends each semantic error (and note) with an empty line
    }
}

} // namespace

std::string formatDiagnostic(const Diagnostic& d, const SourceManager& sm) {
    std::string out;
    formatOne(out, d, sm);
    for (const Diagnostic& n : d.notes)
        formatOne(out, n, sm);
    return out;
}

} // namespace tap
