#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "mappings moved by mremap(MREMAP_FIXED), private and shared, and one grown in place keep address, size and content",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PG 4096UL

/*
 * One reserved area, in pages: each mapping is made at `from`, then moved to `to`
 * (or grown in place from `pages` to `grown` pages). Unmapped pages between them
 * keep them apart, and the old places must stay unmapped.
 */
static const struct {
	const char *name;
	int flags;
	unsigned long from, to, pages, grown;
} maps[] = {
	{ "private, moved", MAP_PRIVATE, 1, 30, 3, 3 },
	{ "shared, moved", MAP_SHARED, 5, 36, 4, 4 },
	{ "private, grown in place", MAP_PRIVATE, 11, 11, 2, 7 },
	{ "private, moved and grown", MAP_PRIVATE, 20, 43, 2, 5 },
};
#define NMAPS (int)(sizeof(maps) / sizeof(maps[0]))
#define AREA_PAGES 50UL

static char *area;

static int check_vmas(void)
{
	struct zdtm_vma v;

	for (int i = 0; i < NMAPS; i++) {
		char *to = area + maps[i].to * PG, *from = area + maps[i].from * PG;
		const char *want = maps[i].flags == MAP_SHARED ? "rw-s" : "rw-p";

		if (vma_find(to, &v, false))
			return fail("mapping %s: nothing at %p", maps[i].name, (void *)to);
		if (v.start != (unsigned long)to || v.end != v.start + maps[i].grown * PG || strcmp(v.perms, want))
			return fail("mapping %s is %lx-%lx %s, expected %lx-%lx %s", maps[i].name, v.start, v.end,
				    v.perms, (unsigned long)to, (unsigned long)to + maps[i].grown * PG, want);
		if (from != to && !vma_find(from, &v, false))
			return fail("mapping %s: its old place %p is mapped (%lx-%lx %s), expected unmapped",
				    maps[i].name, (void *)from, v.start, v.end, v.perms);
	}
	return 0;
}

/* The first `pages` pages carry the data written before the move; the grown tail is zero. */
static int check_content(void)
{
	static char want[50 * PG];
	char what[96];

	for (int i = 0; i < NMAPS; i++) {
		size_t len = maps[i].pages * PG, grown = maps[i].grown * PG;

		datagen(want, len, i + 1);
		memset(want + len, 0, grown - len);
		snprintf(what, sizeof(what), "mapping %s content", maps[i].name);
		if (expect_bytes(what, area + maps[i].to * PG, want, grown))
			return 1;
	}
	return 0;
}

static int make(int i)
{
	char *from = area + maps[i].from * PG, *to = area + maps[i].to * PG;
	size_t len = maps[i].pages * PG, grown = maps[i].grown * PG;
	char *p;

	p = mmap(from, len, PROT_READ | PROT_WRITE, maps[i].flags | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != from)
		return fail_errno("mmap mapping %s", maps[i].name);
	datagen(p, len, i + 1);
	if (from == to)
		p = mremap(from, len, grown, 0);   /* no MREMAP_MAYMOVE: in place or not at all */
	else
		p = mremap(from, len, grown, MREMAP_MAYMOVE | MREMAP_FIXED, to);
	if (p != to)
		return fail_errno("mremap mapping %s to %p", maps[i].name, (void *)to);
	return 0;
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	area = mmap(NULL, AREA_PAGES * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || munmap(area, AREA_PAGES * PG))
		return fail_errno("reserve the area");
	for (int i = 0; i < NMAPS; i++)
		if (make(i))
			return 1;
	if (check_vmas() || check_content())
		return 1;

	test_daemon();
	test_waitsig();

	if (check_vmas() || check_content())
		return 1;
	return pass();
}
