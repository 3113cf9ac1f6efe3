#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a sparse 512 MiB anonymous mapping keeps its few touched pages and zero elsewhere; an unaligned-length one too",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PG 4096UL
#define MB (1UL << 20)
#define LARGE (512 * MB)
#define SMALL (3 * PG + 100)   /* not a multiple of the page size */
#define SMALL_MAPPED (4 * PG)

/* The touched pages of the large mapping, as byte offsets. */
static const unsigned long touched[] = {
	0, PG, 3 * MB + 5 * PG, 100 * MB, 257 * MB + 17 * PG, 400 * MB - PG, LARGE - PG,
};
#define NTOUCHED (sizeof(touched) / sizeof(touched[0]))

static int check_vma(const char *what, const char *mem, unsigned long len)
{
	struct zdtm_vma v;

	if (vma_find(mem, &v, false))
		return fail("the %s mapping %p is not in /proc/self/maps", what, (const void *)mem);
	if (v.start != (unsigned long)mem || v.end != v.start + len || strcmp(v.perms, "rw-p"))
		return fail("the %s mapping is %lx-%lx %s, expected %p-%lx rw-p", what, v.start, v.end, v.perms,
			    (const void *)mem, (unsigned long)mem + len);
	return 0;
}

/* How many pages of the large mapping are resident, or -1. */
static long resident(const char *mem)
{
	static unsigned char vec[LARGE / PG];
	long n = 0;

	if (mincore((void *)mem, LARGE, vec))
		return -1;
	for (size_t i = 0; i < sizeof(vec); i++)
		n += vec[i] & 1;
	return n;
}

static bool is_touched(unsigned long off)
{
	for (size_t i = 0; i < NTOUCHED; i++)
		if (touched[i] == off)
			return true;
	return false;
}

/* The touched pages hold their data; every other page of the large mapping is zero. */
static int check_large(const char *mem)
{
	static char want[PG];
	char what[64];

	for (unsigned long off = 0; off < LARGE; off += PG) {
		const uint64_t *w = (const uint64_t *)(mem + off);

		if (is_touched(off)) {
			datagen(want, PG, off / PG);
			snprintf(what, sizeof(what), "touched page at offset %#lx", off);
			if (expect_bytes(what, mem + off, want, PG))
				return 1;
			continue;
		}
		for (size_t i = 0; i < PG / 8; i++)
			if (w[i])
				return fail("untouched page at offset %#lx holds %#lx at byte %zu, expected zero",
					    off, (unsigned long)w[i], i * 8);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char small_copy[SMALL], zero[SMALL_MAPPED - SMALL];
	char *area, *large, *small;
	long before, after;

	test_init(argc, argv);
	/* The small mapping sits one unmapped page below the large one, so they cannot merge. */
	area = mmap(NULL, PG + SMALL_MAPPED + PG + LARGE + PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || munmap(area, PG + SMALL_MAPPED + PG + LARGE + PG))
		return fail_errno("reserve the area");
	small = area + PG;
	large = small + SMALL_MAPPED + PG;
	if (mmap(large, LARGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		 -1, 0) != large ||
	    mmap(small, SMALL, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		 -1, 0) != small)
		return fail_errno("mmap");
	for (size_t i = 0; i < NTOUCHED; i++)
		datagen(large + touched[i], PG, touched[i] / PG);
	datagen(small, SMALL, 1);
	memcpy(small_copy, small, SMALL);
	before = resident(large);
	if (before < (long)NTOUCHED)
		return fail("%ld pages of the large mapping resident before C/R, expected at least %zu",
			    before, NTOUCHED);

	test_daemon();
	test_waitsig();

	if (check_vma("large", large, LARGE) || check_vma("unaligned", small, SMALL_MAPPED))
		return 1;
	/* Before anything reads the untouched pages: C/R must not have populated them. */
	after = resident(large);
	if (after != before)
		return fail("%ld pages of the large mapping resident after C/R, expected %ld", after, before);
	if (check_large(large))
		return 1;
	if (expect_bytes("unaligned mapping content", small, small_copy, SMALL) ||
	    expect_bytes("tail of the unaligned mapping's last page", small + SMALL, zero, sizeof(zero)))
		return 1;
	return pass();
}
