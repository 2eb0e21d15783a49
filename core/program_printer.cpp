#include "program_printer.h"

#include <algorithm>

namespace tap {

namespace {

void printVar(std::ostream& o, const VarDecl* v) {
    o << v->name;
    if (v->wrap)
        o << "%";
    if (v->maxEntries)
        o << "[" << v->maxEntries << "]"; // stap: a%[5]:long [long]
    o << ":" << typeName(v->type);
    if (v->isArray() && v->type != Type::Stats) {
        o << " [";
        for (size_t i = 0; i < v->keyTypes.size(); ++i)
            o << (i ? ", " : "") << typeName(v->keyTypes[i]);
        o << "]";
    } else if (v->isArray()) {
        o << " [";
        for (size_t i = 0; i < v->keyTypes.size(); ++i)
            o << (i ? ", " : "") << typeName(v->keyTypes[i]);
        o << "]";
    }
}

} // namespace

void printProgram(std::ostream& o, const Program& program) {
    if (!program.globals.empty()) {
        o << "# globals\n";
        for (const VarDecl* g : program.globals) {
            printVar(o, g);
            o << "\n";
        }
    }
    if (!program.functions.empty()) {
        o << "# functions\n";
        std::vector<const FunctionDecl*> fns(program.functions.begin(), program.functions.end());
        std::stable_sort(fns.begin(), fns.end(),
                         [](auto* a, auto* b) { return a->name < b->name; });
        for (const FunctionDecl* f : fns) {
            o << f->name << ":" << typeName(f->returnType) << " (";
            for (size_t i = 0; i < f->params.size(); ++i)
                o << (i ? ", " : "") << f->params[i]->name << ":" << typeName(f->params[i]->type);
            o << ")\n";
            if (!f->locals.empty()) {
                o << "  # locals\n";
                for (const VarDecl* l : f->locals) {
                    o << "  ";
                    printVar(o, l);
                    o << "\n";
                }
            }
        }
    }
    o << "# probes\n";
    for (const ResolvedProbe& p : program.probes) {
        o << p.point.str() << " /* <- " << p.derivation << " */\n";
        if (!p.locals.empty()) {
            o << "  # locals\n";
            for (const VarDecl* l : p.locals) {
                o << "  ";
                printVar(o, l);
                o << "\n";
            }
        }
    }
}

} // namespace tap
