#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "2000 one-page private anonymous mappings with r, rw, none and rx keep their ranges, permissions and content",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PG 4096UL
/* Far below vm.max_map_count (65530 by default) together with the process's own mappings. */
#define NMAPS 2000
/* Mapping i is page 2 * i + 1 of the area: an unmapped page on each side, so none can merge. */
#define AREA_PAGES (2UL * NMAPS + 1)

static const struct {
	int prot;
	const char *perms;
} kinds[] = {
	{ PROT_READ, "r--p" },
	{ PROT_READ | PROT_WRITE, "rw-p" },
	{ PROT_NONE, "---p" },
	{ PROT_READ | PROT_EXEC, "r-xp" },
};
#define KIND(i) kinds[(i) % (sizeof(kinds) / sizeof(kinds[0]))]

static char *page_of(char *area, int i)
{
	return area + (2UL * i + 1) * PG;
}

static int check_maps(char *area)
{
	static struct zdtm_vma v[NMAPS];
	unsigned long lo = (unsigned long)area, hi = lo + AREA_PAGES * PG;
	int n = vma_list(lo, hi, v, NMAPS, false);

	if (n < 0)
		return fail_errno("read /proc/self/maps");
	if (n != NMAPS)
		return fail("%d VMAs in the area, expected %d", n, NMAPS);
	for (int i = 0; i < NMAPS; i++) {
		unsigned long s = (unsigned long)page_of(area, i);

		if (v[i].start != s || v[i].end != s + PG || strcmp(v[i].perms, KIND(i).perms))
			return fail("mapping %d is %lx-%lx %s, expected %lx-%lx %s", i, v[i].start, v[i].end,
				    v[i].perms, s, s + PG, KIND(i).perms);
	}
	return 0;
}

/* Every page holds datagen(seed i + 1); the no-access ones are opened for reading first. */
static int check_content(char *area)
{
	static char want[PG];

	for (int i = 0; i < NMAPS; i++) {
		char *p = page_of(area, i);
		char what[48];

		if (!(KIND(i).prot & PROT_READ) && mprotect(p, PG, PROT_READ))
			return fail_errno("mprotect mapping %d for reading", i);
		datagen(want, PG, i + 1);
		snprintf(what, sizeof(what), "mapping %d (%s) content", i, KIND(i).perms);
		if (expect_bytes(what, p, want, PG))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char *area;

	test_init(argc, argv);
	area = mmap(NULL, AREA_PAGES * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return fail_errno("reserve the area");
	if (munmap(area, AREA_PAGES * PG))
		return fail_errno("munmap the area");
	for (int i = 0; i < NMAPS; i++) {
		char *p = page_of(area, i);

		if (mmap(p, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != p)
			return fail_errno("mmap mapping %d", i);
		/* written while writable, then narrowed: the content must survive in every kind */
		datagen(p, PG, i + 1);
		if (mprotect(p, PG, KIND(i).prot))
			return fail_errno("mprotect mapping %d", i);
	}
	if (check_maps(area))
		return 1;

	test_daemon();
	test_waitsig();

	/* maps first: the content check changes the no-access pages' protection */
	if (check_maps(area) || check_content(area))
		return 1;
	return pass();
}
