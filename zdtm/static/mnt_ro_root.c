#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the root mount of the test's mount namespace remounted read-only, its working directory a writable bind of itself: / ro (EROFS), the directory rw with its mount root, after C/R",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

/* The options of the top mount at point (mountinfo_at: "ROOT OPTIONS FSTYPE SOURCE SUPER"), and its root. */
static int top_mount(const char *point, char *root, char *opts)
{
	char all[4096], *top;

	if (mountinfo_at(point, all, sizeof(all)) < 1)
		return fail("no mount at %s", point);
	top = strrchr(all, ';') ? strrchr(all, ';') + 2 : all;
	if (sscanf(top, "%4095s %255s", root, opts) != 2)
		return fail("cannot parse the mount at %s: %s", point, top);
	return 0;
}

static bool has_opt(const char *opts, const char *opt)
{
	size_t n = strlen(opt);

	for (const char *p = opts; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, opt, n) && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

/* / is read-only, cwd (its own bind mount, root want_root) writable. */
static int expect_mounts(const char *cwd, const char *want_root, const char *word)
{
	char root[PATH_MAX], opts[256], path[PATH_MAX + 32];
	int fd;

	if (top_mount("/", root, opts))
		return 1;
	if (!has_opt(opts, "ro"))
		return fail("the root mount's options are %s, expected ro", opts);
	fd = open("/zdtm-mnt_ro_root", O_WRONLY | O_CREAT, 0644);
	if (fd >= 0 || errno != EROFS)
		return fd >= 0 ? fail("created /zdtm-mnt_ro_root, expected EROFS")
			       : fail_errno("create /zdtm-mnt_ro_root, expected EROFS");
	if (top_mount(cwd, root, opts))
		return 1;
	if (!has_opt(opts, "rw"))
		return fail("the options of %s are %s, expected rw", cwd, opts);
	if (expect_str("the working directory's mount root", root, want_root))
		return 1;
	snprintf(path, sizeof(path), "%s", test_path(word));
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 || write_all(fd, word, strlen(word)) || close(fd))
		return fail_errno("write %s in the working directory, expected it writable", path);
	return 0;
}

static int reopen_output(void)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/fd/1", path, sizeof(path) - 1);
	int fd;

	if (n < 0)
		return -1;
	path[n] = 0;
	fd = open(path, O_WRONLY | O_APPEND);
	if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		return -1;
	return close(fd);
}

int main(int argc, char **argv)
{
	char cwd[PATH_MAX], root[PATH_MAX], opts[256];

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	/* The bind first: a remount of / alone would take the working directory with it. */
	if (mount(cwd, cwd, NULL, MS_BIND, NULL))
		return fail_errno("bind %s on itself", cwd);
	/* The outfile (fds 1 and 2) was opened for writing through /, which may then not become
	 * read-only (EBUSY): open it again, through the bind. */
	if (reopen_output())
		return fail_errno("reopen the outfile through the bind");
	if (chdir(cwd))   /* the working directory too: it was entered through / */
		return fail_errno("chdir %s", cwd);
	/* EBUSY while libzdtm's launcher, just forked, still holds its copy of the outfile for writing
	 * (it drops it first thing, lifecycle.c): wait for that, up to two seconds. */
	for (int tries = 0; mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL); tries++)
		if (errno != EBUSY || tries == 200 || usleep(10 * 1000))
			return fail_errno("remount / read-only");
	if (top_mount(cwd, root, opts) || expect_mounts(cwd, root, "before"))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_mounts(cwd, root, "after"))
		return 1;
	return pass();
}
