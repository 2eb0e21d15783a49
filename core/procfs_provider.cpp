// procfs("NAME").read / .write (stapprobes): files the session serves, whose
// reading runs .read to make the text in $value and whose writing runs .write
// with the text written in $value. They run in the user-space executor; the
// session serves them over HTTP (tstap --http) at /procfs/NAME.
#include "probe_provider.h"

namespace tap {

namespace {

class ProcfsProvider : public ProbeProvider {
  public:
    std::string family() const override { return "procfs"; }
    std::optional<std::string> leadingFunctor() const override { return std::string("procfs"); }
    std::vector<ProbePattern> patterns() const override {
        std::vector<ProbePattern> p;
        for (ArgKind name : {ArgKind::None, ArgKind::String}) {
            const std::string file =
                name == ArgKind::String ? "the file NAME" : "the file 'command'";
            PatternComponent procfs{"procfs", name};
            p.push_back({{procfs, {"read", ArgKind::None}},
                         "when " + file + " is read: the handler sets $value"});
            p.push_back({{procfs, {"read", ArgKind::None}, {"maxsize", ArgKind::Number}},
                         "when " + file + " is read: $value holds up to N bytes"});
            p.push_back({{procfs, {"umask", ArgKind::Number}, {"read", ArgKind::None}},
                         "when " + file + " (permissions masked by UMASK) is read"});
            p.push_back({{procfs,
                          {"umask", ArgKind::Number},
                          {"read", ArgKind::None},
                          {"maxsize", ArgKind::Number}},
                         "when " + file +
                             " (permissions masked by UMASK) is read: $value holds up to N bytes"});
            p.push_back({{procfs, {"write", ArgKind::None}},
                         "when " + file + " is written: $value holds the text"});
            p.push_back({{procfs, {"umask", ArgKind::Number}, {"write", ArgKind::None}},
                         "when " + file + " (permissions masked by UMASK) is written"});
        }
        return p;
    }
    std::string check(const ConcretePoint& point) const override {
        const ConcreteComponent& procfs = point.components[0];
        if (procfs.string &&
            (procfs.string->empty() || procfs.string->find('/') != std::string::npos ||
             *procfs.string == "." || *procfs.string == ".."))
            return "procfs file name '" + *procfs.string + "' must be one non-empty path component";
        for (const ConcreteComponent& c : point.components) {
            if (c.functor == "maxsize" && (*c.number <= 0 || *c.number > 1 << 24))
                return "maxsize value out of range (1, " + std::to_string(1 << 24) + ")";
            if (c.functor == "umask" && (*c.number < 0 || *c.number > 0777))
                return "umask value out of range (0, 0777)";
        }
        return {};
    }
    std::vector<ContextVar> contextVariables(const ConcretePoint&) const override {
        ContextVar value;
        value.name = "$value";
        value.type = Type::String;
        value.cType = "string";
        return {value};
    }
};

} // namespace

std::unique_ptr<ProbeProvider> makeProcfsProvider() {
    return std::make_unique<ProcfsProvider>();
}

} // namespace tap
