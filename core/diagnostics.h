// One type for every error and warning of every pass, printed the way stap
// prints them and consumed unchanged by the IDE.
#pragma once

#include "source.h"

#include <string>
#include <vector>

namespace tap {

enum class Severity { Error, Warning };
enum class Phase { Parse, Semantic, Other };

struct Diagnostic {
    Severity severity = Severity::Error;
    Phase phase = Phase::Other;
    std::string message;
    SourceLoc loc;
    // What the diagnostic points at, e.g. "identifier 'x'" or "operator '('".
    std::string subject;
    // Related locations, e.g. where a type was first inferred.
    std::vector<Diagnostic> notes;
};

class DiagnosticSink {
public:
    Diagnostic& error(Phase phase, std::string message, SourceLoc loc, std::string subject = {});
    Diagnostic& warning(std::string message, SourceLoc loc, std::string subject = {});

    const std::vector<Diagnostic>& all() const { return list_; }
    size_t errorCount() const { return errors_; }
    size_t warningCount() const { return list_.size() - errors_; }
    bool hasErrors() const { return errors_ != 0; }
    void clear() {
        list_.clear();
        errors_ = 0;
    }
    // Turns every warning into an error (stap -W).
    void promoteWarnings();

private:
    std::vector<Diagnostic> list_;
    size_t errors_ = 0;
};

// "parse error: expected ...\n        saw: ... at f:1:2\n     source: ...\n        ^\n"
std::string formatDiagnostic(const Diagnostic& d, const SourceManager& sm);
std::string formatLocation(const SourceLoc& loc, const SourceManager& sm);

} // namespace tap
