#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "process-wide KSM (PR_SET_MEMORY_MERGE): PR_GET_MEMORY_MERGE is 1 and a new anonymous mapping is mergeable",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef PR_SET_MEMORY_MERGE
#define PR_SET_MEMORY_MERGE 67
#define PR_GET_MEMORY_MERGE 68
#endif

static int check(void)
{
	struct zdtm_vma v;
	char *map;
	int ret;

	if (expect_int("PR_GET_MEMORY_MERGE", prctl(PR_GET_MEMORY_MERGE, 0, 0, 0, 0), 1))
		return 1;
	map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return fail_errno("mmap");
	if (vma_find(map, &v, true))
		return fail("no mapping at %p", map);
	ret = vma_has_flag(&v, "mg") ? 0 : fail("a new mapping's VmFlags are \"%s\", expected \"mg\" among them", v.flags);
	munmap(map, 4096);
	return ret;
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	if (prctl(PR_SET_MEMORY_MERGE, 1, 0, 0, 0)) {
		if (errno == EINVAL)
			return skip("no process-wide KSM (PR_SET_MEMORY_MERGE): %s", strerror(errno));
		return fail_errno("prctl(PR_SET_MEMORY_MERGE, 1)");
	}
	if (check())
		return 1;

	test_daemon();
	test_waitsig();

	return check() ? 1 : pass();
}
