#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an anonymous mapping of two pages named by PR_SET_VMA_ANON_NAME: maps shows [anon:zdtm-vma-name]",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif
#define LEN (2 * 4096)

static int check(char *map)
{
	struct zdtm_vma v;

	if (vma_find(map, &v, false))
		return fail("no mapping at %p", map);
	if (expect_str("the mapping's name", v.name, "[anon:zdtm-vma-name]"))
		return 1;
	if (v.start != (unsigned long)map || v.end != (unsigned long)map + LEN)
		return fail("the named mapping is %lx-%lx, expected %p-%p", v.start, v.end, map, map + LEN);
	return datachk(map, LEN) ? 0 : fail("the named mapping's data is corrupt");
}

int main(int argc, char **argv)
{
	char *map;

	test_init(argc, argv);
	/* a guard page on each side, so that the named area cannot merge with a neighbour */
	map = mmap(NULL, LEN + 2 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return fail_errno("mmap");
	map += 4096;
	if (mprotect(map, LEN, PROT_READ | PROT_WRITE))
		return fail_errno("mprotect");
	datagen(map, LEN, 5);
	if (prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, map, LEN, "zdtm-vma-name")) {
		if (errno == EINVAL)
			return skip("no anonymous VMA names (CONFIG_ANON_VMA_NAME)");
		return fail_errno("prctl(PR_SET_VMA_ANON_NAME)");
	}
	if (check(map))
		return 1;

	test_daemon();
	test_waitsig();

	return check(map) ? 1 : pass();
}
