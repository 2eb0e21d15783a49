/* The uprobe workload: `uprobe_target N` calls tap_bench_fn N times and
 * exits. The function is kept out of line (noinline, noipa: no clones such as
 * tap_bench_fn.isra.0, so its symbol is where the calls land) and the asm
 * statement makes each call a side effect the compiler must keep.
 *
 * The asm also clobbers %rbx, so that gcc -O2 makes the function
 * `push %rbx; pop %rbx; ret`: its first instruction (where every tracer here
 * puts the uprobe) is a push, which x86 uprobes emulate, as most -O2 function
 * entries on Debian are. Without it the function is a bare `ret`, which the
 * kernel does not emulate but single-steps out of line: on the 2-core VM that
 * costs ~9.5 us per hit instead of ~0.55 us, and the trap then drowns every
 * difference between tracers.
 * Build: gcc -O2 -g -o uprobe_target uprobe_target.c */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline, noipa, used)) void tap_bench_fn(long i)
{
	asm volatile("" : : "r"(i) : "memory", "rbx");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s N\n", argv[0]);
		return 2;
	}
	long n = strtol(argv[1], NULL, 10);
	for (long i = 0; i < n; i++)
		tap_bench_fn(i);
	return 0;
}
