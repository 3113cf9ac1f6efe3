#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "inotify: an IN_ONESHOT file watch, an IN_EXCL_UNLINK directory watch and three queued unread events",
	  .flavors = ZDTM_ALL_FLAVORS);

/*
 * test.dir/          watched IN_CREATE|IN_MODIFY|IN_DELETE|IN_EXCL_UNLINK
 * test.dir/oneshot   watched IN_ATTRIB|IN_ONESHOT (never fired before the dump)
 * Before the dump test.dir/queued is created, written and deleted: three events stay unread.
 */
#define DIR_MASK (IN_CREATE | IN_MODIFY | IN_DELETE | IN_EXCL_UNLINK | IN_ONLYDIR)
#define ONESHOT_MASK (IN_ATTRIB | IN_ONESHOT)

static int wd_dir, wd_file;

static const char *in_dir(const char *name)
{
	static char path[2][PATH_MAX];
	static int n;

	n ^= 1;
	snprintf(path[n], sizeof(path[n]), "%s/%s", test_path("test.dir"), name);
	return path[n];
}

/* Events read from the (non-blocking) inotify fd and not yet checked. */
static char evbuf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
static size_t evlen, evpos;

/* The next event, or NULL with errno set (EAGAIN: none queued). */
static struct inotify_event *next_event(int fd)
{
	struct inotify_event *ev;
	ssize_t n;

	if (evpos == evlen) {
		n = read(fd, evbuf, sizeof(evbuf));
		if (n <= 0)
			return NULL;
		evlen = n;
		evpos = 0;
	}
	ev = (struct inotify_event *)(evbuf + evpos);
	evpos += sizeof(*ev) + ev->len;
	return ev;
}

/* The next event is exactly (wd, mask, name). */
static int expect_event(int fd, int wd, uint32_t mask, const char *name)
{
	struct inotify_event *ev = next_event(fd);

	if (!ev)
		return fail_errno("no inotify event, expected wd %d mask %#x \"%s\"", wd, mask, name);
	if (ev->wd != wd || ev->mask != mask)
		return fail("event wd %d mask %#x \"%s\", expected wd %d mask %#x \"%s\"", ev->wd, ev->mask,
			    ev->len ? ev->name : "", wd, mask, name);
	return expect_str("event name", ev->len ? ev->name : "", name);
}

static int expect_no_event(int fd, const char *after)
{
	struct inotify_event *ev = next_event(fd);

	if (ev)
		return fail("after %s: event wd %d mask %#x \"%s\", expected none", after, ev->wd, ev->mask,
			    ev->len ? ev->name : "");
	if (errno != EAGAIN)
		return fail_errno("read the inotify fd after %s", after);
	return 0;
}

static int queue_events(void)
{
	int fd = open(in_dir("queued"), O_WRONLY | O_CREAT | O_EXCL, 0644);

	if (fd < 0 || write(fd, "q", 1) != 1 || close(fd) || unlink(in_dir("queued")))
		return fail_errno("create, write and delete %s", in_dir("queued"));
	return 0;
}

/* IN_ONESHOT: the first change is reported, then IN_IGNORED, then nothing more. */
static int expect_oneshot(int fd)
{
	if (chmod(in_dir("oneshot"), 0600) || expect_event(fd, wd_file, IN_ATTRIB, "") ||
	    expect_event(fd, wd_file, IN_IGNORED, ""))
		return 1;
	if (chmod(in_dir("oneshot"), 0644))
		return fail_errno("chmod %s", in_dir("oneshot"));
	return expect_no_event(fd, "a second chmod of the IN_ONESHOT file");
}

/* IN_EXCL_UNLINK: a write to a child after its unlink is not reported on the directory. */
static int expect_excl_unlink(int fd)
{
	int cfd = open(in_dir("unlinked"), O_WRONLY | O_CREAT | O_EXCL, 0644);

	if (cfd < 0)
		return fail_errno("create %s", in_dir("unlinked"));
	if (expect_event(fd, wd_dir, IN_CREATE, "unlinked") || unlink(in_dir("unlinked")) ||
	    expect_event(fd, wd_dir, IN_DELETE, "unlinked"))
		return 1;
	if (write(cfd, "u", 1) != 1)
		return fail_errno("write the unlinked child");
	close(cfd);
	return expect_no_event(fd, "a write to an unlinked child (IN_EXCL_UNLINK)");
}

int main(int argc, char **argv)
{
	char before[2048], after[2048];
	int fd, ffd, queued, queued_now;

	test_init(argc, argv);
	if (mkdir(test_path("test.dir"), 0755))
		return fail_errno("mkdir %s", test_path("test.dir"));
	ffd = open(in_dir("oneshot"), O_WRONLY | O_CREAT, 0644);
	fd = inotify_init1(IN_NONBLOCK);
	if (ffd < 0 || fd < 0 || close(ffd))
		return fail_errno("create %s / inotify_init1", in_dir("oneshot"));
	wd_dir = inotify_add_watch(fd, test_path("test.dir"), DIR_MASK);
	wd_file = inotify_add_watch(fd, in_dir("oneshot"), ONESHOT_MASK);
	if (wd_dir < 0 || wd_file < 0)
		return fail_errno("inotify_add_watch");
	if (queue_events())
		return 1;
	if (fdinfo_lines(fd, "inotify ", before, sizeof(before)) != 2)
		return fail("fdinfo shows %d watches before C/R, expected 2",
			    fdinfo_lines(fd, "inotify ", before, sizeof(before)));
	if (ioctl(fd, FIONREAD, &queued))
		return fail_errno("FIONREAD");

	test_daemon();
	test_waitsig();

	if (fdinfo_lines(fd, "inotify ", after, sizeof(after)) < 0)
		return fail_errno("read inotify fdinfo");
	if (expect_str("inotify watches", after, before))
		return 1;
	if (ioctl(fd, FIONREAD, &queued_now))
		return fail_errno("FIONREAD after C/R");
	if (expect_int("bytes of queued events", queued_now, queued))
		return 1;
	if (expect_event(fd, wd_dir, IN_CREATE, "queued") || expect_event(fd, wd_dir, IN_MODIFY, "queued") ||
	    expect_event(fd, wd_dir, IN_DELETE, "queued") || expect_no_event(fd, "the queued events"))
		return 1;
	if (expect_oneshot(fd) || expect_excl_unlink(fd))
		return 1;
	return pass();
}
