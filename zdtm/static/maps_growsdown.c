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

/* Range and VmFlags of the VMA that contains addr; -1 if there is none. */
static int vma_of(const void *addr, unsigned long *start, unsigned long *end, char *flags, size_t len)
{
	char line[512], perms[5];
	FILE *f = fopen("/proc/self/smaps", "r");
	unsigned long s, e, off, a = (unsigned long)addr;
	int found = -1;
	bool in = false;

	if (!f)
		return -1;
	while (found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %4s %lx", &s, &e, perms, &off) == 4) {
			in = s <= a && a < e;
			*start = s, *end = e;
		} else if (in && !strncmp(line, "VmFlags:", 8)) {
			line[strcspn(line, "\n")] = 0;
			snprintf(flags, len, "%s", line + 8);
			found = 0;
		}
	}
	fclose(f);
	return found;
}

static bool has_flag(const char *flags, const char *flag)
{
	for (const char *p = flags; (p = strstr(p, flag)); p += 2)
		if ((p == flags || p[-1] == ' ') && (p[2] == ' ' || !p[2]))
			return true;
	return false;
}

static int check_vma(const char *when, char *mem, unsigned long len)
{
	unsigned long s, e;
	char flags[512];

	if (vma_of(mem, &s, &e, flags, sizeof(flags)))
		return fail("%s: %p is not mapped", when, (void *)mem);
	if (s != (unsigned long)mem || e != s + len || !has_flag(flags, "gd"))
		return fail("%s: the mapping is %lx-%lx VmFlags:%s, expected %p-%lx with gd",
			    when, s, e, flags, (void *)mem, (unsigned long)mem + len);
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
