#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "mappings advised MADV_SEQUENTIAL, MADV_RANDOM, MADV_MERGEABLE, made MAP_LOCKED and MAP_DROPPABLE keep their VmFlags (sr rr mg lo dp), ranges and content",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE 0x08
#endif

#define PG 4096UL
#define LEN (4 * PG)

/* One mapping each; madvise00 and maps11 cover DONTFORK, WIPEONFORK, DONTDUMP, HUGEPAGE. */
static const struct {
	const char *name, *flag;
	int map_flags, advice;   /* advice 0: none */
} maps[] = {
	{ "MADV_SEQUENTIAL", "sr", MAP_PRIVATE, MADV_SEQUENTIAL },
	{ "MADV_RANDOM", "rr", MAP_PRIVATE, MADV_RANDOM },
	{ "MADV_MERGEABLE", "mg", MAP_PRIVATE, MADV_MERGEABLE },
	{ "MAP_LOCKED", "lo", MAP_PRIVATE | MAP_LOCKED, 0 },
	{ "MAP_DROPPABLE", "dp", MAP_DROPPABLE, 0 },
};
#define NMAPS (int)(sizeof(maps) / sizeof(maps[0]))
#define DROPPABLE (NMAPS - 1)

static char *map[NMAPS];
static char data[NMAPS][LEN], zero[PG];

/* Mapping i: one VMA of LEN bytes with its own flag and none of the others', its bytes. */
static int check(const char *when)
{
	struct zdtm_vma v;

	for (int i = 0; i < NMAPS; i++) {
		if (vma_find(map[i], &v, true) || v.start != (unsigned long)map[i] || v.end != v.start + LEN)
			return fail("%s: the %s mapping at %p is not one VMA of %lu bytes", when, maps[i].name,
				    (void *)map[i], LEN);
		for (int j = 0; j < NMAPS; j++)
			if (vma_has_flag(&v, maps[j].flag) != (i == j))
				return fail("%s: the %s mapping %s flag %s (VmFlags: %s)", when, maps[i].name,
					    i == j ? "lost" : "gained", maps[j].flag, v.flags);
		for (unsigned long pg = 0; pg < LEN; pg += PG)   /* a droppable page may be dropped: zeros */
			if (memcmp(map[i] + pg, data[i] + pg, PG) &&
			    (i != DROPPABLE || memcmp(map[i] + pg, zero, PG)))
				return fail("%s: the %s mapping: page %lu differs from what was written%s", when,
					    maps[i].name, pg / PG, i == DROPPABLE ? " and is not a dropped (zero) page" : "");
	}
	return 0;
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	for (int i = 0; i < NMAPS; i++) {
		map[i] = mmap(NULL, LEN, PROT_READ | PROT_WRITE, maps[i].map_flags | MAP_ANONYMOUS, -1, 0);
		if (map[i] == MAP_FAILED)
			return errno == EINVAL && i == DROPPABLE ? skip("MAP_DROPPABLE: EINVAL (kernel before 6.11)")
								 : fail_errno("mmap %s", maps[i].name);
		if (maps[i].advice && madvise(map[i], LEN, maps[i].advice))
			return errno == EINVAL && maps[i].advice == MADV_MERGEABLE ? skip("MADV_MERGEABLE: EINVAL (no KSM)")
										  : fail_errno("madvise %s", maps[i].name);
		datagen(data[i], LEN, i + 20);
		memcpy(map[i], data[i], LEN);
	}
	/* The kernel may drop a droppable page at any time (criu restores them empty): its content is
	 * the test's own check (its data or zeros), not the runner's memory digest. */
	test_volatile(map[DROPPABLE], LEN);
	if (check("before C/R"))
		return 1;

	test_daemon();
	test_waitsig();

	if (check("after C/R"))
		return 1;
	return pass();
}
