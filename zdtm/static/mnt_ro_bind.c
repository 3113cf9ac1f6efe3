#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a read-only bind mount of a directory of the test: mountinfo root and ro flag, EROFS, the source stays writable",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

struct mnt {
	char root[PATH_MAX], opts[256];
};

/* The mountinfo line whose mount point is `point` (the last one: the top mount); -1 if none. */
static int mount_at(const char *point, struct mnt *m)
{
	static char line[4096];
	char root[PATH_MAX], mp[PATH_MAX], opts[256];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	int ret = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*d %*d %*u:%*u %4095s %4095s %255s", root, mp, opts) == 3 && !strcmp(mp, point)) {
			strcpy(m->root, root);
			strcpy(m->opts, opts);
			ret = 0;
		}
	if (f)
		fclose(f);
	return ret;
}

static bool has_opt(const char *opts, const char *opt)
{
	char list[260], *save, *tok;

	snprintf(list, sizeof(list), "%s", opts);
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (!strcmp(tok, opt))
			return true;
	return false;
}

/* Creating, and writing an existing file, through path fail with EROFS. */
static int expect_erofs(const char *dir)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/new", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd >= 0 || errno != EROFS)
		return fd >= 0 ? fail("created %s, expected EROFS", path) : fail_errno("create %s, expected EROFS", path);
	snprintf(path, sizeof(path), "%s/file", dir);
	fd = open(path, O_WRONLY);
	if (fd >= 0 || errno != EROFS)
		return fd >= 0 ? fail("opened %s for writing, expected EROFS", path)
			       : fail_errno("open %s for writing, expected EROFS", path);
	return 0;
}

/* The source takes a new file, seen through the read-only mount. */
static int expect_writable_source(const char *name)
{
	char src[PATH_MAX], dst[PATH_MAX], buf[16] = "";
	int fd;

	snprintf(src, sizeof(src), "%s/%s", test_path("src"), name);
	snprintf(dst, sizeof(dst), "%s/%s", test_path("ro"), name);
	fd = open(src, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 || write_all(fd, name, strlen(name)) || close(fd))
		return fail_errno("write %s, expected the source writable", src);
	fd = open(dst, O_RDONLY);
	if (fd < 0 || read_all(fd, buf, sizeof(buf) - 1) < 0)
		return fail_errno("read %s", dst);
	close(fd);
	return expect_str(dst, buf, name);
}

static int expect_mount(const char *point, const char *root)
{
	struct mnt m;

	if (mount_at(point, &m))
		return fail("no mount at %s, expected a read-only bind mount", point);
	if (expect_str("bind mount root", m.root, root))
		return 1;
	if (!has_opt(m.opts, "ro"))
		return fail("mount options of %s are %s, expected ro", point, m.opts);
	return expect_erofs(test_path("ro"));
}

int main(int argc, char **argv)
{
	char cwd[PATH_MAX], point[2 * PATH_MAX], root[PATH_MAX];
	struct mnt m;
	int fd;

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(point, sizeof(point), "%s/%s", cwd, test_path("ro"));
	if (mkdir(test_path("src"), 0755) || mkdir(test_path("ro"), 0755))
		return fail_errno("mkdir");
	fd = open(test_path("src/file"), O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || close(fd))
		return fail_errno("create the source's file");
	/* the ro flag is per mount: a bind, then a remount of that bind only */
	if (mount(test_path("src"), test_path("ro"), NULL, MS_BIND, NULL) ||
	    mount(NULL, test_path("ro"), NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL))
		return fail_errno("read-only bind of %s on %s", test_path("src"), test_path("ro"));
	if (mount_at(point, &m))
		return fail("no mount at %s after the bind", point);
	snprintf(root, sizeof(root), "%s", m.root);
	if (expect_mount(point, root) || expect_writable_source("before"))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_mount(point, root) || expect_writable_source("after"))
		return 1;
	return pass();
}
