#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an external mount from the host's root file system: a plain directory rootext of the file system the job's directory is on (the host's root file system, not a tmpfs), bound at /mnt_ext by the runner outside the test's mount namespace; dumped as --external mnt[/mnt_ext]:zdtm_ext and bound back from that directory by the restore; ns and uns only: the runner makes external mounts only there",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "extmnt-rootfs");

#define MARKER "zdtm: a file of the external mount\n"
#define WRITTEN "written by the test before C/R\n"

static int expect_file(const char *path, const char *text)
{
	char buf[256];
	int fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return fail_errno("open %s", path);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return fail_errno("read %s", path);
	buf[n] = 0;
	return expect_str(path, buf, text);
}

/*
 * /mnt_ext is one mount of the file system the test's root is on (same type and source), whose root
 * is the directory rootext beside the test's root directory (DIR/root and DIR/rootext on the host).
 */
static int check_mount(const char *when, char *seen, size_t len)
{
	char root[4096] = "", rootfs[4096], fstype[64] = "", source[256] = "", want[4200];
	char r[4096] = "", rfstype[64] = "", rsource[256] = "";

	if (mountinfo_at("/", rootfs, sizeof(rootfs)) != 1)
		return fail("%s: / should be one mount, mountinfo has \"%s\"", when, rootfs);
	sscanf(rootfs, "%4095s %*s %63s %255s", r, rfstype, rsource);
	if (mountinfo_at("/mnt_ext", seen, len) != 1)
		return fail("%s: /mnt_ext should be one mount, mountinfo has \"%s\"", when, seen);
	sscanf(seen, "%4095s %*s %63s %255s", root, fstype, source);
	snprintf(want, sizeof(want), "%s/rootext", dirname(r));
	return expect_str("the external mount's root (beside the test's root directory)", root, want) ||
	       expect_str("the external mount's file system (the test's root's)", fstype, rfstype) ||
	       expect_str("the external mount's source (the test's root's)", source, rsource);
}

int main(int argc, char **argv)
{
	char before[4200] = "", after[4200] = "";
	int fd;

	test_init(argc, argv);
	if (check_mount("before", before, sizeof(before)))
		return 1;
	fd = open("/mnt_ext/written", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, WRITTEN, strlen(WRITTEN)) || close(fd))
		return fail_errno("write /mnt_ext/written");

	test_daemon();
	test_waitsig();

	if (check_mount("after C/R", after, sizeof(after)) || expect_str("the external mount's mountinfo", after, before))
		return 1;
	/* The same directory, not a new one: the runner's files and the test's are there. */
	if (expect_file("/mnt_ext/marker", MARKER) || expect_file("/mnt_ext/sub/marker", MARKER) ||
	    expect_file("/mnt_ext/written", WRITTEN))
		return 1;
	return pass();
}
