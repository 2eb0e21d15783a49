/* The floor for "count syscalls by command name": what a careful hand-written
 * libbpf program does — a raw tracepoint, the comm as the key, and an
 * in-place add on a per-CPU hash slot (an update only on a miss). */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct key { char comm[16]; };
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 10240);
	__type(key, struct key);
	__type(value, __u64);
} counts SEC(".maps");

SEC("raw_tp/sys_enter")
int count(void *ctx)
{
	struct key k = {};
	bpf_get_current_comm(k.comm, sizeof k.comm);
	__u64 *v = bpf_map_lookup_elem(&counts, &k);
	if (v) {
		(*v)++;
	} else {
		__u64 one = 1;
		bpf_map_update_elem(&counts, &k, &one, BPF_NOEXIST);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
