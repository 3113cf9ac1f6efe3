/*
 * Memory that may change after "ready" without anything being wrong: the
 * runner's memory digest (runner/memory.c) reads this table from every
 * process of the test, by its section in the test's binary (a section
 * survives strip, a symbol does not), and leaves
 * these bytes out. The table itself only changes before "ready"; a forked
 * child inherits its parent's entries.
 *
 * libzdtm enters two areas of each thread:
 *  - its rseq area: glibc registers one per thread (at thread pointer +
 *    __rseq_offset), and the kernel rewrites its cpu_id, node_id and mm_cid
 *    fields whenever the thread comes back to user space on another CPU,
 *    which a restore or a dump that leaves the tree running does;
 *  - its errno: a blocking call that is not restarted (semop, a relative
 *    clock_nanosleep...) returns EINTR when the dump stops the thread, and a
 *    test that waits in a loop just calls it again.
 */
#include <stdatomic.h>
#include <sys/rseq.h>

#include "zdtm.h"
#include "lib.h"

struct zdtm_volatile_table zdtm_volatile __attribute__((section(".zdtm_volatile")));

void test_volatile(const void *addr, size_t len)
{
	uint64_t i = atomic_fetch_add((_Atomic uint64_t *)&zdtm_volatile.n, 1);

	if (i < ZDTM_VOLATILE_MAX)
		zdtm_volatile.area[i] = (struct zdtm_volatile_area){ (uintptr_t)addr, len };
}

void zdtm_volatile_thread(void)
{
	/* __rseq_size says which fields glibc uses (20 bytes here); the kernel writes the whole 32-byte
	 * struct rseq it registered (mm_cid at offset 24, too). */
	if (__rseq_size)
		test_volatile((char *)__builtin_thread_pointer() + __rseq_offset,
			      __rseq_size < 32 ? 32 : __rseq_size);
	test_volatile(&errno, sizeof(errno));
}
