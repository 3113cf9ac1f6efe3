#include <string.h>
#include <sys/mman.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "mlock2(MLOCK_ONFAULT) on 8 pages of which 2 were touched: VmFlags lo and lf, only the touched pages locked",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PAGE 4096
#define NPAGES 8
#define NTOUCHED 2

static int check(char *map)
{
	struct zdtm_vma v;

	if (vma_find(map, &v, true))
		return fail("no mapping at %p", map);
	if (!vma_has_flag(&v, "lo") || !vma_has_flag(&v, "lf"))
		return fail("the mapping's VmFlags are \"%s\", expected \"lo\" and \"lf\" among them", v.flags);
	if (expect_int("Rss of the mapping (kB)", vma_kb(&v, "Rss"), NTOUCHED * PAGE / 1024) ||
	    expect_int("Locked of the mapping (kB)", vma_kb(&v, "Locked"), NTOUCHED * PAGE / 1024))
		return 1;
	for (int i = 0; i < NTOUCHED; i++)
		if (map[i * 3 * PAGE] != (char)(i + 1))
			return fail("page %d holds %d, expected %d", i * 3, map[i * 3 * PAGE], i + 1);
	return 0;
}

int main(int argc, char **argv)
{
	char *map;

	test_init(argc, argv);
	/* PROT_NONE guards around it, so that it cannot merge with a neighbour */
	map = mmap(NULL, (NPAGES + 2) * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return fail_errno("mmap");
	map += PAGE;
	if (mprotect(map, NPAGES * PAGE, PROT_READ | PROT_WRITE))
		return fail_errno("mprotect");
	if (mlock2(map, NPAGES * PAGE, MLOCK_ONFAULT))
		return fail_errno("mlock2(MLOCK_ONFAULT)");
	for (int i = 0; i < NTOUCHED; i++)
		map[i * 3 * PAGE] = i + 1;   /* pages 0 and 3 */
	if (check(map))
		return 1;

	test_daemon();
	test_waitsig();

	return check(map) ? 1 : pass();
}
