#include "frontend.h"

#include "elaborator.h"
#include "kernel/providers.h"
#include "user/user_providers.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;

namespace tap {

ProbeRegistry defaultProbeRegistry(const std::string& targetExecutable) {
    ProbeRegistry registry = ProbeRegistry::withBuiltinProviders();
    addKernelProviders(registry);
    registry.add(user::makeUprobeProvider(targetExecutable));
    return registry;
}

Frontend::Frontend(CompileOptions options) : Frontend(options, defaultProbeRegistry(options.targetExecutable)) {}

Frontend::Frontend(CompileOptions options, ProbeRegistry registry)
    : options_(std::move(options)), registry_(std::move(registry)) {
    options_.target.guruMode = options_.guru;
}

Frontend::~Frontend() = default;

std::string bundledTapsetDir() {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        fs::path dir = exe.parent_path();
        for (fs::path candidate : {dir / "../share/tapstudio/tapsets", dir / "../../tapsets",
                                   dir / "../tapsets", dir / "../../../tapsets"})
            if (fs::is_directory(candidate, ec))
                return fs::weakly_canonical(candidate, ec).string();
    }
#ifdef TAPSTUDIO_SOURCE_TAPSETS
    if (fs::is_directory(TAPSTUDIO_SOURCE_TAPSETS, ec))
        return TAPSTUDIO_SOURCE_TAPSETS;
#endif
    return {};
}

std::vector<std::string> Frontend::tapsetDirs() const {
    std::vector<std::string> dirs = options_.includeDirs;
    if (const char* env = std::getenv("TAPSTUDIO_TAPSETS")) {
        std::string list = env;
        size_t start = 0;
        while (start <= list.size()) {
            size_t colon = list.find(':', start);
            std::string d = list.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
            if (!d.empty())
                dirs.push_back(d);
            if (colon == std::string::npos)
                break;
            start = colon + 1;
        }
    }
    std::string bundled = bundledTapsetDir();
    if (!bundled.empty())
        dirs.push_back(bundled);
    return dirs;
}

FileId Frontend::addScriptFile(const std::string& path) {
    FileId id = sources_.loadFile(path);
    if (id != kNoFile)
        scriptIds_.push_back(id);
    return id;
}

FileId Frontend::addScriptText(std::string name, std::string text) {
    FileId id = sources_.addFile(std::move(name), std::move(text));
    scriptIds_.push_back(id);
    return id;
}

// Library files: .stpm macro files first (their macros are global), then
// the .stp files in pass 2.
void Frontend::loadLibrary(bool macrosOnly) {
    if (macrosOnly ? macrosLoaded_ : libraryLoaded_)
        return;
    std::vector<std::string> files;
    std::error_code ec;
    for (const std::string& dir : tapsetDirs()) {
        std::vector<std::string> found;
        for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
             it.increment(ec)) {
            if (!it->is_regular_file(ec))
                continue;
            std::string ext = it->path().extension().string();
            if ((macrosOnly && ext == ".stpm") || (!macrosOnly && ext == ".stp"))
                found.push_back(it->path().string());
        }
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    ParseOptions po;
    po.target = &options_.target;
    po.libraryMacros = &libraryMacros_;
    po.args = &options_.scriptArgs; // argv.stp's $# and @N, as stap's tapsets see them
    po.guru = true;
    for (const std::string& path : files) {
        FileId id = sources_.loadFile(path, true);
        if (id == kNoFile)
            continue;
        libraryFiles_.push_back(parseFile(sources_, id, diags_, po));
    }
    (macrosOnly ? macrosLoaded_ : libraryLoaded_) = true;
}

bool Frontend::parse() {
    if (parsed_)
        return !diags_.hasErrors();
    parsed_ = true;
    loadLibrary(true);
    ParseOptions po;
    po.target = &options_.target;
    po.libraryMacros = &libraryMacros_;
    po.args = &options_.scriptArgs;
    po.guru = options_.guru;
    for (FileId id : scriptIds_)
        scriptFiles_.push_back(parseFile(sources_, id, diags_, po));
    return !diags_.hasErrors();
}

bool Frontend::elaborate() {
    if (!parse())
        return false;
    loadLibrary(false);
    if (diags_.hasErrors())
        return false;
    std::vector<FileAst*> script, library;
    for (auto& f : scriptFiles_)
        script.push_back(f.get());
    for (auto& f : libraryFiles_)
        library.push_back(f.get());
    auto parseSnippet = [this](const std::string& text, const std::string& origin) -> BlockStmt* {
        FileId id = sources_.addFile("<" + origin + " prologue>", "probe __prologue {\n" + text + "\n}\n", true);
        ParseOptions po;
        po.target = &options_.target;
        po.libraryMacros = &libraryMacros_;
        po.guru = true;
        auto ast = parseFile(sources_, id, diags_, po);
        if (ast->probes.empty())
            return nullptr;
        BlockStmt* body = ast->probes.front()->body;
        snippetFiles_.push_back(std::move(ast));
        return body;
    };
    program_ = elaborateProgram(script, library, registry_, options_, diags_, parseSnippet);
    return !diags_.hasErrors();
}

} // namespace tap
