#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

/* mnt_nosymfollow.c includes this file with NOSYMFOLLOW 1 and its own declaration. */
#ifndef NOSYMFOLLOW
#define NOSYMFOLLOW 0
ZDTM_TEST(.doc = "binds of one tmpfs with per-mount flags: ro, nosuid, nodev, noexec, noatime, strictatime, nodiratime, relatime and a mix: each bind's mount options; ro refuses a write",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");
#endif

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

static const struct {
	const char *name;
	unsigned long flags;
} binds[] = {
	{ "ro", MS_RDONLY }, { "nosuid", MS_NOSUID }, { "nodev", MS_NODEV }, { "noexec", MS_NOEXEC },
	{ "noatime", MS_NOATIME }, { "strictatime", MS_STRICTATIME }, { "nodiratime", MS_NODIRATIME },
	{ "relatime", MS_RELATIME },
#if NOSYMFOLLOW
	{ "nosymfollow", MS_NOSYMFOLLOW },
#endif
	{ "mix", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME },
};
#define N (sizeof(binds) / sizeof(binds[0]))

static char cwd[PATH_MAX], tree[2][16384];

static const char *in(const char *bind, const char *name)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", test_path(bind), name);
	return path;
}

static int expect_behaviour(void)
{
	int fd;

	if (!mknod(in("ro", "new"), S_IFREG | 0600, 0) || errno != EROFS)
		return fail("create %s: %s, expected EROFS", in("ro", "new"), strerror(errno));
	if (!NOSYMFOLLOW)
		return 0;
	fd = open(in("nosymfollow", "link"), O_RDONLY);
	if (fd >= 0 || errno != ELOOP)
		return fail("open %s: %s, expected ELOOP", in("nosymfollow", "link"), fd >= 0 ? "opened" : strerror(errno));
	if (access(in("relatime", "link"), R_OK))
		return fail_errno("open %s, expected the symlink followed", in("relatime", "link"));
	return 0;
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	if (mkdir(test_path("fs"), 0755) || mount("zdtm_flags", test_path("fs"), "tmpfs", 0, "size=1m") ||
	    mknod(in("fs", "file"), S_IFREG | 0644, 0) || symlink("file", in("fs", "link")))
		return fail_errno("a tmpfs on %s with a file and a symlink", test_path("fs"));
	for (unsigned i = 0; i < N; i++) {
		const char *p = test_path(binds[i].name);

		if (mkdir(p, 0755) || mount(test_path("fs"), p, NULL, MS_BIND, NULL) ||
		    mount(NULL, p, NULL, MS_REMOUNT | MS_BIND | binds[i].flags, NULL))
			return fail_errno("bind %s on %s with its flags", test_path("fs"), p);
	}
	if (mountinfo_tree(0, cwd, tree[0], sizeof(tree[0])) != N + 1 || expect_behaviour())
		return fail("mounts under %s:\n%s\nexpected %zu", cwd, tree[0], N + 1);

	test_daemon();
	test_waitsig();

	if (mountinfo_tree(0, cwd, tree[1], sizeof(tree[1])) < 0)
		return fail_errno("mountinfo");
	if (expect_lines("the mounts under the test's dir", tree[1], tree[0]) || expect_behaviour())
		return 1;
	return pass();
}
