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

// Names the BPF program a translation makes (its C text and the support
// header), whatever the compiler and kernel: two machines agree on it when
// one's object serves the other's translation.
std::string programDigest(const bpf::Translation& translation);

// The support header generated programs include (runtime/bpf/tapstudio.bpf.h),
// built into the binary.
extern const char* const kTapstudioBpfHeader;

} // namespace tap::rt
