/* The uprobe workload: `uprobe_target N` calls tap_bench_fn N times and
 * exits. The function is kept out of line (noinline, noipa: no clones such as
 * tap_bench_fn.isra.0, so its symbol is where the calls land) and the asm
 * barrier makes each call a side effect the compiler must keep.
 * Build: gcc -O2 -g -o uprobe_target uprobe_target.c */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline, noipa, used)) void tap_bench_fn(long i)
{
	asm volatile("" : : "r"(i) : "memory");
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
