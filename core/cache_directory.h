// Where tstap and the IDE keep what they can make again: compiled BPF
// objects, a copy of the kernel's BTF, the tapset index.
#pragma once

#include <string>

namespace tap {

// $TAPSTUDIO_CACHE, else $XDG_CACHE_HOME/tapstudio, else ~/.cache/tapstudio.
std::string cacheDirectory();

// A file name for what `key` identifies: 32 hex digits, two 64-bit FNV-1a
// hashes of it with different seeds.
std::string cacheFileName(const std::string& key);

} // namespace tap
