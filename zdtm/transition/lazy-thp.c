#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

/* transition: the pages change while criu dumps and, with --lazy-pages, while the lazy-pages daemon is
 * still serving them (a write to a page not yet served waits for it, then must win over the image). */
ZDTM_TEST(.doc = "keeps rewriting random 4 KiB pages of a 2 MiB-aligned 8 MiB MADV_HUGEPAGE mapping (four huge "
		 "pages), each with data of its own generation, checking its previous one first; at the end every "
		 "page, the range and the hg flag",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define PG 4096UL
#define HPAGE (2UL << 20)
#define LEN (4 * HPAGE)
#define PAGES (LEN / PG)

static uint32_t gen[PAGES];   /* how often each page was written since the first fill */

/* The page holds generation gen[i]; 0 or the byte that differs. */
static int page_ok(const char *p, unsigned long i, char *want, unsigned long *bad)
{
	datagen(want, PG, i << 16 | gen[i]);
	for (unsigned long b = 0; b < PG; b++)
		if (p[b] != want[b]) {
			*bad = b;
			return 0;
		}
	return 1;
}

/* One VMA, exactly the mapping, flagged hg; its AnonHugePages into *huge_kb. */
static int check_vma(const char *when, char *mem, long *huge_kb)
{
	unsigned long lo = (unsigned long)mem;
	struct zdtm_vma v = { 0 };
	int n = vma_list(lo, lo + LEN, &v, 1, true);

	if (n < 0)
		return fail_errno("read /proc/self/smaps");
	if (n != 1 || v.start != lo || v.end != lo + LEN)
		return fail("%s: %d VMAs in the mapping, the first %lx-%lx; expected one, %lx-%lx", when, n, v.start,
			    v.end, lo, lo + LEN);
	if (!vma_has_flag(&v, "hg"))
		return fail("%s: VmFlags: %s, expected hg (MADV_HUGEPAGE)", when, v.flags);
	*huge_kb = vma_kb(&v, "AnonHugePages");
	return 0;
}

/* "never" is the selected THP mode; without /sys (ns, uns) the allocation check decides. */
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

/* 2 MiB-aligned, with at least one unmapped page on each side. */
static char *map_aligned(void)
{
	char *area = mmap(NULL, LEN + 2 * HPAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *mem;

	if (area == MAP_FAILED)
		return NULL;
	mem = (char *)(((unsigned long)area + HPAGE) & ~(HPAGE - 1));
	if (munmap(area, mem - area) || munmap(mem + LEN, area + LEN + 2 * HPAGE - (mem + LEN)))
		return NULL;
	return mem;
}

int main(int argc, char **argv)
{
	static char want[PG];
	unsigned long rounds = 0, bad;
	long huge_before, huge_after;
	char *mem;

	test_init(argc, argv);
	if (thp_never())
		return skip("transparent huge pages are [never]");
	srand48(getpid());
	mem = map_aligned();
	if (!mem)
		return fail_errno("map 8 MiB 2 MiB-aligned");
	if (madvise(mem, LEN, MADV_HUGEPAGE))
		return fail_errno("madvise(MADV_HUGEPAGE)");
	for (unsigned long i = 0; i < PAGES; i++)
		datagen(mem + i * PG, PG, i << 16);
	if (check_vma("before C/R", mem, &huge_before))
		return 1;
	if (huge_before <= 0)
		return skip("the kernel gave no huge page to a touched MADV_HUGEPAGE mapping");

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
	if (check_vma("at the end", mem, &huge_after))
		return 1;
	test_msg("%lu pages written; AnonHugePages %ld kB before, %ld kB at the end, of %lu kB\n", rounds,
		 huge_before, huge_after, LEN >> 10);
	return pass();
}
