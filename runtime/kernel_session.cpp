#include "kernel_session.h"

#include <thread>

#include "bpf_compile.h"
#include "builtins.h"
#include "format.h"
#include "stack_json.h"
#include "symbol_tokens.h"

#include <chrono>
#include <cstring>

namespace tap::rt {

std::unique_ptr<KernelSession> KernelSession::start(const bpf::Translation& translation,
                                                    const std::string& compiledObject, Runtime& rt,
                                                    const CompiledProgram& program, int64_t target, int verbose,
                                                    bool runStats, std::string& error) {
    std::string why = bpfUnavailableReason();
    if (!why.empty()) {
        error = why;
        return nullptr;
    }
    auto t0 = std::chrono::steady_clock::now();
    BpfObject object = compiledObject.empty() ? compileBpf(translation) : BpfObject{compiledObject, true, {}};
    if (!object.error.empty()) {
        error = "BPF compilation failed (pass 4):\n" + object.error;
        return nullptr;
    }
    auto ms = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    };
    if (verbose)
        std::fprintf(stderr, "Pass 4: %s %s in %lldreal ms.\n", object.cached ? "using cached" : "compiled",
                     object.path.c_str(), (long long)ms());
    std::unique_ptr<KernelSession> ks(new KernelSession(translation, rt));
    for (const bpf::ProgramSpec& program : translation.programs) {
        if (program.attach.kind == AttachSpec::Kind::Uprobe)
            rt.symbols->addCandidateProgram(program.attach.target);
        if (program.attach.filterPid > 0)
            rt.symbols->addCandidateProcess(int(program.attach.filterPid));
    }
    KernelSession* self = ks.get();
    BpfLoader::Handlers h;
    h.printf = [self](const bpf::PrintfSite& s, const char* d, size_t n) { self->onPrintf(s, d, n); };
    h.module = [&rt](int pid, const std::string& buildId, uint64_t bias) { rt.symbols->noteModule(pid, buildId, bias); };
    h.error = [self](const bpf::ErrorSite& s, int64_t v, const std::string& t) { self->onError(s, v, t); };
    h.exit = [&rt] { rt.exitRequested = true; };
    ks->loader_ = std::make_unique<BpfLoader>(translation, h);
    ks->loader_->setUnwindFiles([&rt] { return rt.symbols->candidatePrograms(); });
    t0 = std::chrono::steady_clock::now();
    if (!ks->loader_->load(object.path, target, verbose >= 3, error)) {
        if (verbose)
            std::fputs(ks->loader_->verifierLog().c_str(), stderr);
        return nullptr;
    }
    if (verbose >= 3)
        std::fputs(ks->loader_->verifierLog().c_str(), stderr);
    if (verbose >= 2)
        for (const BpfLoader::VerifierCost& c : ks->loader_->verifierCosts())
            std::fprintf(stderr, "Pass 5: %s (%s): %u instructions verified.\n", c.spec->function.c_str(),
                         c.spec->pointText.c_str(), c.instructions);
    if (translation.kernelReader)
        rt.readKernel = [loader = ks->loader_.get()](uint64_t address, uint32_t bytes, bool string, std::string& data) {
            return loader->readKernel(address, bytes, string, data);
        };
    ks->bridge_ = std::make_unique<KernelBridge>(translation, *ks->loader_, program, rt);
    ks->bridge_->push(); // the first event sees the globals' initial values
    if (!ks->loader_->attach(runStats, error))
        return nullptr;
    for (const std::string& w : ks->loader_->attachWarnings())
        rt.out.message("warning", "WARNING: " + w + "\n");
    if (verbose)
        std::fprintf(stderr, "Pass 5: %zu BPF links attached in %lldreal ms.\n", ks->loader_->attachedCount(),
                     (long long)ms());
    return ks;
}

KernelSession::~KernelSession() { rt_.readKernel = nullptr; }

void KernelSession::stop() {
    // Handlers return at once from here on; the ones already running finish
    // within microseconds. Detaching waits for a grace period per link
    // (seconds for many uprobes), so it is left to the destructor: the end
    // probes' output does not wait for it.
    loader_->requestStop();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    loader_->consume();
}

void KernelSession::onPrintf(const bpf::PrintfSite& site, const char* data, size_t size) {
    std::vector<FormatArg> args(site.argIsString.size());
    const std::vector<bool>& isString = site.argIsText;
    std::vector<std::string> named; // texts of symbol arguments, which args point into
    std::vector<PrintedStack> stacks;
    named.reserve(args.size());
    int64_t pid = 0;
    if (site.pidOffset >= 0 && size_t(site.pidOffset) + 8 <= size)
        std::memcpy(&pid, data + site.pidOffset, 8);
    for (size_t i = 0; i < args.size(); ++i) {
        size_t off = size_t(site.argOffsets[i]);
        if (site.argIsString[i]) {
            size_t max = off < size ? std::min(size - off, size_t(translation_.stringSize)) : 0;
            args[i].text = std::string_view(data + off, max ? strnlen(data + off, max) : 0);
            if (hasSymbolTokens(args[i].text)) {
                named.push_back(expandSymbolTokens(args[i].text, *rt_.symbols, size_t(rt_.limits.maxStringLen - 1)));
                args[i].text = named.back();
            }
        } else if (off + 8 <= size) {
            std::memcpy(&args[i].number, data + off, 8);
        }
        if (i < site.symbolArgs.size() && site.symbolArgs[i].source != bpf::SymbolArg::Source::None) {
            const bpf::SymbolArg& s = site.symbolArgs[i];
            Symbolizer& symbols = *rt_.symbols;
            size_t limit = s.limited ? size_t(rt_.limits.maxStringLen - 1) : std::string::npos;
            // A probe's own address is the kernel's when in its (upper) half.
            bool user = s.source == bpf::SymbolArg::Source::ProbeAddress ? args[i].number >= 0 : s.user();
            if (s.stack() && s.limited) { // a stack's text: its frames travel too (--json)
                stacks.push_back({i, symbols.frames(user, int(pid), args[i].text)});
                named.push_back(symbols.formatFrames(stacks.back().frames, s.style, limit));
            } else {
                named.push_back(s.stack() ? symbols.formatStack(user, int(pid), args[i].text, s.style, limit)
                                          : symbols.formatAddress(user, int(pid), uint64_t(args[i].number), s.style));
            }
            if (named.back().size() > limit)
                named.back().resize(limit);
            args[i].text = named.back();
        }
    }
    std::string text;
    std::string& out = text;
    switch (site.kind) {
    case PrintKind::Printf: {
        formatInto(out, site.pieces, args);
        std::vector<std::string_view> strings(args.size());
        std::vector<int64_t> longs(args.size());
        for (size_t i = 0; i < args.size(); ++i) {
            strings[i] = args[i].text;
            longs[i] = args[i].number;
        }
        rt_.out.printfRecord(kKernelFormatBase + site.id, strings, longs, isString, text,
                             rt_.out.json() ? printedStacksField(stacks) : std::string());
        return;
    }
    default: {
        bool delimited = site.kind == PrintKind::Printd || site.kind == PrintKind::Printdln;
        for (size_t i = 0; i < args.size(); ++i) {
            if (i && delimited)
                out += site.delimiter;
            if (isString[i])
                out += args[i].text;
            else
                out += std::to_string(args[i].number);
        }
        if (site.kind == PrintKind::Println || site.kind == PrintKind::Printdln)
            out += '\n';
    }
    }
    if (site.command) {
        if (!runSystemCommand(rt_.out, text))
            onError({0, "system() could not run a shell", site.loc, "identifier 'system'"}, 0, "");
        return;
    }
    rt_.out.write(text);
}

void KernelSession::onError(const bpf::ErrorSite& site, int64_t value, const std::string& text) {
    // Past MAXERRORS the session is ending; errors from other CPUs that were
    // already in flight are not news.
    if (rt_.errors > rt_.limits.maxErrors)
        return;
    std::string message = site.message.empty() ? text : site.message;
    size_t at = message.find("%llx");
    if (at != std::string::npos) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%llx", (unsigned long long)value);
        message.replace(at, 4, buf);
    }
    at = message.find("%lld");
    if (at != std::string::npos)
        message.replace(at, 4, std::to_string(value));
    std::string line = formatRuntimeError({message, site.loc, site.subject}, *rt_.sources);
    rt_.out.message("error", line, site.loc.valid() ? rt_.sources->name(site.loc.file) : std::string(), site.loc.line,
                    site.loc.col, message, site.subject);
    ++rt_.errors;
    // Past MAXERRORS the handlers on other CPUs stop at once, instead of
    // filling the ring buffer while the session shuts down.
    if (rt_.errors > rt_.limits.maxErrors)
        loader_->requestStop();
}

} // namespace tap::rt
