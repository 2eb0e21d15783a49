#include "kallsyms.h"

#include <cstdlib>
#include <fstream>

namespace tap::rt {

uint64_t kernelSymbolAddress(const std::string& name) {
    std::ifstream in("/proc/kallsyms");
    std::string line;
    while (std::getline(in, line)) { // ADDRESS TYPE NAME [\t[MODULE]]
        size_t type = line.find(' ');
        size_t symbol = type == std::string::npos ? type : line.find(' ', type + 1);
        if (symbol == std::string::npos)
            continue;
        size_t end = line.find('\t', ++symbol);
        if (line.compare(symbol, end == std::string::npos ? end : end - symbol, name) == 0)
            return std::strtoull(line.c_str(), nullptr, 16);
    }
    return 0;
}

} // namespace tap::rt
