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

/* One VMA, exactly the mapping, flagged hg, with some huge pages. */
static int check_thp(char *mem)
{
	unsigned long lo = (unsigned long)mem;
	struct zdtm_vma v = { 0 };   /* the first VMA of the mapping */
	int n = vma_list(lo, lo + LEN, &v, 1, true);

	if (n < 0)
		return fail_errno("read /proc/self/smaps");
	if (n != 1 || v.start != lo || v.end != lo + LEN)
		return fail("%d VMAs in the mapping, the first %lx-%lx; expected one, %lx-%lx",
			    n, v.start, v.end, lo, lo + LEN);
	if (!vma_has_flag(&v, "hg"))
		return fail("VmFlags: %s, expected hg (MADV_HUGEPAGE)", v.flags);
	if (vma_kb(&v, "AnonHugePages") <= 0)
		return fail("AnonHugePages: %ld kB, expected > 0 of %lu kB", vma_kb(&v, "AnonHugePages"), LEN >> 10);
	test_msg("AnonHugePages: %ld kB of %lu kB\n", vma_kb(&v, "AnonHugePages"), LEN >> 10);
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
	struct zdtm_vma v;
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
	if (vma_find(mem, &v, true))
		return fail_errno("read /proc/self/smaps");
	if (vma_kb(&v, "AnonHugePages") <= 0)
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
