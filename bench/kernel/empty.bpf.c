/* The cost of a raw tracepoint program that does nothing. */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("raw_tp/sys_enter")
int empty(void *ctx) { return 0; }

char LICENSE[] SEC("license") = "GPL";
