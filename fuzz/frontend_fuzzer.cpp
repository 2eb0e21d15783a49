// libFuzzer target: the input is a script text, run through passes 1, 2
// and 3 (tap::Frontend::parse(), elaborate(), then bpf::translate() when a
// probe runs in the kernel) as `tstap -p3` does, plus the pass-1/pass-2
// printers and the diagnostic formatter, so that anything tstap can be made
// to print is covered too. With TAP_FUZZ_SAMPLE_DIR set, every 200th
// translation is written there as NNN.bpf.c, for fuzz/compile_sample.sh to
// compile with clang (a translation clang rejects is a translator bug).
//
// Deterministic set-up: a fixed TargetInfo (kernel 6.1.0-13-amd64, x86_64,
// a fixed CONFIG_* map) instead of the running kernel's, and
// TAPSTUDIO_TAPSETS is cleared, so a crash reproduces on any machine. The
// bundled tapsets are found next to the binary (build-fuzz/fuzz/../../tapsets)
// or through the source path compiled into tapcore.
//
// Options: like the corpus (tests/corpus/record.sh), a line
//     # args: OPTS|ARGS
// among the first 5 lines sets options and script arguments. Understood:
// -g, -u, -D NAME[=VALUE], -G NAME[=VALUE], --compatible=VERSION, and the
// words after '|' ('single' or "double" quotes group words). Without it the
// script gets the arguments "1" "foo" (so $1 and @2 resolve).
//
// Build: fuzz/run.sh (clang++-14, -fsanitize=fuzzer,address,undefined).
#include "ast_printer.h"
#include "bpf/translation.h"
#include "frontend.h"
#include "program_printer.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace tap;

TargetInfo fixedTarget() {
    TargetInfo t;
    t.kernelRelease = "6.1.0-13-amd64";
    t.kernelBaseRelease = "6.1.0";
    t.arch = "x86_64";
    t.setKernelConfig({{"CONFIG_64BIT", "y"},
                       {"CONFIG_X86_64", "y"},
                       {"CONFIG_SMP", "y"},
                       {"CONFIG_NUMA", "y"},
                       {"CONFIG_MODULES", "y"},
                       {"CONFIG_COMPAT", "y"},
                       {"CONFIG_HZ", "250"},
                       {"CONFIG_NR_CPUS", "8192"},
                       {"CONFIG_BPF_SYSCALL", "y"},
                       {"CONFIG_DEBUG_INFO_BTF", "y"},
                       {"CONFIG_NFS_FS", "m"},
                       {"CONFIG_LOCALVERSION", "-amd64"}});
    return t;
}

// Shell-like words: blanks separate, quotes group (no escapes).
std::vector<std::string> words(std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    bool have = false;
    char quote = 0;
    for (char c : s) {
        if (quote) {
            if (c == quote)
                quote = 0;
            else
                cur += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            have = true;
        } else if (c == ' ' || c == '\t') {
            if (have)
                out.push_back(cur);
            cur.clear();
            have = false;
        } else {
            cur += c;
            have = true;
        }
    }
    if (have)
        out.push_back(cur);
    return out;
}

std::pair<std::string, std::string> nameValue(const std::string& w) {
    size_t eq = w.find('=');
    if (eq == std::string::npos)
        return {w, ""};
    return {w.substr(0, eq), w.substr(eq + 1)};
}

void applyHeader(std::string_view text, CompileOptions& o) {
    o.scriptArgs = {"1", "foo"};
    size_t pos = 0;
    for (int line = 0; line < 5 && pos < text.size(); ++line) {
        size_t nl = text.find('\n', pos);
        std::string_view l = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        constexpr std::string_view tag = "# args: ";
        if (l.substr(0, tag.size()) != tag)
            continue;
        l.remove_prefix(tag.size());
        size_t bar = l.find('|');
        std::vector<std::string> opts = words(l.substr(0, bar));
        o.scriptArgs = bar == std::string_view::npos ? std::vector<std::string>{} : words(l.substr(bar + 1));
        for (size_t i = 0; i < opts.size(); ++i) {
            const std::string& w = opts[i];
            auto next = [&] { return i + 1 < opts.size() ? opts[++i] : std::string(); };
            if (w == "-g")
                o.guru = true;
            else if (w == "-u")
                o.unoptimized = true;
            else if (w == "-D")
                o.defines.push_back(nameValue(next()));
            else if (w.rfind("-D", 0) == 0)
                o.defines.push_back(nameValue(w.substr(2)));
            else if (w == "-G")
                o.globalSets.push_back(nameValue(next()));
            else if (w.rfind("-G", 0) == 0)
                o.globalSets.push_back(nameValue(w.substr(2)));
            else if (w.rfind("--compatible=", 0) == 0)
                o.target.systemtapVersion = w.substr(13);
        }
        break;
    }
}

// Pass 3 of a script that elaborated; a sample of the C it makes is kept.
void translateSample(Frontend& fe) {
    bool kernel = false;
    for (const ResolvedProbe& p : fe.program().probes)
        kernel = kernel || p.site == ProbeSite::Kernel;
    if (!kernel)
        return;
    bpf::Translation translation;
    if (!bpf::translate(fe.program(), bpf::TranslateOptions{}, fe.diagnostics(), translation))
        return;
    static const char* dir = std::getenv("TAP_FUZZ_SAMPLE_DIR");
    static unsigned translated = 0;
    if (dir && translated++ % 20 == 0)
        std::ofstream(std::string(dir) + "/" + std::to_string(translated) + ".bpf.c") << translation.source;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    unsetenv("TAPSTUDIO_TAPSETS");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    CompileOptions options;
    options.target = fixedTarget();
    applyHeader(text, options);

    Frontend fe(std::move(options));
    fe.addScriptText("fuzz.stp", std::move(text));
    std::ostringstream sink;
    if (fe.parse()) {
        for (const auto& f : fe.scriptFiles())
            if (f)
                printFile(sink, *f);
        if (fe.elaborate()) {
            printProgram(sink, fe.program());
            translateSample(fe);
        }
    }
    for (const Diagnostic& d : fe.diagnostics().all())
        sink << formatDiagnostic(d, fe.sources());
    return 0;
}
