#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "zdtm.h"

/* mnt_ext_root.c includes this file with EXT_ROOT "/sub" and its own declaration. */
#ifndef EXT_ROOT
#define EXT_ROOT "/"
ZDTM_TEST(.doc = "an external mount: a tmpfs the runner made outside the test's mount namespace, bound at /mnt_ext; dumped as --external mnt[/mnt_ext]:KEY and bound back from the host path by the restore",
	  .flavors = ZDTM_FLAVOR_NS | ZDTM_FLAVOR_UNS, .flags = "extmnt");
#endif

#define MARKER "zdtm: a file of the external mount\n"
#define WRITTEN "written by the test before C/R\n"

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

/* /mnt_ext is one tmpfs mount whose root is the file system's own: "/ rw,... tmpfs zdtm-ext ...". */
static int check_mount(const char *when, char *seen, size_t len)
{
	char root[64] = "", opts[128] = "", fstype[32] = "", source[64] = "";

	if (mountinfo_at("/mnt_ext", seen, len) != 1)
		return fail("%s: /mnt_ext should be one mount, mountinfo has \"%s\"", when, seen);
	sscanf(seen, "%63s %127s %31s %63s", root, opts, fstype, source);
	return expect_str("the external mount's root", root, EXT_ROOT) ||
	       expect_str("the external mount's file system", fstype, "tmpfs") ||
	       expect_str("the external mount's source", source, "zdtm-ext");
}

int main(int argc, char **argv)
{
	char buf[256], before[512] = "", after[512] = "";
	int fd;

	test_init(argc, argv);
	if (check_mount("before", before, sizeof(before)))
		return 1;
	fd = open("/mnt_ext/written", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, WRITTEN, strlen(WRITTEN)) || close(fd))
		return fail_errno("write /mnt_ext/written");

	test_daemon();
	test_waitsig();

	if (check_mount("after C/R", after, sizeof(after)))
		return 1;
	if (expect_str("the external mount's mountinfo", after, before))
		return 1;
	/* The same file system, not a new one: what was in it and what the test wrote are there. */
	if (read_file("/mnt_ext/marker", buf, sizeof(buf)))
		return fail_errno("read /mnt_ext/marker");
	if (expect_str("the runner's file in the external mount", buf, MARKER))
		return 1;
	if (read_file("/mnt_ext/written", buf, sizeof(buf)))
		return fail_errno("read /mnt_ext/written");
	if (expect_str("the test's file in the external mount", buf, WRITTEN))
		return 1;
	return pass();
}
