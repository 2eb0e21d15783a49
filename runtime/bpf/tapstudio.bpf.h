/* Support code for the BPF programs tstap generates (pass 3). The generated
 * file defines TAP_STRLEN, TAP_RINGBUF_SIZE, TAP_NSTR and
 * TAP_NLONG before including this header. */
#ifndef TAPSTUDIO_BPF_H
#define TAPSTUDIO_BPF_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

typedef __s64 s64;

/* Maps and global functions are weak: a large program is compiled in parts
 * that each carry the same definitions, and the linker keeps one of each. */
#define TAP_MAPS SEC(".maps") __weak
#define TAP_GLOBAL __weak __noinline

/* Records user space reads from the ring buffer. */
enum tap_record_kind { TAP_REC_PRINTF = 1, TAP_REC_ERROR = 2, TAP_REC_EXIT = 3, TAP_REC_MODULE = 4 };
struct tap_rec_head {
	__u32 kind;
	__u32 id; /* printf site or error site */
};
struct tap_rec_error {
	struct tap_rec_head h;
	__s64 value; /* e.g. the address of a failed read */
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, TAP_RINGBUF_SIZE);
} tap_events TAP_MAPS;

/* Counters shared with user space. */
/* Entry values of a .return probe: per thread and, for uprobes, per call
 * frame (the caller's stack pointer), so recursive calls keep theirs. */
struct tap_entry_key {
	__u64 tid;
	__u64 frame;
};

struct tap_state {
	__u64 drops;   /* records lost to a full ring buffer */
	__u64 stop;    /* set once an error or exit() asked the session to end */
	__u64 skipped; /* hits skipped: another handler was running on the CPU */
};
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tap_state);
} tap_state_map TAP_MAPS;

/* Written by the loader before the programs are attached. */
struct tap_config {
	__s64 target;          /* target(): -x PID or the -c command */
	__s64 realtime_offset; /* CLOCK_REALTIME - CLOCK_BOOTTIME, for gettimeofday_*() */
	__u32 ncpus;           /* possible CPUs, for merging per-CPU statistics */
	__s64 stp_pid;         /* stp_pid(): the tstap process */
};
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tap_config);
} tap_config_map TAP_MAPS;

/* A typed pointer argument (tp_btf, fentry) as a plain number: the verifier
 * refuses arithmetic on such pointers ($prev - base), a copied value is a
 * number. */
static __always_inline __s64 tap_number(__s64 value)
{
	__s64 number = 0;
	bpf_probe_read_kernel(&number, sizeof number, &value);
	return number;
}

static __always_inline struct tap_config *tap_config(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&tap_config_map, &zero);
}

static __always_inline void tap_count_drop(void)
{
	__u32 zero = 0;
	struct tap_state *s = bpf_map_lookup_elem(&tap_state_map, &zero);
	if (s)
		__sync_fetch_and_add(&s->drops, 1);
}

static __always_inline void tap_count_skip(void)
{
	__u32 zero = 0;
	struct tap_state *s = bpf_map_lookup_elem(&tap_state_map, &zero);
	if (s)
		__sync_fetch_and_add(&s->skipped, 1);
}

static __always_inline void tap_emit(__u32 kind, __u32 id, __s64 value)
{
	struct tap_rec_error *r = bpf_ringbuf_reserve(&tap_events, sizeof(*r), 0);
	if (!r) {
		tap_count_drop();
		return;
	}
	r->h.kind = kind;
	r->h.id = id;
	r->value = value;
	bpf_ringbuf_submit(r, 0);
}

/* exit() was called: as in stap, no probe handler starts after that (the
 * one running finishes); user space then detaches and runs the end probes. */
static __always_inline void tap_request_stop(void)
{
	__u32 zero = 0;
	struct tap_state *st = bpf_map_lookup_elem(&tap_state_map, &zero);
	if (st)
		st->stop = 1;
}

static __always_inline int tap_stopping(void)
{
	__u32 zero = 0;
	struct tap_state *st = bpf_map_lookup_elem(&tap_state_map, &zero);
	return st && st->stop;
}

/* Strings live in buffers of at least TAP_STRLEN bytes (frame slots have
 * 2*TAP_STRLEN so that concatenation can always write its second part). */
/* Not inlined: a call resets the scratch registers, so the verifier can
 * merge the states after every string operation instead of walking each
 * combination of the branches around them. */
static __noinline long tap_strcpy(char *dst, const char *src)
{
	long n = bpf_probe_read_kernel_str(dst, TAP_STRLEN, src);
	if (n < 0)
		dst[0] = 0;
	return n;
}

static __noinline void tap_strcat(char *dst, const char *a, const char *b)
{
	long n = bpf_probe_read_kernel_str(dst, TAP_STRLEN, a);
	if (n < 1)
		n = 1;
	n = (n - 1) & (TAP_STRLEN - 1);
	bpf_probe_read_kernel_str(dst + n, TAP_STRLEN, b);
	dst[TAP_STRLEN - 1] = 0;
}

/* String comparison and length run as bpf_loop() callbacks: the verifier
 * checks a callback once instead of walking every iteration. */
struct tap_cmpctx {
	const char *a, *b;
	int result;
	__s64 len;
};

static long tap_strcmp_step(__u32 i, struct tap_cmpctx *c)
{
	unsigned char x = c->a[i & (TAP_STRLEN - 1)], y = c->b[i & (TAP_STRLEN - 1)];
	if (x != y) {
		c->result = x < y ? -1 : 1;
		return 1;
	}
	return x == 0;
}

static __noinline int tap_strcmp(const char *a, const char *b)
{
	struct tap_cmpctx c = { .a = a, .b = b };
	bpf_loop(TAP_STRLEN, tap_strcmp_step, &c, 0);
	return c.result;
}

static long tap_strlen_step(__u32 i, struct tap_cmpctx *c)
{
	if (!c->a[i & (TAP_STRLEN - 1)])
		return 1;
	c->len = i + 1;
	return 0;
}

static __noinline __s64 tap_strlen(const char *s)
{
	struct tap_cmpctx c = { .a = s };
	bpf_loop(TAP_STRLEN - 1, tap_strlen_step, &c, 0);
	return c.len;
}

/* strtol(s, base), as the user-space one: an optional '-', "0x" with base
 * 16 (or base 0: 0x... hex, 0... octal, else decimal), then digits. */
struct tap_strtolctx {
	const char *s;
	__u64 value;
	__u32 base;
};

static long tap_strtol_step(__u32 i, struct tap_strtolctx *c)
{
	unsigned char ch = c->s[i & (TAP_STRLEN - 1)], lower = ch | 0x20;
	__u32 digit;
	if (ch >= '0' && ch <= '9')
		digit = ch - '0';
	else if (lower >= 'a' && lower <= 'f')
		digit = lower - 'a' + 10;
	else
		return 1;
	if (digit >= c->base)
		return 1;
	c->value = c->value * c->base + digit;
	return 0;
}

static __noinline __s64 tap_strtol(const char *s, __s64 base)
{
	__u32 at = 0;
	int negative = s[0] == '-';
	if (negative)
		at = 1;
	unsigned char next = s[at + 2] | 0x20;
	int hex = s[at] == '0' && (s[at + 1] | 0x20) == 'x';
	if (base == 0)
		base = s[at] != '0' ? 10 : hex && ((next >= '0' && next <= '9') || (next >= 'a' && next <= 'f')) ? 16 : 8;
	if (base == 16 && hex)
		at += 2;
	struct tap_strtolctx c = { .s = s + at, .base = (__u32)base };
	bpf_loop(TAP_STRLEN - 4, tap_strtol_step, &c, 0);
	return negative ? -(__s64)c.value : (__s64)c.value;
}

/* A '*' width of printf: src padded with spaces to width (left-aligned
 * when left), in dst. */
struct tap_padctx {
	char *dst;
	__s64 from, to;
};

static long tap_pad_step(__u32 i, struct tap_padctx *c)
{
	__s64 at = c->from + i;
	if (at >= c->to)
		return 1;
	c->dst[at & (TAP_STRLEN - 1)] = ' ';
	return 0;
}

static __noinline char *tap_pad(char *dst, const char *src, __s64 width, int left)
{
	__s64 len = tap_strlen(src);
	if (width > TAP_STRLEN - 1)
		width = TAP_STRLEN - 1;
	__s64 pad = width > len ? width - len : 0;
	struct tap_padctx c = { .dst = dst, .from = left ? len : 0, .to = left ? len + pad : pad };
	if (left) {
		bpf_probe_read_kernel_str(dst, TAP_STRLEN, src);
	} else {
		bpf_probe_read_kernel_str(dst + (pad & (TAP_STRLEN - 1)), TAP_STRLEN - (pad & (TAP_STRLEN - 1)), src);
	}
	bpf_loop(TAP_STRLEN, tap_pad_step, &c, 0);
	dst[(len + pad) & (TAP_STRLEN - 1)] = 0;
	dst[TAP_STRLEN - 1] = 0;
	return dst;
}

/* cmdline_args(n, m, delim): arguments n..m (m < 0: to the last) of the
 * NUL-separated argument area, joined by delim (at most 32 bytes); an empty
 * argument after the first shows as "", as in user space. The counters
 * live in map memory (`st`: argument, output length, at an argument's
 * start), so that the verifier checks the callback once, not per byte. */
struct tap_argsctx {
	const char *src, *delim;
	char *dst;
	__s64 *st;
	__s64 len, from, to, dlen;
};

static __always_inline void tap_args_put(struct tap_argsctx *c, char ch)
{
	__s64 out = c->st[1];
	if (out >= 0 && out < TAP_STRLEN - 1) {
		c->dst[out & (TAP_STRLEN - 1)] = ch;
		c->st[1] = out + 1;
	}
}

static long tap_args_delim_step(__u32 k, struct tap_argsctx *c)
{
	if (k >= c->dlen)
		return 1;
	tap_args_put(c, c->delim[k & (TAP_STRLEN - 1)]);
	return 0;
}

static long tap_args_step(__u32 i, struct tap_argsctx *c)
{
	if (i >= c->len)
		return 1;
	char ch = c->src[i & (TAP_STRLEN - 1)];
	__s64 arg = c->st[0];
	int selected = arg >= c->from && (c->to < 0 || arg <= c->to);
	if (c->st[2] && selected && arg > c->from) {
		bpf_loop(32, tap_args_delim_step, c, 0);
		if (!ch) {
			tap_args_put(c, '"');
			tap_args_put(c, '"');
		}
	}
	c->st[2] = 0;
	if (!ch) {
		c->st[0] = arg + 1;
		c->st[2] = 1;
		return c->to >= 0 && arg + 1 > c->to;
	}
	if (selected)
		tap_args_put(c, ch);
	return 0;
}

static __always_inline char *tap_cmdline_args(char *dst, const char *src, __s64 len, __s64 from, __s64 to,
					       const char *delim, __s64 *st)
{
	struct tap_argsctx c = { .src = src, .delim = delim, .dst = dst, .st = st, .len = len, .from = from, .to = to,
				 .dlen = tap_strlen(delim) };
	dst[0] = 0;
	if (from < 0 || (to >= 0 && to < from))
		return dst;
	st[0] = 0;
	st[1] = 0;
	st[2] = 1;
	bpf_loop(TAP_STRLEN, tap_args_step, &c, 0);
	dst[st[1] & (TAP_STRLEN - 1)] = 0;
	return dst;
}

/* env_var(name): NAME's value in the process's initial environment
 * (mm->env_start..env_end: "NAME=value" entries separated by NULs), read a
 * byte at a time, so that environments of any size are searched. The state
 * lives in map memory (`st`): [0] how much of NAME the entry matched so far
 * (-1: skipping to the next entry, -2: copying the value), [1] the output
 * length. */
struct tap_envctx {
	const char *name;
	char *dst;
	__u64 start;
	__s64 len, nlen;
	__s64 *st;
};

static long tap_env_step(__u32 i, struct tap_envctx *c)
{
	char ch = 0;
	if (i >= c->len || bpf_probe_read_user(&ch, 1, (void *)(c->start + i)))
		return 1;
	__s64 state = c->st[0];
	if (state == -2) {
		if (!ch)
			return 1;
		__s64 out = c->st[1];
		if (out >= 0 && out < TAP_STRLEN - 1) {
			c->dst[out & (TAP_STRLEN - 1)] = ch;
			c->st[1] = out + 1;
		}
		return 0;
	}
	if (state == -1) {
		if (!ch)
			c->st[0] = 0;
		return 0;
	}
	if (state >= 0 && state < c->nlen) {
		if (ch && ch == c->name[state & (TAP_STRLEN - 1)])
			c->st[0] = state + 1;
		else
			c->st[0] = ch ? -1 : 0;
		return 0;
	}
	c->st[0] = ch == '=' ? -2 : ch ? -1 : 0;
	return 0;
}

static __always_inline char *tap_env_var(char *dst, const char *name, __u64 start, __s64 len, __s64 *st)
{
	struct tap_envctx c = { .name = name, .dst = dst, .start = start, .len = len, .nlen = tap_strlen(name), .st = st };
	st[0] = 0;
	st[1] = 0;
	dst[0] = 0;
	if (c.nlen > 0)
		bpf_loop(1 << 20, tap_env_step, &c, 0);
	dst[st[1] & (TAP_STRLEN - 1)] = 0;
	return dst;
}

/* strpos(): naive matching as one bpf_loop with the state (i, j): s2[0..j)
 * matched s1[i..i+j). At most strlen(s1) * (strlen(s2) + 1) steps. i and j
 * live in map memory (frame slots): counters on the stack would be tracked
 * exactly by the verifier, which then walks every iteration. */
struct tap_posctx {
	const char *h, *n;
	__s64 *i, *j;
	__s64 hlen, nlen, found;
};

static long tap_strpos_step(__u32 k, struct tap_posctx *c)
{
	__s64 i = *c->i, j = *c->j;
	if (j >= c->nlen) {
		c->found = i;
		return 1;
	}
	if (i + c->nlen > c->hlen)
		return 1;
	if (c->h[(i + j) & (TAP_STRLEN - 1)] == c->n[j & (TAP_STRLEN - 1)]) {
		*c->j = j + 1;
	} else {
		*c->i = i + 1;
		*c->j = 0;
	}
	return 0;
}

static __noinline __s64 tap_strpos(const char *h, const char *n, __s64 *i, __s64 *j)
{
	struct tap_posctx c = { .h = h, .n = n, .i = i, .j = j, .found = -1 };
	c.hlen = tap_strlen(h);
	c.nlen = tap_strlen(n);
	if (c.nlen == 0)
		return 0;
	*i = 0;
	*j = 0;
	bpf_loop((TAP_STRLEN + 1) * TAP_STRLEN, tap_strpos_step, &c, 0);
	return c.found;
}

/* BPF has no signed division before cpu v4: divide magnitudes (C semantics:
 * the quotient truncates toward zero, the remainder has the dividend's sign). */
static __always_inline __s64 tap_sdiv(__s64 a, __s64 b)
{
	__u64 ua = a < 0 ? -(__u64)a : (__u64)a, ub = b < 0 ? -(__u64)b : (__u64)b;
	__u64 q = ua / ub;
	return (a < 0) != (b < 0) ? -(__s64)q : (__s64)q;
}

static __always_inline __s64 tap_smod(__s64 a, __s64 b)
{
	__u64 ua = a < 0 ? -(__u64)a : (__u64)a, ub = b < 0 ? -(__u64)b : (__u64)b;
	__u64 r = ua % ub;
	return a < 0 ? -(__s64)r : (__s64)r;
}

/* text_strn(): stap's escaping of unprintable characters (\n \t \" \\ ...,
 * other bytes as 3-digit octal), as a bounded bpf_loop over the input. */
struct tap_textctx {
	char *dst;
	const char *src;
	/* The output position lives in map memory (the tail of dst's slot): a
	 * counter on the stack would be tracked exactly by the verifier, which
	 * then walks every iteration instead of checking the callback once. */
	__u32 *out;
	__u32 budget;
	int leftover;
};

static long tap_text_step(__u32 i, struct tap_textctx *c)
{
	unsigned char ch = c->src[i & (TAP_STRLEN - 1)];
	char e[4];
	__u32 n = 2;
	if (!ch)
		return 1;
	e[0] = '\\';
	switch (ch) {
	case '\a': e[1] = 'a'; break;
	case '\b': e[1] = 'b'; break;
	case '\f': e[1] = 'f'; break;
	case '\n': e[1] = 'n'; break;
	case '\r': e[1] = 'r'; break;
	case '\t': e[1] = 't'; break;
	case '\v': e[1] = 'v'; break;
	case '"': e[1] = '"'; break;
	case '\\': e[1] = '\\'; break;
	default:
		if (ch >= 0x20 && ch < 0x7f) {
			e[0] = ch;
			n = 1;
		} else {
			e[1] = '0' + (ch >> 6);
			e[2] = '0' + ((ch >> 3) & 7);
			e[3] = '0' + (ch & 7);
			n = 4;
		}
	}
	__u32 out = *c->out;
	if (out + n > c->budget) {
		c->leftover = 1;
		return 1;
	}
	for (__u32 k = 0; k < 4; k++)
		if (k < n)
			c->dst[(out + k) & (TAP_STRLEN - 1)] = e[k];
	*c->out = out + n;
	return 0;
}

static __noinline void tap_text_strn(char *dst, const char *src, __s64 len, int quoted)
{
	__s64 limit = (len <= 0 || len > TAP_STRLEN - 1) ? TAP_STRLEN - 1 : len;
	__u32 *out = (__u32 *)(dst + 2 * TAP_STRLEN - 8);
	struct tap_textctx c = { .dst = dst, .src = src, .out = out };
	*out = quoted ? 1 : 0;
	c.budget = quoted ? (limit < 5 ? 5 : limit) - 1 : limit;
	if (c.budget > TAP_STRLEN - 5)
		c.budget = TAP_STRLEN - 5;
	if (quoted)
		dst[0] = '"';
	bpf_loop(TAP_STRLEN, tap_text_step, &c, 0);
	__u32 o = *out & (TAP_STRLEN - 1);
	if (quoted) {
		dst[o & (2 * TAP_STRLEN - 1)] = '"';
		o++;
		if (c.leftover) {
			dst[o & (2 * TAP_STRLEN - 1)] = '.';
			dst[(o + 1) & (2 * TAP_STRLEN - 1)] = '.';
			dst[(o + 2) & (2 * TAP_STRLEN - 1)] = '.';
			o += 3;
		}
	}
	dst[o & (2 * TAP_STRLEN - 1)] = 0;
	dst[TAP_STRLEN - 1] = 0;
}

/* Bits needed for a value (64 - clz): BPF has no clz instruction. */
static __always_inline int tap_bits(__u64 v)
{
	int r = 0;
	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1) { v >>= 1; r += 1; }
	return r + (int)v;
}

/* Octal digits of a value, for sprintf's %o (bpf_snprintf has no %o). */
static __always_inline char *tap_octal(char *dst, __u64 v, int alternate)
{
	char digits[24];
	int n = 0;
	for (int i = 0; i < 22; i++) {
		digits[i] = '0' + (v & 7);
		v >>= 3;
		n = i + 1;
		if (!v)
			break;
	}
	int o = 0;
	if (alternate && !(n == 1 && digits[0] == '0'))
		dst[o++] = '0';
	for (int i = 21; i >= 0; i--)
		if (i < n)
			dst[o++ & 31] = digits[i];
	dst[o & 31] = 0;
	return dst;
}

/* =~ in kernel probes: a DFA walk over a string (the translator emits each
 * pattern's tables and step). */
struct tap_dfa_walk {
	const char *s;
	__u32 state;
};

static __always_inline __s64 tap_pid(void) { return bpf_get_current_pid_tgid() >> 32; }
static __always_inline __s64 tap_tid(void) { return (__u32)bpf_get_current_pid_tgid(); }
static __always_inline __s64 tap_uid(void) { return (__u32)bpf_get_current_uid_gid(); }
static __always_inline __s64 tap_gid(void) { return bpf_get_current_uid_gid() >> 32; }

/* Backtraces: bpf_get_stack's addresses (frame-pointer unwinding for user
 * stacks), as stap's hex lists. */
#define TAP_MAXBACKTRACE 20

static const char tap_hex_trailing[] = "0x%llx ";
static const char tap_hex_first[] = "0x%llx";
static const char tap_hex_next[] = " 0x%llx";

/* "0x1 0x2 0x3 " (backtrace(): each address followed by a space) or
 * "0x1 0x2 0x3" (callers()), whole addresses only. `out` is a frame string
 * (2 * TAP_STRLEN bytes), so a piece written at a masked offset fits. One
 * bpf_loop step per address: the verifier checks the step once. */
struct tap_hex_state {
	char *out;
	const __u64 *addrs;
	__s64 count;
	__u32 pos;
	int trailing;
};

static long tap_hex_step(__u32 i, void *data)
{
	struct tap_hex_state *h = data;
	if (i >= h->count || i >= TAP_MAXBACKTRACE || h->pos + 20 >= TAP_STRLEN)
		return 1;
	const char *fmt = h->trailing ? tap_hex_trailing : i ? tap_hex_next : tap_hex_first;
	__u64 a = h->addrs[i];
	long written = bpf_snprintf(h->out + (h->pos & (TAP_STRLEN - 1)), 24, fmt, &a, sizeof a);
	if (written <= 1)
		return 1;
	h->pos += written - 1;
	return 0;
}

static __always_inline void tap_hex_list(char *out, const __u64 *addrs, __s64 count, int trailing)
{
	struct tap_hex_state h = { .out = out, .addrs = addrs, .count = count, .trailing = trailing };
	out[0] = 0;
	bpf_loop(TAP_MAXBACKTRACE, tap_hex_step, &h, 0);
}

#ifdef TAP_NOTE_PROCESSES
/* Where each file of a user stack is mapped in its process (the address
 * minus the file offset, by build id), sent once per process and file: user
 * space names the addresses with it even after the process has exited. */
struct tap_module_key {
	__u32 pid;
	__u8 build_id[BPF_BUILD_ID_SIZE];
};
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct tap_module_key);
	__type(value, __u8);
} tap_noted_modules TAP_MAPS;
struct tap_rec_module {
	struct tap_rec_head h; /* id: the process */
	__u64 bias;
	__u8 build_id[BPF_BUILD_ID_SIZE];
};

struct tap_note_state {
	const __u64 *ips;
	const struct bpf_stack_build_id *ids;
	__s64 count;
	struct tap_module_key key;
};

static long tap_note_module(__u32 i, void *data)
{
	struct tap_note_state *n = data;
	__u8 one = 1;
	if (i >= n->count || i >= TAP_MAXBACKTRACE)
		return 1;
	const struct bpf_stack_build_id *id = &n->ids[i];
	if (id->status != BPF_STACK_BUILD_ID_VALID)
		return 0;
	__builtin_memcpy(n->key.build_id, id->build_id, BPF_BUILD_ID_SIZE);
	if (bpf_map_lookup_elem(&tap_noted_modules, &n->key))
		return 0;
	bpf_map_update_elem(&tap_noted_modules, &n->key, &one, BPF_ANY);
	struct tap_rec_module *r = bpf_ringbuf_reserve(&tap_events, sizeof(*r), 0);
	if (!r) {
		tap_count_drop();
		return 0;
	}
	r->h.kind = TAP_REC_MODULE;
	r->h.id = n->key.pid;
	r->bias = n->ips[i] - id->offset;
	__builtin_memcpy(r->build_id, id->build_id, BPF_BUILD_ID_SIZE);
	bpf_ringbuf_submit(r, 0);
	return 0;
}

/* One bpf_loop step per address, checked once by the verifier. */
static __always_inline void tap_note_modules(const __u64 *ips, const struct bpf_stack_build_id *ids, __s64 count)
{
	struct tap_note_state n = { .ips = ips, .ids = ids, .count = count };
	n.key.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_loop(TAP_MAXBACKTRACE, tap_note_module, &n, 0);
}
#endif

#endif
