#include "regex_dfa.h"

#include <algorithm>
#include <bitset>
#include <cctype>
#include <map>
#include <memory>
#include <set>

namespace tap {

namespace {

using Symbols = std::bitset<RegexDfa::kSymbols>;

struct Node {
    enum class Kind { Set, Concat, Alt, Repeat, Empty, Begin, End } kind = Kind::Empty;
    Symbols set;
    std::vector<std::unique_ptr<Node>> parts;
    int min = 0, max = 0; // Repeat: max -1 for no bound
};
using NodePtr = std::unique_ptr<Node>;

NodePtr make(Node::Kind kind) {
    auto n = std::make_unique<Node>();
    n->kind = kind;
    return n;
}

NodePtr symbols(const Symbols& s) {
    NodePtr n = make(Node::Kind::Set);
    n->set = s;
    return n;
}

Symbols anyByte() {
    Symbols s;
    for (int c = 1; c < 256; ++c)
        s.set(size_t(c));
    return s;
}

bool namedClass(const std::string& name, int c) {
    if (name == "alpha") return std::isalpha(c);
    if (name == "digit") return std::isdigit(c);
    if (name == "alnum") return std::isalnum(c);
    if (name == "upper") return std::isupper(c);
    if (name == "lower") return std::islower(c);
    if (name == "space") return std::isspace(c);
    if (name == "blank") return c == ' ' || c == '\t';
    if (name == "punct") return std::ispunct(c);
    if (name == "print") return std::isprint(c);
    if (name == "graph") return std::isgraph(c);
    if (name == "cntrl") return std::iscntrl(c);
    if (name == "xdigit") return std::isxdigit(c);
    return false;
}

const char* const kClassNames[] = {"alpha", "digit", "alnum", "upper", "lower", "space",
                                   "blank", "punct", "print", "graph", "cntrl", "xdigit"};

// POSIX ERE, as glibc's regcomp(REG_EXTENDED) reads it, in the C locale.
class Parser {
public:
    explicit Parser(const std::string& p) : p_(p) {}

    NodePtr parse(std::string& error) {
        NodePtr n = alternation();
        if (error_.empty() && i_ < p_.size())
            error_ = "unmatched ) or an unexpected character at offset " + std::to_string(i_);
        error = error_;
        return error_.empty() ? std::move(n) : nullptr;
    }

private:
    bool more() const { return i_ < p_.size() && error_.empty(); }

    NodePtr alternation() {
        NodePtr first = concatenation();
        if (!more() || p_[i_] != '|')
            return first;
        NodePtr alt = make(Node::Kind::Alt);
        alt->parts.push_back(std::move(first));
        while (more() && p_[i_] == '|') {
            ++i_;
            alt->parts.push_back(concatenation());
        }
        return alt;
    }

    NodePtr concatenation() {
        NodePtr seq = make(Node::Kind::Concat);
        while (more() && p_[i_] != '|' && p_[i_] != ')')
            seq->parts.push_back(repetition());
        return seq;
    }

    bool interval(int& min, int& max) {
        size_t j = i_ + 1;
        auto number = [&](int& out) {
            size_t from = j;
            out = 0;
            while (j < p_.size() && std::isdigit((unsigned char)p_[j]) && out <= 255)
                out = out * 10 + (p_[j++] - '0');
            return j > from;
        };
        // glibc reads "{,n}" as "{0,n}".
        if (!number(min) && (j >= p_.size() || p_[j] != ','))
            return false;
        max = min;
        if (j < p_.size() && p_[j] == ',') {
            ++j;
            if (!number(max))
                max = -1;
        }
        if (j >= p_.size() || p_[j] != '}')
            return false;
        if (min > 255 || max > 255 || (max >= 0 && max < min)) {
            error_ = "invalid repetition count {" + p_.substr(i_ + 1, j - i_ - 1) + "}";
            return false;
        }
        i_ = j + 1;
        return true;
    }

    NodePtr repetition() {
        NodePtr atom = this->atom();
        while (more()) {
            int min = 0, max = 0;
            char c = p_[i_];
            if (c == '*')
                min = 0, max = -1, ++i_;
            else if (c == '+')
                min = 1, max = -1, ++i_;
            else if (c == '?')
                min = 0, max = 1, ++i_;
            else if (c == '{' && interval(min, max))
                ;
            else
                break;
            NodePtr r = make(Node::Kind::Repeat);
            r->min = min;
            r->max = max;
            r->parts.push_back(std::move(atom));
            atom = std::move(r);
        }
        return atom;
    }

    NodePtr atom() {
        char c = p_[i_++];
        switch (c) {
        case '(': {
            if (++depth_ > 100) {
                error_ = "parentheses nested more than 100 deep";
                return make(Node::Kind::Empty);
            }
            NodePtr inner = alternation();
            --depth_;
            if (!more() || p_[i_] != ')') {
                if (error_.empty())
                    error_ = "unmatched ( or \\(";
                return inner;
            }
            ++i_;
            return inner;
        }
        case '[':
            return bracket();
        case '.':
            return symbols(anyByte());
        case '^':
            return make(Node::Kind::Begin);
        case '$':
            return make(Node::Kind::End);
        case '*':
        case '+':
        case '?':
            error_ = std::string("'") + c + "' has nothing to repeat";
            return make(Node::Kind::Empty);
        case '\\':
            return escape();
        default: {
            Symbols s;
            s.set((unsigned char)c);
            return symbols(s);
        }
        }
    }

    NodePtr escape() {
        if (i_ >= p_.size()) {
            error_ = "trailing backslash";
            return make(Node::Kind::Empty);
        }
        char c = p_[i_++];
        Symbols s;
        if (c == 'w' || c == 'W') {
            for (int b = 1; b < 256; ++b)
                if (std::isalnum(b) || b == '_')
                    s.set(size_t(b));
            return symbols(c == 'w' ? s : anyByte() & ~s);
        }
        if (c == 's' || c == 'S') {
            for (int b = 1; b < 256; ++b)
                if (std::isspace(b))
                    s.set(size_t(b));
            return symbols(c == 's' ? s : anyByte() & ~s);
        }
        if (std::isdigit((unsigned char)c) || std::string("bB<>`'").find(c) != std::string::npos) {
            error_ = std::string("\\") + c + " (back references and word boundaries) cannot run in a kernel probe";
            return make(Node::Kind::Empty);
        }
        s.set((unsigned char)c);
        return symbols(s);
    }

    NodePtr bracket() {
        Symbols s;
        bool negate = i_ < p_.size() && p_[i_] == '^';
        if (negate)
            ++i_;
        bool first = true;
        while (true) {
            if (i_ >= p_.size()) {
                error_ = "unmatched [, [^, [:, [., or [=";
                return make(Node::Kind::Empty);
            }
            char c = p_[i_];
            if (c == ']' && !first) {
                ++i_;
                break;
            }
            first = false;
            if (c == '[' && i_ + 1 < p_.size() && (p_[i_ + 1] == ':' || p_[i_ + 1] == '.' || p_[i_ + 1] == '=')) {
                char kind = p_[i_ + 1];
                size_t close = p_.find(std::string(1, kind) + "]", i_ + 2);
                std::string name = close == std::string::npos ? "" : p_.substr(i_ + 2, close - i_ - 2);
                if (kind != ':' || std::find(std::begin(kClassNames), std::end(kClassNames), name) == std::end(kClassNames)) {
                    error_ = "the bracket expression [" + std::string(1, kind) + name + "...] cannot run in a kernel probe";
                    return make(Node::Kind::Empty);
                }
                for (int b = 1; b < 256; ++b)
                    if (namedClass(name, b))
                        s.set(size_t(b));
                i_ = close + 2;
                continue;
            }
            unsigned char low = (unsigned char)c;
            ++i_;
            if (i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
                unsigned char high = (unsigned char)p_[i_ + 1];
                if (high < low) {
                    error_ = "invalid range end";
                    return make(Node::Kind::Empty);
                }
                for (int b = low; b <= high; ++b)
                    s.set(size_t(b));
                i_ += 2;
            } else {
                s.set(low);
            }
        }
        s.reset(0);
        return symbols(negate ? anyByte() & ~s : s);
    }

    const std::string& p_;
    size_t i_ = 0;
    int depth_ = 0;
    std::string error_;
};

// How many NFA states a node makes once its repetitions are copied out
// (bounded: "x{255}{255}{255}" must not be built to find it is too big).
size_t nfaSize(const Node& n) {
    constexpr size_t kHuge = size_t(1) << 40;
    size_t size = 2;
    for (const NodePtr& part : n.parts)
        size = std::min(kHuge, size + nfaSize(*part));
    if (n.kind == Node::Kind::Repeat)
        size = std::min(kHuge, size * size_t(std::max(n.max, n.min) + 1));
    return size;
}

// Thompson's construction: each state has epsilon moves, at most one move
// on a set of symbols, and at most one zero-width move that `^` or `$`
// allows.
struct Nfa {
    enum Anchor { None, AtBegin, AtEnd };
    struct State {
        std::vector<int> epsilon;
        int on = -1; // index into sets
        int to = -1;
        Anchor anchor = None;
        int anchorTo = -1;
    };
    std::vector<State> states;
    std::vector<Symbols> sets;
    int add() {
        states.emplace_back();
        return int(states.size()) - 1;
    }
    struct Fragment {
        int start, end;
    };

    Fragment build(const Node& n) {
        switch (n.kind) {
        case Node::Kind::Empty: {
            int s = add();
            return {s, s};
        }
        case Node::Kind::Begin:
        case Node::Kind::End: {
            int s = add(), e = add();
            states[size_t(s)].anchor = n.kind == Node::Kind::Begin ? AtBegin : AtEnd;
            states[size_t(s)].anchorTo = e;
            return {s, e};
        }
        case Node::Kind::Set: {
            int s = add(), e = add();
            sets.push_back(n.set);
            states[size_t(s)].on = int(sets.size()) - 1;
            states[size_t(s)].to = e;
            return {s, e};
        }
        case Node::Kind::Concat: {
            if (n.parts.empty())
                return build(Node{});
            Fragment whole = build(*n.parts[0]);
            for (size_t k = 1; k < n.parts.size(); ++k) {
                Fragment f = build(*n.parts[k]);
                states[size_t(whole.end)].epsilon.push_back(f.start);
                whole.end = f.end;
            }
            return whole;
        }
        case Node::Kind::Alt: {
            int s = add(), e = add();
            for (const NodePtr& part : n.parts) {
                Fragment f = build(*part);
                states[size_t(s)].epsilon.push_back(f.start);
                states[size_t(f.end)].epsilon.push_back(e);
            }
            return {s, e};
        }
        case Node::Kind::Repeat: {
            const Node& body = *n.parts[0];
            int s = add(), e = s;
            for (int k = 0; k < n.min; ++k) {
                Fragment f = build(body);
                states[size_t(e)].epsilon.push_back(f.start);
                e = f.end;
            }
            if (n.max < 0) {
                Fragment f = build(body);
                int after = add();
                states[size_t(e)].epsilon.push_back(f.start);
                states[size_t(e)].epsilon.push_back(after);
                states[size_t(f.end)].epsilon.push_back(f.start);
                states[size_t(f.end)].epsilon.push_back(after);
                return {s, after};
            }
            int after = add();
            for (int k = n.min; k < n.max; ++k) {
                Fragment f = build(body);
                states[size_t(e)].epsilon.push_back(f.start);
                states[size_t(e)].epsilon.push_back(after);
                e = f.end;
            }
            states[size_t(e)].epsilon.push_back(after);
            return {s, after};
        }
        }
        return {add(), 0};
    }

    // `^` holds right after BEGIN (before the first byte), `$` right
    // before END.
    std::set<int> closure(const std::set<int>& from, bool afterBegin, bool beforeEnd) const {
        std::set<int> set = from;
        std::vector<int> work(set.begin(), set.end());
        while (!work.empty()) {
            const State& st = states[size_t(work.back())];
            work.pop_back();
            std::vector<int> to = st.epsilon;
            if ((st.anchor == AtBegin && afterBegin) || (st.anchor == AtEnd && beforeEnd))
                to.push_back(st.anchorTo);
            for (int t : to)
                if (set.insert(t).second)
                    work.push_back(t);
        }
        return set;
    }
};

} // namespace

bool RegexDfa::matches(std::string_view text) const {
    size_t state = start;
    auto step = [&](int symbol) { state = next[state * size_t(classes) + classOf[size_t(symbol)]]; };
    step(kBegin);
    for (unsigned char c : text) {
        if (!c)
            break;
        step(c);
    }
    step(kEnd);
    return accepting[state] != 0;
}

std::optional<RegexDfa> compileRegexDfa(const std::string& pattern, std::string& error, size_t maxStates) {
    Parser parser(pattern);
    NodePtr root = parser.parse(error);
    if (!root)
        return std::nullopt;
    if (nfaSize(*root) > 20000) {
        error = "the regular expression is too large for a kernel probe";
        return std::nullopt;
    }
    Nfa nfa;
    // Search anywhere: any symbols may come before the match.
    int any = nfa.add();
    Symbols all;
    all.set();
    nfa.sets.push_back(all);
    nfa.states[size_t(any)].on = 0;
    nfa.states[size_t(any)].to = any;
    Nfa::Fragment body = nfa.build(*root);
    nfa.states[size_t(any)].epsilon.push_back(body.start);

    RegexDfa dfa;
    // Symbols that every set treats alike share a class; BEGIN and END are
    // classes of their own (the anchors look at them).
    std::map<std::vector<bool>, uint8_t> classes;
    for (int symbol = 0; symbol < RegexDfa::kSymbols; ++symbol) {
        std::vector<bool> signature(nfa.sets.size() + 2);
        for (size_t k = 0; k < nfa.sets.size(); ++k)
            signature[k] = nfa.sets[k].test(size_t(symbol));
        signature[nfa.sets.size()] = symbol == RegexDfa::kBegin;
        signature[nfa.sets.size() + 1] = symbol == RegexDfa::kEnd;
        auto [it, added] = classes.emplace(signature, uint8_t(classes.size()));
        dfa.classOf[size_t(symbol)] = it->second;
    }
    dfa.classes = int(classes.size());
    std::vector<int> representative(size_t(dfa.classes));
    for (int symbol = RegexDfa::kSymbols - 1; symbol >= 0; --symbol)
        representative[dfa.classOf[size_t(symbol)]] = symbol;

    // A DFA state: the NFA states reached (closed only when the next symbol
    // is known, for `$`) and whether the last symbol was BEGIN (for `^`).
    // State 0 rejects; state 2 has matched, for good.
    using Key = std::pair<std::set<int>, bool>;
    std::map<Key, uint16_t> known;
    std::vector<Key> keys{{{}, false}, {{any}, false}, {{}, true}};
    known[keys[0]] = 0;
    known[keys[1]] = 1;
    const uint16_t matched = 2;
    dfa.next.assign(3 * size_t(dfa.classes), 0);
    std::fill_n(dfa.next.begin() + 2 * dfa.classes, dfa.classes, matched);
    dfa.accepting = {0, 0, 1};
    for (size_t d = 1; d < keys.size(); ++d) {
        if (d == matched)
            continue;
        if (keys.size() > maxStates) {
            error = "the regular expression needs more than " + std::to_string(maxStates) +
                    " automaton states, too many for a kernel probe";
            return std::nullopt;
        }
        const auto [set, afterBegin] = keys[d];
        // Matched at the end of the input (after END, no anchor holds).
        dfa.accepting[d] = nfa.closure(set, false, false).count(body.end) ? 1 : 0;
        for (int cls = 0; cls < dfa.classes; ++cls) {
            int symbol = representative[size_t(cls)];
            std::set<int> here = nfa.closure(set, afterBegin, symbol == RegexDfa::kEnd);
            uint16_t target = 0;
            if (here.count(body.end)) {
                target = matched;
            } else {
                std::set<int> to;
                for (int s : here) {
                    const Nfa::State& st = nfa.states[size_t(s)];
                    if (st.on >= 0 && nfa.sets[size_t(st.on)].test(size_t(symbol)))
                        to.insert(st.to);
                }
                Key key{to, symbol == RegexDfa::kBegin};
                if (!to.empty()) {
                    auto [it, added] = known.emplace(key, uint16_t(keys.size()));
                    if (added) {
                        keys.push_back(key);
                        dfa.next.resize(keys.size() * size_t(dfa.classes), 0);
                        dfa.accepting.push_back(0);
                    }
                    target = it->second;
                }
            }
            dfa.next[d * size_t(dfa.classes) + size_t(cls)] = target;
        }
    }
    return dfa;
}

} // namespace tap
