#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an external file bind mount found by criu itself: a file of a tmpfs the runner made outside the test's mount namespace, bound over the file /mnt_ext; dumped and restored with --external mnt[]",
	  .flavors = ZDTM_FLAVOR_NS | ZDTM_FLAVOR_UNS, .flags = "extmnt-file-auto");

#define MARKER "zdtm: a file of the external mount\n"
#define WRITTEN "the test's line, written through the bind mount\n"

/* /mnt_ext is one tmpfs mount whose root is the file /marker; the file holds want. */
static int check(const char *when, const char *want, char *seen, size_t len)
{
	char root[64] = "", opts[128] = "", fstype[32] = "", buf[256];
	struct stat st;
	int fd, n;

	if (mountinfo_at("/mnt_ext", seen, len) != 1)
		return fail("%s: /mnt_ext should be one mount, mountinfo has \"%s\"", when, seen);
	sscanf(seen, "%63s %127s %31s", root, opts, fstype);
	if (expect_str("the bind mount's root", root, "/marker") || expect_str("its file system", fstype, "tmpfs"))
		return 1;
	if (stat("/mnt_ext", &st) || !S_ISREG(st.st_mode))
		return fail("%s: /mnt_ext is no regular file", when);
	if ((fd = open("/mnt_ext", O_RDONLY)) < 0 || (n = read(fd, buf, sizeof(buf) - 1)) < 0)
		return fail_errno("%s: read /mnt_ext", when);
	close(fd);
	buf[n] = 0;
	return expect_str("the bound file's content", buf, want);
}

int main(int argc, char **argv)
{
	char before[512] = "", after[512] = "";
	int fd;

	test_init(argc, argv);
	if (check("before", MARKER, before, sizeof(before)))
		return 1;
	/* Written through the bind: the restore must bind the same file, not a copy of it. */
	fd = open("/mnt_ext", O_WRONLY | O_APPEND);
	if (fd < 0 || write_all(fd, WRITTEN, strlen(WRITTEN)) || close(fd))
		return fail_errno("append to /mnt_ext");

	test_daemon();
	test_waitsig();

	if (check("after C/R", MARKER WRITTEN, after, sizeof(after)))
		return 1;
	if (expect_str("the bind mount's mountinfo", after, before))
		return 1;
	return pass();
}
