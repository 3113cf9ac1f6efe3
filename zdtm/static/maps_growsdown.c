#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a MAP_GROWSDOWN mapping keeps its range, its gd flag, its content and still grows down",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PG 4096UL
#define PAGES 4UL
#define LEN (PAGES * PG)
/* Room left free below the mapping: more than the kernel's stack guard gap (256 pages). */
#define HOLE (4UL << 20)

static sigjmp_buf segv_env;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(segv_env, 1);
}

static int check_vma(const char *when, char *mem, unsigned long len)
{
	struct zdtm_vma v;

	if (vma_find(mem, &v, true))
		return fail("%s: %p is not mapped", when, (void *)mem);
	if (v.start != (unsigned long)mem || v.end != v.start + len || !vma_has_flag(&v, "gd"))
		return fail("%s: the mapping is %lx-%lx VmFlags: %s, expected %p-%lx with gd",
			    when, v.start, v.end, v.flags, (void *)mem, (unsigned long)mem + len);
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_segv };
	static char copy[LEN], below[PG];
	char *hole, *mem;

	test_init(argc, argv);
	hole = mmap(NULL, HOLE + LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hole == MAP_FAILED || munmap(hole, HOLE + LEN))
		return fail_errno("reserve room");
	mem = mmap(hole + HOLE, LEN, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED_NOREPLACE, -1, 0);
	if (mem != hole + HOLE)
		return fail_errno("mmap MAP_GROWSDOWN");
	datagen(mem, LEN, 5);
	memcpy(copy, mem, LEN);
	datagen(below, PG, 6);
	if (check_vma("before C/R", mem, LEN))
		return 1;

	test_daemon();
	test_waitsig();

	if (check_vma("after C/R", mem, LEN))
		return 1;
	if (expect_bytes("mapping content", mem, copy, LEN))
		return 1;
	/* A write just below the mapping must extend it by one page, not fault. */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL))
		return fail_errno("sigaction SIGSEGV");
	if (sigsetjmp(segv_env, 1))
		return fail("writing the page below %p raised SIGSEGV, expected the mapping to grow", (void *)mem);
	memcpy(mem - PG, below, PG);
	if (check_vma("after growing", mem - PG, LEN + PG))
		return 1;
	if (expect_bytes("grown page", mem - PG, below, PG) ||
	    expect_bytes("content after growing", mem, copy, LEN))
		return 1;
	return pass();
}
