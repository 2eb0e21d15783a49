// The builtins of the tapset library that make sense in user space, with
// stap 4.8's semantics (docs/tapsets.md lists what each must reproduce).
// Context functions describe the tstap process itself.
#include "builtins.h"

#include "descriptors.h"

#include "target_info.h"

#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sched.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

namespace tap::rt {

namespace {

using Args = NativeCall;

int64_t nowNs(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}


// /proc/self/stat fields (1-based as in proc(5)).
std::string statField(int pid, int field) {
    std::string s = readFile("/proc/" + (pid ? std::to_string(pid) : std::string("self")) + "/stat");
    size_t close = s.rfind(')');
    if (close == std::string::npos)
        return {};
    if (field == 2)
        return s.substr(s.find('(') + 1, close - s.find('(') - 1);
    std::istringstream in(s.substr(close + 2));
    std::string v;
    for (int i = 3; i <= field && in >> v; ++i) {
    }
    return v;
}

std::string ownExecname() { return statField(0, 2); }

// --------------------------------------------------------------- strings

void strlen_(Args& a, int64_t& l, std::string&) { l = int64_t(a.s[0].size()); }

void substr_(Args& a, int64_t&, std::string& s) {
    const std::string& str = a.s[0];
    int64_t start = a.l[1], length = a.l[2];
    if (start < 0 || start >= int64_t(str.size()) || length <= 0)
        return;
    int64_t maxLen = a.c.rt->limits.maxStringLen - 1;
    s = str.substr(size_t(start), size_t(std::min(length, maxLen)));
}

void stringat_(Args& a, int64_t& l, std::string&) {
    const std::string& str = a.s[0];
    if (a.l[1] < 0 || a.l[1] >= int64_t(str.size()))
        a.fail("Position out of bounds");
    l = int64_t(static_cast<signed char>(str[size_t(a.l[1])]));
}

void strpos_(Args& a, int64_t& l, std::string&) {
    size_t at = a.s[0].find(a.s[1]);
    l = at == std::string::npos ? -1 : int64_t(at);
}

// The kernel's simple_strtol (stap's strtol calls it): an optional '-';
// the base is an unsigned int; base 0 picks 16 for "0x" followed by a hex
// digit, 8 for a leading "0", else 10; base 16 skips a "0x"/"0X" prefix.
// Only 0-9 and a-f/A-F are digits (_parse_integer), so bases above 16
// read hex digits only. Reading stops at the first character that is not
// a digit below the base; no digits give 0; overflow wraps. No error.
void strtol_(Args& a, int64_t& l, std::string&) {
    const std::string& str = a.s[0];
    uint32_t base = uint32_t(a.l[1]);
    size_t i = 0;
    bool negative = false;
    if (i < str.size() && str[i] == '-') {
        negative = true;
        ++i;
    }
    auto at = [&](size_t k) { return k < str.size() ? (unsigned char)str[k] : 0; };
    bool xPrefix = at(i) == '0' && (at(i + 1) == 'x' || at(i + 1) == 'X');
    if (base == 0)
        base = at(i) != '0' ? 10 : xPrefix && std::isxdigit(at(i + 2)) ? 16 : 8;
    if (base == 16 && xPrefix)
        i += 2;
    uint64_t v = 0;
    for (; i < str.size(); ++i) {
        unsigned char ch = (unsigned char)str[i], lower = (unsigned char)std::tolower(ch);
        uint32_t d;
        if (ch >= '0' && ch <= '9')
            d = ch - '0';
        else if (lower >= 'a' && lower <= 'f')
            d = lower - 'a' + 10;
        else
            break;
        if (d >= base)
            break;
        v = v * base + d;
    }
    l = negative ? int64_t(0 - v) : int64_t(v);
}

// stap's _stp_text_str escaping of the byte (or UTF-8 sequence) at `i`.
// Sequences are decoded like _stp_decode_utf8: a lead byte 110xxxxx,
// 1110xxxx or 11110xxx with the right number of 10xxxxxx continuation
// bytes; surrogates (U+D800..U+DFFF), code points above U+10FFFF and
// overlong encodings are not UTF-8 and fall back to octal, byte by byte.
std::string escapeOne(const std::string& in, size_t& i) {
    unsigned char c = (unsigned char)in[i];
    switch (c) {
    case '\a': ++i; return "\\a";
    case '\b': ++i; return "\\b";
    case '\f': ++i; return "\\f";
    case '\n': ++i; return "\\n";
    case '\r': ++i; return "\\r";
    case '\t': ++i; return "\\t";
    case '\v': ++i; return "\\v";
    case '"': ++i; return "\\\"";
    case '\\': ++i; return "\\\\";
    default: break;
    }
    if (c >= 0x20 && c < 0x7f) {
        ++i;
        return std::string(1, char(c));
    }
    int length = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
    if (length > 1 && i + size_t(length) <= in.size()) {
        uint32_t cp = c & (length == 2 ? 0x1fu : length == 3 ? 0x0fu : 0x07u);
        bool ok = true;
        for (int k = 1; k < length && ok; ++k) {
            unsigned char cc = (unsigned char)in[i + size_t(k)];
            ok = (cc & 0xc0) == 0x80;
            cp = (cp << 6) | (cc & 0x3f);
        }
        uint32_t least = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
        if (ok && cp >= least && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
            i += size_t(length);
            char buf[16];
            if (cp <= 0xffff)
                std::snprintf(buf, sizeof buf, "\\u%04x", cp);
            else
                std::snprintf(buf, sizeof buf, "\\U%08x", cp);
            return buf;
        }
    }
    ++i;
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\%03o", c);
    return buf;
}

// text_strn(input, len, quoted) as _stp_text_str: escaped pieces are
// appended while they fit the budget (len, or MAXSTRINGLEN-1; minus the
// two quotes when quoted, at least 3); a NUL byte ends the input. When
// quoted input is left over, the text is cut 3 bytes before the end of the
// budget to make room for "...", and an escape sequence straddling that
// cut is dropped whole.
void text_strn_(Args& a, int64_t&, std::string& out) {
    const std::string& in = a.s[0];
    int64_t maxLen = a.c.rt->limits.maxStringLen - 1;
    int64_t len = a.l[1];
    bool quoted = a.l[2] != 0;
    if (len <= 0 || len > maxLen)
        len = maxLen;
    int64_t budget = quoted ? std::max<int64_t>(len, 5) - 2 : len;
    std::string text;
    std::vector<size_t> pieceStarts;
    size_t i = 0;
    bool leftover = false;
    while (i < in.size() && in[i] != '\0') {
        size_t before = i;
        std::string piece = escapeOne(in, i);
        if (int64_t(text.size() + piece.size()) > budget) {
            i = before;
            leftover = true;
            break;
        }
        pieceStarts.push_back(text.size());
        text += piece;
    }
    if (!quoted) {
        out = text;
        return;
    }
    if (!leftover) {
        out = "\"" + text + "\"";
        return;
    }
    size_t cut = std::min(size_t(budget - 3), text.size());
    // Snap the cut back to the start of the piece that contains it.
    auto it = std::upper_bound(pieceStarts.begin(), pieceStarts.end(), cut);
    if (cut < text.size() && it != pieceStarts.begin())
        cut = *std::prev(it);
    out = "\"" + text.substr(0, cut) + "\"...";
}

void tokenize_(Args& a, int64_t&, std::string& out) {
    Runtime& rt = *a.c.rt;
    if (!a.s[0].empty()) {
        rt.tokenizeInput = a.s[0];
        rt.tokenizePos = 0;
    }
    const std::string& delim = a.s[1];
    const std::string& in = rt.tokenizeInput;
    while (rt.tokenizePos <= in.size()) {
        size_t end = delim.empty() ? std::string::npos : in.find_first_of(delim, rt.tokenizePos);
        if (end == std::string::npos)
            end = in.size();
        std::string token = in.substr(rt.tokenizePos, end - rt.tokenizePos);
        rt.tokenizePos = end + 1;
        if (!token.empty()) {
            out = token;
            return;
        }
        if (end >= in.size())
            break;
    }
    rt.tokenizePos = in.size() + 1;
}

void maxstringlen_(Args& a, int64_t& l, std::string&) { l = a.c.rt->limits.maxStringLen; }

// ----------------------------------------------------------------- regex

void matched_(Args& a, int64_t&, std::string& out) {
    Runtime& rt = *a.c.rt;
    if (!rt.lastMatchOk)
        a.fail("Attempted to get subexpression " + std::to_string(a.l[0]) + " from failed match");
    if (a.l[0] < 0 || a.l[0] >= int64_t(rt.matches.size()))
        a.fail("Attempted to get nonexistent subexpression " + std::to_string(a.l[0]));
    out = rt.matches[size_t(a.l[0])];
}

void ngroups_(Args& a, int64_t& l, std::string&) {
    if (!a.c.rt->lastMatchOk)
        a.fail("Attempted to get subexpression count from failed match");
    l = int64_t(a.c.rt->matches.size());
}

// --------------------------------------------------------------- control

void exit_(Args& a, int64_t&, std::string&) { a.c.rt->exitRequested = true; }
void abort_(Args& a, int64_t&, std::string&) { throw AbortSession{}; }
// stap's error() clears the statement location: the report is just
// "ERROR: <msg>", without " near ... at ...".
void error_(Args& a, int64_t&, std::string&) { throw ScriptError{a.s[0], SourceLoc{}, {}}; }
// "WARNING: <msg>", with a newline added only when msg lacks one.
void warn_(Args& a, int64_t&, std::string&) {
    a.c.rt->out.flush();
    const std::string& msg = a.s[0];
    bool newline = !msg.empty() && msg.back() == '\n';
    std::fprintf(stderr, "WARNING: %s%s", msg.c_str(), newline ? "" : "\n");
}
void ftrace_(Args& a, int64_t&, std::string&) { std::fprintf(stderr, "%s", a.s[0].c_str()); }
void printk_(Args& a, int64_t&, std::string&) { std::fprintf(stderr, "%s\n", a.s[1].c_str()); }
void system_(Args& a, int64_t&, std::string&) {
    if (!runSystemCommand(a.c.rt->out, a.s[0]))
        a.fail("system() could not run a shell");
}
void raise_(Args& a, int64_t&, std::string&) { ::raise(int(a.l[0])); }

// ------------------------------------------------- kernel memory (readKernel)

std::string readKernel(Args& a, uint32_t bytes, const char* what) {
    if (!a.c.rt->readKernel)
        a.fail("reading kernel memory in a user-space probe needs a kernel probe in the script (its BPF object "
               "carries the reader)");
    std::string data;
    if (!a.c.rt->readKernel(uint64_t(a.l[0]), bytes, bytes == 0, data)) {
        char message[96];
        std::snprintf(message, sizeof message, "kernel %s copy fault at 0x%llx [man error::fault]", what,
                      (unsigned long long)a.l[0]);
        a.fail(message);
    }
    return data;
}
void kernelString_(Args& a, int64_t&, std::string& s) {
    s = readKernel(a, 0, "string");
    s.resize(std::min(s.size(), size_t(a.c.rt->limits.maxStringLen - 1)));
}
void kernelStringN_(Args& a, int64_t& l, std::string& s) {
    kernelString_(a, l, s);
    s.resize(std::min(s.size(), size_t(std::max<int64_t>(a.l[1], 0))));
}
template <typename T>
void kernelNumber_(Args& a, int64_t& l, std::string&) {
    static const char* const kinds[] = {"", "char", "short", "", "int", "", "", "", "long"};
    std::string data = readKernel(a, sizeof(T), kinds[sizeof(T)]);
    T value;
    std::memcpy(&value, data.data(), sizeof value);
    l = int64_t(value);
}
void switchFile_(Args&, int64_t&, std::string&) {}

// --------------------------------------------------------------- context

void pid_(Args&, int64_t& l, std::string&) { l = getpid(); }
void tid_(Args&, int64_t& l, std::string&) { l = int64_t(syscall(SYS_gettid)); }
void ppid_(Args&, int64_t& l, std::string&) { l = getppid(); }
void pgrp_(Args&, int64_t& l, std::string&) { l = getpgrp(); }
void sid_(Args&, int64_t& l, std::string&) { l = getsid(0); }
void uid_(Args&, int64_t& l, std::string&) { l = getuid(); }
void euid_(Args&, int64_t& l, std::string&) { l = geteuid(); }
void gid_(Args&, int64_t& l, std::string&) { l = getgid(); }
void egid_(Args&, int64_t& l, std::string&) { l = getegid(); }
void cpu_(Args&, int64_t& l, std::string&) { l = sched_getcpu(); }
void execname_(Args&, int64_t&, std::string& s) { s = ownExecname(); }
void pexecname_(Args&, int64_t&, std::string& s) { s = statField(getppid(), 2); }
void target_(Args& a, int64_t& l, std::string&) { l = a.c.rt->target; }
void stpPid_(Args&, int64_t& l, std::string&) { l = getpid(); }
void isMyproc_(Args& a, int64_t& l, std::string&) { l = a.c.rt->target == getpid(); }
void taskCurrent_(Args&, int64_t& l, std::string&) { l = 0; }
void pp_(Args& a, int64_t&, std::string& s) { s = a.c.probePoint; }
void pn_(Args& a, int64_t&, std::string& s) { s = a.c.probeName; }
void probeType_(Args& a, int64_t&, std::string& s) {
    s = a.c.probePoint.rfind("timer", 0) == 0 ? "timer" : "begin_end";
}
void zero_(Args&, int64_t& l, std::string&) { l = 0; }
void one_(Args&, int64_t& l, std::string&) { l = 1; }
void empty_(Args&, int64_t&, std::string&) {}
void envVar_(Args& a, int64_t&, std::string& s) {
    const char* v = std::getenv(a.s[0].c_str());
    s = v ? a.c.rt->truncate(v) : std::string();
}
void cmdlineArgs_(Args& a, int64_t&, std::string& out) {
    std::string raw = readFile("/proc/self/cmdline");
    std::vector<std::string> args;
    size_t start = 0;
    while (start < raw.size()) {
        size_t end = raw.find('\0', start);
        if (end == std::string::npos) end = raw.size();
        args.push_back(raw.substr(start, end - start));
        start = end + 1;
    }
    int64_t n = a.l[0], m = a.l[1];
    if (n < 0 || n >= int64_t(args.size()))
        return;
    int64_t last = m < 0 ? int64_t(args.size()) - 1 : std::min<int64_t>(m, int64_t(args.size()) - 1);
    for (int64_t i = n; i <= last; ++i) {
        if (i > n)
            out += a.s[2];
        out += args[size_t(i)].empty() && i > n ? std::string("\"\"") : args[size_t(i)];
    }
    out = a.c.rt->truncate(out);
}

// ------------------------------------------------------------------ time

void gettimeofdayNs_(Args&, int64_t& l, std::string&) { l = nowNs(CLOCK_REALTIME); }
void localClockNs_(Args&, int64_t& l, std::string&) { l = nowNs(CLOCK_MONOTONIC); }
void cpuClockNs_(Args& a, int64_t& l, std::string&) {
    if (a.l[0] < 0 || a.l[0] >= sysconf(_SC_NPROCESSORS_CONF))
        a.fail("cpu " + std::to_string(a.l[0]) + " is not online");
    l = nowNs(CLOCK_MONOTONIC);
}
void getCycles_(Args&, int64_t& l, std::string&) {
#if defined(__x86_64__)
    unsigned lo, hi;
    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    l = int64_t((uint64_t(hi) << 32) | lo);
#else
    l = nowNs(CLOCK_MONOTONIC);
#endif
}
void jiffies_(Args&, int64_t& l, std::string&) { l = nowNs(CLOCK_MONOTONIC) / (1000000000 / kernelHz()); }
void hz_(Args&, int64_t& l, std::string&) { l = kernelHz(); }
void tzGmtoff_(Args& a, int64_t& l, std::string&) { l = a.c.rt->tzOffsetWest; }
void tzName_(Args& a, int64_t&, std::string& s) { s = a.c.rt->tzName; }

void randint_(Args& a, int64_t& l, std::string&) {
    int64_t n = a.l[0];
    if (n < 0 || n > (int64_t(1) << 20))
        a.fail("range too wide");
    l = n == 0 ? 0 : int64_t(a.c.rt->random() % uint64_t(n));
}

// ---------------------------------------------------------------- memory

void pageSize_(Args&, int64_t& l, std::string&) { l = sysconf(_SC_PAGESIZE); }
int64_t statmField(int64_t pid, int field) {
    std::istringstream in(readFile("/proc/" + (pid ? std::to_string(pid) : std::string("self")) + "/statm"));
    int64_t v = 0;
    for (int i = 0; i <= field && in >> v; ++i) {
    }
    return v;
}
template <int Field> void procMem_(Args&, int64_t& l, std::string&) { l = statmField(0, Field); }
template <int Field> void procMemPid_(Args& a, int64_t& l, std::string&) { l = statmField(a.l[0], Field); }

void loadavgIndex_(Args& a, int64_t& l, std::string&) {
    if (a.l[0] < 0 || a.l[0] > 2)
        a.fail("Invalid loadavg index " + std::to_string(a.l[0]) + " specified.");
    std::istringstream in(readFile("/proc/loadavg"));
    double v[3] = {0, 0, 0};
    in >> v[0] >> v[1] >> v[2];
    l = int64_t(v[a.l[0]]);
}
void sprintLoadavg_(Args&, int64_t&, std::string& s) {
    std::istringstream in(readFile("/proc/loadavg"));
    std::string a, b, c;
    in >> a >> b >> c;
    s = a + " " + b + " " + c + "\n";
}

// -------------------------------------------------------- floating point

double asDouble(int64_t v) {
    double d;
    std::memcpy(&d, &v, 8);
    return d;
}
int64_t fromDouble(double d) {
    int64_t v;
    std::memcpy(&v, &d, 8);
    return v;
}
void fpAdd_(Args& a, int64_t& l, std::string&) { l = fromDouble(asDouble(a.l[0]) + asDouble(a.l[1])); }
void fpSub_(Args& a, int64_t& l, std::string&) { l = fromDouble(asDouble(a.l[0]) - asDouble(a.l[1])); }
void fpMul_(Args& a, int64_t& l, std::string&) { l = fromDouble(asDouble(a.l[0]) * asDouble(a.l[1])); }
void fpDiv_(Args& a, int64_t& l, std::string&) { l = fromDouble(asDouble(a.l[0]) / asDouble(a.l[1])); }
void fpRem_(Args& a, int64_t& l, std::string&) { l = fromDouble(std::remainder(asDouble(a.l[0]), asDouble(a.l[1]))); }
void fpSqrt_(Args& a, int64_t& l, std::string&) { l = fromDouble(std::sqrt(asDouble(a.l[0]))); }
void fpEq_(Args& a, int64_t& l, std::string&) { l = asDouble(a.l[0]) == asDouble(a.l[1]); }
void fpLe_(Args& a, int64_t& l, std::string&) { l = asDouble(a.l[0]) <= asDouble(a.l[1]); }
void fpLt_(Args& a, int64_t& l, std::string&) { l = asDouble(a.l[0]) < asDouble(a.l[1]); }
void fpToLong_(Args& a, int64_t& l, std::string&) {
    double d = asDouble(a.l[0]);
    switch (a.l[1]) {
    case 1: d = std::trunc(d); break; // toward zero
    case 2: d = std::floor(d); break;
    case 3: d = std::ceil(d); break;
    default: d = std::nearbyint(d); break;
    }
    l = int64_t(d);
}
void fpToString_(Args& a, int64_t&, std::string& s) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", int(std::clamp<int64_t>(a.l[1], 0, 30)), asDouble(a.l[0]));
    s = buf;
}
void stringToFp_(Args& a, int64_t& l, std::string&) { l = fromDouble(std::strtod(a.s[0].c_str(), nullptr)); }
void longToFp_(Args& a, int64_t& l, std::string&) { l = fromDouble(double(a.l[0])); }
void fp32ToFp64_(Args& a, int64_t& l, std::string&) {
    float f;
    uint32_t bits = uint32_t(a.l[0]);
    std::memcpy(&f, &bits, 4);
    l = fromDouble(double(f));
}

// symname() & co.: stap's formats (Symbolizer::format); user addresses are
// looked up in Runtime::symbolProcess() first, then in the other processes
// stacks were taken in.
template <bool User, Symbolizer::Style S>
void symbol_(Args& a, int64_t&, std::string& out) {
    Runtime& rt = *a.c.rt;
    auto address = uint64_t(a.l[0]);
    SymbolInfo info = User ? rt.symbols->userAnywhere(rt.symbolProcess(), address) : rt.symbols->kernel(address);
    if (Symbolizer::needsSourceLine(S))
        rt.symbols->addSourceLine(info);
    out = rt.truncate(Symbolizer::format(info, address, S));
}

struct Entry {
    const char* name;
    size_t arity;
    NativeFn fn;
};

const Entry kNatives[] = {
    {"strlen", 1, strlen_},
    {"substr", 3, substr_},
    {"stringat", 2, stringat_},
    {"strpos", 2, strpos_},
    {"strtol", 2, strtol_},
    {"text_strn", 3, text_strn_},
    {"tokenize", 2, tokenize_},
    {"__maxstringlen", 0, maxstringlen_},
    {"matched", 1, matched_},
    {"ngroups", 0, ngroups_},
    {"exit", 0, exit_},
    {"abort", 0, abort_},
    {"error", 1, error_},
    {"warn", 1, warn_},
    {"ftrace", 1, ftrace_},
    {"printk", 2, printk_},
    {"system", 1, system_},
    {"kernel_string", 1, kernelString_},
    {"kernel_string_n", 2, kernelStringN_},
    {"kernel_long", 1, kernelNumber_<int64_t>},
    {"kernel_pointer", 1, kernelNumber_<uint64_t>},
    {"kernel_int", 1, kernelNumber_<int32_t>},
    {"kernel_short", 1, kernelNumber_<int16_t>},
    {"kernel_char", 1, kernelNumber_<int8_t>},
    {"raise", 1, raise_},
    {"switch_file", 0, switchFile_},
    {"pid", 0, pid_},
    {"tid", 0, tid_},
    {"ppid", 0, ppid_},
    {"pgrp", 0, pgrp_},
    {"sid", 0, sid_},
    {"uid", 0, uid_},
    {"euid", 0, euid_},
    {"gid", 0, gid_},
    {"egid", 0, egid_},
    {"ns_pid", 0, pid_},
    {"ns_tid", 0, tid_},
    {"ns_ppid", 0, ppid_},
    {"ns_pgrp", 0, pgrp_},
    {"ns_sid", 0, sid_},
    {"ns_uid", 0, uid_},
    {"ns_euid", 0, euid_},
    {"ns_gid", 0, gid_},
    {"ns_egid", 0, egid_},
    {"cpu", 0, cpu_},
    {"execname", 0, execname_},
    {"pexecname", 0, pexecname_},
    {"target", 0, target_},
    {"stp_pid", 0, stpPid_},
    {"is_myproc", 0, isMyproc_},
    {"task_current", 0, taskCurrent_},
    {"pp", 0, pp_},
    {"pn", 0, pn_},
    {"probe_type", 0, probeType_},
    {"probemod", 0, empty_},
    {"module_name", 0, empty_},
    {"is_return", 0, zero_},
    {"user_mode", 0, one_},
    {"registers_valid", 0, zero_},
    {"env_var", 1, envVar_},
    {"cmdline_args", 3, cmdlineArgs_},
    {"gettimeofday_ns", 0, gettimeofdayNs_},
    {"local_clock_ns", 0, localClockNs_},
    {"cpu_clock_ns", 1, cpuClockNs_},
    {"ktime_get_ns", 0, localClockNs_},
    {"get_cycles", 0, getCycles_},
    {"jiffies", 0, jiffies_},
    {"HZ", 0, hz_},
    {"tz_gmtoff", 0, tzGmtoff_},
    {"tz_name", 0, tzName_},
    {"randint", 1, randint_},
    {"mem_page_size", 0, pageSize_},
    {"proc_mem_size", 0, procMem_<0>},
    {"proc_mem_size", 1, procMemPid_<0>},
    {"proc_mem_rss", 0, procMem_<1>},
    {"proc_mem_rss", 1, procMemPid_<1>},
    {"proc_mem_shr", 0, procMem_<2>},
    {"proc_mem_shr", 1, procMemPid_<2>},
    {"proc_mem_txt", 0, procMem_<3>},
    {"proc_mem_txt", 1, procMemPid_<3>},
    {"proc_mem_data", 0, procMem_<5>},
    {"proc_mem_data", 1, procMemPid_<5>},
    {"get_loadavg_index", 1, loadavgIndex_},
    {"sprint_loadavg", 0, sprintLoadavg_},
    {"fp_add", 2, fpAdd_},
    {"fp_sub", 2, fpSub_},
    {"fp_mul", 2, fpMul_},
    {"fp_div", 2, fpDiv_},
    {"fp_rem", 2, fpRem_},
    {"fp_sqrt", 1, fpSqrt_},
    {"fp_eq", 2, fpEq_},
    {"fp_le", 2, fpLe_},
    {"fp_lt", 2, fpLt_},
    {"fp_to_long", 3, fpToLong_},
    {"fp_to_string", 2, fpToString_},
    {"string_to_fp", 1, stringToFp_},
    {"long_to_fp", 1, longToFp_},
    {"fp32_to_fp64", 1, fp32ToFp64_},
    {"symname", 1, symbol_<false, Symbolizer::Style::Symbol>},
    {"symdata", 1, symbol_<false, Symbolizer::Style::Data>},
    {"modname", 1, symbol_<false, Symbolizer::Style::Module>},
    {"usymname", 1, symbol_<true, Symbolizer::Style::Symbol>},
    {"usymdata", 1, symbol_<true, Symbolizer::Style::Data>},
    {"umodname", 1, symbol_<true, Symbolizer::Style::Module>},
    {"symfile", 1, symbol_<false, Symbolizer::Style::File>},
    {"symline", 1, symbol_<false, Symbolizer::Style::Line>},
    {"symfileline", 1, symbol_<false, Symbolizer::Style::FileLine>},
    {"usymfile", 1, symbol_<true, Symbolizer::Style::File>},
    {"usymline", 1, symbol_<true, Symbolizer::Style::Line>},
    {"usymfileline", 1, symbol_<true, Symbolizer::Style::FileLine>},
};

} // namespace

NativeFn findNative(const std::string& name, size_t arity) {
    for (const Entry& e : kNatives)
        if (e.arity == arity && name == e.name)
            return e.fn;
    return nullptr;
}

bool runSystemCommand(Output& out, const std::string& command) {
    out.flush();
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        sigset_t none; // the session's blocked signals are not the command's
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        closeOwnDescriptors();
        execl("/bin/sh", "sh", "-c", command.c_str(), (char*)nullptr);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return true;
}

} // namespace tap::rt
