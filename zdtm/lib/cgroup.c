/*
 * Cgroups of a test: its own ones are named zdtm-NAME-INO (INO: the inode of its work directory,
 * unique among the jobs that run at once), which the runner removes after each dump and at the
 * job's end (runner/cgroups.c). Hierarchies are the mounts under /sys/fs/cgroup: "pids",
 * "memory"..., "unified" (cgroup2).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

#define ROOT "/sys/fs/cgroup"

const char *cgroup_path(const char *hier, const char *sub, char *out, size_t len)
{
	static unsigned long ino;
	struct stat st;

	if (!ino && !stat(".", &st))
		ino = st.st_ino;
	snprintf(out, len, ROOT "/%s/zdtm-%s-%lu%s%s", hier, test_name(), ino, sub ? "/" : "", sub ? sub : "");
	return out;
}

int cgroup_write(const char *dir, const char *file, const char *val)
{
	char path[512];
	int fd, len = strlen(val), ret;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = write(fd, val, len) == len ? 0 : -1;
	close(fd);
	return ret;
}

int cgroup_read(const char *dir, const char *file, char *out, size_t len)
{
	char path[512];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, out, len - 1);
	if (fd >= 0)
		close(fd);
	if (n < 0)
		return -1;
	out[n] = 0;
	out[strcspn(out, "\n")] = 0;
	return 0;
}

int cgroup_of(pid_t tid, const char *controller, char *out, size_t len)
{
	char path[64], line[512];
	FILE *f;
	int ret = -1;

	snprintf(path, sizeof(path), "/proc/self/task/%d/cgroup", tid);
	f = fopen(path, "re");
	while (f && ret && fgets(line, sizeof(line), f)) {
		char *c = strchr(line, ':'), *p = c ? strchr(c + 1, ':') : NULL;

		if (!p)
			continue;
		*p = 0;
		line[strcspn(p + 1, "\n") + (p + 1 - line)] = 0;
		if (!strcmp(c + 1, controller) || (!*controller && !strcmp(line, "0")))
			ret = snprintf(out, len, "%s", p + 1) < 0 ? -1 : 0;
	}
	if (f)
		fclose(f);
	return ret;
}
