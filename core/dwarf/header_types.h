// The types a C header declares, for @cast(p, "TYPE", "<header.h>") as in
// stap: a module written as one or more headers in angle brackets
// ("<sys/time.h>", "</usr/include/stdio.h>", "<a.h><b.h>" for headers that
// need each other, included in that order) is a small shared object that
// includes them, compiled with the system's C compiler (cc, gcc or clang)
// with debugging information, whose DWARF DebugInfo::of() then reads. The
// object is kept in the cache directory under a name made of the module and
// the compiler, and made again when any file it included has changed since.
// "kernel<linux/sched.h>" is not one: the kernel's own types come from BTF.
#pragma once

#include <string>
#include <vector>

namespace tap::dwarf {

// The headers of a header module, in order ({"sys/time.h"}); empty when
// `module` is not one ("kernel", a path, "kernel<...>", "<>", "<a.h>x").
std::vector<std::string> moduleHeaders(const std::string& module);

// The shared object holding the types of the headers of `module`, from the
// cache when it is current, else compiled now.
std::string compileHeaderTypes(const std::string& module, std::string& error);

// compileHeaderTypes() once per process and module (DebugInfo::of() keeps
// what it read of an object for the process's life too). "" with `error` set when the
// compiler fails, summarized from its first error: "cannot compile
// <nosuch.h>: nosuch.h: No such file or directory".
std::string headerTypesObject(const std::string& module, std::string& error);

} // namespace tap::dwarf
