// Pass 1 over every .stp and .stpm file of Debian's systemtap 4.8 tapset
// library (607 files, 125k lines): none may give an error.
#include "parser.h"

#include <QtTest>

#include <filesystem>

namespace fs = std::filesystem;
using namespace tap;

class StapTapsetsTest : public QObject {
    Q_OBJECT
private slots:
    void everyFileParses();
};

void StapTapsetsTest::everyFileParses() {
    const fs::path dir = qEnvironmentVariableIsSet("STAP_TAPSET_DIR")
                             ? fs::path(qgetenv("STAP_TAPSET_DIR").toStdString())
                             : fs::path("/usr/share/systemtap/tapset");
    if (!fs::is_directory(dir))
        QSKIP("systemtap's tapsets are not installed (Debian package systemtap)");
    std::vector<std::string> macroFiles, scriptFiles;
    for (auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.path().extension() == ".stpm")
            macroFiles.push_back(e.path().string());
        else if (e.path().extension() == ".stp")
            scriptFiles.push_back(e.path().string());
    }
    std::sort(macroFiles.begin(), macroFiles.end());
    std::sort(scriptFiles.begin(), scriptFiles.end());

    SourceManager sm;
    DiagnosticSink diags;
    TargetInfo target = TargetInfo::forRunningKernel();
    MacroTable macros;
    ParseOptions opts;
    opts.target = &target;
    opts.libraryMacros = &macros;
    size_t files = 0;
    for (const auto* list : {&macroFiles, &scriptFiles})
        for (const std::string& path : *list) {
            FileId id = sm.loadFile(path, true);
            QVERIFY2(id != kNoFile, path.c_str());
            auto ast = parseFile(sm, id, diags, opts);
            QVERIFY(ast != nullptr);
            ++files;
        }
    std::string errors;
    for (const Diagnostic& d : diags.all())
        if (d.severity == Severity::Error)
            errors += formatDiagnostic(d, sm);
    QVERIFY2(errors.empty(), errors.c_str());
    QVERIFY(files >= 600);
    qInfo("%zu files parsed, %zu library macros", files, macros.size());
}

QTEST_GUILESS_MAIN(StapTapsetsTest)
#include "test_stap_tapsets.moc"
