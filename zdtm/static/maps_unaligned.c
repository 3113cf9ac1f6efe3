#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "anonymous mappings at fixed odd page numbers, one of 1 page + 1 byte, one right below another: exact ranges, modes, content",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PG 4096UL
#define AREA_PAGES 32UL

/*
 * In an area whose first page has an even page number: each mapping is len bytes at page,
 * so it spans pages pages.
 * "below" is mapped after "above", right under it, with other permissions.
 */
static const struct {
	const char *name;
	unsigned long page, len, pages;
	int prot;
	const char *perms;
} maps[] = {
	{ "odd", 3, 3 * PG, 3, PROT_READ | PROT_WRITE, "rw-p" },
	{ "page+1", 9, PG + 1, 2, PROT_READ | PROT_WRITE, "rw-p" },
	{ "above", 17, 3 * PG, 3, PROT_READ | PROT_WRITE, "rw-p" },
	{ "below", 15, 2 * PG, 2, PROT_READ, "r--p" },
	{ "single", 23, PG, 1, PROT_READ | PROT_WRITE | PROT_EXEC, "rwxp" },
};
#define NMAPS (sizeof(maps) / sizeof(maps[0]))
#define MAXPAGES 3UL

/* The VMAs of the area are exactly the mappings, sorted by page. */
static int check_ranges(char *area)
{
	static const int by_addr[NMAPS] = { 0, 1, 3, 2, 4 };
	unsigned long lo = (unsigned long)area;
	static struct zdtm_vma v[16];
	int n = vma_list(lo, lo + AREA_PAGES * PG, v, 16, false);

	if (n < 0)
		return fail_errno("read /proc/self/maps");
	for (size_t k = 0; k < NMAPS || (int)k < n; k++) {
		unsigned long s = 0, e = 0;
		const char *perms = "none";
		size_t i = by_addr[k < NMAPS ? k : 0];

		if (k < NMAPS) {
			s = lo + maps[i].page * PG;
			e = s + maps[i].pages * PG;
			perms = maps[i].perms;
		}
		if ((int)k >= n)
			return fail("VMA %zu missing, expected %lx-%lx %s (\"%s\")", k, s, e, perms, maps[i].name);
		if (k >= NMAPS)
			return fail("VMA %zu is %lx-%lx %s, expected none (%zu mappings)", k, v[k].start,
				    v[k].end, v[k].perms, NMAPS);
		if (v[k].start != s || v[k].end != e || strcmp(v[k].perms, perms))
			return fail("VMA %zu is %lx-%lx %s, expected %lx-%lx %s (\"%s\")", k, v[k].start,
				    v[k].end, v[k].perms, s, e, perms, maps[i].name);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char copy[NMAPS][MAXPAGES * PG];
	char *res, *area;

	test_init(argc, argv);
	res = mmap(NULL, (AREA_PAGES + 1) * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED || munmap(res, (AREA_PAGES + 1) * PG))
		return fail_errno("reserve the area");
	area = (char *)(((unsigned long)res + PG) & ~(2 * PG - 1));   /* an even page number */
	for (size_t i = 0; i < NMAPS; i++) {
		char *p = area + maps[i].page * PG;
		size_t full = maps[i].pages * PG;

		if (mmap(p, maps[i].len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != p)
			return fail_errno("mmap \"%s\" at %p", maps[i].name, (void *)p);
		datagen(p, full, i + 1);   /* the page after the extra byte is usable in full */
		memcpy(copy[i], p, full);
		if (mprotect(p, full, maps[i].prot))
			return fail_errno("mprotect \"%s\"", maps[i].name);
	}
	if (check_ranges(area))
		return 1;

	test_daemon();
	test_waitsig();

	if (check_ranges(area))
		return 1;
	for (size_t i = 0; i < NMAPS; i++) {
		char what[64];

		snprintf(what, sizeof(what), "content of \"%s\"", maps[i].name);
		if (expect_bytes(what, area + maps[i].page * PG, copy[i], maps[i].pages * PG))
			return 1;
	}
	return pass();
}
