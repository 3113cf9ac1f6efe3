/*
 * Cgroups a job made. A test that makes cgroups names each top one zdtm-NAME-INO, INO the inode
 * of its work directory (libzdtm's test_cgroup_name()), in any cgroup hierarchy. The runner
 * removes those trees after each dump that ended the tree (so that the restore has to make them
 * again, with their properties, as on another machine) and at the job's end, whatever its end
 * was, so that no run leaves cgroups behind.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runner.h"

/* Removes dir and every cgroup below it, deepest first; the files in a cgroup are the kernel's. */
static int rm_cgroup(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char sub[4200];
	int ret = 0;

	while (d && (de = readdir(d)))
		if (de->d_type == DT_DIR && strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
			ret |= rm_cgroup(sub);
		}
	if (d)
		closedir(d);
	return rmdir(dir) ? -1 : ret;
}

/*
 * rm_cgroup, again while the kernel still counts a task in it (EBUSY): a task that was killed
 * leaves its cgroup v1 css_set only when it is reaped, a moment after its job's init (seen: a
 * pids cgroup of cgroup00 left behind in make check; later a cpu cgroup of cgroup04, its
 * properties at their defaults, cause not known). Up to five seconds, then the cgroup is left.
 */
static int rm_cgroup_settled(const char *dir)
{
	for (int tries = 0;; tries++) {
		if (!rm_cgroup(dir))
			return 0;
		if (errno != EBUSY || tries == 250)
			return -1;
		usleep(20 * 1000);
	}
}

/* The mount points of cgroup and cgroup2 file systems, from mountinfo, one after another. */
static int cgroup_mounts(char *out, size_t len)
{
	char line[4096];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	size_t used = 0;
	int n = 0;

	while (f && fgets(line, sizeof(line), f)) {
		char point[4096], *dash = strstr(line, " - ");
		char fstype[64];

		if (!dash || sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1 ||
		    sscanf(dash + 3, "%63s", fstype) != 1 || (strcmp(fstype, "cgroup") && strcmp(fstype, "cgroup2")))
			continue;
		if (used + strlen(point) + 1 >= len)
			break;
		memcpy(out + used, point, strlen(point) + 1);
		used += strlen(point) + 1;
		n++;
	}
	if (f)
		fclose(f);
	return n;
}

unsigned long cgroups_job_ino(const char *jobdir)
{
	static const char *const cwds[] = { "test", "root/test" };
	char path[4200];
	struct stat st = { 0 };

	for (size_t i = 0; i < sizeof(cwds) / sizeof(cwds[0]) && !st.st_ino; i++) {
		snprintf(path, sizeof(path), "%s/%s", jobdir, cwds[i]);
		if (stat(path, &st))
			st.st_ino = 0;
	}
	return st.st_ino;
}

int cgroups_v2_mount(char *buf, size_t len)
{
	char mounts[16384], probe[4200];
	int n = cgroup_mounts(mounts, sizeof(mounts));

	/* The cgroup2 mount is the one with cgroup.subtree_control at its root. */
	for (char *m = mounts; n-- > 0; m += strlen(m) + 1) {
		snprintf(probe, sizeof(probe), "%s/cgroup.subtree_control", m);
		if (!access(probe, F_OK)) {
			snprintf(buf, len, "%s", m);
			return 0;
		}
	}
	return -1;
}

int cgroups_remove(const char *jobdir, int log)
{
	char path[4200], mounts[16384], suffix[32];
	unsigned long ino = cgroups_job_ino(jobdir);
	int n, left = 0;

	if (!ino)
		return 0;
	snprintf(suffix, sizeof(suffix), "-%lu", ino);
	n = cgroup_mounts(mounts, sizeof(mounts));
	for (char *m = mounts; n-- > 0; m += strlen(m) + 1) {
		DIR *d = opendir(m);
		struct dirent *de;

		while (d && (de = readdir(d))) {
			size_t l = strlen(de->d_name), sl = strlen(suffix);

			if (de->d_type != DT_DIR || strncmp(de->d_name, "zdtm-", 5) || l <= sl ||
			    strcmp(de->d_name + l - sl, suffix))
				continue;
			snprintf(path, sizeof(path), "%s/%s", m, de->d_name);
			if (rm_cgroup_settled(path)) {
				left++;
				if (log >= 0)
					logf_(log, "zdtm: cannot remove cgroup %s: %m", path);
			} else if (log >= 0)
				logf_(log, "zdtm: removed cgroup %s", path);
		}
		if (d)
			closedir(d);
	}
	return left ? -1 : 0;
}

bool cgroups_touched(const struct test *t)
{
	/* Every test that makes cgroups dumps them with --manage-cgroups (any mode) */
	return strstr(t->opts, "--manage-cgroups") || strstr(t->dopts, "--manage-cgroups") ||
	       strstr(t->ropts, "--manage-cgroups");
}

bool cgroups_walked(const struct run_opts *o, const struct test *t)
{
	/* criu walks a hierarchy only when the tree's cgroups differ from its own somewhere: under
	 * --freezecg every tree sits in a cgroup2 cgroup of its own, so criu walks each v1 hierarchy
	 * from its root, where the tree sits (seen: a pids cgroup of cgroup00 dumped by env00's job
	 * and made again by its restore after cgroup00's job had ended). */
	return cgroups_touched(t) || o->freezecg;
}
