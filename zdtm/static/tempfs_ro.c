#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

/* tempfs_ro02.c includes this file with EMPTY 1 (mounted read-only, never written) and its own declaration. */
#ifndef EMPTY
#define EMPTY 0
ZDTM_TEST(.doc = "a tmpfs written, then remounted read-only (its superblock): ro in mount and super options, its options, the files' data and modes, EROFS",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");
#endif

#define WORD "read-only tmpfs contents"

static char top[PATH_MAX + 64], tree[2][4096];

static const char *at(const char *sub)
{
	static char p[2][PATH_MAX + 128];
	static int k;
	char *s = p[k++ % 2];

	snprintf(s, PATH_MAX + 128, "%s/%s", top, sub);
	return s;
}

static int fill(void)
{
	int fd = open(at("file"), O_WRONLY | O_CREAT | O_EXCL, 0640);

	if (fd < 0 || write_all(fd, WORD, sizeof(WORD)) || close(fd) || mkdir(at("dir"), 0711) ||
	    symlink("../file", at("dir/link")))
		return fail_errno("files in %s", top);
	return 0;
}

/* The entries of the tmpfs's root, sorted, as "a b c". */
static const char *entries(char *out, size_t len)
{
	struct dirent **list;
	int n = scandir(top, &list, NULL, alphasort);
	size_t used = 0;

	out[0] = 0;
	for (int i = 0; i < n; i++) {
		if (strcmp(list[i]->d_name, ".") && strcmp(list[i]->d_name, ".."))
			used += snprintf(out + used, used < len ? len - used : 0, "%s%s", used ? " " : "", list[i]->d_name);
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	return out;
}

static int expect_mode(const char *sub, mode_t mode)
{
	struct stat st;
	char what[64];

	if (lstat(at(sub), &st))
		return fail_errno("stat %s", at(sub));
	snprintf(what, sizeof(what), "the mode of %s", sub);
	return expect_int(what, st.st_mode, mode);
}

static int expect_files(void)
{
	char buf[64] = "", names[256];
	struct stat st;
	int fd;

	if (expect_str("the tmpfs's entries", entries(names, sizeof(names)), EMPTY ? "" : "dir file"))
		return 1;
	if (EMPTY)
		return 0;
	fd = open(at("file"), O_RDONLY);
	if (fd < 0 || read_all(fd, buf, sizeof(buf)) != sizeof(WORD) || close(fd))
		return fail_errno("read %s", at("file"));
	if (expect_str("the file's data", buf, WORD))
		return 1;
	if (expect_mode("file", S_IFREG | 0640) || expect_mode("dir", S_IFDIR | 0711))
		return 1;
	if (stat(at("dir/link"), &st))
		return fail_errno("stat %s", at("dir/link"));
	return expect_int("the size of the file through dir/link", st.st_size, sizeof(WORD));
}

static int expect_all(int k)
{
	int fd;

	if (mountinfo_tree(0, top, tree[k], sizeof(tree[k])) != 1)
		return fail("mounts at %s:\n%s\nexpected 1", top, tree[k]);
	if (k && expect_lines("the mount", tree[1], tree[0]))
		return 1;
	if (!strstr(tree[k], " / ro,") || !strstr(tree[k], " zdtm_ro ro,") || !strstr(tree[k], "size=256k") ||
	    !strstr(tree[k], "mode=755"))
		return fail("the mount: %s, expected ro in both mount and super options, size=256k, mode=755", tree[k]);
	fd = open(at("new"), O_WRONLY | O_CREAT, 0644);
	if (fd >= 0 || errno != EROFS)
		return fail("create %s: %s, expected EROFS", at("new"), fd >= 0 ? "created" : strerror(errno));
	return expect_files();
}

int main(int argc, char **argv)
{
	char cwd[PATH_MAX];

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(top, sizeof(top), "%s/%s", cwd, test_path("ro"));
	if (mkdir(top, 0755) || mount("zdtm_ro", top, "tmpfs", EMPTY ? MS_RDONLY : 0, "size=256k,mode=0755"))
		return fail_errno("tmpfs on %s", top);
	if (!EMPTY && (fill() || mount(NULL, top, NULL, MS_REMOUNT | MS_RDONLY, "size=256k,mode=0755")))
		return fail_errno("remount %s read-only", top);
	if (expect_all(0))
		return 1;

	test_daemon();
	test_waitsig();

	return expect_all(1) ? 1 : pass();
}
