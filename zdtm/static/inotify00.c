#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an inotify instance keeps its watches (directory and file, their masks) and reports new events",
	  .flavors = ZDTM_ALL_FLAVORS);

/* The next event is exactly (wd, mask, name). */
static int expect_event(int fd, int wd, uint32_t mask, const char *name)
{
	static char buf[sizeof(struct inotify_event) + NAME_MAX + 1]
		__attribute__((aligned(__alignof__(struct inotify_event))));
	struct inotify_event *ev = (struct inotify_event *)buf;
	ssize_t n = read(fd, buf, sizeof(struct inotify_event) + (name[0] ? NAME_MAX + 1 : 0));

	if (n < 0)
		return fail_errno("no inotify event, expected wd %d mask 0x%x \"%s\"", wd, mask, name);
	if (ev->wd != wd || ev->mask != mask)
		return fail("event wd %d mask 0x%x, expected wd %d mask 0x%x", ev->wd, ev->mask, wd, mask);
	return expect_str("event name", ev->len ? ev->name : "", name);
}

int main(int argc, char **argv)
{
	char before[2048], after[2048], file[256], created[256];
	int fd, wd_dir, wd_file, ffd;
	int queued;

	test_init(argc, argv);
	snprintf(file, sizeof(file), "%s/watched", test_path("test.dir"));
	snprintf(created, sizeof(created), "%s/created", test_path("test.dir"));
	if (mkdir(test_path("test.dir"), 0755))
		return fail_errno("mkdir %s", test_path("test.dir"));
	ffd = open(file, O_WRONLY | O_CREAT, 0644);
	fd = inotify_init1(IN_NONBLOCK);
	if (ffd < 0 || fd < 0)
		return fail_errno("open %s / inotify_init1", file);
	wd_dir = inotify_add_watch(fd, test_path("test.dir"), IN_CREATE | IN_DELETE | IN_ONLYDIR);
	wd_file = inotify_add_watch(fd, file, IN_MODIFY | IN_ATTRIB);
	if (wd_dir < 0 || wd_file < 0)
		return fail_errno("inotify_add_watch");
	if (fdinfo_lines(fd, "inotify ", before, sizeof(before)) != 2)
		return fail("fdinfo shows %d watches before C/R, expected 2",
			    fdinfo_lines(fd, "inotify ", before, sizeof(before)));

	test_daemon();
	test_waitsig();

	if (fdinfo_lines(fd, "inotify ", after, sizeof(after)) < 0)
		return fail_errno("read inotify fdinfo");
	if (expect_str("inotify watches", after, before) ||
	    expect_int("inotify O_NONBLOCK", !!(fcntl(fd, F_GETFL) & O_NONBLOCK), 1))
		return 1;
	if (ioctl(fd, FIONREAD, &queued))
		return fail_errno("FIONREAD on the inotify fd");
	if (queued)
		return fail("%d bytes of events queued before any change, expected none", queued);
	if (close(open(created, O_WRONLY | O_CREAT, 0644)))
		return fail_errno("create %s", created);
	if (expect_event(fd, wd_dir, IN_CREATE, "created"))
		return 1;
	if (write(ffd, "x", 1) != 1)
		return fail_errno("write %s", file);
	if (expect_event(fd, wd_file, IN_MODIFY, ""))
		return 1;
	if (unlink(created) || expect_event(fd, wd_dir, IN_DELETE, "created"))
		return 1;
	return pass();
}
