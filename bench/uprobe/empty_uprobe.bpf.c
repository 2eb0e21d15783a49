/* The cost of a uprobe whose program does nothing: the kernel's uprobe trap
 * (breakpoint, handler dispatch, single-step or emulation of the displaced
 * instruction) plus running an empty BPF program. */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("uprobe")
int empty(void *ctx) { return 0; }

char LICENSE[] SEC("license") = "GPL";
