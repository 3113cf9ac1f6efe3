#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "private anonymous mappings with r, rw, rx and no access keep their ranges, permissions and content",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PG 4096UL

/* Each mapping sits at a page offset inside one reserved area, with unmapped gaps between. */
static const struct {
	unsigned long off, pages;
	int prot;
	const char *perms;
} maps[] = {
	{ 1, 2, PROT_READ, "r--p" },
	{ 4, 5, PROT_READ | PROT_WRITE, "rw-p" },
	{ 10, 3, PROT_READ | PROT_EXEC, "r-xp" },
	{ 14, 4, PROT_NONE, "---p" },
	{ 19, 1, PROT_READ | PROT_WRITE, "rw-p" },
};
#define NMAPS (sizeof(maps) / sizeof(maps[0]))
#define AREA_PAGES 21UL

static int check_maps(char *area)
{
	unsigned long lo = (unsigned long)area, hi = lo + AREA_PAGES * PG;
	static struct zdtm_vma v[NMAPS];
	int n = vma_list(lo, hi, v, NMAPS, false);

	if (n < 0)
		return fail_errno("read /proc/self/maps");
	if (n != (int)NMAPS)
		return fail("%d VMAs in the area, expected %zu", n, NMAPS);
	for (size_t i = 0; i < NMAPS; i++) {
		unsigned long s = lo + maps[i].off * PG, e = s + maps[i].pages * PG;

		if (v[i].start != s || v[i].end != e || strcmp(v[i].perms, maps[i].perms))
			return fail("mapping %zu is %lx-%lx %s, expected %lx-%lx %s", i,
				    v[i].start, v[i].end, v[i].perms, s, e, maps[i].perms);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char copy[AREA_PAGES * PG];
	char *area;

	test_init(argc, argv);
	area = mmap(NULL, AREA_PAGES * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return fail_errno("reserve the area");
	if (munmap(area, AREA_PAGES * PG))
		return fail_errno("munmap the area");
	for (size_t i = 0; i < NMAPS; i++) {
		char *p = area + maps[i].off * PG;
		size_t len = maps[i].pages * PG;

		if (mmap(p, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			 -1, 0) != p)
			return fail_errno("mmap mapping %zu", i);
		datagen(p, len, i + 1);
		memcpy(copy + maps[i].off * PG, p, len);
		if (mprotect(p, len, maps[i].prot))
			return fail_errno("mprotect mapping %zu", i);
	}
	if (check_maps(area))
		return 1;

	test_daemon();
	test_waitsig();

	if (check_maps(area))
		return 1;
	for (size_t i = 0; i < NMAPS; i++) {
		char *p = area + maps[i].off * PG;
		size_t len = maps[i].pages * PG;
		char what[32];

		snprintf(what, sizeof(what), "mapping %zu content", i);
		/* The no-access mapping keeps content too: open it only now, after the maps check. */
		if (!(maps[i].prot & PROT_READ) && mprotect(p, len, PROT_READ))
			return fail_errno("mprotect mapping %zu for reading", i);
		if (expect_bytes(what, p, copy + maps[i].off * PG, len))
			return 1;
		if (!datachk(p, len))
			return fail("mapping %zu: CRC stamp does not match", i);
	}
	return pass();
}
