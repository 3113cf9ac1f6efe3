#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the test lives in a cgroup of its own (v1 pids hierarchy): the same cgroup after C/R",
	  .flavors = ZDTM_FLAVOR_H, .flags = "suid", .opts = "--manage-cgroups");

/*
 * The cgroup stays while the test is dumped, so a restore that forgets it puts the task in the
 * hierarchy's root, not back here. The test removes its cgroup before its verdict; make check
 * looks for leftovers named zdtm-*.
 */
#define HIER "/sys/fs/cgroup/pids"

static char dir[256], rel[128];

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), len = strlen(val), ret;

	if (fd < 0)
		return -1;
	ret = write(fd, val, len) == len ? 0 : -1;
	close(fd);
	return ret;
}

/* Our path in the pids hierarchy, from /proc/self/cgroup ("N:pids:/path"). */
static int pids_cgroup(char *buf, size_t len)
{
	char line[512];
	FILE *f = fopen("/proc/self/cgroup", "re");
	int ret = -1;

	while (f && ret && fgets(line, sizeof(line), f)) {
		char *p = strstr(line, ":pids:");

		if (p) {
			line[strcspn(line, "\n")] = 0;
			snprintf(buf, len, "%s", p + 6);
			ret = 0;
		}
	}
	if (f)
		fclose(f);
	return ret;
}

/* Back to the parent cgroup, then the cgroup goes. */
static void remove_cgroup(void)
{
	char procs[300];

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", HIER);
	write_file(procs, "0");
	rmdir(dir);
}

int main(int argc, char **argv)
{
	char procs[300], found[128];
	struct stat cwd;
	int ret;

	test_init(argc, argv);
	if (access(HIER "/cgroup.procs", W_OK))
		return skip("no writable cgroup v1 pids hierarchy at %s", HIER);
	/* Jobs in their own pid namespaces share pids: the job directory's inode tells them apart. */
	if (stat(".", &cwd))
		return fail_errno("stat .");
	snprintf(rel, sizeof(rel), "/zdtm-cgroup00-%lu", (unsigned long)cwd.st_ino);
	snprintf(dir, sizeof(dir), "%s%s", HIER, rel);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	if (mkdir(dir, 0755))
		return fail_errno("mkdir %s", dir);
	if (write_file(procs, "0") || pids_cgroup(found, sizeof(found)) || strcmp(found, rel)) {
		remove_cgroup();
		return fail("could not move into %s", dir);
	}

	test_daemon();
	test_waitsig();

	ret = pids_cgroup(found, sizeof(found)) ? fail("no pids line in /proc/self/cgroup")
						 : expect_str("pids cgroup", found, rel);
	remove_cgroup();
	if (!access(dir, F_OK))
		return fail("%s is still there after rmdir", dir);
	return ret ? 1 : pass();
}
