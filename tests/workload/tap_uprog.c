/* A small user program for user-space probe tests (process("...").function,
 * .return, .statement, .mark, .plt, .library), built with -g at -O0 and -O2:
 *   tap_uprog N [NAME]   run the call pattern below N times
 * Each round calls add(i, 2*i), point_sum() on a struct, greet(NAME), fib(5)
 * (recursive), the SDT markers tap_uprog:tick(i, name) and :guarded(i + 1)
 * (when its semaphore is set), pair_sum() on a struct passed by value, and
 * libc's strlen() and getpid() (twice) through the PLT. It prints nothing
 * (its output would interleave with the tracer's). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* Markers with semaphores, as `dtrace -G` makes them: the guarded marker
 * runs only while a tracer has raised its semaphore (uprobes' ref_ctr). */
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>
#include <unistd.h>

#define TAP_NOINLINE __attribute__((noinline, used))

struct point {
	int x;
	long y;
	char tag[8];
	const char *label;
	struct point *next;
};

__extension__ unsigned short tap_uprog_tick_semaphore __attribute__((unused, section(".probes")));
__extension__ unsigned short tap_uprog_guarded_semaphore __attribute__((unused, section(".probes")));

long tap_rounds; /* a global for @var and SDT %rip operands */
volatile long tap_check;

TAP_NOINLINE int add(int a, int b)
{
	int sum = a + b;
	__asm__ volatile("" : "+r"(sum));
	return sum;
}

TAP_NOINLINE long point_sum(struct point *p)
{
	long total = 0;
	for (; p; p = p->next)
		total += p->x + p->y;
	return total;
}

TAP_NOINLINE const char *greet(const char *who)
{
	static char buffer[64];
	snprintf(buffer, sizeof buffer, "hello %s", who);
	return buffer;
}

TAP_NOINLINE int fib(int n)
{
	if (n < 2)
		return n;
	return fib(n - 1) + fib(n - 2);
}

/* Passed in two registers: at -O2 its DWARF location is in pieces. */
struct pair {
	long a, b;
};

TAP_NOINLINE long pair_sum(struct pair p)
{
	long pid = getpid(); /* a call: p must live in registers around it */
	return p.a + p.b + (pid > 0);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1;
	const char *name = argc > 2 ? argv[2] : "world";
	long check = 0;
	for (long i = 0; i < n; i++) {
		struct point second = {.x = 3, .y = 40, .tag = "second", .label = "b", .next = NULL};
		struct point first = {.x = (int)i, .y = 100, .tag = "first", .label = "a", .next = &second};
		check += add((int)i, (int)(2 * i));
		check += point_sum(&first);
		check += (long)strlen(greet(name));
		check += fib(5);
		check += pair_sum((struct pair){i, 1});
		tap_rounds = i + 1;
		DTRACE_PROBE2(tap_uprog, tick, i, name);
		if (tap_uprog_guarded_semaphore)
			DTRACE_PROBE1(tap_uprog, guarded, tap_rounds);
		check += getpid() > 0;
	}
	tap_check = check;
	return 0;
}
