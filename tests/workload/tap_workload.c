/* A small, predictable program for kernel-probe tests:
 *   tap_workload getppid N   make N getppid() system calls
 *   tap_workload sleep MS    sleep MS milliseconds
 *   tap_workload spin MS     burn CPU for MS milliseconds
 *   tap_workload open PATH N open (and close) PATH N times
 *   tap_workload fork N      fork N children that exit at once
 *   tap_workload syscall NR  make system call number NR once, with -1 as
 *                            its arguments (it fails, EBADF or ENOSYS)
 *   tap_workload tcp N       connect to itself over TCP on 127.0.0.1, set
 *                            TCP_NODELAY, send N messages of 100 bytes and
 *                            read them back, disconnect
 *   tap_workload udp N       send N datagrams of 100 bytes to itself on
 *                            127.0.0.1, read them back, write and read one
 *                            more, disconnect
 *   tap_workload signal N    send itself SIGUSR1 (handled) N times with
 *                            kill, tkill and tgkill each, blocking and
 *                            unblocking it around each
 *   tap_workload memory N    map, write and unmap 4 pages N times; grow and
 *                            shrink the heap N times; fork a child that
 *                            writes to a page it shares with its parent
 *   tap_workload pagecache PATH  read PATH, drop it from the page cache,
 *                            read it again and drop it again
 *   tap_workload vectors PATH N  read 2 x 16 bytes of PATH with readv and
 *                            write them to /dev/null with writev, N times
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int bound_port(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	getsockname(fd, (struct sockaddr *)&a, &len);
	return ntohs(a.sin_port);
}

static int tcp_messages(long n)
{
	char buf[100] = { 0 };
	struct sockaddr_in any = loopback(0);
	int server = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(server, (struct sockaddr *)&any, sizeof any) || listen(server, 1))
		return 1;
	struct sockaddr_in to = loopback(bound_port(server));
	int client = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(client, (struct sockaddr *)&to, sizeof to))
		return 1;
	int peer = accept(server, NULL, NULL);
	int one = 1;
	setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	for (long i = 0; i < n; i++) {
		if (send(client, buf, sizeof buf, 0) != sizeof buf)
			return 1;
		if (recv(peer, buf, sizeof buf, MSG_WAITALL) != sizeof buf)
			return 1;
	}
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	connect(client, &unspec, sizeof unspec); /* tcp_disconnect */
	close(client);
	close(peer);
	close(server);
	return 0;
}

static int udp_datagrams(long n)
{
	char buf[100] = { 0 };
	struct sockaddr_in any = loopback(0);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (bind(fd, (struct sockaddr *)&any, sizeof any))
		return 1;
	struct sockaddr_in self = loopback(bound_port(fd));
	if (connect(fd, (struct sockaddr *)&self, sizeof self))
		return 1;
	for (long i = 0; i < n; i++) {
		if (send(fd, buf, sizeof buf, 0) != sizeof buf)
			return 1;
		if (recv(fd, buf, sizeof buf, 0) != sizeof buf)
			return 1;
	}
	if (write(fd, buf, sizeof buf) != sizeof buf || read(fd, buf, sizeof buf) != sizeof buf)
		return 1;
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	connect(fd, &unspec, sizeof unspec);
	close(fd);
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
}

static void signals(long n)
{
	signal(SIGUSR1, on_signal);
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	for (long i = 0; i < n; i++) {
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		sigprocmask(SIG_UNBLOCK, &usr1, NULL);
		kill(getpid(), SIGUSR1);
		syscall(SYS_tkill, (long)syscall(SYS_gettid), SIGUSR1);
		syscall(SYS_tgkill, (long)getpid(), (long)syscall(SYS_gettid), SIGUSR1);
	}
}

static void memory(long n)
{
	long page = sysconf(_SC_PAGESIZE);
	for (long i = 0; i < n; i++) {
		char *p = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			continue;
		for (long off = 0; off < 4 * page; off += page)
			p[off] = 1;
		munmap(p, 4 * page);
	}
	static volatile char shared[1 << 16];
	shared[0] = 1; /* the page is the parent's before fork */
	pid_t child = fork();
	if (child == 0) {
		shared[0] = 2; /* a copy-on-write fault */
		_exit(0);
	}
	if (child > 0)
		waitpid(child, NULL, 0);
	(void)shared[0]; /* still 1 here: the child wrote its own copy */
	void *start = sbrk(0);
	for (long i = 0; i < n; i++) {
		if (brk((char *)start + 64 * page))
			break;
		brk(start);
	}
}

static int read_and_drop(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 1;
	for (int pass = 0; pass < 2; pass++) {
		lseek(fd, 0, SEEK_SET);
		while (read(fd, buf, sizeof buf) > 0)
			;
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	}
	close(fd);
	return 0;
}

static int vectors(const char *path, long n)
{
	char a[16], b[16];
	struct iovec iov[2] = { { a, sizeof a }, { b, sizeof b } };
	int in = open(path, O_RDONLY), out = open("/dev/null", O_WRONLY);
	if (in < 0 || out < 0)
		return 1;
	for (long i = 0; i < n; i++) {
		if (preadv(in, iov, 2, 0) < 0 || writev(out, iov, 2) < 0)
			return 1;
	}
	close(in);
	close(out);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s getppid|sleep|spin|open|fork|syscall|tcp|udp|signal|memory|pagecache|vectors ARG [N]\n", argv[0]);
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
	} else if (!strcmp(what, "tcp")) {
		return tcp_messages(atol(argv[2]));
	} else if (!strcmp(what, "udp")) {
		return udp_datagrams(atol(argv[2]));
	} else if (!strcmp(what, "signal")) {
		signals(atol(argv[2]));
	} else if (!strcmp(what, "memory")) {
		memory(atol(argv[2]));
	} else if (!strcmp(what, "pagecache")) {
		return read_and_drop(argv[2]);
	} else if (!strcmp(what, "vectors") && argc > 3) {
		return vectors(argv[2], atol(argv[3]));
	} else {
		fprintf(stderr, "unknown workload %s\n", what);
		return 2;
	}
	return 0;
}
