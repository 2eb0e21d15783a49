/* LD_PRELOAD shim for measuring stapbpf on this machine: stapbpf insists on
 * raising RLIMIT_MEMLOCK to infinity, which this VM forbids (the kernel
 * accounts BPF memory by cgroup, so the limit is irrelevant). The shim lets
 * that one setrlimit call succeed; nothing else changes. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sys/resource.h>

int setrlimit(__rlimit_resource_t resource, const struct rlimit *rlim)
{
	int (*real)(__rlimit_resource_t, const struct rlimit *) = dlsym(RTLD_NEXT, "setrlimit");
	int rc = real(resource, rlim);
	return resource == RLIMIT_MEMLOCK ? 0 : rc;
}
