#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a FAN_CLASS_NOTIF fanotify group marking a directory for FAN_OPEN|FAN_CLOSE_WRITE on its children",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid");

#define MARK_MASK (FAN_OPEN | FAN_CLOSE_WRITE | FAN_EVENT_ON_CHILD)

/* The next event is `mask` from this process on `file`. */
static int expect_event(int fd, uint64_t mask, const char *file)
{
	struct fanotify_event_metadata ev;
	char link[64], target[PATH_MAX], want[PATH_MAX];
	ssize_t n = read(fd, &ev, sizeof(ev)), t;

	if (n < 0)
		return fail_errno("no fanotify event, expected mask %#llx", (unsigned long long)mask);
	if (n != sizeof(ev) || ev.vers != FANOTIFY_METADATA_VERSION)
		return fail("fanotify read %zd bytes version %d, expected %zu bytes version %d", n, ev.vers,
			    sizeof(ev), FANOTIFY_METADATA_VERSION);
	if (ev.mask != mask || ev.pid != getpid())
		return fail("fanotify event mask %#llx pid %d, expected mask %#llx pid %d",
			    (unsigned long long)ev.mask, ev.pid, (unsigned long long)mask, getpid());
	snprintf(link, sizeof(link), "/proc/self/fd/%d", ev.fd);
	t = readlink(link, target, sizeof(target) - 1);
	close(ev.fd);
	if (t < 0 || !realpath(file, want))
		return fail_errno("the event's fd %d", ev.fd);
	target[t] = 0;
	return expect_str("file of the event", target, want);
}

int main(int argc, char **argv)
{
	char before[2048], after[2048], file[256];
	int fd, ffd;
	ssize_t n;

	test_init(argc, argv);
	snprintf(file, sizeof(file), "%s/file", test_path("test.dir"));
	if (mkdir(test_path("test.dir"), 0755) || close(open(file, O_WRONLY | O_CREAT, 0644)))
		return fail_errno("create %s", file);
	fd = fanotify_init(FAN_CLASS_NOTIF | FAN_NONBLOCK, O_RDONLY);
	if (fd < 0 && (errno == EPERM || errno == ENOSYS))
		return skip("fanotify_init: %s", strerror(errno));
	if (fd < 0)
		return fail_errno("fanotify_init");
	if (fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_ONLYDIR, MARK_MASK, AT_FDCWD, test_path("test.dir")))
		return fail_errno("fanotify_mark %s", test_path("test.dir"));
	if (fdinfo_lines(fd, "fanotify ", before, sizeof(before)) != 2)
		return fail("fdinfo shows %d fanotify lines, expected 2 (group, mark): %s",
			    fdinfo_lines(fd, "fanotify ", before, sizeof(before)), before);

	test_daemon();
	test_waitsig();

	if (fdinfo_lines(fd, "fanotify ", after, sizeof(after)) < 0)
		return fail_errno("read fanotify fdinfo");
	if (expect_str("fanotify fdinfo", after, before))
		return 1;
	n = read(fd, after, sizeof(after));
	if (n >= 0)
		return fail("%zd bytes of events queued before any open, expected none", n);
	if (errno != EAGAIN)
		return fail_errno("read with nothing queued, expected EAGAIN");
	ffd = open(file, O_WRONLY);
	if (ffd < 0)
		return fail_errno("open %s", file);
	if (expect_event(fd, FAN_OPEN, file))
		return 1;
	if (write(ffd, "x", 1) != 1 || close(ffd))
		return fail_errno("write and close %s", file);
	if (expect_event(fd, FAN_CLOSE_WRITE, file))
		return 1;
	return pass();
}
