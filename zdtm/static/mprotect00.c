#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "one anonymous mapping split by mprotect() into parts keeps each part's range, permissions and content",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PG 4096UL
#define PAGES 10UL

/* The parts, in address order: first page and length in pages. */
static const struct {
	unsigned long first, pages;
	int prot;
	const char *perms;
} parts[] = {
	{ 0, 2, PROT_READ, "r--p" },
	{ 2, 2, PROT_READ | PROT_WRITE, "rw-p" },
	{ 4, 1, PROT_NONE, "---p" },
	{ 5, 3, PROT_READ | PROT_EXEC, "r-xp" },
	{ 8, 1, PROT_READ | PROT_WRITE | PROT_EXEC, "rwxp" },
	{ 9, 1, PROT_READ | PROT_WRITE, "rw-p" },
};
#define NPARTS (sizeof(parts) / sizeof(parts[0]))

static int check_parts(char *mem)
{
	unsigned long lo = (unsigned long)mem, hi = lo + PAGES * PG;
	static struct zdtm_vma v[NPARTS];
	int n = vma_list(lo - PG, hi + PG, v, NPARTS, false);

	if (n < 0)
		return fail_errno("read /proc/self/maps");
	if (n != (int)NPARTS)
		return fail("%d VMAs around the mapping, expected %zu", n, NPARTS);
	for (size_t i = 0; i < NPARTS; i++) {
		unsigned long s = lo + parts[i].first * PG, e = s + parts[i].pages * PG;

		if (v[i].start != s || v[i].end != e || strcmp(v[i].perms, parts[i].perms))
			return fail("part %zu is %lx-%lx %s, expected %lx-%lx %s", i,
				    v[i].start, v[i].end, v[i].perms, s, e, parts[i].perms);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char copy[PAGES * PG];
	char *guard, *mem;

	test_init(argc, argv);
	/* One unmapped page on each side, so no neighbour can merge with the parts. */
	guard = mmap(NULL, (PAGES + 2) * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guard == MAP_FAILED)
		return fail_errno("mmap");
	mem = guard + PG;
	if (munmap(guard, PG) || munmap(mem + PAGES * PG, PG))
		return fail_errno("munmap the guard pages");
	datagen(mem, PAGES * PG, 7);
	memcpy(copy, mem, sizeof(copy));
	for (size_t i = 0; i < NPARTS; i++)
		if (mprotect(mem + parts[i].first * PG, parts[i].pages * PG, parts[i].prot))
			return fail_errno("mprotect part %zu", i);
	if (check_parts(mem))
		return 1;

	test_daemon();
	test_waitsig();

	if (check_parts(mem))
		return 1;
	/* Only now open the no-access part, to compare the whole mapping. */
	if (mprotect(mem + parts[2].first * PG, parts[2].pages * PG, PROT_READ))
		return fail_errno("mprotect the no-access part for reading");
	if (expect_bytes("mapping content", mem, copy, sizeof(copy)))
		return 1;
	if (!datachk(mem, PAGES * PG))
		return fail("CRC stamp of the mapping does not match");
	return pass();
}
