#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "one inotify instance with 1000 watches on 1000 files (each its own mask): every watch kept with its inode and mask, and events still name the right watch",
	  .flavors = ZDTM_ALL_FLAVORS);

#define FILES 1000

static int wd[FILES];
static unsigned long ino[FILES];

static uint32_t mask_of(int i)
{
	return IN_MODIFY | (i % 2 ? IN_ATTRIB : 0) | (i % 3 ? IN_CLOSE_WRITE : 0);
}

static const char *file(int i)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%d", test_path("dir"), i);
	return path;
}

/* Every "wd:N ino:HEX sdev:HEX mask:HEX ..." line of the fdinfo is one of ours, with its inode and mask. */
static int check_watches(int fd)
{
	static char lines[FILES * 256];        /* a btrfs line is ~150 bytes (a longer file handle) */
	int n = fdinfo_lines(fd, "inotify", lines, sizeof(lines)), seen = 0;

	if (n != FILES)
		return fail("the inotify fdinfo has %d watches, expected %d", n, FILES);
	for (char *l = strtok(lines, ";"); l; l = strtok(NULL, ";")) {
		unsigned long i_no;
		unsigned m;
		int w, i;

		if (sscanf(l, " wd:%x ino:%lx sdev:%*x mask:%x", &w, &i_no, &m) != 3)
			return fail("unreadable inotify fdinfo line \"%s\"", l);
		for (i = 0; i < FILES && wd[i] != w; i++)
			;
		if (i == FILES || i_no != ino[i] || m != mask_of(i))
			return fail("watch \"%s\", expected wd %d ino %lx mask %x", l, i < FILES ? wd[i] : -1,
				    i < FILES ? ino[i] : 0, i < FILES ? mask_of(i) : 0);
		seen++;
	}
	return expect_int("watches matched", seen, FILES);
}

int main(int argc, char **argv)
{
	struct inotify_event ev[4];
	struct stat st;
	int fd;

	test_init(argc, argv);
	if (mkdir(test_path("dir"), 0755))
		return fail_errno("mkdir");
	fd = inotify_init1(IN_NONBLOCK);
	if (fd < 0)
		return fail_errno("inotify_init1");
	for (int i = 0; i < FILES; i++) {
		int f = open(file(i), O_CREAT | O_WRONLY, 0644);

		if (f < 0 || fstat(f, &st) || close(f))
			return fail_errno("create %s", file(i));
		ino[i] = st.st_ino;
		wd[i] = inotify_add_watch(fd, file(i), mask_of(i));
		if (wd[i] < 0)
			return fail_errno("watch %s", file(i));
	}

	test_daemon();
	test_waitsig();

	if (check_watches(fd))
		return 1;
	for (int i = 0; i < FILES; i += 97) {
		if (chmod(file(i), 0600))
			return fail_errno("chmod");
		ssize_t n = read(fd, ev, sizeof(ev));

		if (i % 2 == 0) {
			if (n != -1 || errno != EAGAIN)
				return fail("chmod of file %d gave an event (read %zd), expected none (no IN_ATTRIB)", i, n);
		} else if (n != sizeof(ev[0]) || ev[0].wd != wd[i] || ev[0].mask != IN_ATTRIB)
			return fail("chmod of file %d: read %zd, wd %d mask %#x; expected wd %d IN_ATTRIB", i, n,
				    ev[0].wd, ev[0].mask, wd[i]);
	}
	return pass();
}
