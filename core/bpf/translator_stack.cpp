// Backtraces and symbols in kernel probes. BPF captures the addresses
// (bpf_get_stack) and formats them as stap's hex lists; naming them needs
// symbol tables, so print arguments that name addresses are filled in by
// user space from the record (SymbolArg), and anywhere else the string holds
// a token that user space names where the string reaches it.
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

bool Translator::makesSymbolToken(const Expr* e) const {
    const SymbolFunction* f = symbolFunction(e);
    if (!f || !f->limited)
        return false;
    auto* c = static_cast<const CallExpr*>(e);
    if (probedSymbolKnown(c))
        return false;
    // probefunc() in a script function or a shared handler: the table's name.
    return !(f->source == Source::ProbeAddress && (ctx_.kind == CodeContext::Kind::Function || sharedHandler_));
}

// A symbol function's result as a string that travels: its token
// (kSymbolTokenStart), which user space names.
std::string Translator::genSymbolToken(CallExpr* c, const SymbolArg& s) {
    out_.symbolTokens = true;
    bool isString = false;
    std::string value = genSymbolValue(c, s, isString);
    std::string t = tempS();
    std::string head{char('A' + int(s.source)), char('a' + int(s.style))};
    // The markers go in as %c: bpf_snprintf takes only printable formats.
    std::string format = "%c" + head + (isString ? "%llx:%s%c" : "%llx:%llx%c");
    std::string pid = s.needsProcess() ? "bpf_get_current_pid_tgid() >> 32" : "0";
    return "({ static const char __fmt[] = \"" + format + "\"; __u64 __a[4] = { " +
           std::to_string(int(kSymbolTokenStart)) + ", " + pid + ", (__u64)(" + value + "), " +
           std::to_string(int(kSymbolTokenEnd)) + " }; bpf_snprintf(" + t + ", TAP_STRLEN, __fmt, __a, sizeof __a); " + t +
           "; })";
}

// User stacks are unwound with the programs' call frame information, as
// stap unwinds them, so that code built without frame pointers (every
// distribution library, -O2 programs) unwinds through: user space loads
// each candidate file's .eh_frame rules into tap_unwind_rows
// (dwarf/unwind_table.h) and indexes the files by name in
// tap_unwind_modules. A frame in a file with no rules falls back to frame
// pointers. Each step finds the frame's file with bpf_find_vma (files told
// apart by name and size, kFileNameHash). Frames also get their build id,
// for tap_note_modules.
const char* const kUserUnwinder = R"(struct tap_unwind_row { __u64 pc; __s32 cfa_off; __s16 rbp_off; __u8 cfa_reg; __u8 rbp_rule; };
struct tap_unwind_module { __u32 first, count; __s64 text_delta; __u64 size; __u8 build_id[20]; };
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* set by the loader */
	__type(key, __u32);
	__type(value, struct tap_unwind_row);
} tap_unwind_rows TAP_MAPS;
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u64); /* FNV-1a of the file name */
	__type(value, struct tap_unwind_module);
} tap_unwind_modules TAP_MAPS;

struct tap_vma_seen { __u64 start, end, pgoff, size, name_hash; int found; };

static long tap_vma_seen_cb(struct task_struct *task, struct vm_area_struct *vma, void *data)
{
	struct tap_vma_seen *v = data;
	struct file *file = BPF_CORE_READ(vma, vm_file);
	if (!file)
		return 0;
	v->start = BPF_CORE_READ(vma, vm_start);
	v->end = BPF_CORE_READ(vma, vm_end);
	v->pgoff = BPF_CORE_READ(vma, vm_pgoff);
	v->size = BPF_CORE_READ(file, f_inode, i_size);
	v->name_hash = tap_file_name_hash(file);
	v->found = v->name_hash != 0;
	return 0;
}

/* The rule that covers pc: a binary search over a file's rows, each step a
 * bpf_loop call, so that the verifier checks one step, not 32. */
struct tap_unwind_search { __u64 pc; __u32 lo, hi; int failed; };

static long tap_unwind_search_step(__u32 k, void *data)
{
	struct tap_unwind_search *q = data;
	if (q->lo + 1 >= q->hi)
		return 1;
	__u32 mid = q->lo + (q->hi - q->lo) / 2;
	struct tap_unwind_row *r = bpf_map_lookup_elem(&tap_unwind_rows, &mid);
	if (!r) {
		q->failed = 1;
		return 1;
	}
	if (r->pc <= q->pc)
		q->lo = mid;
	else
		q->hi = mid;
	return 0;
}

/* `mapping`: the last frame's, which the next frame is usually in too. */
struct tap_unwind_state { __u64 ip, sp, bp; __u32 count; struct tap_vma_seen mapping; };

/* Frame i of the stack: its address into f->stack, the caller's registers
 * into s; 1 at the end of the stack. A global function: the verifier checks
 * it once, whatever it knows of the frames before. */
TAP_GLOBAL long tap_unwind_frame(struct tap_frame *f, struct tap_unwind_state *s, __u32 i)
{
	__u64 ra = 0, cfa, bp;
	if (!f || !s || i >= TAP_MAXBACKTRACE)
		return 1;
	f->stack[i] = s->ip;
	s->count = i + 1;
	if (!s->mapping.found || s->ip < s->mapping.start || s->ip >= s->mapping.end) {
		struct tap_vma_seen seen = {};
		bpf_find_vma(bpf_get_current_task_btf(), s->ip, tap_vma_seen_cb, &seen, 0);
		s->mapping = seen;
	}
	struct tap_vma_seen v = s->mapping;
	struct tap_unwind_module *m = v.found ? bpf_map_lookup_elem(&tap_unwind_modules, &v.name_hash) : 0;
	__u64 offset = s->ip - v.start + (v.pgoff << 12);
	if (v.found) {
		f->stack_ids[i].status = BPF_STACK_BUILD_ID_IP;
		f->stack_ids[i].ip = s->ip;
	}
	if (m && m->size == v.size) {
		/* The return address of an outer frame is after its call: look
		 * the call up, which may be the last instruction of a function. */
		struct tap_unwind_search q = { .pc = offset + m->text_delta - (i ? 1 : 0), .lo = m->first,
					       .hi = m->first + m->count };
		f->stack_ids[i].status = BPF_STACK_BUILD_ID_VALID;
		f->stack_ids[i].offset = offset;
		__builtin_memcpy(f->stack_ids[i].build_id, m->build_id, 20);
		bpf_loop(32, tap_unwind_search_step, &q, 0);
		if (q.failed)
			return 1;
		__u64 pc = q.pc;
		struct tap_unwind_row *r = bpf_map_lookup_elem(&tap_unwind_rows, &q.lo);
		if (!r)
			return 1;
		int ruled = r->pc <= pc && r->cfa_reg;
		if (ruled)
			cfa = (r->cfa_reg == 1 ? s->sp : s->bp) + (__s64)r->cfa_off;
		else if (i == 0)
			cfa = s->sp + 8; /* a PLT stub (its rule is an expression): probed where it was called */
		else
			return 1; /* the outermost frame (_start), or code no rule covers */
		if (bpf_probe_read_user(&ra, 8, (void *)(cfa - 8)))
			return 1;
		if (ruled && r->rbp_rule == 1) {
			if (bpf_probe_read_user(&bp, 8, (void *)(cfa + (__s64)r->rbp_off)))
				return 1;
			s->bp = bp;
		}
		s->sp = cfa;
	} else {
		if (!s->bp || bpf_probe_read_user(&ra, 8, (void *)(s->bp + 8)) ||
		    bpf_probe_read_user(&bp, 8, (void *)s->bp))
			return 1;
		s->sp = s->bp + 16;
		s->bp = bp;
	}
	if (!ra)
		return 1;
	s->ip = ra;
	return 0;
}

struct tap_unwind_loop { struct tap_frame *f; struct tap_unwind_state s; };

static long tap_unwind_step(__u32 i, void *data)
{
	struct tap_unwind_loop *l = data;
	return tap_unwind_frame(l->f, &l->s, i) ? 1 : 0;
}

/* The current task's user stack into f->stack (and f->stack_ids): its
 * number of addresses. The registers are those it entered the kernel with. */
static __noinline __s64 tap_unwind_user(struct tap_frame *f)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	struct tap_unwind_loop l = { .f = f };
	if (!f || !regs)
		return 0;
	l.s.ip = BPF_CORE_READ(regs, ip);
	l.s.sp = BPF_CORE_READ(regs, sp);
	l.s.bp = BPF_CORE_READ(regs, bp);
	if (!l.s.ip)
		return 0; /* a kernel thread: no user stack */
	for (int i = 0; i < TAP_MAXBACKTRACE; i++)
		f->stack_ids[i].status = BPF_STACK_BUILD_ID_EMPTY;
	bpf_loop(TAP_MAXBACKTRACE, tap_unwind_step, &l, 0);
	return l.s.count;
}

/* The user stack of this hit, unwound once however often the handler asks:
 * its number of addresses in f->stack. A global function, so the verifier
 * checks it once per program, not once per call. */
TAP_GLOBAL __s64 tap_user_stack(struct tap_frame *f)
{
	if (!f)
		return 0;
	if (f->stack_kind != 2) {
		__s64 n = tap_unwind_user(f);
		tap_note_modules(f->stack, f->stack_ids, n);
		f->stack_count = n;
		f->stack_kind = 2;
	}
	return f->stack_count;
}

)";

void Translator::noteUserUnwinder() {
    if (userUnwinderUsed_)
        return;
    userUnwinderUsed_ = true;
    noteMappingTypes("a user backtrace", {});
}

// Fills f->stack once per hit (kernel or user stack, f->stack_kind); the
// number of addresses. Kernel stacks come from bpf_get_stack; user stacks
// from tap_user_stack, which also sends where their files are mapped
// (tap_note_modules), so that user space can name them later.
std::string Translator::genStackCapture(bool user) {
    stackUsed_ = true;
    noteProcesses_ |= user;
    if (user) {
        noteUserUnwinder();
        return "tap_user_stack(f)";
    }
    // A raw tracepoint's stack starts in the BPF program, bpf_trace_runN and
    // __bpf_trace_EVENT: stap's starts where the tracepoint fired.
    bool raw = currentAttach_.kind == AttachSpec::Kind::TpBtf || currentAttach_.kind == AttachSpec::Kind::RawTracepoint;
    return std::string("({ if (f->stack_kind != 1) { __s64 __n = bpf_get_stack(ctx, f->stack, sizeof(f->stack), ") +
           (raw ? "3" : "0") +
           "); f->stack_count = __n < 0 ? 0 : (__s64)((__u64)__n / 8); f->stack_kind = 1; } f->stack_count; })";
}

// backtrace(), ubacktrace(): "0x1 0x2 " ; callers(n), ucallers(n): the first
// n + 1 addresses (n = -1: all), "0x1 0x2".
std::string Translator::genStackList(bool user, const std::string& levels, bool trailing) {
    std::string t = tempS(), count = tempL();
    std::string code = "({ " + count + " = " + genStackCapture(user) + "; ";
    if (!levels.empty())
        code += "{ __s64 __levels = " + levels + "; if (__levels >= 0 && __levels + 1 < " + count + ") " + count +
                " = __levels + 1; } ";
    return code + "tap_hex_list(" + t + ", f->stack, " + count + ", " +
           (trailing ? "1" : "0") + "); " + t + "; })";
}

// stack(n), ustack(n): the address n levels down.
std::string Translator::genStackAt(bool user, const std::string& depth, SourceLoc loc, const std::string& subject) {
    std::string count = tempL(), level = tempL();
    return "({ " + count + " = " + genStackCapture(user) + "; " + level + " = " + depth + "; if (" + level +
           " < 0 || " + level + " >= " + count + ") " +
           fail("reached end of stack before unwinding to level %lld", loc, subject, level) +
           " __u64 __at = (__u64)" + level + "; __at < TAP_MAXBACKTRACE ? (__s64)f->stack[__at] : 0; })";
}

std::optional<std::string> Translator::genStackBuiltin(CallExpr* c) {
    const std::string& n = c->name;
    std::string subject = "identifier '" + n + "'";
    if ((n == "backtrace" || n == "ubacktrace") && c->args.empty())
        return genStackList(n[0] == 'u', "", true);
    if ((n == "callers" || n == "ucallers") && c->args.size() == 1)
        return genStackList(n[0] == 'u', genL(c->args[0]), false);
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
    return genStackList(s.user(), "", true);
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
// probe runs, and user space names it (a print's argument, or a token).
std::string Translator::genProbefunc(CallExpr* c) {
    if (probedSymbolKnown(c)) {
        StringExpr name(c->loc);
        name.value = currentAttach_.symbol;
        return genS(&name);
    }
    // Elsewhere genCall() made a token (makesSymbolToken()).
    probeTableUsed_ = true;
    std::string t = tempS();
    return "({ tap_strcpy(" + t + ", tap_probefunc_table[tap_probe_index(f)]); if (" + t + "[0] == 1) " +
           fail("probefunc() in a script function is only known for uprobes; print probefunc() in the probe itself",
                c->loc, "identifier 'probefunc'") +
           " " + t + "; })";
}

} // namespace tap::bpf::detail
