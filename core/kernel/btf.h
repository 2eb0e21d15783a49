// The running kernel's types from BTF (/sys/kernel/btf/vmlinux): typed
// tracepoint arguments, member lookup for $var->a->b, and C declarations of
// just the members a script reads (for CO-RE relocated access).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct btf;
struct btf_type;

namespace tap::kernel {

struct BtfParam {
    std::string name;
    int32_t type = 0;
};

struct BtfMember {
    std::string name;
    int32_t type = 0;
    uint32_t bitOffset = 0;
    uint32_t bitfieldSize = 0;
};

// The kernel's BTF as a file to read: a copy in the cache directory made
// once per boot, or /sys/kernel/btf/vmlinux itself where none can be made.
std::string vmlinuxBtfPath();

// Whether a tp_btf program can attach to the tracepoint NAME (BTF describes
// its prototype), as Btf::tracepointParams says, without reading the
// kernel's BTF at each start: the answer for every tracepoint is kept next
// to the per-boot copy.
bool tracepointHasBtf(const std::string& name);

class Btf {
public:
    // The kernel's BTF, loaded once; null when the kernel has none.
    static Btf* vmlinux();
    ~Btf();

    // TP_PROTO arguments of a tracepoint (without the leading __data), for
    // every tracepoint a tp_btf program can attach to (one with a
    // `btf_trace_NAME` typedef). The argument names come from the
    // `__bpf_trace_CLASS` function of its event class.
    std::optional<std::vector<BtfParam>> tracepointParams(const std::string& tracepoint) const;
    // The tracepoints tracepointParams() describes, sorted.
    std::vector<std::string> typedTracepoints() const;
    // Parameters of a kernel function with BTF (fentry/fexit targets), and
    // its return type in `returnType` (0 for void).
    std::optional<std::vector<BtfParam>> functionParams(const std::string& function,
                                                        int32_t* returnType = nullptr) const;
    // The BTF id of a kernel function (an fentry program's attach_btf_id); 0 if none.
    int32_t findFunction(const std::string& function) const;
    // Names of every kernel function with BTF, sorted (wildcard expansion).
    const std::vector<std::string>& functionNames() const;
    // A named type: a typedef, struct, union, enum or base type ("umode_t",
    // "struct task_struct", "unsigned int"); 0 when unknown.
    int32_t findType(const std::string& cName) const;

    enum class Kind { Void, Int, Pointer, Array, Struct, Union, Enum, Function, Float, Other };
    Kind kind(int32_t id) const;        // after typedef/const/volatile
    int32_t strip(int32_t id) const;    // skips typedef, const, volatile, restrict, type tags
    int64_t size(int32_t id) const;
    bool isSigned(int32_t id) const;
    bool isChar(int32_t id) const;      // char / signed char / unsigned char
    int32_t pointee(int32_t id) const;  // pointer target, array element
    int64_t arrayLength(int32_t id) const;
    std::string name(int32_t id) const; // the type's own name ("task_struct")
    // C spelling of a type with an optional declarator: "struct task_struct *prev",
    // "char comm[16]".
    std::string declare(int32_t id, const std::string& declarator = {}) const;
    // Finds a member of a struct/union, looking into anonymous members.
    std::optional<BtfMember> member(int32_t composite, const std::string& name) const;
    // The named members of a struct or union, in order (those of anonymous
    // inner structs and unions included, at their offsets).
    std::vector<BtfMember> members(int32_t composite) const;

private:
    explicit Btf(struct btf* b) : btf_(b) {}
    // The prototype a `btf_trace_NAME` typedef points to (the probe's
    // arguments after __data); null when it points to none.
    const struct btf_type* tracepointPrototype(uint32_t typedefId) const;
    struct btf* btf_;
    // Lazily built indexes (the IDE asks from a background thread).
    mutable std::mutex mutex_;
    mutable std::map<std::vector<int32_t>, std::vector<std::pair<std::string, int32_t>>> traceClasses_;
    mutable std::vector<std::string> functionNames_;
    mutable bool classesIndexed_ = false, functionsIndexed_ = false;
    // Lookups by name and kind: a script makes a few, each a scan of the
    // types (0.3 ms for vmlinux's 125,000), remembered; an index of every
    // name (10 ms to build, a map of strings took 36) is made for the many
    // of a listing.
    mutable std::map<std::pair<std::string, int>, int32_t> found_;
    mutable std::unordered_multimap<std::string_view, int32_t> byName_;
    mutable std::mutex findMutex_;
    int32_t find(const std::string& name, int kind) const; // -1 when missing
};

} // namespace tap::kernel
