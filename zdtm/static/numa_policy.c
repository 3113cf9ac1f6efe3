#include <linux/mempolicy.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the task's NUMA memory policy: MPOL_PREFERRED on node 0 (set_mempolicy)",
	  .flavors = ZDTM_ALL_FLAVORS);

static int check(void)
{
	unsigned long nodes = 0;
	int mode = -1;

	if (syscall(SYS_get_mempolicy, &mode, &nodes, sizeof(nodes) * 8, NULL, 0))
		return fail_errno("get_mempolicy");
	if (mode != MPOL_PREFERRED || nodes != 1)
		return fail("task policy %d nodes %#lx, expected MPOL_PREFERRED (%d) nodes 0x1", mode, nodes,
			    MPOL_PREFERRED);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long node0 = 1;

	test_init(argc, argv);
	if (syscall(SYS_set_mempolicy, MPOL_PREFERRED, &node0, sizeof(node0) * 8)) {
		if (errno == ENOSYS)
			return skip("no NUMA support");
		return fail_errno("set_mempolicy(MPOL_PREFERRED, node 0)");
	}
	if (check())
		return 1;

	test_daemon();
	test_waitsig();

	return check() ? 1 : pass();
}
