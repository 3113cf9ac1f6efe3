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

struct vma_info {
	int nvmas;                  /* VMAs overlapping the range */
	unsigned long start, end;   /* of the first one */
	long anon_huge_kb;          /* AnonHugePages summed over them */
	char flags[256];            /* VmFlags of the first one */
};

/* Reads /proc/self/smaps for the VMAs that overlap [lo, hi). */
static int smaps_range(unsigned long lo, unsigned long hi, struct vma_info *vi)
{
	char line[512], perms[5];
	FILE *f = fopen("/proc/self/smaps", "r");
	unsigned long s, e, off;
	long kb;
	bool in = false;

	if (!f)
		return -1;
	memset(vi, 0, sizeof(*vi));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %4s %lx", &s, &e, perms, &off) == 4) {
			in = e > lo && s < hi;
			if (in && !vi->nvmas++) {
				vi->start = s;
				vi->end = e;
			}
		} else if (in && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1) {
			vi->anon_huge_kb += kb;
		} else if (in && vi->nvmas == 1 && !strncmp(line, "VmFlags:", 8)) {
			line[strcspn(line, "\n")] = 0;
			snprintf(vi->flags, sizeof(vi->flags), "%.255s", line + 8);
		}
	}
	fclose(f);
	return 0;
}

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
	struct vma_info vi;

	if (expect_int("PR_GET_THP_DISABLE", prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0), 1))
		return 1;
	if (expect_int("THP_enabled of /proc/self/status", thp_enabled(), 0))
		return 1;
	if (smaps_range(lo, lo + LEN, &vi))
		return fail_errno("read /proc/self/smaps");
	if (vi.nvmas != 1 || vi.start != lo || vi.end != lo + LEN)
		return fail("%s: %d VMAs in the mapping, the first %lx-%lx; expected one, %lx-%lx",
			    what, vi.nvmas, vi.start, vi.end, lo, lo + LEN);
	if (vi.anon_huge_kb)
		return fail("%s: AnonHugePages %ld kB, expected 0 (THP disabled)", what, vi.anon_huge_kb);
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
