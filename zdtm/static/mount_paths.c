#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

/* mount_paths01.c and mount_paths02.c include this file with VARIANT 1 and 2 and their own declaration. */
#ifndef VARIANT
#define VARIANT 0
ZDTM_TEST(.doc = "tmpfs mounts on points whose names hold a space, a tab, a backslash, a '#' and a non-ASCII byte (escaped in mountinfo): every mount at its point with its options",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");
#endif

#if VARIANT == 1
static const char *const names[] = { "with\nnewline", "plain" };
#else
static const char *const names[] = { "with space", "with\ttab", "back\\slash", "utf\xc3\xa9", "#hash" };
#endif
#define N (sizeof(names) / sizeof(names[0]))

static char top[PATH_MAX + 64];

/* Each point is a mount of its own (another device than top) holding its file "i". */
static int expect_mounts(void)
{
	char path[PATH_MAX + 200];
	struct stat t, st;

	if (stat(top, &t))
		return fail_errno("stat %s", top);
	for (unsigned i = 0; i < N; i++) {
		snprintf(path, sizeof(path), "%s/%s", top, names[i]);
		if (stat(path, &st) || st.st_dev == t.st_dev)
			return fail("\"%s\" is no mount point (%s), expected its tmpfs", path, strerror(errno));
		snprintf(path, sizeof(path), "%s/%s/%u", top, names[i], i);
		if (access(path, F_OK))
			return fail_errno("\"%s\", expected the file made on its tmpfs", path);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char before[16384], after[16384], path[PATH_MAX + 200];
	char cwd[PATH_MAX];

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(top, sizeof(top), "%s/%s", cwd, test_path("mnt"));
	if (mkdir(top, 0755) || mount("zdtm_paths", top, "tmpfs", 0, "size=1m"))
		return fail_errno("tmpfs on %s", top);
	for (unsigned i = 0; i < N; i++) {
		snprintf(path, sizeof(path), "%s/%s", top, names[i]);
		if (mkdir(path, 0755) || mount(VARIANT == 2 ? names[i] : "zdtm_paths", path, "tmpfs", i % 2 ? MS_NOEXEC : MS_NODEV, "size=64k"))
			return fail_errno("tmpfs on \"%s\"", path);
		snprintf(path, sizeof(path), "%s/%s/%u", top, names[i], i);
		if (mknod(path, S_IFREG | 0600, 0))
			return fail_errno("create \"%s\"", path);
	}
	if (mountinfo_tree(0, top, before, sizeof(before)) != N + 1 || expect_mounts())
		return fail("mounts under %s:\n%s\nexpected %zu", top, before, N + 1);

	test_daemon();
	test_waitsig();

	if (mountinfo_tree(0, top, after, sizeof(after)) < 0)
		return fail_errno("mountinfo");
	if (expect_lines("the mounts under the test's tmpfs", after, before) || expect_mounts())
		return 1;
	return pass();
}
