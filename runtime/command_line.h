// Splitting a command line into words like a shell (quotes, backslashes; no
// expansion): -c commands run without a shell, and the test runner's OPTS.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tap::rt {

std::vector<std::string> splitWords(const std::string& s);

// The words of a -c command, expanded as stap's staprun does with
// wordexp(3): quotes, $VAR, ~ and globs, no command substitution. nullopt
// when the command needs a shell (| ; & < > ( ) { } outside quotes, `...`,
// $(...), an unset variable), which /bin/sh -c then runs.
std::optional<std::vector<std::string>> commandWords(const std::string& command);
// The program a -c command runs: its first word, through $PATH.
std::string commandProgram(const std::string& command);

} // namespace tap::rt
