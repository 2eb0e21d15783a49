/* Loads one of the hand-written uprobe objects, attaches every program of it
 * as a uprobe on the entry of tap_bench_fn in TARGET (any process), prints
 * "READY" and waits for SIGINT/SIGTERM. Then, if the object has the per-CPU
 * array "counts", prints "count=<sum over CPUs>".
 * Usage: hand_uprobe_loader OBJECT TARGET */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile sig_atomic_t done;
static void stop(int sig) { done = 1; }

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s OBJECT TARGET\n", argv[0]);
		return 2;
	}
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "cannot load %s\n", argv[1]);
		return 1;
	}
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, obj) {
		LIBBPF_OPTS(bpf_uprobe_opts, opts, .func_name = "tap_bench_fn");
		if (!bpf_program__attach_uprobe_opts(prog, -1, argv[2], 0, &opts)) {
			fprintf(stderr, "cannot attach a uprobe to tap_bench_fn in %s\n", argv[2]);
			return 1;
		}
	}
	signal(SIGINT, stop);
	signal(SIGTERM, stop);
	printf("READY\n");
	fflush(stdout);
	while (!done)
		pause();
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "counts");
	if (map) {
		int ncpu = libbpf_num_possible_cpus();
		__u64 *v = calloc(ncpu > 0 ? ncpu : 1, sizeof *v);
		__u32 k = 0;
		unsigned long long sum = 0;
		if (v && bpf_map__lookup_elem(map, &k, sizeof k, v, ncpu * sizeof *v, 0) == 0)
			for (int i = 0; i < ncpu; i++)
				sum += v[i];
		printf("count=%llu\n", sum);
		free(v);
	}
	bpf_object__close(obj);
	return 0;
}
