#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "one anonymous region keeps growing, shrinking and moving (mremap, MREMAP_FIXED between two reserved areas) while every page is rewritten and checked",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define MAXPAGES 32

static char *area[2];           /* two reserved areas of MAXPAGES pages the region moves between */
static char *reg;               /* the region: in area[cur], npages long */
static int cur, npages;
static uint32_t seeds[MAXPAGES];
static long page;
static char problem[200];

/* The first n pages of the region hold their content. */
static int check_pages(const char *when, int n)
{
	static char want[65536];

	for (int i = 0; i < n; i++) {
		datagen(want, page, seeds[i]);
		if (memcmp(reg + i * page, want, page))
			return snprintf(problem, sizeof(problem), "%s: page %d of %d at %p lost its content (seed %u)",
					when, i, npages, (void *)reg, seeds[i]);
	}
	return 0;
}

static void fill(int from, uint32_t seed)
{
	for (int i = from; i < npages; i++) {
		seeds[i] = seed + i;
		datagen(reg + i * page, page, seeds[i]);
	}
}

/* One round: grow, shrink or move the region, then rewrite some of it and check all of it. */
static int round_(uint32_t seed)
{
	int op = lrand48() % 3, want = 1 + lrand48() % MAXPAGES, old = npages;
	void *to;

	if (op == 2) {                  /* move to the other area, same size */
		to = mremap(reg, npages * page, npages * page, MREMAP_MAYMOVE | MREMAP_FIXED, area[!cur]);
		cur = !cur;
	} else {                        /* in place: free the area's reserve it grows into */
		if (want > npages && munmap(reg + npages * page, (want - npages) * page))
			return snprintf(problem, sizeof(problem), "munmap the reserve: errno %d", errno);
		to = mremap(reg, npages * page, want * page, 0);
	}
	if (to == MAP_FAILED)
		return snprintf(problem, sizeof(problem), "mremap op %d %d -> %d pages: errno %d", op, npages, want, errno);
	reg = to;
	if (op != 2)
		npages = want;
	if (check_pages("after mremap", npages < old ? npages : old))
		return 1;
	fill(npages > old ? old : npages - 1, seed);    /* new pages, or the last one */
	/* The area's unused tail must stay unmapped but reserved: map it back PROT_NONE. */
	if ((npages < MAXPAGES && mmap(area[cur] + npages * page, (MAXPAGES - npages) * page, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) == MAP_FAILED) ||
	    (op == 2 && mmap(area[!cur], MAXPAGES * page, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) == MAP_FAILED))
		return snprintf(problem, sizeof(problem), "re-reserve: errno %d", errno);
	return check_pages("after rewriting", npages);
}

int main(int argc, char **argv)
{
	uint32_t seed = 1000;
	unsigned rounds = 0;

	test_init(argc, argv);
	page = sysconf(_SC_PAGESIZE);
	for (int i = 0; i < 2; i++) {
		area[i] = mmap(NULL, MAXPAGES * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (area[i] == MAP_FAILED)
			return fail_errno("reserve");
	}
	npages = MAXPAGES / 2;
	reg = mmap(area[0], npages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (reg == MAP_FAILED)
		return fail_errno("mmap");
	fill(0, seed);

	test_daemon();
	while (test_go() && !round_(seed += MAXPAGES))
		rounds++;
	test_waitsig();

	if (problem[0])
		return fail("%s", problem);
	if (check_pages("at the end", npages))
		return fail("%s", problem);
	test_msg("%u rounds, %d pages at the end", rounds, npages);
	return pass();
}
