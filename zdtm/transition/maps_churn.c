#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "keeps mapping, unmapping and mprotect-ing anonymous regions, checking their content each round",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define SLOTS 24
#define MAXPAGES 8

/* A region the test owns: where, how big, its protection and the seed of its content. */
struct region {
	char *addr;             /* NULL: the slot is free */
	size_t len;
	int prot;               /* PROT_READ|PROT_WRITE -> PROT_READ -> PROT_NONE -> ... */
	int flags;              /* MAP_PRIVATE or MAP_SHARED */
	uint32_t seed;
};

static struct region slots[SLOTS];
static char problem[200];
static long page;

static int check(struct region *r, int i)
{
	char *want = malloc(r->len);

	datagen(want, r->len, r->seed);
	for (size_t off = 0; off < r->len && !problem[0]; off++)
		if (r->addr[off] != want[off])
			snprintf(problem, sizeof(problem), "region %d (%zu pages at %p, seed %u): byte %zu is 0x%02x, "
				 "expected 0x%02x", i, r->len / page, (void *)r->addr, r->seed, off,
				 (unsigned char)r->addr[off], (unsigned char)want[off]);
	free(want);
	return problem[0] != 0;
}

static int map(struct region *r, uint32_t seed)
{
	r->len = (1 + lrand48() % MAXPAGES) * page;
	r->flags = seed & 1 ? MAP_SHARED : MAP_PRIVATE;
	r->prot = PROT_READ | PROT_WRITE;
	r->seed = seed;
	r->addr = mmap(NULL, r->len, r->prot, r->flags | MAP_ANONYMOUS, -1, 0);
	if (r->addr == MAP_FAILED) {
		r->addr = NULL;
		snprintf(problem, sizeof(problem), "mmap of %zu bytes: errno %d", r->len, errno);
		return 1;
	}
	datagen(r->addr, r->len, seed);
	return 0;
}

static int protect(struct region *r, int prot)
{
	if (mprotect(r->addr, r->len, prot)) {
		snprintf(problem, sizeof(problem), "mprotect(%p, %zu, %d): errno %d", (void *)r->addr,
			 r->len, prot, errno);
		return 1;
	}
	r->prot = prot;
	return 0;
}

/* One round on one slot: map a free slot, or check a mapped one and change it. */
static int churn(int i, uint32_t seed)
{
	struct region *r = &slots[i];

	if (!r->addr)
		return map(r, seed);
	if ((r->prot & PROT_READ) && check(r, i))
		return 1;
	switch (lrand48() % 4) {
	case 0:
		if (munmap(r->addr, r->len)) {
			snprintf(problem, sizeof(problem), "munmap: errno %d", errno);
			return 1;
		}
		r->addr = NULL;
		return 0;
	case 1:         /* rewrite with new content */
		if (r->prot != (PROT_READ | PROT_WRITE) && protect(r, PROT_READ | PROT_WRITE))
			return 1;
		r->seed = seed;
		datagen(r->addr, r->len, seed);
		return 0;
	default:        /* next protection in the cycle */
		return protect(r, r->prot == (PROT_READ | PROT_WRITE) ? PROT_READ :
				  r->prot == PROT_READ ? PROT_NONE : PROT_READ | PROT_WRITE);
	}
}

/* The mapping at r->addr (possibly merged with neighbours) has the region's protection and type. */
static int check_maps(struct region *r, int i)
{
	unsigned long a = (unsigned long)r->addr;
	struct zdtm_vma v;
	char want[5];

	snprintf(want, sizeof(want), "%c%c-%c", r->prot & PROT_READ ? 'r' : '-', r->prot & PROT_WRITE ? 'w' : '-',
		 r->flags == MAP_SHARED ? 's' : 'p');
	if (vma_find(r->addr, &v, false))
		snprintf(problem, sizeof(problem), "region %d at %lx is not in /proc/self/maps", i, a);
	else if (v.end < a + r->len)
		snprintf(problem, sizeof(problem), "region %d %lx-%lx is cut: the mapping ends at %lx",
			 i, a, a + r->len, v.end);
	else if (strcmp(v.perms, want))
		snprintf(problem, sizeof(problem), "region %d %lx-%lx has perms %s, expected %s", i, a,
			 a + r->len, v.perms, want);
	return problem[0] != 0;
}

int main(int argc, char **argv)
{
	uint32_t seed = 1;
	int mapped = 0;

	test_init(argc, argv);
	page = sysconf(_SC_PAGESIZE);
	for (int i = 0; i < SLOTS; i++)
		if (map(&slots[i], seed++))
			return fail("%s", problem);

	test_daemon();
	while (test_go() && !churn(lrand48() % SLOTS, seed++))
		;
	test_waitsig();

	if (problem[0])
		return fail("%s", problem);
	for (int i = 0; i < SLOTS; i++) {
		struct region *r = &slots[i];

		if (!r->addr)
			continue;
		mapped++;
		if (check_maps(r, i) || protect(r, PROT_READ) || check(r, i))
			return fail("%s", problem);
	}
	test_msg("%u rounds, %d regions mapped at the end", seed - SLOTS - 1, mapped);
	return pass();
}
