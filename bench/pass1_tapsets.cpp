// Benchmark: pass 1 (lexer, %( %) conditionals, @define macros, parser) over
// every .stpm and then every .stp file of Debian's systemtap 4.8 tapset
// library (/usr/share/systemtap/tapset: 607 files, 125k lines), in-process,
// the way tests/unit/test_stap_tapsets.cpp does it.
//
// Each repetition starts from scratch (new SourceManager, DiagnosticSink,
// MacroTable) and is timed twice over:
//   whole set  = read every file from disk (page cache) + parse it
//   parse only = parse texts already in memory (the same files)
// Reports min / median / mean ms, lines/s and MB/s, and fails (exit 1) if any
// file gives a parse error.  This is a benchmark, not a test: build it with
// -DCMAKE_BUILD_TYPE=Release (bench/run.sh does).
//
// Usage: pass1_tapsets [-n REPS] [-d TAPSET_DIR] [-t TARGET_MS]
//   defaults: REPS=10, TAPSET_DIR=$STAP_TAPSET_DIR or /usr/share/systemtap/tapset,
//   TARGET_MS=150.
#include "diagnostics.h"
#include "parser.h"
#include "source.h"
#include "target_info.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace tap;
using Clock = std::chrono::steady_clock;

namespace {

struct Stats {
    double min = 0, median = 0, mean = 0, max = 0;
};

Stats summarize(std::vector<double> v) {
    Stats s;
    if (v.empty())
        return s;
    std::sort(v.begin(), v.end());
    s.min = v.front();
    s.max = v.back();
    size_t n = v.size();
    s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    double sum = 0;
    for (double x : v)
        sum += x;
    s.mean = sum / double(n);
    return s;
}

double msSince(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

struct RunResult {
    double ms = 0;
    size_t files = 0, errors = 0, macros = 0;
    std::string firstErrors;
};

// One full pass-1 run over the tapset set.  `texts` empty: load from disk.
RunResult runOnce(const std::vector<std::string>& paths, const std::vector<std::string>* texts,
                  const TargetInfo& target) {
    RunResult r;
    auto t0 = Clock::now();
    SourceManager sm;
    DiagnosticSink diags;
    MacroTable macros;
    ParseOptions opts;
    opts.target = &target;
    opts.libraryMacros = &macros;
    size_t parsed = 0;
    for (size_t i = 0; i < paths.size(); ++i) {
        FileId id = texts ? sm.addFile(paths[i], (*texts)[i], true) : sm.loadFile(paths[i], true);
        if (id == kNoFile) {
            ++r.errors;
            r.firstErrors += "cannot read " + paths[i] + "\n";
            continue;
        }
        auto ast = parseFile(sm, id, diags, opts);
        if (ast)
            ++parsed;
    }
    r.ms = msSince(t0);
    r.files = parsed;
    r.macros = macros.size();
    for (const Diagnostic& d : diags.all())
        if (d.severity == Severity::Error) {
            ++r.errors;
            if (r.errors <= 5)
                r.firstErrors += formatDiagnostic(d, sm);
        }
    return r;
}

void usage(const char* argv0) {
    std::fprintf(stderr, "usage: %s [-n REPS] [-d TAPSET_DIR] [-t TARGET_MS]\n", argv0);
}

} // namespace

int main(int argc, char** argv) {
    int reps = 10;
    double targetMs = 150;
    fs::path dir = std::getenv("STAP_TAPSET_DIR") ? fs::path(std::getenv("STAP_TAPSET_DIR"))
                                                  : fs::path("/usr/share/systemtap/tapset");
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "-n" && i + 1 < argc)
            reps = std::max(1, std::atoi(argv[++i]));
        else if (a == "-d" && i + 1 < argc)
            dir = argv[++i];
        else if (a == "-t" && i + 1 < argc)
            targetMs = std::atof(argv[++i]);
        else {
            usage(argv[0]);
            return 2;
        }
    }
    if (!fs::is_directory(dir)) {
        std::fprintf(stderr, "pass1_tapsets: %s is not a directory (install Debian's systemtap)\n",
                     dir.c_str());
        return 2;
    }

    std::vector<std::string> macroFiles, scriptFiles;
    for (auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.path().extension() == ".stpm")
            macroFiles.push_back(e.path().string());
        else if (e.path().extension() == ".stp")
            scriptFiles.push_back(e.path().string());
    }
    std::sort(macroFiles.begin(), macroFiles.end());
    std::sort(scriptFiles.begin(), scriptFiles.end());
    std::vector<std::string> paths = macroFiles;
    paths.insert(paths.end(), scriptFiles.begin(), scriptFiles.end());

    // Texts in memory (for the parse-only timing) and the size of the set.
    std::vector<std::string> texts;
    size_t bytes = 0, lines = 0;
    for (const std::string& p : paths) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        texts.push_back(ss.str());
        bytes += texts.back().size();
        lines += size_t(std::count(texts.back().begin(), texts.back().end(), '\n'));
    }

    // Read the kernel config once (what %( CONFIG_... %) tests), outside the
    // timed region, as a long-lived compiler process would.
    TargetInfo target = TargetInfo::forRunningKernel();
    (void)target.kernelConfig("CONFIG_64BIT");

    // Warm-up run (page cache, allocator), also the correctness check.
    RunResult warm = runOnce(paths, nullptr, target);
    std::vector<double> whole, parseOnly;
    size_t errors = warm.errors;
    for (int i = 0; i < reps; ++i) {
        RunResult a = runOnce(paths, nullptr, target);
        RunResult b = runOnce(paths, &texts, target);
        whole.push_back(a.ms);
        parseOnly.push_back(b.ms);
        errors = std::max({errors, a.errors, b.errors});
    }
    Stats w = summarize(whole), p = summarize(parseOnly);

    std::printf("pass1_tapsets: %s\n", dir.c_str());
    std::printf("  files %zu (%zu .stpm + %zu .stp), %zu lines, %.2f MB, %zu library macros\n",
                paths.size(), macroFiles.size(), scriptFiles.size(), lines, double(bytes) / 1e6,
                warm.macros);
    std::printf("  repetitions %d (+1 warm-up)\n", reps);
    std::printf("  %-22s min %8.2f ms  median %8.2f ms  mean %8.2f ms  max %8.2f ms\n",
                "whole set (read+parse)", w.min, w.median, w.mean, w.max);
    std::printf("  %-22s min %8.2f ms  median %8.2f ms  mean %8.2f ms  max %8.2f ms\n",
                "parse only (in memory)", p.min, p.median, p.mean, p.max);
    std::printf("  throughput (median, whole set): %.0f lines/s, %.1f MB/s\n",
                double(lines) / (w.median / 1000.0), double(bytes) / 1e6 / (w.median / 1000.0));
    std::printf("  errors: %zu%s\n", errors, errors ? "" : " (every file parses)");
    std::printf("  target: whole set under %.0f ms -> median %.2f ms is %s (%.1fx margin)\n",
                targetMs, w.median, w.median < targetMs ? "MET" : "NOT MET", targetMs / w.median);
    // One machine-readable line for bench/run.sh.
    std::printf("RESULT pass1 files=%zu lines=%zu min_ms=%.2f median_ms=%.2f parse_only_median_ms=%.2f "
                "lines_per_s=%.0f errors=%zu target_ms=%.0f\n",
                paths.size(), lines, w.min, w.median, p.median, double(lines) / (w.median / 1000.0),
                errors, targetMs);
    if (errors) {
        std::fprintf(stderr, "pass1_tapsets: %zu parse error(s); first ones:\n%s", errors,
                     warm.firstErrors.c_str());
        return 1;
    }
    return 0;
}
