/* Support code for the BPF programs tstap generates (pass 3). The generated
 * file defines TAP_STRLEN, TAP_KEYSTRLEN, TAP_RINGBUF_SIZE, TAP_NSTR and
 * TAP_NLONG before including this header. */
#ifndef TAPSTUDIO_BPF_H
#define TAPSTUDIO_BPF_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

typedef __s64 s64;

/* Records user space reads from the ring buffer. */
enum tap_record_kind { TAP_REC_PRINTF = 1, TAP_REC_ERROR = 2, TAP_REC_EXIT = 3 };
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
} tap_events SEC(".maps");

/* Counters shared with user space. */
struct tap_state {
	__u64 drops;  /* records lost to a full ring buffer */
	__u64 stop;   /* set once an error or exit() asked the session to end */
};
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tap_state);
} tap_state_map SEC(".maps");

/* Written by the loader before the programs are attached. */
struct tap_config {
	__s64 target;          /* target(): -x PID or the -c command */
	__s64 realtime_offset; /* CLOCK_REALTIME - CLOCK_BOOTTIME, for gettimeofday_*() */
	__u32 ncpus;           /* possible CPUs, for merging per-CPU statistics */
};
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tap_config);
} tap_config_map SEC(".maps");

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

/* Strings live in buffers of at least TAP_STRLEN bytes (frame slots have
 * 2*TAP_STRLEN so that concatenation can always write its second part). */
static __always_inline long tap_strcpy(char *dst, const char *src)
{
	long n = bpf_probe_read_kernel_str(dst, TAP_STRLEN, src);
	if (n < 0)
		dst[0] = 0;
	return n;
}

static __always_inline void tap_strcat(char *dst, const char *a, const char *b)
{
	long n = bpf_probe_read_kernel_str(dst, TAP_STRLEN, a);
	if (n < 1)
		n = 1;
	n = (n - 1) & (TAP_STRLEN - 1);
	bpf_probe_read_kernel_str(dst + n, TAP_STRLEN, b);
	dst[TAP_STRLEN - 1] = 0;
}

static __always_inline int tap_strcmp(const char *a, const char *b)
{
	for (int i = 0; i < TAP_STRLEN; i++) {
		char x = a[i], y = b[i];
		if (x != y)
			return (unsigned char)x < (unsigned char)y ? -1 : 1;
		if (!x)
			return 0;
	}
	return 0;
}

static __always_inline __s64 tap_strlen(const char *s)
{
	for (int i = 0; i < TAP_STRLEN; i++)
		if (!s[i])
			return i;
	return TAP_STRLEN - 1;
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

static __always_inline __s64 tap_pid(void) { return bpf_get_current_pid_tgid() >> 32; }
static __always_inline __s64 tap_tid(void) { return (__u32)bpf_get_current_pid_tgid(); }
static __always_inline __s64 tap_uid(void) { return (__u32)bpf_get_current_uid_gid(); }
static __always_inline __s64 tap_gid(void) { return bpf_get_current_uid_gid() >> 32; }

#endif
