/* The program of the library and label tests: tap_ulib_main N calls
 * step(i), retry(i) and then the library's tap_lib_bump(i) for
 * i = 0..N-1; prints nothing. */
#include <stdlib.h>

long tap_lib_bump(long by);

volatile long tap_main_total;

__attribute__((noinline, used)) void step(long i)
{
	__asm__ volatile("" ::"r"(i));
}

/* Goes back to `again` until it has tried 2 (i even) or 3 (i odd) times. */
__attribute__((noinline, used)) long retry(long i)
{
	long tries = 0;
again:
	tries++;
	if (tries < 2 + i % 2)
		goto again;
	if (i < 0)
		goto never;
	return tries;
never:
	return -1;
}

/* A function pointer parameter, for -L's spelling of its type. */
__attribute__((noinline, used)) long apply(long (*fn)(long, const char *, ...), void (*done)(void), long x)
{
	long r = fn(x, "");
	done();
	return r;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1;
	for (long i = 0; i < n; i++) {
		step(i);
		retry(i);
		tap_main_total += tap_lib_bump(i);
	}
	return 0;
}
