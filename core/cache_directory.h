// Where tstap and the IDE keep what they can make again: compiled BPF
// objects, a copy of the kernel's BTF, the tapset index.
#pragma once

#include <string>

namespace tap {

// $TAPSTUDIO_CACHE, else $XDG_CACHE_HOME/tapstudio, else ~/.cache/tapstudio.
std::string cacheDirectory();

} // namespace tap
