#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an inotify watch on a file, dumped with --force-irmap (criu resolves the watched inode to a path and dumps the path): the watch (inode, mask) survives and reports an open",
	  .flavors = ZDTM_ALL_FLAVORS, .opts = "--force-irmap");

#define WATCHED test_path("watched")

int main(int argc, char **argv)
{
	struct inotify_event ev;
	char before[512], after[512];
	int fd, wd, queued;

	test_init(argc, argv);
	if (close(open(WATCHED, O_WRONLY | O_CREAT, 0644)))
		return fail_errno("create %s", WATCHED);
	fd = inotify_init1(IN_NONBLOCK);
	if (fd < 0)
		return fail_errno("inotify_init1");
	wd = inotify_add_watch(fd, WATCHED, IN_OPEN | IN_ATTRIB);
	if (wd < 0)
		return fail_errno("inotify_add_watch %s", WATCHED);
	if (fdinfo_lines(fd, "inotify ", before, sizeof(before)) != 1)
		return fail("fdinfo shows no single watch before C/R: \"%s\"", before);

	test_daemon();
	test_waitsig();

	if (fdinfo_lines(fd, "inotify ", after, sizeof(after)) < 0)
		return fail_errno("read inotify fdinfo");
	if (expect_str("inotify watch", after, before))
		return 1;
	if (ioctl(fd, FIONREAD, &queued))
		return fail_errno("FIONREAD on the inotify fd");
	if (queued)
		return fail("%d bytes of events queued before any open, expected none", queued);
	if (close(open(WATCHED, O_RDONLY)))
		return fail_errno("open %s", WATCHED);
	if (read(fd, &ev, sizeof(ev)) != sizeof(ev))
		return fail_errno("no inotify event after opening %s", WATCHED);
	if (expect_int("event wd", ev.wd, wd) || expect_int("event mask", ev.mask, IN_OPEN))
		return 1;
	return pass();
}
