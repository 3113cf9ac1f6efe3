#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a directory bind-mounted onto another in the test's cwd: mountinfo line, one inode, files shared both ways",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

/* The root field of the mountinfo line whose mount point is `mnt`, or NULL. */
static const char *mount_root(const char *mnt)
{
	static char line[4096], found_root[PATH_MAX];
	char root[PATH_MAX], point[PATH_MAX];
	const char *found = NULL;
	FILE *f = fopen("/proc/self/mountinfo", "r");

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*d %*d %*u:%*u %4095s %4095s", root, point) == 2 && !strcmp(point, mnt))
			found = strcpy(found_root, root);   /* the last one is on top */
	fclose(f);
	return found;
}

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return -1;
	n = read_all(fd, buf, len);
	close(fd);
	return n;
}

static int write_file(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write_all(fd, buf, len))
		return -1;
	return close(fd);
}

/* The bind mount is there: its mountinfo line and the same directory inode through both paths. */
static int expect_bind(const char *dst_abs, const char *root)
{
	const char *found = mount_root(dst_abs);
	struct stat s, d;

	if (!found)
		return fail("no mountinfo line with mount point %s, expected a bind mount of %s", dst_abs, root);
	if (expect_str("bind mount root", found, root))
		return 1;
	if (stat(test_path("src"), &s) || stat(test_path("dst"), &d))
		return fail_errno("stat");
	if (s.st_dev != d.st_dev || s.st_ino != d.st_ino)
		return fail("%s is %lu:%lu, expected the inode of %s %lu:%lu", test_path("dst"),
			    (unsigned long)d.st_dev, (unsigned long)d.st_ino, test_path("src"),
			    (unsigned long)s.st_dev, (unsigned long)s.st_ino);
	return 0;
}

/* What is written through `from` is read through `to`. */
static int expect_shared(const char *from, const char *to, uint32_t seed)
{
	char want[3000], got[sizeof(want) + 1];

	datagen(want, sizeof(want), seed);
	if (write_file(from, want, sizeof(want)))
		return fail_errno("write %s", from);
	if (expect_int(to, read_file(to, got, sizeof(got)), sizeof(want)) ||
	    expect_bytes(to, got, want, sizeof(want)))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	char cwd[PATH_MAX], dst_abs[2 * PATH_MAX], root[PATH_MAX];
	const char *r;

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(dst_abs, sizeof(dst_abs), "%s/%s", cwd, test_path("dst"));
	if (mkdir(test_path("src"), 0755) || mkdir(test_path("dst"), 0700))
		return fail_errno("mkdir");
	if (mount(test_path("src"), test_path("dst"), NULL, MS_BIND, NULL))
		return fail_errno("bind %s onto %s", test_path("src"), test_path("dst"));
	r = mount_root(dst_abs);
	if (!r)
		return fail("no mountinfo line for %s after the bind mount", dst_abs);
	snprintf(root, sizeof(root), "%s", r);
	if (strlen(root) < strlen(test_path("src")) ||
	    strcmp(root + strlen(root) - strlen(test_path("src")), test_path("src")))
		return fail("bind mount root %s, expected a path ending in %s", root, test_path("src"));
	if (expect_shared("bind_mount00.src/before", "bind_mount00.dst/before", 1))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_bind(dst_abs, root))
		return 1;
	/* the file written before C/R, then new files both ways */
	if (expect_shared("bind_mount00.src/before", "bind_mount00.dst/before", 1) ||
	    expect_shared("bind_mount00.dst/after", "bind_mount00.src/after", 2) ||
	    expect_shared("bind_mount00.src/after2", "bind_mount00.dst/after2", 3))
		return 1;
	return pass();
}
