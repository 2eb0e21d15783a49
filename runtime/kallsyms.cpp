#include "kallsyms.h"

#include <fstream>
#include <sstream>

namespace tap::rt {

uint64_t kernelSymbolAddress(const std::string& name) {
    std::ifstream in("/proc/kallsyms");
    std::string line, address, type, symbol;
    while (std::getline(in, line)) {
        std::istringstream fields(line); // ADDRESS TYPE NAME [\t[MODULE]]
        if (fields >> address >> type >> symbol && symbol == name)
            return std::strtoull(address.c_str(), nullptr, 16);
    }
    return 0;
}

} // namespace tap::rt
