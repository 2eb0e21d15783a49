// The user-space executor's building blocks: the state a session shares
// (globals, arrays, output, limits), the per-handler context, and the
// compiled node interfaces. Pass 2's typed tree is compiled once into these
// nodes (every name resolved to a slot), so running never looks names up.
#pragma once

#include "session_limits.h"
#include "ordered_map.h"
#include "statistic.h"
#include "symbolizer.h"

#include "ast.h"
#include "source.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace tap::rt {

// A run-time error: "ERROR: <message> near <subject> at <file:line:col>".
struct ScriptError {
    std::string message;
    SourceLoc loc;
    std::string subject;
};

// abort(): stop the session now, without end probes.
struct AbortSession {};

// Output of print/printf: buffered and written in large blocks. In JSON mode
// (tstap --json, docs/protocol.md) every piece is one object per line, and
// messages that would go to stderr become "diag" objects on the same stream.
class Output {
public:
    explicit Output(FILE* f = stdout) : file_(f) {}
    void setJson(bool json, int64_t startNs) {
        json_ = json;
        startNs_ = startNs;
    }
    bool json() const { return json_; }

    // Script output that is not a printf record (print, println, histograms).
    void write(std::string_view s) {
        if (s.empty())
            return;
        if (json_)
            appendJson("{\"t\":\"out\",\"ts\":" + std::to_string(elapsed()) + ",\"text\":" + quote(s) + "}\n");
        else
            buffer_.append(s);
        maybeFlush();
    }
    // A printed histogram as numbers (JSON mode only): `fields` from
    // Statistic::histogramJsonFields.
    void histogramRecord(std::string_view statistic, const std::string& fields) {
        if (!json_)
            return;
        appendJson("{\"t\":\"hist\",\"ts\":" + std::to_string(elapsed()) + ",\"statistic\":" + quote(statistic) + "," +
                   fields + "}\n");
        maybeFlush();
    }
    // A printf: its format id and typed values travel with the text;
    // `stacks` is printedStacksField() of the stacks it prints.
    void printfRecord(uint32_t id, const std::vector<std::string_view>& strings, const std::vector<int64_t>& longs,
                      const std::vector<bool>& isString, std::string_view text, std::string_view stacks = {}) {
        if (!json_) {
            buffer_.append(text);
            maybeFlush();
            return;
        }
        std::string line = "{\"t\":\"printf\",\"ts\":" + std::to_string(elapsed()) + ",\"id\":" + std::to_string(id) + ",\"args\":[";
        for (size_t i = 0; i < isString.size(); ++i) {
            if (i)
                line += ",";
            line += isString[i] ? quote(strings[i]) : std::to_string(longs[i]);
        }
        line += "]";
        line += stacks;
        line += ",\"text\":" + quote(text) + "}\n";
        appendJson(line);
        maybeFlush();
    }
    // An error or warning of the run for the user: stderr in text mode;
    // --json marks it "phase":"run-time" (pass 1-2 diagnostics carry theirs).
    void message(std::string_view severity, std::string_view text, const std::string& file = {}, uint32_t line = 0,
                 uint32_t col = 0, std::string_view msg = {}, std::string_view subject = {}) {
        if (!json_) {
            flush();
            std::fwrite(text.data(), 1, text.size(), stderr);
            return;
        }
        std::string obj = "{\"t\":\"diag\",\"severity\":" + quote(severity) + ",\"phase\":\"run-time\"";
        if (!file.empty())
            obj += ",\"file\":" + quote(file) + ",\"line\":" + std::to_string(line) + ",\"col\":" + std::to_string(col);
        obj += ",\"msg\":" + quote(msg.empty() ? text : msg);
        if (!subject.empty())
            obj += ",\"subject\":" + quote(subject);
        obj += ",\"text\":" + quote(text) + "}\n";
        appendJson(obj);
        flush();
    }
    // A protocol event (hello, formats, started, stopped, ...), already JSON.
    void event(const std::string& object) {
        if (json_) {
            appendJson(object + "\n");
            flush();
        }
    }
    std::string& buffer() { return buffer_; }
    void maybeFlush() {
        if (buffer_.size() >= kFlushAt)
            flush();
    }
    // A failed write (a full disk for -o) is told on stderr at once and
    // makes the session's exit status an error; output after it is
    // counted as lost, not written past the gap.
    void flush() {
        if (!buffer_.empty()) {
            if (writeErrno_ == 0 && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
                noteWriteError();
            if (writeErrno_ != 0)
                lostBytes_ += buffer_.size();
            buffer_.clear();
        }
        if (writeErrno_ == 0 && std::fflush(file_) != 0)
            noteWriteError();
    }
    int writeErrno() const { return writeErrno_; }
    uint64_t lostBytes() const { return lostBytes_; }
    void setFile(FILE* f) { file_ = f; }
    FILE* file() const { return file_; }
    static std::string quote(std::string_view s);

private:
    void appendJson(const std::string& line) { buffer_.append(line); }
    void noteWriteError() {
        writeErrno_ = errno ? errno : EIO;
        std::string text = std::string("ERROR: cannot write the output: ") + std::strerror(writeErrno_) + "\n";
        std::fwrite(text.data(), 1, text.size(), stderr);
    }
    int64_t elapsed() const;

    static constexpr size_t kFlushAt = 64 * 1024;
    std::string buffer_;
    FILE* file_;
    bool json_ = false;
    int64_t startNs_ = 0;
    int writeErrno_ = 0;
    uint64_t lostBytes_ = 0;
};

struct ArrayStore {
    const VarDecl* decl = nullptr;
    Type valueType = Type::Long;
    std::vector<Type> keyTypes;
    int64_t maxEntries = 0;
    bool declaredSize = false; // `global a[N]`: overflow names the limit
    bool wrap = false;
    OrderedMap<int64_t> longs;
    OrderedMap<std::string> strings;
    OrderedMap<Statistic> stats;
    HistogramShape shape;
    int varianceShift = 0;

    size_t size() const {
        return valueType == Type::Long ? longs.size()
               : valueType == Type::String ? strings.size() : stats.size();
    }
    void clear() {
        longs.clear();
        strings.clear();
        stats.clear();
    }
};

struct ScalarStat {
    Statistic stat;
    HistogramShape shape;
    int varianceShift = 0;
};

// Everything a running script shares.
struct Runtime {
    Limits limits;
    const SourceManager* sources = nullptr;
    Output out;
    std::vector<int64_t> globalLongs;
    std::vector<std::string> globalStrings;
    std::vector<ScalarStat> globalStats;
    std::vector<ArrayStore> arrays;

    // Frames of handlers and function calls: fixed-size stacks, so slots
    // never move while a frame is live.
    std::vector<int64_t> longStack;
    std::vector<std::string> stringStack;
    size_t longTop = 0, stringTop = 0;

    // $value of the procfs probe that runs (procfs handlers never nest) and
    // its maxsize.
    std::string procfsValue;
    size_t procfsValueLimit = 0;

    bool exitRequested = false;
    int64_t errors = 0, skipped = 0;
    int64_t target = 0;
    std::mt19937_64 random{std::random_device{}()};

    // Regex state for matched()/ngroups() (of the handler's last match).
    std::vector<std::string> matches;
    bool lastMatchOk = false;
    std::string tokenizeInput;
    size_t tokenizePos = 0;
    std::vector<std::string> scriptArgs;
    std::string scriptName;
    int64_t sessionStartNs = 0;
    int64_t tzOffsetWest = 0;
    std::string tzName;
    // Names kernel and user addresses (shared with the kernel session, which
    // notes the processes whose addresses BPF captured).
    std::shared_ptr<Symbolizer> symbols = std::make_shared<Symbolizer>();
    // The process an end or timer probe names user addresses in first: the
    // -c/-x target, else the last one a kernel probe took a stack in.
    int symbolProcess() const { return target > 0 ? int(target) : symbols->lastProcess(); }
    // kernel_string() & co. in user-space probes (set by the kernel session
    // whose object can read kernel memory): a string, or a number's bytes.
    std::function<bool(uint64_t address, uint32_t bytes, bool string, std::string& data)> readKernel;

    std::string truncate(std::string s) const {
        if (int64_t(s.size()) > limits.maxStringLen - 1)
            s.resize(size_t(limits.maxStringLen - 1));
        return s;
    }
};

enum class Flow : uint8_t { Normal, Break, Continue, Return, Next };

struct Ctx {
    Runtime* rt;
    int64_t* L = nullptr;      // the current frame's long slots
    std::string* S = nullptr;  // and string slots
    int64_t actions = 0;
    int64_t maxActions = 1000;
    int depth = 0;
    int maxDepth = 10;
    int64_t retL = 0;
    std::string retS;
    std::string probePoint; // pp()
    std::string probeName;  // pn(): the point as the script wrote it
};

struct LNode {
    SourceLoc loc;
    virtual ~LNode() = default;
    virtual int64_t eval(Ctx& c) = 0;
};

struct SNode {
    SourceLoc loc;
    virtual ~SNode() = default;
    virtual std::string eval(Ctx& c) = 0;
};

struct StmtNode {
    SourceLoc loc;
    virtual ~StmtNode() = default;
    virtual Flow exec(Ctx& c) = 0;
};

// Keys of associative arrays, encoded into one string: per key a tag byte
// then 8 bytes (long) or the text and a NUL (string).
void appendLongKey(std::string& key, int64_t v);
void appendStringKey(std::string& key, std::string_view v);
struct DecodedKey {
    std::vector<int64_t> longs;
    std::vector<std::string> strings;
    std::vector<bool> isString;
};
DecodedKey decodeKey(const std::string& key);

} // namespace tap::rt
