// The kernel's trace events as tracefs describes them: names by system, and
// each event's record layout from its `format` file.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace tap::kernel {

struct TraceField {
    std::string name;
    std::string cType;   // e.g. "const char *", "char[16]", "pid_t"
    int offset = 0, size = 0;
    bool isSigned = false;
    int arrayLength = 0; // char comm[16] -> 16
    bool isPointer() const { return cType.find('*') != std::string::npos; }
    bool isCharArray() const { return arrayLength > 0 && cType.rfind("char", 0) == 0; }
    // "__data_loc char[] name" / "__rel_loc ...": a u32 locating bytes stored
    // later in the record (bits 0-15 offset, 16-31 length).
    bool isDynamic() const { return cType.rfind("__data_loc", 0) == 0 || cType.rfind("__rel_loc", 0) == 0; }
};

struct TraceEvent {
    std::string system, name;
    int id = 0;
    std::vector<TraceField> fields; // without the common_* header fields
};

class Tracefs {
public:
    // The mounted tracefs directory, mounting it at /sys/kernel/tracing when
    // that is possible (root) and it is missing; "" when unavailable.
    static std::string root();
    // Every event as "system:name", sorted.
    const std::vector<std::string>& events();
    // Looks an event up by "system:name" or, when unambiguous, by "name".
    std::optional<TraceEvent> event(const std::string& spec);
    // Events whose "system:name" or "name" matches a glob.
    std::vector<std::string> match(const std::string& glob);

private:
    std::recursive_mutex mutex_; // the IDE indexes from a background thread
    std::optional<std::vector<std::string>> events_;
    std::map<std::string, std::string> byName_; // name -> system:name ("" if ambiguous)
    std::map<std::string, TraceEvent> parsed_;
};

Tracefs& tracefs(); // one catalogue per process

} // namespace tap::kernel
