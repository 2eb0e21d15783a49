/* Loads one of the hand-written BPF objects, attaches its programs, prints
 * "attached" and waits for SIGINT/SIGTERM. */
#include <bpf/libbpf.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t done;
static void stop(int sig) { done = 1; }

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s OBJECT\n", argv[0]);
		return 2;
	}
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "cannot load %s\n", argv[1]);
		return 1;
	}
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__attach(prog)) {
			fprintf(stderr, "cannot attach\n");
			return 1;
		}
	}
	signal(SIGINT, stop);
	signal(SIGTERM, stop);
	printf("attached\n");
	fflush(stdout);
	while (!done)
		pause();
	bpf_object__close(obj);
	return 0;
}
