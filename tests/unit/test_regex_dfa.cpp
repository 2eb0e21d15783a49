// The regex DFA (what =~ runs in kernel probes) against glibc's regexec,
// which =~ uses in user space: hand-picked patterns, then random patterns
// and strings compared exhaustively.
#include "regex_dfa.h"

#include <regex.h>

#include <QtTest>
#include <random>

namespace {

// 1 match, 0 no match, -1 regcomp rejects the pattern.
int posix(const std::string& pattern, const std::string& text) {
    regex_t re;
    if (regcomp(&re, pattern.c_str(), REG_EXTENDED | REG_NOSUB) != 0)
        return -1;
    int rc = regexec(&re, text.c_str(), 0, nullptr, 0);
    regfree(&re);
    return rc == 0;
}

void agree(const std::string& pattern, const std::vector<std::string>& texts) {
    std::string error;
    std::optional<tap::RegexDfa> dfa = tap::compileRegexDfa(pattern, error);
    if (posix(pattern, "") < 0) {
        QVERIFY2(!dfa, qPrintable("accepted a pattern regcomp rejects: " + QString::fromStdString(pattern)));
        return;
    }
    QVERIFY2(dfa, qPrintable(QString::fromStdString(pattern + ": " + error)));
    for (const std::string& t : texts)
        QVERIFY2(dfa->matches(t) == (posix(pattern, t) == 1),
                 qPrintable(QString::fromStdString("/" + pattern + "/ on \"" + t + "\"")));
}

} // namespace

class TestRegexDfa : public QObject {
    Q_OBJECT

private slots:
    void handPicked() {
        const std::vector<std::string> texts = {"", "a", "abc", "xabcx", "kworker/0:1", "bash", "sshd", "a.c",
                                                "AbC", "123", "a\nb", "aaaa", "ab ab", "tab\there", "[x]", "x{2}"};
        for (const char* p : {"abc", "^abc", "abc$", "^$", "^a.c$", "a|b", "^(k|s)", "worker/[0-9]+:",
                              "^[^a-z]+$", "[[:digit:]]{2,}", "(ab)+", "a{2}", "a{2,3}", "a{0,1}b", "x*", "(a|^b)c",
                              "[]x]", "[^]x]", "\\.", "a\\{2\\}", "\\w+ \\w+", "\\s", "[[:alpha:]_]+$", "b$|^a",
                              "(^|/)0", "()", "a||b", "[a-c-]", "\\[x\\]", "a{,2}b", "a{,}"})
            agree(p, texts);
    }

    void unsupportedIsAnError() {
        std::string error;
        QVERIFY(!tap::compileRegexDfa("(a)\\1", error));
        QVERIFY(error.find("back references") != std::string::npos);
        QVERIFY(!tap::compileRegexDfa("\\bword", error));
        QVERIFY(!tap::compileRegexDfa("[[.hyphen.]]", error));
        QVERIFY(!tap::compileRegexDfa("(ab", error));
        // Too big to build, refused before building it.
        QVERIFY(!tap::compileRegexDfa("x{255}{255}{255}", error));
        QVERIFY(error.find("too large") != std::string::npos);
        QVERIFY(!tap::compileRegexDfa(std::string(5000, '(') + "a" + std::string(5000, ')'), error));
        QVERIFY(error.find("nested") != std::string::npos);
    }

    void tooManyStatesIsAnError() {
        std::string error;
        QVERIFY(!tap::compileRegexDfa("(a|b)*a(a|b){12}", error, 1024));
        QVERIFY(error.find("states") != std::string::npos);
    }

    void randomAgainstRegexec() {
        std::mt19937 rng(20261127);
        const std::vector<std::string> atoms = {"a", "b", "c", ".", "[ab]", "[^a]", "^", "$", "(a|b)", "(ab|c)", "()"};
        const std::vector<std::string> ops = {"", "", "*", "+", "?", "{2}", "{1,2}", "{0,}"};
        std::vector<std::string> texts{""};
        for (size_t len = 1; len <= 5; ++len)
            for (size_t n = 0; n < (1u << (2 * len)) && n < 243; ++n) {
                std::string t;
                for (size_t k = 0, v = n; k < len; ++k, v /= 3)
                    t += char('a' + v % 3);
                texts.push_back(t);
            }
        for (int i = 0; i < 1000; ++i) {
            std::string p;
            size_t parts = 1 + rng() % 4;
            for (size_t k = 0; k < parts; ++k) {
                p += atoms[rng() % atoms.size()];
                std::string op = ops[rng() % ops.size()];
                if (p.back() != '^' && p.back() != '$')
                    p += op;
                if (rng() % 7 == 0)
                    p += "|";
            }
            agree(p, texts);
        }
    }
};

QTEST_GUILESS_MAIN(TestRegexDfa)
#include "test_regex_dfa.moc"
