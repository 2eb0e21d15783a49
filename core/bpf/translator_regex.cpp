// =~ and !~ in kernel probes: the pattern (a literal, as stap requires) is
// compiled to a DFA at translation (regex_dfa.h) and the BPF program walks
// its tables over the string: BEGIN, the bytes, END.
#include "bpf/translator_impl.h"
#include "regex_dfa.h"

#include <sstream>

namespace tap::bpf::detail {

namespace {

template <typename Values>
std::string cArray(const Values& values) {
    std::ostringstream out;
    out << "{";
    for (size_t i = 0; i < values.size(); ++i)
        out << (i ? (i % 32 ? ", " : ",\n\t") : "") << unsigned(values[i]);
    out << "}";
    return out.str();
}

} // namespace

std::string Translator::genRegexMatch(BinaryExpr* b) {
    if (b->rhs->kind != ExprKind::String)
        error("the regular expression of =~ must be a literal string", b->rhs->loc);
    const std::string& pattern = static_cast<StringExpr*>(b->rhs)->value;
    auto known = regexNames_.find(pattern);
    if (known == regexNames_.end()) {
        std::string problem;
        std::optional<RegexDfa> dfa = compileRegexDfa(pattern, problem);
        if (!dfa)
            error("regex compilation error for a kernel probe: " + problem, b->rhs->loc);
        std::string name = "tap_re_" + std::to_string(regexNames_.size());
        // Tables padded to powers of two (with rejecting entries): indexes
        // are masked, which the verifier follows where it would not follow
        // a bounds check the compiler may reorder.
        auto padded = [](size_t n) {
            size_t p = 1;
            while (p < n)
                p *= 2;
            return p;
        };
        std::vector<uint16_t> next = dfa->next;
        next.resize(padded(next.size()), 0);
        std::vector<uint8_t> accepting = dfa->accepting;
        accepting.resize(padded(accepting.size() + 1), 0);
        size_t cells = next.size();
        int begin = dfa->classOf[RegexDfa::kBegin], end = dfa->classOf[RegexDfa::kEnd];
        // One variable for the three tables: libbpf 1.1 keeps a section's
        // variables in declaration order, which the kernel refuses when
        // the compiler laid them out in another.
        rodata_ << cComment(cString(pattern)) << "\n"
                << "static const struct {\n\t__u16 next[" << cells << "];\n\t__u8 cls[" << RegexDfa::kSymbols
                << "];\n\t__u8 accept[" << accepting.size() << "];\n} " << name << "_dfa = {\n\t"
                << cArray(next) << ",\n\t" << cArray(dfa->classOf) << ",\n\t" << cArray(accepting) << "\n};\n"
                // One step per byte in bpf_loop: several patterns in one
                // program would otherwise be too long a walk to verify.
                << "static long " << name << "_step(__u32 i, void *data)\n{\n"
                << "\tstruct tap_dfa_walk *w = data;\n"
                << "\tunsigned char c = w->s[i & (TAP_STRLEN - 1)];\n"
                << "\tif (!c || w->state == 0 || w->state == 2) /* the end, no match, a match */\n\t\treturn 1;\n"
                << "\tw->state = " << name << "_dfa.next[(w->state * " << dfa->classes << " + " << name
                << "_dfa.cls[c]) & " << cells - 1 << "];\n\treturn 0;\n}\n"
                << "static __noinline __s64 " << name << "(const char *s)\n{\n"
                << "\tstruct tap_dfa_walk w = {s, " << name << "_dfa.next[" << dfa->start * dfa->classes + begin
                << "]};\n"
                << "\tbpf_loop(TAP_STRLEN, " << name << "_step, &w, 0);\n"
                << "\tw.state = " << name << "_dfa.next[(w.state * " << dfa->classes << " + " << end << ") & "
                << cells - 1 << "];\n"
                << "\treturn " << name << "_dfa.accept[w.state & " << accepting.size() - 1 << "];\n}\n\n";
        known = regexNames_.emplace(pattern, name).first;
    }
    return std::string("((__s64)") + (b->op == Op::NotMatch ? "!" : "") + known->second + "(" + genS(b->lhs) + "))";
}

} // namespace tap::bpf::detail
