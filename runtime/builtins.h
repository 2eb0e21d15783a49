// Native implementations of the tapset functions declared `%{ /* builtin */ %}`,
// looked up by name and arity.
#pragma once

#include "exec.h"

#include <string>

namespace tap::rt {

struct NativeCall {
    Ctx& c;
    const int64_t* l;      // argument i when parameter i is a long
    const std::string* s;  // argument i when parameter i is a string
    SourceLoc loc;
    const std::string& name;
    [[noreturn]] void fail(std::string message) const {
        throw ScriptError{std::move(message), loc, "identifier '" + name + "'"};
    }
};

using NativeFn = void (*)(NativeCall& call, int64_t& outLong, std::string& outString);

// Null when the builtin has no user-space implementation (kernel-only).
NativeFn findNative(const std::string& name, size_t arity);

// system(command), from a user-space probe or a kernel probe's record: the
// script's output so far is written first. False when no shell could run.
bool runSystemCommand(Output& out, const std::string& command);

} // namespace tap::rt
