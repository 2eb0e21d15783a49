#include "command_line.h"

#include "elf/elf_binary.h"

#include <wordexp.h>

namespace tap::rt {

std::vector<std::string> splitWords(const std::string& s) {
    std::vector<std::string> words;
    std::string cur;
    bool inWord = false;
    char quote = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (quote) {
            if (c == quote)
                quote = 0;
            else if (c == '\\' && quote == '"' && i + 1 < s.size())
                cur += s[++i];
            else
                cur += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            inWord = true;
        } else if (c == '\\' && i + 1 < s.size()) {
            cur += s[++i];
            inWord = true;
        } else if (c == ' ' || c == '\t') {
            if (inWord)
                words.push_back(cur);
            cur.clear();
            inWord = false;
        } else {
            cur += c;
            inWord = true;
        }
    }
    if (inWord)
        words.push_back(cur);
    return words;
}

std::optional<std::vector<std::string>> commandWords(const std::string& command) {
    wordexp_t expanded;
    if (wordexp(command.c_str(), &expanded, WRDE_NOCMD | WRDE_UNDEF) != 0)
        return std::nullopt; // wordexp frees what it made when it fails
    std::vector<std::string> words(expanded.we_wordv, expanded.we_wordv + expanded.we_wordc);
    wordfree(&expanded);
    if (words.empty())
        return std::nullopt;
    return words;
}

std::string commandProgram(const std::string& command) {
    std::optional<std::vector<std::string>> words = commandWords(command);
    std::vector<std::string> split = words ? *words : splitWords(command);
    return split.empty() ? std::string() : elf::resolveExecutable(split[0]);
}

} // namespace tap::rt
