#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "guard regions installed with MADV_GUARD_INSTALL in an anonymous mapping: the same pages fault (SIGSEGV), show the pagemap guard bit, the rest keep their data",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif
#define PM_GUARD_REGION (1ULL << 58)

#define PG 4096UL
#define PAGES 8
/* Guarded pages: the first, a lone one, a run of two; the last page stays plain. */
static const bool guarded[PAGES] = { 1, 0, 0, 1, 0, 1, 1, 0 };

static char *map;
static char data[PAGES * PG];
static sigjmp_buf jb;

static void on_segv(int sig)
{
	siglongjmp(jb, sig);
}

/* Whether reading the page faults: a guard page sends SIGSEGV and is never populated. */
static bool faults(volatile const char *p)
{
	struct sigaction sa = { .sa_handler = on_segv }, old;
	bool ret = true;

	sigaction(SIGSEGV, &sa, &old);
	if (!sigsetjmp(jb, 1)) {
		(void)*p;
		ret = false;
	}
	sigaction(SIGSEGV, &old, NULL);
	return ret;
}

static int check(const char *when)
{
	int pm = open("/proc/self/pagemap", O_RDONLY);
	struct zdtm_vma v;
	uint64_t e;

	if (pm < 0)
		return fail_errno("open /proc/self/pagemap");
	if (vma_find(map, &v, false) || v.start != (unsigned long)map || v.end != v.start + PAGES * PG ||
	    strcmp(v.perms, "rw-p"))
		return fail("%s: the mapping at %p is not one rw-p VMA of %d pages (%lx-%lx %s)", when,
			    (void *)map, PAGES, v.start, v.end, v.perms);
	for (int i = 0; i < PAGES; i++) {
		char *p = map + i * PG;

		if (pread(pm, &e, sizeof(e), (unsigned long)p / PG * sizeof(e)) != sizeof(e))
			return fail_errno("%s: read the pagemap entry of page %d", when, i);
		if (!!(e & PM_GUARD_REGION) != guarded[i])
			return fail("%s: page %d has the pagemap guard bit %d, expected %d (entry %#llx)", when, i,
				    !!(e & PM_GUARD_REGION), guarded[i], (unsigned long long)e);
		if (faults(p) != guarded[i])
			return fail("%s: reading page %d %s, expected it %s", when, i,
				    guarded[i] ? "works" : "faults", guarded[i] ? "to fault" : "to work");
		if (!guarded[i] && expect_bytes(when, p, data + i * PG, PG))
			return 1;
	}
	close(pm);
	return 0;
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	map = mmap(NULL, PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return fail_errno("mmap");
	datagen(data, sizeof(data), 12);
	memcpy(map, data, sizeof(data));
	for (int i = 0; i < PAGES; i++)
		if (guarded[i] && madvise(map + i * PG, PG, MADV_GUARD_INSTALL))
			return errno == EINVAL ? skip("MADV_GUARD_INSTALL: EINVAL (kernel before 6.13)")
					       : fail_errno("MADV_GUARD_INSTALL on page %d", i);
	if (check("before C/R"))
		return 1;

	test_daemon();
	test_waitsig();

	if (check("after C/R"))
		return 1;
	return pass();
}
