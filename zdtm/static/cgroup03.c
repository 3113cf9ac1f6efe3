#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the test's own v1 pids cgroup with notify_on_release and cgroup.clone_children set, the directory owned by another user with mode 0750 and pids.max by that user with mode 0640: settings, owners and modes kept after C/R (the runner removes the cgroup while the test is dumped)",
	  .flavors = ZDTM_FLAVOR_H, .flags = "suid", .opts = "--manage-cgroups");

#define UID 18943
#define GID 58467

/* "uid:gid mode" of a path. */
static const char *owner(const char *path, char *out, size_t len)
{
	struct stat st;

	if (stat(path, &st))
		snprintf(out, len, "missing");
	else
		snprintf(out, len, "%u:%u %o", st.st_uid, st.st_gid, st.st_mode & 07777);
	return out;
}

static const char *settings(const char *dir, char *out, size_t len)
{
	char path[300], a[16] = "?", b[16] = "?", o1[32], o2[32];

	cgroup_read(dir, "notify_on_release", a, sizeof(a));
	cgroup_read(dir, "cgroup.clone_children", b, sizeof(b));
	snprintf(path, sizeof(path), "%s/pids.max", dir);
	snprintf(out, len, "notify_on_release %s clone_children %s dir %s pids.max %s", a, b,
		 owner(dir, o1, sizeof(o1)), owner(path, o2, sizeof(o2)));
	return out;
}

int main(int argc, char **argv)
{
	char dir[256], path[300], before[160], after[160];

	test_init(argc, argv);
	if (mkdir(cgroup_path("pids", NULL, dir, sizeof(dir)), 0755))
		return errno == ENOENT ? skip("no cgroup v1 pids hierarchy") : fail_errno("mkdir %s", dir);
	snprintf(path, sizeof(path), "%s/pids.max", dir);
	if (cgroup_write(dir, "notify_on_release", "1") || cgroup_write(dir, "cgroup.clone_children", "1") ||
	    chown(dir, UID, GID) || chmod(dir, 0750) || chown(path, UID, GID) || chmod(path, 0640) ||
	    cgroup_write(dir, "cgroup.procs", "0"))
		return fail_errno("settings, owners and modes of %s", dir);
	test_msg("%s", settings(dir, before, sizeof(before)));

	test_daemon();
	test_waitsig();

	return expect_str("the cgroup", settings(dir, after, sizeof(after)), before) ? 1 : pass();
}
