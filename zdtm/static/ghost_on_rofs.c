#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

/* mntns_ghost01.c includes this file with RW_BIND 1 and its own declaration. */
#ifndef RW_BIND
#define RW_BIND 0
ZDTM_TEST(.doc = "an fd on an unlinked file (a ghost) of a tmpfs whose only mount was then made read-only: data, offset, no links, the fd's mount, the mount ro",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");
#endif

#define LEN 5000
#define OFF 777

static char cwd[PATH_MAX], ro[PATH_MAX + 64], tree[2][16384], data[LEN];

/* The mount point of mount id in this process's mountinfo, "" when absent. */
static const char *mount_point(int id, char *out, size_t len)
{
	char line[4096], where[PATH_MAX];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	int mid;

	snprintf(out, len, "%s", "");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %*d %*u:%*u %*s %4095s", &mid, where) == 2 && mid == id)
			snprintf(out, len, "%s", where);
	if (f)
		fclose(f);
	return out;
}

static int expect_ghost(int fd)
{
	static char buf[LEN], at[PATH_MAX];
	char id[32];
	struct stat st;

	if (fstat(fd, &st) || fdinfo_lines(fd, "mnt_id:", id, sizeof(id)) != 1)
		return fail_errno("fstat, fdinfo mnt_id");
	if (expect_int("links", st.st_nlink, 0) || expect_int("size", st.st_size, LEN) ||
	    expect_int("offset", lseek(fd, 0, SEEK_CUR), OFF) ||
	    expect_str("the fd's mount", mount_point(atoi(id), at, sizeof(at)), ro))
		return 1;
	if (expect_int("bytes read", pread(fd, buf, LEN, 0), LEN) || expect_bytes("the ghost's data", buf, data, LEN))
		return 1;
	if (!mknod(test_path("ro/new"), S_IFREG | 0600, 0) || errno != EROFS)
		return fail("create %s: %s, expected EROFS", test_path("ro/new"), strerror(errno));
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = RW_BIND ? "rw/ghost" : "ro/ghost";
	int fd;

	test_init(argc, argv);
	datagen(data, LEN, 7);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(ro, sizeof(ro), "%s/%s", cwd, test_path("ro"));
	if (mkdir(test_path(RW_BIND ? "rw" : "ro"), 0755) ||
	    mount("zdtm_ghost", test_path(RW_BIND ? "rw" : "ro"), "tmpfs", 0, "size=1m"))
		return fail_errno("tmpfs");
	if (RW_BIND && (mkdir(test_path("ro"), 0755) || mount(test_path("rw"), test_path("ro"), NULL, MS_BIND, NULL)))
		return fail_errno("bind %s on %s", test_path("rw"), test_path("ro"));
	fd = open(test_path("ro/ghost"), O_RDWR | O_CREAT | O_EXCL, 0640);
	if (fd < 0 || write_all(fd, data, LEN) || close(fd))
		return fail_errno("write %s", test_path("ro/ghost"));
	fd = open(test_path("ro/ghost"), O_RDONLY);
	if (fd < 0 || lseek(fd, OFF, SEEK_SET) != OFF || unlink(test_path(name)))
		return fail_errno("open, unlink %s", test_path(name));
	if (mount(NULL, test_path("ro"), NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL))
		return fail_errno("remount %s ro", test_path("ro"));
	if (mountinfo_tree(0, cwd, tree[0], sizeof(tree[0])) != 1 + RW_BIND || expect_ghost(fd))
		return fail("mounts under %s:\n%s", cwd, tree[0]);

	test_daemon();
	test_waitsig();

	if (mountinfo_tree(0, cwd, tree[1], sizeof(tree[1])) < 0)
		return fail_errno("mountinfo");
	if (expect_lines("the mounts under the test's dir", tree[1], tree[0]) || expect_ghost(fd))
		return 1;
	return pass();
}
