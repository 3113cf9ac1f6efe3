#include <sys/stat.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "self-test: enters a v1 pids cgroup of its own (zdtm-cgroupleak-INO) and fails: the runner must remove the cgroup",
	  .flavors = ZDTM_FLAVOR_H, .flags = "suid");

int main(int argc, char **argv)
{
	char dir[256];

	test_init(argc, argv);
	if (mkdir(cgroup_path("pids", NULL, dir, sizeof(dir)), 0755) || cgroup_write(dir, "cgroup.procs", "0"))
		return skip("no v1 pids cgroup to make: %s", dir);
	test_daemon();
	test_waitsig();
	return fail("on purpose, inside %s", dir);
}
