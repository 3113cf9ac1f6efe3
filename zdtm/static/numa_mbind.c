#include <linux/mempolicy.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a mapping's NUMA memory policy: MPOL_BIND to node 0 on the middle one of three pages (mbind)",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PAGE 4096

/* The policy of the page at addr, by get_mempolicy(MPOL_F_ADDR). */
static int expect_policy(const char *what, char *addr, int want_mode, unsigned long want_nodes)
{
	unsigned long nodes = 0;
	int mode = -1;

	if (syscall(SYS_get_mempolicy, &mode, &nodes, sizeof(nodes) * 8, addr, MPOL_F_ADDR))
		return fail_errno("get_mempolicy of %s", what);
	if (mode != want_mode || (want_nodes && nodes != want_nodes))
		return fail("%s: policy %d nodes %#lx, expected policy %d nodes %#lx", what, mode, nodes, want_mode,
			    want_nodes);
	return 0;
}

static int check(char *map)
{
	return expect_policy("the bound page", map + PAGE, MPOL_BIND, 1) ||
	       expect_policy("the page before it", map, MPOL_DEFAULT, 0) ||
	       expect_policy("the page after it", map + 2 * PAGE, MPOL_DEFAULT, 0) ||
	       (!datachk(map, 3 * PAGE) && fail("the data of the three pages is corrupt"));
}

int main(int argc, char **argv)
{
	unsigned long node0 = 1;
	char *map;

	test_init(argc, argv);
	map = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return fail_errno("mmap");
	if (syscall(SYS_mbind, map + PAGE, PAGE, MPOL_BIND, &node0, sizeof(node0) * 8, 0)) {
		if (errno == ENOSYS)
			return skip("no NUMA support");
		return fail_errno("mbind(MPOL_BIND, node 0)");
	}
	datagen(map, 3 * PAGE, 3);
	if (check(map))
		return 1;

	test_daemon();
	test_waitsig();

	return check(map) ? 1 : pass();
}
