#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the mlock()ed middle of an anonymous mapping stays locked and resident, the rest unlocked; content kept",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PG 4096UL
#define PAGES 12UL
#define LOCK_FIRST 4UL
#define LOCK_PAGES 4UL

/* VmLck of /proc/self/status, in kB, or -1. */
static long vmlck_kb(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static int check_locks(char *mem)
{
	unsigned long lo = (unsigned long)mem, bounds[] = { 0, LOCK_FIRST, LOCK_FIRST + LOCK_PAGES, PAGES };
	unsigned char vec[PAGES];
	static struct zdtm_vma v[3];
	int n = vma_list(lo, lo + PAGES * PG, v, 3, true);

	if (n < 0)
		return fail_errno("read /proc/self/smaps");
	if (n != 3)
		return fail("%d VMAs in the mapping, expected 3 (unlocked, locked, unlocked)", n);
	for (int i = 0; i < 3; i++) {
		unsigned long s = lo + bounds[i] * PG, e = lo + bounds[i + 1] * PG;
		bool locked = vma_has_flag(&v[i], "lo"), want = i == 1;

		if (v[i].start != s || v[i].end != e || locked != want)
			return fail("VMA %d is %lx-%lx %slocked, expected %lx-%lx %slocked (VmFlags: %s)",
				    i, v[i].start, v[i].end, locked ? "" : "not ", s, e, want ? "" : "not ",
				    v[i].flags);
	}
	if (expect_int("VmLck in kB", vmlck_kb(), LOCK_PAGES * PG / 1024))
		return 1;
	if (mincore(mem + LOCK_FIRST * PG, LOCK_PAGES * PG, vec))
		return fail_errno("mincore");
	for (unsigned long i = 0; i < LOCK_PAGES; i++)
		if (!(vec[i] & 1))
			return fail("locked page %lu is not resident", LOCK_FIRST + i);
	return 0;
}

int main(int argc, char **argv)
{
	static char copy[PAGES * PG];
	char *guard, *mem;

	test_init(argc, argv);
	/* One unmapped page on each side, so no neighbour can merge with the mapping. */
	guard = mmap(NULL, (PAGES + 2) * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guard == MAP_FAILED)
		return fail_errno("mmap");
	mem = guard + PG;
	if (munmap(guard, PG) || munmap(mem + PAGES * PG, PG))
		return fail_errno("munmap the guard pages");
	datagen(mem, PAGES * PG, 3);
	memcpy(copy, mem, sizeof(copy));
	if (mlock(mem + LOCK_FIRST * PG, LOCK_PAGES * PG))
		return fail_errno("mlock");
	if (check_locks(mem))
		return 1;

	test_daemon();
	test_waitsig();

	if (check_locks(mem))
		return 1;
	if (expect_bytes("mapping content", mem, copy, sizeof(copy)))
		return 1;
	return pass();
}
