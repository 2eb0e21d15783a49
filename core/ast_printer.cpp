#include "ast_printer.h"

#include <string_view>

namespace tap {

const char* typeName(Type t) {
    switch (t) {
    case Type::Unknown: return "unknown";
    case Type::Long: return "long";
    case Type::String: return "string";
    case Type::Stats: return "stats";
    }
    return "unknown";
}

const char* statFnName(StatFn f) {
    switch (f) {
    case StatFn::Count: return "@count";
    case StatFn::Sum: return "@sum";
    case StatFn::Min: return "@min";
    case StatFn::Max: return "@max";
    case StatFn::Avg: return "@avg";
    case StatFn::Variance: return "@variance";
    }
    return "@count";
}

namespace {

void printQuoted(std::ostream& o, const std::string& raw) {
    o << '"';
    for (char c : raw) {
        if (c == '\\' || c == '"')
            o << '\\';
        o << c;
    }
    o << '"';
}

// A literal's text as stap's lexer keeps it: the escapes \a \b \f \n \r \t \v
// \\ \x and \ooo stay as written, any other backslash is dropped (\" -> ").
std::string stapContent(const std::string& raw) {
    std::string out;
    for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\' || i + 1 == raw.size()) {
            out += raw[i];
            continue;
        }
        char c = raw[++i];
        if (std::string_view("abfnrtvx\\01234567").find(c) != std::string_view::npos)
            out += '\\';
        out += c;
    }
    return out;
}

// stap's literal_string::print: the content with '"' escaped.
void printLiteral(std::ostream& o, const std::string& raw) {
    o << '"';
    for (char c : stapContent(raw)) {
        if (c == '"')
            o << '\\';
        o << c;
    }
    o << '"';
}

// stap's lex_cast_qstring, used for printf formats and print delimiters:
// backslashes and quotes escaped, other unprintables in octal.
void printQString(std::ostream& o, const std::string& raw) {
    o << '"';
    for (char ch : stapContent(raw)) {
        unsigned char c = (unsigned char)ch;
        if (c < 0x20 || c >= 0x7f) {
            o << '\\' << char('0' + ((c >> 6) & 7)) << char('0' + ((c >> 3) & 7))
              << char('0' + (c & 7));
        } else {
            if (c == '"' || c == '\\')
                o << '\\';
            o << ch;
        }
    }
    o << '"';
}

void printList(std::ostream& o, const std::vector<Expr*>& list) {
    for (size_t i = 0; i < list.size(); ++i) {
        if (i)
            o << ", ";
        if (list[i])
            printExpr(o, list[i]);
        else
            o << "*";
    }
}

void printComponents(std::ostream& o, const std::vector<TargetComponent>& comps) {
    for (const TargetComponent& c : comps) {
        switch (c.kind) {
        case TargetComponent::Field: o << "->" << c.name; break;
        case TargetComponent::Pretty: o << "->" << c.name; break;
        case TargetComponent::Index:
            o << "[";
            printExpr(o, c.index);
            o << "]";
            break;
        }
    }
}

void paren(std::ostream& o, const Expr* e) {
    o << "(";
    printExpr(o, e);
    o << ")";
}

} // namespace

void printExpr(std::ostream& o, const Expr* e) {
    switch (e->kind) {
    case ExprKind::Number:
        o << static_cast<const NumberExpr*>(e)->value;
        break;
    case ExprKind::String:
        printLiteral(o, static_cast<const StringExpr*>(e)->raw);
        break;
    case ExprKind::Binary: {
        auto* b = static_cast<const BinaryExpr*>(e);
        paren(o, b->lhs);
        o << " " << opText(b->op) << " ";
        if (b->op == Op::Match || b->op == Op::NotMatch)
            printExpr(o, b->rhs); // stap: (s) =~ "re"
        else
            paren(o, b->rhs);
        break;
    }
    case ExprKind::Unary: {
        auto* u = static_cast<const UnaryExpr*>(e);
        o << opText(u->op);
        paren(o, u->operand);
        break;
    }
    case ExprKind::IncDec: {
        auto* u = static_cast<const IncDecExpr*>(e);
        if (u->prefix) {
            o << opText(u->op);
            paren(o, u->operand);
        } else {
            paren(o, u->operand);
            o << opText(u->op);
        }
        break;
    }
    case ExprKind::Ternary: {
        auto* t = static_cast<const TernaryExpr*>(e);
        paren(o, t->cond);
        o << "?";
        paren(o, t->then);
        o << ":";
        paren(o, t->otherwise);
        break;
    }
    case ExprKind::Assign: {
        auto* a = static_cast<const AssignExpr*>(e);
        paren(o, a->target);
        o << " " << opText(a->op) << " ";
        paren(o, a->value);
        break;
    }
    case ExprKind::Symbol:
        o << static_cast<const SymbolExpr*>(e)->name;
        break;
    case ExprKind::Index: {
        auto* i = static_cast<const IndexExpr*>(e);
        printExpr(o, i->base);
        o << "[";
        printList(o, i->keys);
        o << "]";
        break;
    }
    case ExprKind::Call: {
        auto* c = static_cast<const CallExpr*>(e);
        o << c->name << "(";
        printList(o, c->args);
        o << ")";
        break;
    }
    case ExprKind::Print: {
        auto* p = static_cast<const PrintExpr*>(e);
        o << p->name << "(";
        size_t first = 0;
        if ((p->hasFormat() || p->hasDelimiter()) && !p->args.empty() &&
            p->args[0]->kind == ExprKind::String) {
            printQString(o, static_cast<const StringExpr*>(p->args[0])->raw);
            first = 1;
        }
        for (size_t i = first; i < p->args.size(); ++i) {
            if (i)
                o << ", ";
            printExpr(o, p->args[i]);
        }
        o << ")";
        break;
    }
    case ExprKind::StatOp: {
        auto* s = static_cast<const StatOpExpr*>(e);
        o << statFnName(s->fn) << "(";
        printExpr(o, s->stat);
        if (s->shift) {
            o << ", ";
            printExpr(o, s->shift);
        }
        o << ")";
        break;
    }
    case ExprKind::Hist: {
        auto* h = static_cast<const HistExpr*>(e);
        o << (h->linear ? "@hist_linear(" : "@hist_log(");
        printExpr(o, h->stat);
        for (const Expr* p : h->params) {
            o << ", ";
            printExpr(o, p);
        }
        o << ")";
        break;
    }
    case ExprKind::In: {
        auto* in = static_cast<const InExpr*>(e);
        o << "[";
        printList(o, in->index->keys);
        o << "] in ";
        printExpr(o, in->index->base);
        break;
    }
    case ExprKind::Target: {
        auto* t = static_cast<const TargetExpr*>(e);
        if (t->addressOf)
            o << "&";
        o << t->name;
        printComponents(o, t->components);
        break;
    }
    case ExprKind::Cast: {
        auto* c = static_cast<const CastExpr*>(e);
        if (c->addressOf)
            o << "&";
        o << "@cast(";
        printExpr(o, c->operand);
        o << ", ";
        printQuoted(o, c->typeName);
        if (!c->module.empty()) {
            o << ", ";
            printQuoted(o, c->module);
        }
        o << ")";
        printComponents(o, c->components);
        break;
    }
    case ExprKind::AtVar: {
        auto* v = static_cast<const AtVarExpr*>(e);
        if (v->addressOf)
            o << "&";
        o << "@var(";
        printQuoted(o, v->varName);
        if (!v->module.empty()) {
            o << ", ";
            printQuoted(o, v->module);
        }
        o << ")";
        printComponents(o, v->components);
        break;
    }
    case ExprKind::Autocast: {
        auto* c = static_cast<const AutocastExpr*>(e);
        if (c->addressOf)
            o << "&";
        paren(o, c->operand); // stap: (a[1])->b, &(a[1])
        printComponents(o, c->components);
        break;
    }
    case ExprKind::Defined:
    case ExprKind::Entry:
    case ExprKind::Perf:
    case ExprKind::ProbeWrite: {
        auto* w = static_cast<const WrapExpr*>(e);
        o << (e->kind == ExprKind::Defined ? "@defined("
              : e->kind == ExprKind::Entry ? "@entry("
              : e->kind == ExprKind::Perf  ? "@perf("
                                           : "@probewrite(");
        printExpr(o, w->operand);
        o << ")";
        break;
    }
    case ExprKind::AtCall: {
        auto* c = static_cast<const AtCallExpr*>(e);
        o << c->name << "(";
        printList(o, c->args);
        o << ")";
        break;
    }
    case ExprKind::Embedded: // stap: "%{ " code " %}" for an expression
        o << "%{ " << static_cast<const EmbeddedExpr*>(e)->code << " %}";
        break;
    }
}

void printStmt(std::ostream& o, const Stmt* s) {
    switch (s->kind) {
    case StmtKind::Block: {
        o << "{\n";
        for (const Stmt* st : static_cast<const BlockStmt*>(s)->body) {
            printStmt(o, st);
            o << ";\n";
        }
        o << "}";
        break;
    }
    case StmtKind::Expr:
        printExpr(o, static_cast<const ExprStmt*>(s)->expr);
        break;
    case StmtKind::If: {
        auto* i = static_cast<const IfStmt*>(s);
        o << "if (";
        printExpr(o, i->cond);
        o << ") ";
        printStmt(o, i->then);
        o << "\n";
        if (i->otherwise) {
            o << "else ";
            printStmt(o, i->otherwise);
            o << "\n";
        }
        break;
    }
    case StmtKind::For: {
        auto* f = static_cast<const ForStmt*>(s);
        o << "for (";
        if (f->init) printExpr(o, f->init);
        o << "; ";
        if (f->cond) printExpr(o, f->cond);
        else o << "1";
        o << "; ";
        if (f->step) printExpr(o, f->step);
        o << ") ";
        printStmt(o, f->body);
        break;
    }
    case StmtKind::Foreach: {
        auto* f = static_cast<const ForeachStmt*>(s);
        auto mark = [&](int column) {
            if (f->sortDirection && f->sortColumn == column)
                o << (f->sortDirection > 0 ? "+" : "-");
        };
        o << "foreach (";
        if (f->value) {
            o << f->value->name;
            o << " = ";
        }
        o << "[";
        for (size_t i = 0; i < f->keys.size(); ++i) {
            if (i) o << ", ";
            o << f->keys[i]->name;
            mark(int(i) + 1);
        }
        o << "] in ";
        printExpr(o, f->array);
        if (f->explicitAggregate)
            o << " " << statFnName(f->sortAggregate);
        mark(0);
        if (f->limit) {
            o << " limit ";
            printExpr(o, f->limit);
        }
        o << ") ";
        printStmt(o, f->body);
        break;
    }
    case StmtKind::Return: {
        auto* r = static_cast<const ReturnStmt*>(s);
        o << "return";
        if (r->value) {
            o << " ";
            printExpr(o, r->value);
        }
        break;
    }
    case StmtKind::Delete:
        o << "delete ";
        printExpr(o, static_cast<const DeleteStmt*>(s)->target);
        break;
    case StmtKind::Next: o << "next"; break;
    case StmtKind::Break: o << "break"; break;
    case StmtKind::Continue: o << "continue"; break;
    case StmtKind::Null: o << ";"; break;
    case StmtKind::Try: {
        auto* t = static_cast<const TryStmt*>(s);
        o << "try {\n";
        printStmt(o, t->tryBlock);
        o << "\n} catch";
        if (t->errorVar)
            o << " (" << t->errorVar->name << ")";
        o << " {\n";
        printStmt(o, t->catchBlock);
        o << "\n}\n";
        break;
    }
    case StmtKind::Embedded:
        o << "%{" << static_cast<const EmbeddedStmt*>(s)->code << "%}";
        break;
    }
}

void printProbePoint(std::ostream& o, const ProbePoint& p) {
    for (size_t i = 0; i < p.components.size(); ++i) {
        if (i) o << ".";
        o << p.components[i].functor;
        if (p.components[i].arg) {
            o << "(";
            printExpr(o, p.components[i].arg);
            o << ")";
        }
    }
    if (p.sufficient) o << "!";
    else if (p.optional) o << "?";
    if (p.condition) {
        o << " if (";
        printExpr(o, p.condition);
        o << ")";
    }
}

std::string ProbePoint::str() const {
    std::string s;
    for (size_t i = 0; i < components.size(); ++i) {
        if (i) s += ".";
        s += components[i].functor;
        if (const Expr* a = components[i].arg) {
            s += "(";
            if (a->kind == ExprKind::Number)
                s += std::to_string(static_cast<const NumberExpr*>(a)->value);
            else
                s += "\"" + static_cast<const StringExpr*>(a)->raw + "\"";
            s += ")";
        }
    }
    return s;
}

void printFunctionHeader(std::ostream& o, const FunctionDecl& f) {
    o << "function " << f.name << " (";
    for (size_t i = 0; i < f.params.size(); ++i) {
        if (i) o << ", ";
        o << f.params[i]->name;
    }
    o << ")";
}

void printFile(std::ostream& o, const FileAst& file) {
    o << "# file " << file.name << "\n";
    for (const EmbeddedDecl* e : file.embedded)
        o << "%{" << e->code << "%}"; // no newline, as stap
    for (const VarDecl* g : file.globals) {
        o << "global " << g->name;
        if (g->wrap) o << "%";
        if (g->maxEntries) o << "[" << g->maxEntries << "]";
        if (g->init) {
            o << " = ";
            printExpr(o, g->init);
        }
        o << "\n";
    }
    for (const AliasDecl* a : file.aliases) {
        o << "probe ";
        for (size_t i = 0; i < a->names.size(); ++i) {
            if (i) o << ",";
            printProbePoint(o, *a->names[i]);
        }
        o << (a->epilogueStyle ? " += " : " = ");
        for (size_t i = 0; i < a->targets.size(); ++i) {
            if (i) o << ", ";
            printProbePoint(o, *a->targets[i]);
        }
        // Like stap -p1, the `= pp {pro}, {epi}` epilogue is not printed.
        printStmt(o, a->epilogueStyle ? a->epilogue : a->prologue);
        o << "\n";
    }
    for (const ProbeDecl* p : file.probes) {
        o << "probe ";
        for (size_t i = 0; i < p->points.size(); ++i) {
            if (i) o << ",";
            printProbePoint(o, *p->points[i]);
        }
        printStmt(o, p->body);
        o << "\n";
    }
    for (const FunctionDecl* f : file.functions) {
        printFunctionHeader(o, *f);
        o << "\n";
        printStmt(o, f->body);
        o << "\n";
    }
}

} // namespace tap
