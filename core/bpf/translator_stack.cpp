// Backtraces and symbols in kernel probes. BPF captures the addresses
// (bpf_get_stack) and formats them as stap's hex lists; naming them needs
// symbol tables, so print arguments that name addresses are filled in by
// user space from the record (SymbolArg), and anywhere else it is an error.
#include "bpf/translator_impl.h"

namespace tap::bpf::detail {

namespace {

using Source = SymbolArg::Source;
using Style = SymbolArg::Style;

struct SymbolFunction {
    const char* name;
    size_t arity;
    Source source;
    Style style;
    bool limited; // returns a string (MAXSTRINGLEN), rather than printing
};

// stap's formats for each function (tapset/linux/context-*.stp).
const SymbolFunction kSymbolFunctions[] = {
    {"print_backtrace", 0, Source::KernelStack, Style::Full, false},
    {"print_backtrace_fileline", 0, Source::KernelStack, Style::Fuller, false},
    {"symfile", 1, Source::KernelAddress, Style::File, true},
    {"symline", 1, Source::KernelAddress, Style::Line, true},
    {"symfileline", 1, Source::KernelAddress, Style::FileLine, true},
    {"print_ubacktrace_fileline", 0, Source::UserStack, Style::Fuller, false},
    {"usymfile", 1, Source::UserAddress, Style::File, true},
    {"usymline", 1, Source::UserAddress, Style::Line, true},
    {"usymfileline", 1, Source::UserAddress, Style::FileLine, true},
    {"sprint_backtrace", 0, Source::KernelStack, Style::Simple, true},
    {"print_stack", 1, Source::KernelStack, Style::Syms, false},
    {"print_syms", 1, Source::KernelStack, Style::Syms, false},
    {"sprint_stack", 1, Source::KernelStack, Style::Syms, true},
    {"sprint_syms", 1, Source::KernelStack, Style::Syms, true},
    {"symname", 1, Source::KernelAddress, Style::Symbol, true},
    {"symdata", 1, Source::KernelAddress, Style::Data, true},
    {"modname", 1, Source::KernelAddress, Style::Module, true},
    {"print_ubacktrace", 0, Source::UserStack, Style::Full, false},
    {"print_ubacktrace_brief", 0, Source::UserStack, Style::Brief, false},
    {"sprint_ubacktrace", 0, Source::UserStack, Style::Simple, true},
    {"print_ustack", 1, Source::UserStack, Style::Syms, false},
    {"print_usyms", 1, Source::UserStack, Style::Syms, false},
    {"sprint_ustack", 1, Source::UserStack, Style::Syms, true},
    {"sprint_usyms", 1, Source::UserStack, Style::Syms, true},
    {"usymname", 1, Source::UserAddress, Style::Symbol, true},
    {"usymdata", 1, Source::UserAddress, Style::Data, true},
    {"umodname", 1, Source::UserAddress, Style::Module, true},
    {"probefunc", 0, Source::ProbeAddress, Style::Symbol, true},
};

const SymbolFunction* symbolFunction(const Expr* e) {
    if (e->kind != ExprKind::Call)
        return nullptr;
    auto* c = static_cast<const CallExpr*>(e);
    for (const SymbolFunction& f : kSymbolFunctions)
        if (c->name == f.name && c->args.size() == f.arity)
            return &f;
    return nullptr;
}

} // namespace

std::optional<SymbolArg> Translator::symbolArgOf(const Expr* e) const {
    const SymbolFunction* f = symbolFunction(e);
    if (!f)
        return std::nullopt;
    return SymbolArg{f->source, f->style, f->limited};
}

bool Translator::printsSymbols(const Expr* e) const {
    const SymbolFunction* f = symbolFunction(e);
    return f && !f->limited;
}

void Translator::refuseSymbols(const CallExpr* c) {
    error("'" + c->name +
              "' names addresses with symbol tables, which a kernel probe cannot read: use it as an argument of "
              "print or printf there (user space fills it in), or keep the addresses and name them in an end probe",
          c->loc);
}

// Fills f->stack once per hit (kernel or user stack, f->stack_kind); the
// number of addresses. At a uprobe where the return address is still on top
// of the stack (a function's entry, before its frame is made),
// frame-pointer unwinding would skip the caller: it is put in from the
// stack. User stacks also send where their files are mapped
// (tap_note_modules), so that user space can name them later.
std::string Translator::genStackCapture(bool user, SourceLoc loc) {
    stackUsed_ = true;
    noteProcesses_ |= user;
    const AttachSpec& a = currentAttach_;
    bool entryFixup = user && a.kind == AttachSpec::Kind::Uprobe && !a.isReturn && a.frameRegister == "sp" &&
                      ctx_.kind != CodeContext::Kind::Function;
    std::string from = entryFixup ? "1" : "0", kind = user ? "2" : "1";
    auto capture = [&](const std::string& array, const std::string& flags) {
        return "bpf_get_stack(ctx, &f->" + array + "[" + from + "], sizeof(f->" + array + ") - " + from +
               " * sizeof(f->" + array + "[0]), " + flags + ")";
    };
    std::string code = "({ if (f->stack_kind != " + kind + ") { __s64 __n = " +
                       capture("stack", user ? "BPF_F_USER_STACK" : "0") +
                       "; __n = __n < 0 ? 0 : (__s64)((__u64)__n / 8); ";
    if (entryFixup) {
        // [0] = ip, [1] = the return address, then the rest as unwound.
        std::string returnAddress = "(" + userRegister("sp", loc) + " + " + std::to_string(a.frameOffset - 8) + "ULL)";
        code += "if (__n > 0) { __u64 __ret = 0; f->stack[0] = f->stack[1]; bpf_probe_read_user(&__ret, 8, (void *)" +
                returnAddress + "); if (__ret) { f->stack[1] = __ret; __n += 1; } else __n = 1; } ";
    }
    if (user) {
        code += "long __ids = " + capture("stack_ids", "BPF_F_USER_STACK | BPF_F_USER_BUILD_ID") + "; ";
        if (entryFixup)
            code += "f->stack_ids[0] = f->stack_ids[1]; f->stack_ids[1].status = BPF_STACK_BUILD_ID_EMPTY; ";
        // bpf_get_stack zeroes what it does not fill: entries past the
        // unwound ones are empty.
        code += "tap_note_modules(f->stack, f->stack_ids, __ids < 0 ? 0 : __n); ";
    }
    return code + "f->stack_count = __n; f->stack_kind = " + kind + "; } f->stack_count; })";
}

// backtrace(), ubacktrace(): "0x1 0x2 " ; callers(n), ucallers(n): the first
// n + 1 addresses (n = -1: all), "0x1 0x2".
std::string Translator::genStackList(bool user, const std::string& levels, bool trailing, SourceLoc loc) {
    std::string t = tempS(), count = tempL();
    std::string code = "({ " + count + " = " + genStackCapture(user, loc) + "; ";
    if (!levels.empty())
        code += "{ __s64 __levels = " + levels + "; if (__levels >= 0 && __levels + 1 < " + count + ") " + count +
                " = __levels + 1; } ";
    return code + "tap_hex_list(" + t + ", f->stack, " + count + ", " +
           (trailing ? "1" : "0") + "); " + t + "; })";
}

// stack(n), ustack(n): the address n levels down.
std::string Translator::genStackAt(bool user, const std::string& depth, SourceLoc loc, const std::string& subject) {
    std::string count = tempL(), level = tempL();
    return "({ " + count + " = " + genStackCapture(user, loc) + "; " + level + " = " + depth + "; if (" + level +
           " < 0 || " + level + " >= " + count + ") " +
           fail("reached end of stack before unwinding to level %lld", loc, subject, level) +
           " __u64 __at = (__u64)" + level + "; __at < TAP_MAXBACKTRACE ? (__s64)f->stack[__at] : 0; })";
}

std::optional<std::string> Translator::genStackBuiltin(CallExpr* c) {
    const std::string& n = c->name;
    std::string subject = "identifier '" + n + "'";
    if ((n == "backtrace" || n == "ubacktrace") && c->args.empty())
        return genStackList(n[0] == 'u', "", true, c->loc);
    if ((n == "callers" || n == "ucallers") && c->args.size() == 1)
        return genStackList(n[0] == 'u', genL(c->args[0]), false, c->loc);
    if ((n == "stack" || n == "ustack") && c->args.size() == 1)
        return genStackAt(n[0] == 'u', genL(c->args[0]), c->loc, subject);
    return std::nullopt;
}

// A symbol argument's value in the record: the hex list to name (the
// probe's own stack, or the list passed) or the address.
std::string Translator::genSymbolValue(CallExpr* c, const SymbolArg& s, bool& isString) {
    isString = s.stack();
    if (s.source == Source::ProbeAddress)
        return genProbeAddress(false, c->loc);
    if (!isString)
        return genL(c->args[0]);
    if (!c->args.empty())
        return genS(c->args[0]);
    return genStackList(s.user(), "", true, c->loc);
}

// print_backtrace() & co. as statements: a print of their text.
std::string Translator::genSymbolPrint(CallExpr* c) {
    PrintExpr print(c->loc, PrintKind::Print, "print");
    print.args.push_back(c);
    return genPrint(&print);
}

// addr(): the interrupted instruction (uprobes, perf samples), 0 where a
// probe has no registers (tracepoints); uaddr(): the same when it is a user
// address.
std::string Translator::genProbeAddress(bool userOnly, SourceLoc loc) {
    switch (currentAttach_.kind) {
    case AttachSpec::Kind::Uprobe:
        return "((__s64)" + userRegister("ip", loc) + ")"; // a uretprobe's: where it returns
    case AttachSpec::Kind::PerfEvent: {
        // The sample's saved registers are the ctx (bpf_perf_event_data).
        std::string ip = "((__s64)" + userRegister("ip", loc) + ")";
        if (!userOnly)
            return ip;
        return "(" + userRegister("cs", loc) + " & 3 ? " + ip + " : 0LL)";
    }
    default:
        return "0LL";
    }
}

// probefunc(): the function the probe is in. A uprobe's is known here; in
// script functions (emitted once for all their callers) it comes from the
// calling probe's table entry; elsewhere the address is only known when the
// probe runs, so it can only be printed (named by user space).
std::string Translator::genProbefunc(CallExpr* c) {
    if (probedSymbolKnown(c)) {
        StringExpr name(c->loc);
        name.value = currentAttach_.symbol;
        return genS(&name);
    }
    if (ctx_.kind == CodeContext::Kind::Function) {
        probeTableUsed_ = true;
        std::string t = tempS();
        return "({ tap_strcpy(" + t + ", tap_probefunc_table[tap_probe_index(f)]); if (" + t + "[0] == 1) " +
               fail("probefunc() in a script function is only known for uprobes; print probefunc() in the probe itself",
                    c->loc, "identifier 'probefunc'") +
               " " + t + "; })";
    }
    refuseSymbols(c);
}

} // namespace tap::bpf::detail
