// The kernel half of a session: the loaded BPF programs, their output
// (printf records, errors, exit requests) fed into the user-space runtime,
// and the shared globals kept in step around user-space handlers.
#pragma once

#include "bpf/translation.h"
#include "bpf_loader.h"
#include "executor.h"
#include "kernel_bridge.h"

#include <memory>
#include <string>

namespace tap::rt {

// --json format ids of kernel printf sites start here (user-space ones at 0).
constexpr uint32_t kKernelFormatBase = 1000000;

class KernelSession {
public:
    // Compiles (or takes from the cache), loads and attaches. Returns null
    // with `error` set when any step fails; nothing stays attached then.
    // `runStats`: collect the kernel's per-program run statistics (-t).
    // `compiledObject`: the object compiled elsewhere; empty: compile here.
    static std::unique_ptr<KernelSession> start(const bpf::Translation& translation, const std::string& compiledObject,
                                                Runtime& rt,
                                                const CompiledProgram& program, int64_t target,
                                                int verbose, bool runStats, std::string& error);

    int pollFd() const { return loader_->pollFd(); }
    void consume() { loader_->consume(); }
    bool runTaskIterators(std::string& error) { return loader_->runTaskIterators(error); }
    void pull() { bridge_->pull(); }
    void push() { bridge_->push(); }
    // Stops every program (they return at once) and handles the records
    // still in the buffer; they are detached when the session is destroyed.
    void stop();
    uint64_t drops() const { return loader_->drops(); }
    uint64_t skipped() const { return loader_->skipped(); }
    std::vector<BpfLoader::HitCount> hitCounts() const { return loader_->hitCounts(); }
    size_t attached() const { return loader_->attachedCount(); }
    ~KernelSession();

private:
    KernelSession(const bpf::Translation& t, Runtime& rt) : translation_(t), rt_(rt) {}
    void onPrintf(const bpf::PrintfSite& site, const char* data, size_t size);
    void onError(const bpf::ErrorSite& site, int64_t value, const std::string& text);

    const bpf::Translation& translation_;
    Runtime& rt_;
    std::unique_ptr<BpfLoader> loader_;
    std::unique_ptr<KernelBridge> bridge_;
};

} // namespace tap::rt
