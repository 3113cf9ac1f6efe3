#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "many small adjacent anonymous VMAs that must not merge (guard pages, MAP_NORESERVE, r/rw per page) keep maps lines and content",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PG 4096UL

/*
 * One contiguous run of VMAs, no gaps, each differing from its neighbours:
 *  - three 3-page rw- "stacks" with a PROT_NONE guard page below and above each;
 *  - a MAP_NORESERVE rw- region, then an ordinary rw- one (differ only in VM_NORESERVE);
 *  - 16 single pages, alternately r-- and rw-.
 * The run sits between two unmapped pages.
 */
#define NVMAS (7 + 2 + 16)
#define MAX_LINES 64

struct part {
	unsigned long first, pages;
	int prot;
	bool noreserve;
};

static struct part parts[NVMAS];
static unsigned long run_pages;
static char *run;

static void add(int *n, unsigned long pages, int prot, bool noreserve)
{
	parts[*n] = (struct part){ run_pages, pages, prot, noreserve };
	run_pages += pages;
	(*n)++;
}

static void plan(void)
{
	int n = 0;

	for (int s = 0; s < 3; s++) {
		add(&n, 1, PROT_NONE, false);
		add(&n, 3, PROT_READ | PROT_WRITE, false);
	}
	add(&n, 1, PROT_NONE, false);
	add(&n, 4, PROT_READ | PROT_WRITE, true);
	add(&n, 2, PROT_READ | PROT_WRITE, false);
	for (int p = 0; p < 16; p++)
		add(&n, 1, p % 2 ? PROT_READ | PROT_WRITE : PROT_READ, false);
}

/* The lines of /proc/self/maps that overlap the run (and a page on each side), in one buffer. */
static int maps_lines(char *buf, size_t len)
{
	unsigned long lo = (unsigned long)run - PG, hi = (unsigned long)run + (run_pages + 1) * PG, s, e;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	size_t used = 0;
	int n = 0;

	if (!f)
		return -1;
	buf[0] = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx", &s, &e) != 2 || e <= lo || s >= hi)
			continue;
		used += snprintf(buf + used, used < len ? len - used : 0, "%s", line);
		n++;
	}
	fclose(f);
	return used < len ? n : -1;
}

/* The run is exactly parts[]: one line each, with its range and permissions. */
static int check_lines(const char *buf, int n)
{
	const char *line = buf;

	if (n != NVMAS)
		return fail("%d VMAs around the run, expected %d (merged or split)", n, NVMAS);
	for (int i = 0; i < NVMAS; i++, line = strchr(line, '\n') + 1) {
		unsigned long s = (unsigned long)run + parts[i].first * PG, e = s + parts[i].pages * PG, fs, fe;
		char perms[5], want[5];

		snprintf(want, sizeof(want), "%c%c-p", parts[i].prot & PROT_READ ? 'r' : '-',
			 parts[i].prot & PROT_WRITE ? 'w' : '-');
		if (sscanf(line, "%lx-%lx %4s", &fs, &fe, perms) != 3 || fs != s || fe != e || strcmp(perms, want))
			return fail("VMA %d is %.*s, expected %lx-%lx %s", i, (int)strcspn(line, "\n"), line, s, e, want);
	}
	return 0;
}

/* Whether the VMA starting at addr has VmFlags "nr" (VM_NORESERVE): 1, 0, or -1 if not found. */
static int noreserve(const void *addr)
{
	struct zdtm_vma v;

	if (vma_find(addr, &v, true) || v.start != (unsigned long)addr)
		return -1;
	return vma_has_flag(&v, "nr");
}

static int check_noreserve(void)
{
	for (int i = 0; i < NVMAS; i++) {
		int nr = noreserve(run + parts[i].first * PG);

		if (nr != parts[i].noreserve)
			return fail("VMA %d: VmFlags nr (MAP_NORESERVE) is %d, expected %d", i, nr, parts[i].noreserve);
	}
	return 0;
}

/* Each part holds its own stamped data; guard pages stay untouched, zero. */
static int check_content(void)
{
	static char want[8 * PG];
	char what[64];

	for (int i = 0; i < NVMAS; i++) {
		size_t len = parts[i].pages * PG;
		char *p = run + parts[i].first * PG;

		if (parts[i].prot == PROT_NONE && mprotect(p, len, PROT_READ))
			return fail_errno("mprotect guard %d for reading", i);
		if (parts[i].prot == PROT_NONE)
			memset(want, 0, len);
		else
			datagen(want, len, i + 1);
		snprintf(what, sizeof(what), "VMA %d content", i);
		if (expect_bytes(what, p, want, len))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char before[MAX_LINES * 128], after[MAX_LINES * 128];
	int n;

	test_init(argc, argv);
	plan();
	run = mmap(NULL, (run_pages + 2) * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (run == MAP_FAILED || munmap(run, (run_pages + 2) * PG))
		return fail_errno("reserve the area");
	run += PG;
	for (int i = 0; i < NVMAS; i++) {
		char *p = run + parts[i].first * PG;
		size_t len = parts[i].pages * PG;
		int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | (parts[i].noreserve ? MAP_NORESERVE : 0);

		if (mmap(p, len, PROT_READ | PROT_WRITE, flags, -1, 0) != p)
			return fail_errno("mmap VMA %d", i);
		if (parts[i].prot != PROT_NONE)
			datagen(p, len, i + 1);
		if (mprotect(p, len, parts[i].prot))
			return fail_errno("mprotect VMA %d", i);
	}
	if (noreserve(run + parts[7].first * PG) == 0)
		return skip("MAP_NORESERVE leaves no VmFlags nr (vm.overcommit_memory=2?)");
	n = maps_lines(before, sizeof(before));
	if (check_lines(before, n) || check_noreserve())
		return 1;

	test_daemon();
	test_waitsig();

	n = maps_lines(after, sizeof(after));
	if (check_lines(after, n) || expect_str("the run's lines in /proc/self/maps", after, before) ||
	    check_noreserve())
		return 1;
	return check_content() ?: pass();
}
