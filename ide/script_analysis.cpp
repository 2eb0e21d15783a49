#include "script_analysis.h"

#include "definition_finder.h"
#include "frontend.h"
#include "listing.h"
#include "token_scan.h"

#include <chrono>
#include <cstring>
#include <map>

namespace tapide {

QString ScriptDiagnostic::headline() const {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.left(nl);
}

QString ScriptDiagnostic::annotation() const {
    if (phase != "run-time")
        return headline();
    QString line = headline();
    for (const char* prefix : {"ERROR: ", "WARNING: "})
        if (line.startsWith(prefix))
            line = line.mid(int(strlen(prefix)));
    return (error ? "run-time error: " : "run-time warning: ") + line;
}

int ScriptAnalysis::errorCount() const {
    int n = 0;
    for (const ScriptDiagnostic& d : diagnostics)
        n += d.error;
    return n;
}

int ScriptAnalysis::warningCount() const { return int(diagnostics.size()) - errorCount(); }

const ScopeInfo* ScriptAnalysis::scopeAt(int offset) const {
    for (const ScopeInfo& s : scopes)
        if (s.bodyStart >= 0 && offset > s.bodyStart && offset < s.bodyEnd)
            return &s;
    return nullptr;
}

namespace {

// "syscall.read, timer.s(1)": a probe's or alias's points as the header names them.
QString joinPoints(const std::vector<tap::ProbePoint*>& points) {
    QStringList out;
    for (const tap::ProbePoint* pp : points)
        out << QString::fromStdString(pp->str());
    return out.join(", ");
}

QString typeText(tap::Type t) {
    switch (t) {
    case tap::Type::Long: return "long";
    case tap::Type::String: return "string";
    case tap::Type::Stats: return "stats";
    case tap::Type::Unknown: break;
    }
    return {};
}

QString varType(const tap::VarDecl* v) {
    QString t = typeText(v->type);
    if (v->isArray()) {
        QStringList keys;
        for (tap::Type k : v->keyTypes)
            keys << (typeText(k).isEmpty() ? QString("?") : typeText(k));
        t += "[" + keys.join(", ") + "]";
    }
    return t;
}

ScriptDiagnostic convert(const tap::Diagnostic& d, const tap::SourceManager& sm, tap::FileId script) {
    ScriptDiagnostic out;
    out.error = d.severity == tap::Severity::Error;
    out.phase = d.phase == tap::Phase::Parse ? "parse" : d.phase == tap::Phase::Semantic ? "semantic" : "";
    out.inScript = d.loc.file == script;
    if (d.loc.file != tap::kNoFile && d.loc.file < sm.fileCount())
        out.file = QString::fromStdString(sm.name(d.loc.file));
    out.line = int(d.loc.line);
    out.col = int(d.loc.col);
    out.message = QString::fromStdString(d.message);
    out.subject = QString::fromStdString(d.subject);
    out.text = QString::fromStdString(tap::formatDiagnostic(d, sm));
    for (const tap::Diagnostic& n : d.notes)
        out.notes.push_back(convert(n, sm, script));
    return out;
}

// Elaborates `probe POINT? {}` for each point (the handler kept, as the
// listing does) and notes where each resolved one runs.
QHash<QString, bool> pointSites(const std::vector<std::string>& points) {
    QHash<QString, bool> sites;
    std::string script;
    std::vector<std::string> batch;
    std::vector<tap::ConcreteComponent> components;
    for (const std::string& p : points)
        if (tap::splitProbePoint(p, components) && !components.empty() && components[0].functor != "timer") {
            script += "probe " + p + "? {}\n";
            batch.push_back(p);
        }
    if (batch.empty())
        return sites;
    tap::CompileOptions options;
    options.unoptimized = true;
    options.contextVariables = tap::CompileOptions::ContextVariables::None;
    tap::Frontend fe(options);
    fe.addScriptText("<points>", script);
    if (!fe.parse())
        return sites;
    fe.elaborate();
    const auto& decls = fe.scriptFiles()[0]->probes;
    for (const tap::ResolvedProbe& rp : fe.program().probes)
        for (size_t i = 0; i < decls.size() && i < batch.size(); ++i)
            if (decls[i] == rp.decl) {
                bool& kernel = sites[QString::fromStdString(batch[i])];
                kernel = kernel || rp.site == tap::ProbeSite::Kernel;
            }
    return sites;
}

int offsetOf(const TokenScan& scan, const tap::SourceLoc& loc, int size) {
    if (!loc.valid() || loc.line > scan.lineStarts.size())
        return -1;
    return std::min(size, scan.lineStarts[loc.line - 1] + int(loc.col) - 1);
}

} // namespace

ScriptAnalysis analyseScript(const std::string& text, const QString& fileName, quint64 generation) {
    auto start = std::chrono::steady_clock::now();
    ScriptAnalysis a;
    a.generation = generation;
    a.fileName = fileName;

    tap::CompileOptions options;
    tap::Frontend fe(options);
    tap::FileId script = fe.addScriptText(fileName.toStdString(), text);
    bool parsed = fe.parse();
    bool elaborated = parsed && fe.elaborate();
    a.parsed = parsed;
    a.elaborated = elaborated;
    bool haveProgram = parsed;
    for (const tap::Diagnostic& d : fe.diagnostics().all()) {
        a.diagnostics.push_back(convert(d, fe.sources(), script));
        if (d.phase == tap::Phase::Parse && d.severity == tap::Severity::Error)
            haveProgram = false; // a tapset failed to parse: pass 2 never ran
    }

    // Braces of the script, to find where each body ends.
    TokenScan scan = scanTokens(text);
    int size = int(text.size());
    std::map<int, int> braceEnd; // offset of `{` -> offset after its `}`
    {
        std::vector<int> open;
        for (const ScannedToken& t : scan.tokens) {
            if (t.is(tap::Op::LBrace)) {
                open.push_back(t.start);
            } else if (t.is(tap::Op::RBrace) && !open.empty()) {
                braceEnd[open.back()] = t.end;
                open.pop_back();
            }
        }
        for (int o : open)
            braceEnd[o] = size; // unclosed: runs to the end
    }
    auto bodyRange = [&](const tap::Stmt* body, ScopeInfo& s) {
        if (!body)
            return;
        int o = offsetOf(scan, body->loc, size);
        auto it = braceEnd.find(o);
        if (it == braceEnd.end())
            it = braceEnd.lower_bound(std::max(0, o));
        if (it != braceEnd.end()) {
            s.bodyStart = it->first;
            s.bodyEnd = it->second;
        }
    };

    const tap::FileAst* ast = nullptr;
    for (const auto& f : fe.scriptFiles())
        if (f->file == script)
            ast = f.get();
    if (ast) {
        for (const tap::VarDecl* g : ast->globals)
            a.globals.push_back({QString::fromStdString(g->name), varType(g), int(g->loc.line), int(g->loc.col)});
        for (const tap::ProbeDecl* p : ast->probes) {
            ScopeInfo s;
            s.kind = ScopeInfo::Probe;
            s.name = joinPoints(p->points);
            s.headerStart = offsetOf(scan, p->loc, size);
            s.line = int(p->loc.line);
            bodyRange(p->body, s);
            if (haveProgram) {
                for (const tap::ResolvedProbe& rp : fe.program().probes) {
                    if (rp.decl != p)
                        continue;
                    s.kernel = s.kernel.value_or(false) || rp.site == tap::ProbeSite::Kernel;
                    for (const tap::ContextVar& cv : rp.context) {
                        QString name = QString::fromStdString(cv.name);
                        bool seen = false;
                        for (const VarInfo& v : s.context)
                            seen = seen || v.name == name;
                        if (!seen) {
                            s.context.push_back({name, cv.cType.empty() ? typeText(cv.type)
                                                                        : QString::fromStdString(cv.cType)});
                            s.context.back().userTypes = cv.userTypes;
                            s.context.back().userType = cv.userType;
                        }
                    }
                    for (const tap::VarDecl* l : rp.locals) {
                        QString name = QString::fromStdString(l->name);
                        bool fromAlias = l->loc.valid() && l->loc.file != script;
                        QVector<VarInfo>& into = fromAlias ? s.aliasLocals : s.locals;
                        bool seen = false;
                        for (const VarInfo& v : into)
                            seen = seen || v.name == name;
                        if (!seen) {
                            into.push_back({name, varType(l)});
                            if (!fromAlias && l->loc.valid()) {
                                into.back().line = int(l->loc.line);
                                into.back().col = int(l->loc.col);
                            }
                        }
                    }
                }
            }
            a.scopes.push_back(s);
        }
        for (const tap::AliasDecl* al : ast->aliases) {
            ScopeInfo s;
            s.kind = ScopeInfo::Alias;
            s.name = joinPoints(al->names);
            s.headerStart = offsetOf(scan, al->loc, size);
            s.line = int(al->loc.line);
            bodyRange(al->prologue ? al->prologue : al->epilogue, s);
            a.scopes.push_back(s);
        }
        for (const tap::FunctionDecl* f : ast->functions) {
            ScopeInfo s;
            s.kind = ScopeInfo::Function;
            s.name = QString::fromStdString(f->name);
            s.headerStart = offsetOf(scan, f->loc, size);
            s.line = int(f->loc.line);
            s.returnType = typeText(f->returnType);
            for (const tap::VarDecl* p : f->params) {
                s.locals.push_back({QString::fromStdString(p->name), varType(p), int(p->loc.line), int(p->loc.col)});
                s.params.push_back(s.locals.back());
            }
            if (f->body && !f->embedded())
                bodyRange(f->body, s);
            for (const tap::VarDecl* l : f->locals)
                s.locals.push_back({QString::fromStdString(l->name), varType(l), int(l->loc.line), int(l->loc.col)});
            a.scopes.push_back(s);
        }
        std::sort(a.scopes.begin(), a.scopes.end(),
                  [](const ScopeInfo& x, const ScopeInfo& y) { return x.headerStart < y.headerStart; });
    }
    if (haveProgram && elaborated) {
        bool kernel = false;
        for (const tap::ResolvedProbe& rp : fe.program().probes)
            kernel = kernel || rp.site == tap::ProbeSite::Kernel;
        a.hasKernelProbes = kernel;
        // Inferred types of the script's globals.
        for (const tap::VarDecl* g : fe.program().globals)
            for (VarInfo& v : a.globals)
                if (v.name == QString::fromStdString(g->name) && g->file == ast)
                    v.type = varType(g);
    }
    if (!elaborated)
        a.pointRunsInKernel = pointSites(scriptProbePoints(text));
    a.elapsedMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return a;
}

} // namespace tapide
