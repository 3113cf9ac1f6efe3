#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "zdtm.h"

/* No fd stays open on the hidden tmpfs: criu refuses that ("Open files on overmounted mounts are
 * not supported yet"); a bind mount made before the overmount still reaches its files. */
ZDTM_TEST(.doc = "a tmpfs mounted over another tmpfs on one directory (the lower one also bound elsewhere): both mounts in order with their options, the top one visible, the hidden one's file kept",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define LOWER_OPTS "size=1m,mode=0711"
#define UPPER_OPTS "size=3m,mode=0755"
#define LEN 3000

static char point[PATH_MAX + 64], peek[PATH_MAX + 64];   /* the mount point; the lower's bind */

/* The file is at path with the data; the tmpfs it is on has this many blocks. */
static int expect_file(const char *path, const char *data, long blocks)
{
	static char buf[LEN + 1];
	struct statfs sf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstatfs(fd, &sf))
		return fail_errno("open %s", path);
	if (expect_int(path, read_all(fd, buf, sizeof(buf)), LEN) || expect_bytes(path, buf, data, LEN))
		return 1;
	close(fd);
	return expect_int("blocks of its tmpfs", sf.f_blocks, blocks);
}

static int write_file(const char *dir, const char *data)
{
	char path[PATH_MAX + 80];
	int fd;

	snprintf(path, sizeof(path), "%s/file", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	return fd < 0 || write_all(fd, data, LEN) || close(fd) ? -1 : 0;
}

int main(int argc, char **argv)
{
	static char before[2 * PATH_MAX], after[2 * PATH_MAX], lower[LEN], upper[LEN];
	char cwd[PATH_MAX], path[PATH_MAX + 80];
	struct statfs lo, up;

	test_init(argc, argv);
	datagen(lower, LEN, 51);
	datagen(upper, LEN, 52);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(point, sizeof(point), "%s/%s", cwd, test_path("mnt"));
	snprintf(peek, sizeof(peek), "%s/%s", cwd, test_path("peek"));
	if (mkdir(point, 0755) || mkdir(peek, 0755) || mount("zdtm_lower", point, "tmpfs", 0, LOWER_OPTS) ||
	    mount(point, peek, NULL, MS_BIND, NULL) || write_file(point, lower) || statfs(point, &lo))
		return fail_errno("the lower tmpfs on %s with a file, bound to %s", point, peek);
	if (mount("zdtm_upper", point, "tmpfs", 0, UPPER_OPTS) || write_file(point, upper) || statfs(point, &up))
		return fail_errno("the upper tmpfs over %s with a file", point);
	if (mountinfo_at(point, before, sizeof(before)) != 2)
		return fail("mounts at %s: \"%s\", expected two", point, before);

	test_daemon();
	test_waitsig();

	if (mountinfo_at(point, after, sizeof(after)) < 0 || expect_str("the mounts at the point", after, before))
		return 1;
	snprintf(path, sizeof(path), "%s/file", point);
	if (expect_file(path, upper, up.f_blocks))
		return 1;
	snprintf(path, sizeof(path), "%s/file", peek);
	return expect_file(path, lower, lo.f_blocks) ? 1 : pass();
}
