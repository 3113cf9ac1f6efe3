#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

/* Beyond maps_large (512 MiB): offsets past 4 GiB and a mapping bigger than this machine's memory. */
ZDTM_TEST(.doc = "a 64 GiB MAP_NORESERVE anonymous mapping, larger than memory: its range, the pages touched "
		 "at offsets up to its end (past 4 GiB and 32 GiB) and no other page resident",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PG 4096UL
#define GB (1UL << 30)
#define LARGE (64 * GB)

static const unsigned long touched[] = {
	0, 4 * GB - PG, 4 * GB, 4 * GB + 17 * PG, 32 * GB + 3 * PG, 63 * GB + 123 * PG, LARGE - PG,
};
#define NTOUCHED (sizeof(touched) / sizeof(touched[0]))

/* How many pages of the mapping are resident, or -1. */
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

static int check_page(const char *mem, unsigned long off, bool was_touched)
{
	static const char zero[PG];
	char want[PG], what[80];

	if (was_touched)
		datagen(want, PG, off / PG);
	snprintf(what, sizeof(what), "%s page at offset %#lx", was_touched ? "touched" : "untouched", off);
	return expect_bytes(what, mem + off, was_touched ? want : zero, PG);
}

int main(int argc, char **argv)
{
	struct zdtm_vma v;
	long before, after;
	char *mem;

	test_init(argc, argv);
	mem = mmap(NULL, LARGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		return fail_errno("mmap 64 GiB");
	for (size_t i = 0; i < NTOUCHED; i++)
		datagen(mem + touched[i], PG, touched[i] / PG);
	before = resident(mem);
	if (before != (long)NTOUCHED)
		return fail("%ld pages resident before C/R, expected %zu", before, NTOUCHED);

	test_daemon();
	test_waitsig();

	if (vma_find(mem, &v, false) || v.start != (unsigned long)mem || v.end != v.start + LARGE ||
	    strcmp(v.perms, "rw-p"))
		return fail("the mapping is %lx-%lx %s, expected %p-%lx rw-p", v.start, v.end, v.perms,
			    (void *)mem, (unsigned long)mem + LARGE);
	/* Before anything reads an untouched page: C/R must not have populated any. */
	after = resident(mem);
	if (after != before)
		return fail("%ld pages resident after C/R, expected %ld", after, before);
	for (size_t i = 0; i < NTOUCHED; i++)
		if (check_page(mem, touched[i], true) ||
		    (touched[i] + PG < LARGE && touched[i] + PG != touched[i + 1] &&
		     check_page(mem, touched[i] + PG, false)))
			return 1;
	for (unsigned long off = GB + PG; off < LARGE; off += GB)
		if (check_page(mem, off, false))
			return 1;
	return pass();
}
