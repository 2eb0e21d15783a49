/* A small, predictable program for kernel-probe tests:
 *   tap_workload getppid N   make N getppid() system calls
 *   tap_workload sleep MS    sleep MS milliseconds
 *   tap_workload spin MS     burn CPU for MS milliseconds
 *   tap_workload open PATH N open (and close) PATH N times
 *   tap_workload fork N      fork N children that exit at once
 *   tap_workload syscall NR  make system call number NR once, with -1 as
 *                            its arguments (it fails, EBADF or ENOSYS)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s getppid|sleep|spin|open|fork|syscall ARG [N]\n", argv[0]);
		return 2;
	}
	const char *what = argv[1];
	if (!strcmp(what, "getppid")) {
		long n = atol(argv[2]);
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
	} else if (!strcmp(what, "sleep")) {
		usleep(atol(argv[2]) * 1000);
	} else if (!strcmp(what, "spin")) {
		long end = now_ms() + atol(argv[2]);
		volatile unsigned long x = 0;
		while (now_ms() < end)
			x++;
	} else if (!strcmp(what, "open") && argc > 3) {
		long n = atol(argv[3]);
		for (long i = 0; i < n; i++) {
			int fd = open(argv[2], O_RDONLY | O_CLOEXEC);
			if (fd >= 0)
				close(fd);
		}
	} else if (!strcmp(what, "fork")) {
		long n = atol(argv[2]);
		for (long i = 0; i < n; i++) {
			pid_t p = fork();
			if (p == 0)
				_exit(0);
			if (p > 0)
				waitpid(p, NULL, 0);
		}
	} else if (!strcmp(what, "syscall")) {
		syscall(atol(argv[2]), -1L, -1L, -1L, -1L, -1L, -1L);
	} else {
		fprintf(stderr, "unknown workload %s\n", what);
		return 2;
	}
	return 0;
}
