#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a tmpfs mounted by the test with files, a subdirectory and a symlink: contents, modes, owners, target",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

#define ROOT_MODE 0751
#define LINK_TARGET "sub/inner"

/* Every regular file and directory under the mount: name, mode, owner, size (files get datagen bytes). */
static const struct entry {
	const char *name;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	size_t size;
} entries[] = {
	{ "file", S_IFREG | 0640, 0, 0, 10000 },
	{ "sub", S_IFDIR | 0710, 1000, 1001, 0 },
	{ "sub/inner", S_IFREG | 0600, 1002, 1003, 3 * 4096 + 5 },
	{ "empty", S_IFREG | 0444, 0, 0, 0 },
};
#define NENTRIES (sizeof(entries) / sizeof(entries[0]))

static char *under(const char *name)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", test_path("tmpfs"), name);
	return path;
}

static int create(const struct entry *e, int seed)
{
	char data[4 * 4096];
	int fd;

	if (S_ISDIR(e->mode)) {
		if (mkdir(under(e->name), 0))
			return fail_errno("mkdir %s", e->name);
	} else {
		fd = open(under(e->name), O_WRONLY | O_CREAT | O_EXCL, 0);
		datagen(data, e->size, seed);
		if (fd < 0 || write_all(fd, data, e->size) || close(fd))
			return fail_errno("write %s", e->name);
	}
	if (chmod(under(e->name), e->mode & 07777) || chown(under(e->name), e->uid, e->gid))
		return fail_errno("chmod/chown %s", e->name);
	return 0;
}

static int expect_entry(const struct entry *e, int seed)
{
	char want[4 * 4096], got[4 * 4096 + 1];
	struct stat st;
	int fd, n;

	if (lstat(under(e->name), &st))
		return fail_errno("lstat %s", e->name);
	if (st.st_mode != e->mode)
		return fail("%s: mode 0%o, expected 0%o", e->name, st.st_mode, e->mode);
	if (st.st_uid != e->uid || st.st_gid != e->gid)
		return fail("%s: owner %d:%d, expected %d:%d", e->name, st.st_uid, st.st_gid, e->uid, e->gid);
	if (S_ISDIR(e->mode))
		return 0;
	fd = open(under(e->name), O_RDONLY);
	if (fd < 0)
		return fail_errno("open %s", e->name);
	n = read_all(fd, got, sizeof(got));
	close(fd);
	datagen(want, e->size, seed);
	if (expect_int(e->name, n, e->size) || expect_bytes(e->name, got, want, e->size))
		return 1;
	return 0;
}

static int expect_tree(void)
{
	char target[PATH_MAX] = "";
	struct statfs sf;
	struct stat st;

	if (statfs(test_path("tmpfs"), &sf) || stat(test_path("tmpfs"), &st))
		return fail_errno("statfs %s", test_path("tmpfs"));
	if (sf.f_type != TMPFS_MAGIC)
		return fail("%s is fs type %#lx, expected tmpfs %#x", test_path("tmpfs"),
			    (unsigned long)sf.f_type, TMPFS_MAGIC);
	if ((st.st_mode & 07777) != ROOT_MODE)
		return fail("tmpfs root mode 0%o, expected 0%o", st.st_mode & 07777, ROOT_MODE);
	for (size_t i = 0; i < NENTRIES; i++)
		if (expect_entry(&entries[i], i + 1))
			return 1;
	if (readlink(under("link"), target, sizeof(target) - 1) < 0)
		return fail_errno("readlink link");
	if (expect_str("symlink target", target, LINK_TARGET))
		return 1;
	if (access(under("link"), F_OK))
		return fail_errno("the symlink does not resolve to %s", LINK_TARGET);
	return 0;
}

int main(int argc, char **argv)
{
	char opts[64];

	test_init(argc, argv);
	snprintf(opts, sizeof(opts), "size=1m,mode=%o", ROOT_MODE);
	if (mkdir(test_path("tmpfs"), 0755))
		return fail_errno("mkdir %s", test_path("tmpfs"));
	if (mount("zdtm_tmpfs00", test_path("tmpfs"), "tmpfs", 0, opts))
		return fail_errno("mount tmpfs on %s", test_path("tmpfs"));
	for (size_t i = 0; i < NENTRIES; i++)
		if (create(&entries[i], i + 1))
			return 1;
	if (symlink(LINK_TARGET, under("link")))
		return fail_errno("symlink");
	if (expect_tree())
		return 1;

	test_daemon();
	test_waitsig();

	return expect_tree() ? 1 : pass();
}
