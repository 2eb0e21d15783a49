// Globals shared by kernel and user-space probes live in BPF maps; before a
// user-space handler runs, their values are pulled into the executor's
// storage, and what the handler changed is pushed back afterwards.
#pragma once

#include "bpf/translation.h"
#include "bpf_loader.h"
#include "executor.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tap::rt {

class KernelBridge {
public:
    KernelBridge(const bpf::Translation& t, const BpfLoader& loader, const CompiledProgram& program, Runtime& rt);
    void pull();
    // Also publishes the initializers and -G values before the first event:
    // the maps start zeroed and empty.
    void push();

private:
    struct Shared {
        const bpf::GlobalMap* map;
        const GlobalInfo* info;
        int fd;
    };
    // `hadTokens`: a string part held symbol tokens, so that several kernel
    // keys may have one executor key (symname() of addresses in one function).
    std::string toExecutorKey(const bpf::GlobalMap& g, const char* key, bool& hadTokens) const;
    std::vector<char> toKernelKey(const bpf::GlobalMap& g, const std::string& key) const;
    // The kernel keys an executor key stands for: its own, or those its
    // named tokens came from.
    std::vector<std::vector<char>> kernelKeysOf(const bpf::GlobalMap& g, const std::string& key) const;
    // A kernel string with its symbol tokens named.
    std::string named(std::string_view kernelString) const;

    const bpf::Translation& translation_;
    Runtime& rt_;
    std::vector<Shared> shared_;
    int scalarsFd_ = -1;
    int ncpus_ = 1;
    // What the kernel holds as far as this side knows, to see what a handler changed.
    std::vector<char> scalars_;
    std::map<const VarDecl*, std::map<std::string, std::string>> arrays_; // key -> value bytes
    std::map<const VarDecl*, std::map<std::string, int64_t>> statCounts_;
    std::map<const VarDecl*, std::map<std::string, std::vector<std::vector<char>>>> namedKeys_;
};

} // namespace tap::rt
