/* The program of the library tests: tap_ulib_main N calls step(i) and then
 * the library's tap_lib_bump(i) for i = 0..N-1; prints nothing. */
#include <stdlib.h>

long tap_lib_bump(long by);

volatile long tap_main_total;

__attribute__((noinline, used)) void step(long i)
{
	__asm__ volatile("" ::"r"(i));
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1;
	for (long i = 0; i < n; i++) {
		step(i);
		tap_main_total += tap_lib_bump(i);
	}
	return 0;
}
