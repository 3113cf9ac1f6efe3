#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

/* transition: the pages change while criu dumps; every dump of an --iter or --pre chain must catch
 * the pages written since the one before (with --pre, through soft-dirty tracking). */
ZDTM_TEST(.doc = "keeps rewriting random pages of a 16 MiB anonymous mapping, each with data of its own "
		 "generation, checking the page's previous generation first and every page at the end",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define PG 4096UL
#define PAGES 4096UL

static uint32_t gen[PAGES];   /* how often each page was written; 0: never, zero-filled */

/* The page holds generation gen[i]; 0 or the byte that differs. */
static int page_ok(const char *p, unsigned long i, char *want, unsigned long *bad)
{
	if (gen[i])
		datagen(want, PG, i << 16 | gen[i]);
	else
		memset(want, 0, PG);
	for (unsigned long b = 0; b < PG; b++)
		if (p[b] != want[b]) {
			*bad = b;
			return 0;
		}
	return 1;
}

int main(int argc, char **argv)
{
	static char want[PG];
	unsigned long rounds = 0, bad;
	char *mem;

	test_init(argc, argv);
	srand48(getpid());
	mem = mmap(NULL, PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return fail_errno("mmap");

	test_daemon();

	while (test_go()) {
		unsigned long i = lrand48() % PAGES;

		if (!page_ok(mem + i * PG, i, want, &bad))
			return fail("round %lu: page %lu byte %lu is 0x%02x, expected 0x%02x of its generation %u",
				    rounds, i, bad, (unsigned char)mem[i * PG + bad], (unsigned char)want[bad], gen[i]);
		gen[i]++;
		datagen(mem + i * PG, PG, i << 16 | gen[i]);
		rounds++;
		if (rounds % 64 == 0)
			usleep(1000);
	}
	for (unsigned long i = 0; i < PAGES; i++)
		if (!page_ok(mem + i * PG, i, want, &bad))
			return fail("at the end: page %lu byte %lu is 0x%02x, expected 0x%02x of its generation %u",
				    i, bad, (unsigned char)mem[i * PG + bad], (unsigned char)want[bad], gen[i]);
	test_msg("%lu pages written", rounds);
	return pass();
}
