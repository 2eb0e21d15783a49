#include "ast_printer.h"
#include "parser.h"

#include <iostream>

int main(int argc, char** argv) {
    using namespace tap;
    SourceManager sm;
    DiagnosticSink diags;
    TargetInfo target = TargetInfo::forRunningKernel();
    MacroTable macros;
    ParseOptions opts;
    opts.target = &target;
    opts.libraryMacros = &macros;
    bool lib = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--lib") { lib = true; continue; }
        FileId id = sm.loadFile(a, lib);
        auto ast = parseFile(sm, id, diags, opts);
        if (argc == 2) printFile(std::cout, *ast);
    }
    for (auto& d : diags.all())
        std::cerr << formatDiagnostic(d, sm);
    return diags.hasErrors() ? 1 : 0;
}
