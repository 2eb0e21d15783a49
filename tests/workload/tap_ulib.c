/* A shared library for tests that read a library's globals from a probe in
 * the program that loads it (@var("name", "LIBRARY")). */
long tap_lib_calls;      /* how many times tap_lib_bump() ran */
long tap_lib_sum = 1000; /* 1000 + every amount bumped */

__attribute__((noinline)) long tap_lib_bump(long by)
{
	tap_lib_calls++;
	tap_lib_sum += by;
	return tap_lib_sum;
}
