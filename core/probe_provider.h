// The families of probe points. Each family (begin, timer, kernel.trace, ...)
// is a ProbeProvider registered in a ProbeRegistry; the elaborator resolves
// script probe points against the registry and the tapset aliases only, so new
// families are added without touching the elaborator.
#pragma once

#include "ast.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tap {

enum class ArgKind : uint8_t { None, Number, String };

struct PatternComponent {
    std::string functor;
    ArgKind arg = ArgKind::None;
};

// One shape a provider serves, e.g. timer.ms(NUMBER).randomize(NUMBER).
struct ProbePattern {
    std::vector<PatternComponent> components;
    std::string doc; // one line for listings and the IDE catalogue
};

// A probe point after matching: every component concrete, arguments literal.
struct ConcreteComponent {
    std::string functor;
    std::optional<int64_t> number;
    std::optional<std::string> string;
};

struct ConcretePoint {
    std::vector<ConcreteComponent> components;
    std::string str() const; // timer.ms(100)
};

// A context variable of a probe ($name or a tapset-style local).
struct ContextVar {
    std::string name; // "$prev", "$$parms", ...
    Type type = Type::Long;
    std::string cType; // e.g. "struct task_struct*", for -L listings and hints
};

enum class ProbeSite : uint8_t { UserSpace, Kernel };

class ProbeProvider {
public:
    virtual ~ProbeProvider() = default;
    virtual std::string family() const = 0;
    virtual std::vector<ProbePattern> patterns() const = 0;
    // Checks a matched point (argument ranges ...); returns an error text or "".
    virtual std::string check(const ConcretePoint& point) const { return {}; }
    // The $variables a handler of this point may read.
    virtual std::vector<ContextVar> contextVariables(const ConcretePoint& point) const { return {}; }
    virtual ProbeSite site(const ConcretePoint& point) const { return ProbeSite::UserSpace; }
    // True for .return-style points where @entry is valid.
    virtual bool isReturnProbe(const ConcretePoint& point) const { return false; }
};

class ProbeRegistry {
public:
    void add(std::unique_ptr<ProbeProvider> provider);
    struct Match {
        const ProbeProvider* provider;
        ConcretePoint point;
    };
    // Every concrete point the pattern-with-wildcards `point` names. `error`
    // is set when a point matches a shape but fails the provider's check.
    std::vector<Match> match(const ProbePoint& point, std::string& error) const;
    const std::vector<std::unique_ptr<ProbeProvider>>& providers() const { return providers_; }

    // begin, end, error, never, timer.*
    static ProbeRegistry withBuiltinProviders();

private:
    std::vector<std::unique_ptr<ProbeProvider>> providers_;
};

// fnmatch-style match of one probe point component name (`*` wildcards).
bool componentMatches(const std::string& pattern, const std::string& name);

} // namespace tap
