// Pass 5 for kernel probes: loads the BPF object with libbpf, attaches every
// program as its AttachSpec says, reads the ring buffer, and gives access to
// the maps that hold the script's globals.
#pragma once

#include "bpf/translation.h"
#include "unwind_tables.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

struct bpf_object;
struct bpf_link;
struct bpf_program;
struct bpf_prog_info;
struct ring_buffer;

namespace tap::rt {

class BpfLoader {
public:
    struct Handlers {
        std::function<void(const bpf::PrintfSite&, const char* data, size_t size)> printf;
        // value: the faulting address etc.; text: error()'s message ("" otherwise)
        std::function<void(const bpf::ErrorSite&, int64_t value, const std::string& text)> error;
        std::function<void()> exit;
        // Where a file (by build id) is mapped in a process whose user
        // addresses a probe captured: address - file offset.
        std::function<void(int pid, const std::string& buildId, uint64_t bias)> module;
    };

    BpfLoader(const bpf::Translation& t, Handlers h) : translation_(t), handlers_(std::move(h)) {}
    ~BpfLoader();
    BpfLoader(const BpfLoader&) = delete;
    BpfLoader& operator=(const BpfLoader&) = delete;

    // The programs and libraries whose call frame rules user backtraces
    // unwind with (before load()).
    void setUnwindFiles(std::function<std::vector<std::string>()> files) { unwindFiles_ = std::move(files); }
    // Opens and loads the object. A verifier rejection is reported against
    // the script line the failing code came from; `keepLog` asks for the
    // verifier's log of an accepted object too (verifierLog()).
    bool load(const std::string& objectPath, int64_t target, bool keepLog, std::string& error);
    // Attaches every program; on failure nothing stays attached.
    bool attach(bool runStats, std::string& error);
    void detach();
    // Runs the TaskIter programs (process.begin for the processes that
    // exist) once each.
    bool runTaskIterators(std::string& error);

    struct HitCount {
        const bpf::ProgramSpec* spec;
        uint64_t hits, runNs;
    };
    // Runs and run time of every program (BPF run-time statistics, enabled
    // while the loader lives).
    std::vector<HitCount> hitCounts() const;

    struct VerifierCost {
        const bpf::ProgramSpec* spec;
        uint32_t instructions; // what the verifier processed to accept it
    };
    // The verifier's work per program (Linux 5.16+; empty before), for -vv.
    std::vector<VerifierCost> verifierCosts() const;

    // Reads kernel memory for a user-space probe with the object's reader
    // program (Translation::kernelReader): a string, or a number of `bytes`
    // (1 to 8, little-endian into `data`). False when the kernel faulted.
    bool readKernel(uint64_t address, uint32_t bytes, bool string, std::string& data);

    int pollFd() const; // readable when records wait in the ring buffer
    void consume();     // handles every waiting record
    uint64_t drops() const;
    // Hits skipped because another handler was running on the CPU (stap's
    // "skipped probes").
    uint64_t skipped() const;
    // Tells every program to return at once (the session is ending).
    void requestStop();
    int mapFd(const std::string& name) const;
    const std::string& verifierLog() const { return log_; }
    size_t attachedCount() const { return links_.size() + multiLinkFds_.size(); }
    // What attach() left out and went on without (points of a wildcard the
    // kernel cannot probe), for the user to see.
    const std::vector<std::string>& attachWarnings() const { return warnings_; }

private:
    struct State;
    State state() const;
    bpf_object* openAndLoad(const std::string& objectPath, bool withLog, std::optional<UnwindTables>& unwind, int& refused,
                            std::string& error);
    std::string refusal(int err) const;
    std::function<std::vector<std::string>()> unwindFiles_; // asked only when a program unwinds
    static int onRecord(void* self, void* data, size_t size);
    int record(const char* data, size_t size);

    const bpf::Translation& translation_;
    Handlers handlers_;
    bpf_object* object_ = nullptr;
    ring_buffer* ring_ = nullptr;
    std::vector<bpf_link*> links_;
    std::vector<int> perfFds_;
    std::vector<int> multiLinkFds_; // uprobe_multi links (uprobe_multi.h)
    static constexpr size_t kBackgroundRelease = 64; // links: fewer go at once
    bool releaseInBackground();
    bool attachSharedUprobe(const bpf::ProgramSpec& spec, bpf_program* prog, int pid, std::string& error);
    bool programInfo(const bpf::ProgramSpec& spec, bpf_prog_info& info) const;
    bool useUprobeMulti_ = false;
    std::string log_;
    std::vector<std::string> warnings_;
    int statsFd_ = -1;
    int64_t target_ = 0; // -c/-x pid, for uprobes restricted to it
};

// Why BPF cannot be used here (not root, no CAP_BPF), or "".
std::string bpfUnavailableReason();

} // namespace tap::rt
