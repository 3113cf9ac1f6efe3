#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a 128 MiB anonymous mapping, every page written, then mprotect()ed page by page at random "
		 "to ---, r--, rw- or r-x (thousands of VMAs): each VMA's range and permissions, every page's content",
	  .flavors = ZDTM_ALL_FLAVORS, .timeout = 120);

#define PG 4096UL
#define LEN (128UL << 20)
#define PAGES (LEN / PG)
#define SEED 20240404u

static const int prots[] = { PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC };
static const char *perms[] = { "---p", "r--p", "rw-p", "r-xp" };
static unsigned char kind[PAGES];   /* index into prots of every page */

/* The maps lines over the mapping are exactly the runs of equal protection, in order (read here
 * line by line: vma_list's entries are too big for tens of thousands of VMAs). */
static int check_vmas(const char *mem)
{
	unsigned long lo = (unsigned long)mem, hi = lo + LEN, page = 0, start, end, want_end;
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512], perm[8];
	int n = 0, ret = 0;

	if (!f)
		return fail_errno("open /proc/self/maps");
	while (!ret && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %7s", &start, &end, perm) != 3 || end <= lo || start >= hi)
			continue;
		want_end = page;
		while (want_end < PAGES && kind[want_end] == kind[page])
			want_end++;
		if (page >= PAGES || start != lo + page * PG || end != lo + want_end * PG ||
		    strcmp(perm, perms[kind[page]]))
			ret = fail("VMA %d is %lx-%lx %s, expected %lx-%lx %s", n, start, end, perm, lo + page * PG,
				   lo + want_end * PG, page < PAGES ? perms[kind[page]] : "(none)");
		page = want_end;
		n++;
	}
	fclose(f);
	if (!ret && page != PAGES)
		ret = fail("%d VMAs cover the mapping up to page %lu, expected it covered to page %lu", n, page, PAGES);
	return ret;
}

int main(int argc, char **argv)
{
	static char want[PG];
	unsigned seed = SEED;
	struct zdtm_vma v;
	char *guard, *mem;

	test_init(argc, argv);
	guard = mmap(NULL, LEN + 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guard == MAP_FAILED)
		return fail_errno("mmap");
	mem = guard + PG;
	if (munmap(guard, PG) || munmap(mem + LEN, PG))
		return fail_errno("munmap the guard pages");
	for (unsigned long i = 0; i < PAGES; i++)
		datagen(mem + i * PG, PG, i);
	for (unsigned long i = 0; i < PAGES; i++) {
		kind[i] = rand_r(&seed) % 4;
		if (mprotect(mem + i * PG, PG, prots[kind[i]]))
			return fail_errno("mprotect page %lu", i);
	}
	if (check_vmas(mem))
		return 1;

	test_daemon();
	test_waitsig();

	if (check_vmas(mem))
		return 1;
	if (mprotect(mem, LEN, PROT_READ))
		return fail_errno("mprotect the whole mapping readable");
	if (vma_find(mem, &v, false) || v.end != (unsigned long)mem + LEN)
		return fail("the mapping made readable is not one VMA");
	for (unsigned long i = 0; i < PAGES; i++) {
		datagen(want, PG, i);
		if (memcmp(mem + i * PG, want, PG))
			return fail("page %lu (%s) differs from what was written before C/R", i, perms[kind[i]]);
	}
	return pass();
}
