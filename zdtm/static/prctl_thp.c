#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "PR_SET_THP_DISABLE=1: read back, THP_enabled 0, and a 2 MiB-aligned MADV_HUGEPAGE mapping without huge pages",
	  .flavors = ZDTM_ALL_FLAVORS);

#define HPAGE (2UL << 20)
#define LEN (2 * HPAGE)

/* THP_enabled of /proc/self/status, or -1. */
static int thp_enabled(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	int v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		sscanf(line, "THP_enabled: %d", &v);
	fclose(f);
	return v;
}

/* The prctl reads back 1, status says THP_enabled 0, the mapping is one VMA without huge pages. */
static int check_disabled(char *mem, const char *what)
{
	unsigned long lo = (unsigned long)mem;
	struct zdtm_vma v = { 0 };   /* the first VMA of the mapping */
	int n;

	if (expect_int("PR_GET_THP_DISABLE", prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0), 1))
		return 1;
	if (expect_int("THP_enabled of /proc/self/status", thp_enabled(), 0))
		return 1;
	n = vma_list(lo, lo + LEN, &v, 1, true);
	if (n < 0)
		return fail_errno("read /proc/self/smaps");
	if (n != 1 || v.start != lo || v.end != lo + LEN)
		return fail("%s: %d VMAs in the mapping, the first %lx-%lx; expected one, %lx-%lx",
			    what, n, v.start, v.end, lo, lo + LEN);
	if (vma_kb(&v, "AnonHugePages"))
		return fail("%s: AnonHugePages %ld kB, expected 0 (THP disabled)", what, vma_kb(&v, "AnonHugePages"));
	return 0;
}

int main(int argc, char **argv)
{
	static char copy[LEN];
	char *area, *mem;

	test_init(argc, argv);
	if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0))
		return fail_errno("PR_SET_THP_DISABLE");
	/* 2 MiB aligned and MADV_HUGEPAGE: without the prctl it would get huge pages. */
	area = mmap(NULL, LEN + 2 * HPAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return fail_errno("mmap");
	mem = (char *)(((unsigned long)area + HPAGE) & ~(HPAGE - 1));
	if (munmap(area, mem - area) || munmap(mem + LEN, area + LEN + 2 * HPAGE - (mem + LEN)))
		return fail_errno("munmap around the aligned mapping");
	if (madvise(mem, LEN, MADV_HUGEPAGE) && errno != EINVAL)
		return fail_errno("madvise(MADV_HUGEPAGE)");
	datagen(mem, LEN, 23);
	memcpy(copy, mem, LEN);
	if (check_disabled(mem, "before C/R"))
		return 1;

	test_daemon();
	test_waitsig();

	if (check_disabled(mem, "after C/R"))
		return 1;
	if (expect_bytes("mapping content", mem, copy, LEN))
		return 1;
	/* Still in force: faulting the whole mapping in again gives no huge page either. */
	if (madvise(mem, LEN, MADV_DONTNEED))
		return fail_errno("madvise(MADV_DONTNEED)");
	memcpy(mem, copy, LEN);
	if (check_disabled(mem, "refaulted after C/R"))
		return 1;
	return pass();
}
