#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an mseal()ed anonymous mapping of three pages stays sealed: munmap and mprotect fail with EPERM",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef SYS_mseal
#define SYS_mseal 462
#endif
#define LEN (3 * 4096)

/* Sealed: "sl" in VmFlags, and neither mprotect nor munmap of any part of it works. */
static int check(char *map)
{
	struct zdtm_vma v;

	if (vma_find(map, &v, true))
		return fail("no mapping at %p", map);
	if (!vma_has_flag(&v, "sl"))
		return fail("the sealed mapping's VmFlags are \"%s\", expected \"sl\" among them", v.flags);
	if (mprotect(map + 4096, 4096, PROT_READ) == 0)
		return fail("mprotect of a sealed page succeeded, expected EPERM");
	if (errno != EPERM)
		return fail_errno("mprotect of a sealed page, expected EPERM");
	if (munmap(map, LEN) == 0)
		return fail("munmap of the sealed mapping succeeded, expected EPERM");
	if (errno != EPERM)
		return fail_errno("munmap of the sealed mapping, expected EPERM");
	if (expect_str("perms", v.perms, "rw-p") || !datachk(map, LEN))
		return fail("the sealed mapping's data is corrupt");
	return 0;
}

int main(int argc, char **argv)
{
	char *map;

	test_init(argc, argv);
	map = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return fail_errno("mmap");
	datagen(map, LEN, 462);
	if (syscall(SYS_mseal, map, LEN, 0)) {
		if (errno == ENOSYS)
			return skip("mseal: %s", strerror(errno));
		return fail_errno("mseal");
	}
	if (check(map))
		return 1;

	test_daemon();
	test_waitsig();

	return check(map) ? 1 : pass();
}
