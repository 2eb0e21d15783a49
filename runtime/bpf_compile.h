// Pass 4: BPF C to a BPF object with clang, cached by content so that a
// second run of the same script does not start clang.
#pragma once

#include "bpf/translation.h"
#include "cache_directory.h"

#include <string>

namespace tap::rt {

struct BpfObject {
    std::string path;   // the .o file
    bool cached = false;
    std::string error;  // clang's diagnostics when compiling failed
};

BpfObject compileBpf(const bpf::Translation& translation);

// The support header generated programs include (runtime/bpf/tapstudio.bpf.h),
// built into the binary.
extern const char* const kTapstudioBpfHeader;

} // namespace tap::rt
