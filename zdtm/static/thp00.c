#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a 2 MiB-aligned 4 MiB anonymous MADV_HUGEPAGE mapping, fully touched: range, hg flag, huge pages, content",
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

static bool has_flag(const char *flags, const char *flag)
{
	for (const char *p = flags; (p = strstr(p, flag)); p += 2)
		if ((p == flags || p[-1] == ' ') && (p[2] == ' ' || !p[2]))
			return true;
	return false;
}

/* One VMA, exactly the mapping, flagged hg, with some huge pages. */
static int check_thp(char *mem)
{
	unsigned long lo = (unsigned long)mem;
	struct vma_info vi;

	if (smaps_range(lo, lo + LEN, &vi))
		return fail_errno("read /proc/self/smaps");
	if (vi.nvmas != 1 || vi.start != lo || vi.end != lo + LEN)
		return fail("%d VMAs in the mapping, the first %lx-%lx; expected one, %lx-%lx",
			    vi.nvmas, vi.start, vi.end, lo, lo + LEN);
	if (!has_flag(vi.flags, "hg"))
		return fail("VmFlags:%s, expected hg (MADV_HUGEPAGE)", vi.flags);
	if (vi.anon_huge_kb <= 0)
		return fail("AnonHugePages: %ld kB, expected > 0 of %lu kB", vi.anon_huge_kb, LEN >> 10);
	test_msg("AnonHugePages: %ld kB of %lu kB\n", vi.anon_huge_kb, LEN >> 10);
	return 0;
}

/* "never" is the selected THP mode; without /sys (ns, uns) the allocation check below decides. */
static bool thp_never(void)
{
	char buf[128] = "";
	int fd = open("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY);

	if (fd < 0)
		return false;
	read_all(fd, buf, sizeof(buf) - 1);
	close(fd);
	return strstr(buf, "[never]") != NULL;
}

int main(int argc, char **argv)
{
	static char copy[LEN];
	struct vma_info vi;
	char *area, *mem;
	unsigned long a;

	test_init(argc, argv);
	if (thp_never())
		return skip("transparent huge pages are [never]");
	/* Room for a 2 MiB-aligned start with at least one unmapped page on each side. */
	area = mmap(NULL, LEN + 2 * HPAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return fail_errno("mmap");
	a = ((unsigned long)area + HPAGE) & ~(HPAGE - 1);
	mem = (char *)a;
	if (munmap(area, mem - area) || munmap(mem + LEN, area + LEN + 2 * HPAGE - (mem + LEN)))
		return fail_errno("munmap around the aligned mapping");
	if (madvise(mem, LEN, MADV_HUGEPAGE))
		return fail_errno("madvise(MADV_HUGEPAGE)");
	datagen(mem, LEN, 17);
	memcpy(copy, mem, LEN);
	if (smaps_range(a, a + LEN, &vi))
		return fail_errno("read /proc/self/smaps");
	if (vi.anon_huge_kb <= 0)
		return skip("the kernel gave no huge page to a touched MADV_HUGEPAGE mapping");
	if (check_thp(mem))
		return 1;

	test_daemon();
	test_waitsig();

	if (check_thp(mem))
		return 1;
	if (expect_bytes("mapping content", mem, copy, LEN))
		return 1;
	return pass();
}
