#include "stack_json.h"

#include "exec.h"

#include <cinttypes>
#include <cstdio>

namespace tap::rt {

std::string stackArgumentsField(const std::vector<StackArgument>& stacks) {
    if (stacks.empty()) return {};
    std::string out = ",\"stacks\":[";
    for (size_t i = 0; i < stacks.size(); ++i)
        out += std::string(i ? "," : "") + "{\"arg\":" + std::to_string(stacks[i].arg) +
               ",\"kind\":\"" + (stacks[i].user ? "user" : "kernel") + "\"}";
    return out + "]";
}

std::string printedStacksField(const std::vector<PrintedStack>& stacks) {
    if (stacks.empty()) return {};
    std::string out = ",\"stacks\":[";
    for (size_t i = 0; i < stacks.size(); ++i) {
        out += std::string(i ? "," : "") + "{\"arg\":" + std::to_string(stacks[i].arg) +
               ",\"frames\":[";
        bool first = true;
        for (const StackFrame& f : stacks[i].frames) {
            char address[24];
            std::snprintf(address, sizeof address, "0x%" PRIx64, f.address);
            // An address no symbol contains is its own name.
            const std::string& name = f.symbol.name.empty() ? std::string(address) : f.symbol.name;
            out += std::string(first ? "" : ",") + "{\"addr\":\"" + address +
                   "\",\"sym\":" + Output::quote(name) +
                   ",\"mod\":" + Output::quote(f.symbol.module) + "}";
            first = false;
        }
        out += "]}";
    }
    return out + "]";
}

} // namespace tap::rt
