#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

/* inotify_system_nodel.c includes this file with NODEL and its own declaration. */
#ifndef NODEL
ZDTM_TEST(.doc = "an inotify instance watching a tree (a directory, a subdirectory, a file, a symlink itself) with every event kind: after C/R the watches are the same, a watch added through the symlink is the file's, and opens, reads, writes, closes, attribute changes, creation, a move, deletions and self-deletion are reported in order",
	  .flavors = ZDTM_ALL_FLAVORS);
#endif

enum { W_DIR, W_SUB, W_FILE, W_LINK, NW };
static const char *const wname[NW] = { "dir", "sub", "file", "link" };
static int wd[NW];
static char path[NW][256];

static const char *mask_str(uint32_t m, char *buf, size_t len)
{
	static const struct { uint32_t bit; const char *name; } bits[] = {
		{ IN_ACCESS, "ACCESS" }, { IN_MODIFY, "MODIFY" }, { IN_ATTRIB, "ATTRIB" },
		{ IN_CLOSE_WRITE, "CLOSE_WRITE" }, { IN_CLOSE_NOWRITE, "CLOSE_NOWRITE" }, { IN_OPEN, "OPEN" },
		{ IN_MOVED_FROM, "MOVED_FROM" }, { IN_MOVED_TO, "MOVED_TO" }, { IN_CREATE, "CREATE" },
		{ IN_DELETE, "DELETE" }, { IN_DELETE_SELF, "DELETE_SELF" }, { IN_MOVE_SELF, "MOVE_SELF" },
		{ IN_IGNORED, "IGNORED" }, { IN_ISDIR, "ISDIR" }, { IN_Q_OVERFLOW, "OVERFLOW" },
	};

	buf[0] = 0;
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (m & bits[i].bit)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", buf[0] ? "|" : "", bits[i].name);
	return buf;
}

/* Every queued event as "WATCH MASK[ NAME]", joined by "; ", into out; cookies of a move pair
 * must match ("cookie!" marks one that does not). */
static const char *events(int fd, char *out, size_t len)
{
	static char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	uint32_t cookie = 0;
	ssize_t n;

	out[0] = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			const char *w = "?";
			char m[128];

			for (int i = 0; i < NW; i++)
				if (ev->wd == wd[i])
					w = wname[i];
			snprintf(out + strlen(out), len - strlen(out), "%s%s %s%s%s%s", out[0] ? "; " : "", w,
				 mask_str(ev->mask, m, sizeof(m)), ev->len ? " " : "", ev->len ? ev->name : "",
				 (ev->mask & IN_MOVED_TO) && ev->cookie != cookie ? " cookie!" : "");
			if (ev->mask & IN_MOVED_FROM)
				cookie = ev->cookie;
			p += sizeof(*ev) + ev->len;
		}
	}
	return out;
}

/* One step after C/R: do, then the events it made are exactly want. */
#define STEP(what, action, want)                                                  \
	do {                                                                      \
		if (action)                                                       \
			return fail_errno("%s", what);                            \
		if (expect_str(what, events(fd, found, sizeof(found)), want))     \
			return 1;                                                 \
	} while (0)

/* Opens dir, reads its entries with one getdents64 (one IN_ACCESS), closes it. */
static int read_dir(const char *dir)
{
	char buf[4096];
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);

	if (dfd < 0 || syscall(SYS_getdents64, dfd, buf, sizeof(buf)) <= 0)
		return -1;
	return close(dfd);
}

int main(int argc, char **argv)
{
	char before[2048], after[2048], found[4096], sub_new[300], moved[300], c;
	const char *d;
	int fd, ffd;

	test_init(argc, argv);
	d = test_path("d");
	snprintf(path[W_DIR], sizeof(path[0]), "%s", d);
	snprintf(path[W_SUB], sizeof(path[0]), "%s/sub", d);
	snprintf(path[W_FILE], sizeof(path[0]), "%s/file", d);
	snprintf(path[W_LINK], sizeof(path[0]), "%s/link", d);
	snprintf(sub_new, sizeof(sub_new), "%s/sub/new", d);
	snprintf(moved, sizeof(moved), "%s/moved", d);
	if (mkdir(d, 0755) || mkdir(path[W_SUB], 0755) || close(open(path[W_FILE], O_CREAT | O_WRONLY, 0644)) ||
	    symlink("file", path[W_LINK]))
		return fail_errno("the tree %s", d);
	fd = inotify_init1(IN_NONBLOCK);
	if (fd < 0)
		return fail_errno("inotify_init1");
	for (int i = 0; i < NW; i++) {
		wd[i] = inotify_add_watch(fd, path[i], IN_ALL_EVENTS | (i == W_LINK ? IN_DONT_FOLLOW : 0));
		if (wd[i] < 0)
			return fail_errno("watch %s", path[i]);
	}
	if (fdinfo_lines(fd, "inotify ", before, sizeof(before)) != NW)
		return fail("fdinfo shows %d watches, expected %d", fdinfo_lines(fd, "inotify ", before, sizeof(before)), NW);

	test_daemon();
	test_waitsig();

	if (fdinfo_lines(fd, "inotify ", after, sizeof(after)) < 0)
		return fail_errno("read inotify fdinfo");
	if (expect_str("the watches", after, before) || expect_str("events queued before any change", events(fd, found, sizeof(found)), ""))
		return 1;
	if (expect_int("a watch added through the symlink (the file's wd)",
		       inotify_add_watch(fd, path[W_LINK], IN_ALL_EVENTS), wd[W_FILE]))
		return 1;
	STEP("open the file", (ffd = open(path[W_FILE], O_RDWR)) < 0, "dir OPEN file; file OPEN");
	STEP("write the file", write(ffd, "x", 1) != 1, "dir MODIFY file; file MODIFY");
	STEP("read the file", pread(ffd, &c, 1, 0) != 1, "dir ACCESS file; file ACCESS");
	STEP("close the file", close(ffd), "dir CLOSE_WRITE file; file CLOSE_WRITE");
	STEP("chmod the file", chmod(path[W_FILE], 0600), "dir ATTRIB file; file ATTRIB");
	STEP("touch the symlink itself", utimensat(AT_FDCWD, path[W_LINK], NULL, AT_SYMLINK_NOFOLLOW), "dir ATTRIB link; link ATTRIB");
	STEP("list the subdirectory", read_dir(path[W_SUB]),
	     "dir OPEN|ISDIR sub; sub OPEN|ISDIR; dir ACCESS|ISDIR sub; sub ACCESS|ISDIR; dir CLOSE_NOWRITE|ISDIR sub; sub CLOSE_NOWRITE|ISDIR");
	STEP("create sub/new", close(open(sub_new, O_CREAT | O_WRONLY, 0644)), "sub CREATE new; sub OPEN new; sub CLOSE_WRITE new");
	STEP("move sub/new to moved", rename(sub_new, moved), "sub MOVED_FROM new; dir MOVED_TO moved");
#ifndef NODEL
	STEP("unlink moved", unlink(moved), "dir DELETE moved");
	STEP("unlink the symlink", unlink(path[W_LINK]), "link ATTRIB; link DELETE_SELF; link IGNORED; dir DELETE link");
	STEP("remove the subdirectory", rmdir(path[W_SUB]), "sub DELETE_SELF; sub IGNORED; dir DELETE|ISDIR sub");
#endif
	return pass();
}
