#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "files keep being created and removed in an inotify-watched directory while the events are read behind, up to 16 unread: each IN_CREATE and IN_DELETE comes, in order, with its name",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define BEHIND 16               /* events left unread at most */
#define RING 64

/* The events the test caused and has not read yet: a ring of (mask, file number). */
static struct { uint32_t mask; unsigned file; } ring[RING];
static unsigned head, tail;     /* made, read */
static char problem[200];

static void expect_event(uint32_t mask, unsigned file)
{
	ring[head % RING].mask = mask;
	ring[head % RING].file = file;
	head++;
}

/* Reads events until at most `left` stay unread; each must be the next one expected. */
static int drain(int fd, unsigned left)
{
	char buf[4096] __attribute__((aligned(8))), name[32];

	while (head - tail > left) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return snprintf(problem, sizeof(problem), "event %u: none queued, expected %#x \"f%u\" (%u due)",
					tail, ring[tail % RING].mask, ring[tail % RING].file, head - tail);
		if (n <= 0)
			return snprintf(problem, sizeof(problem), "read: %zd (errno %d) with %u events due", n, errno,
					head - tail);
		for (char *p = buf; p < buf + n; tail++) {
			struct inotify_event *e = (struct inotify_event *)p;

			if (tail == head)
				return snprintf(problem, sizeof(problem), "an event nobody caused: mask %#x \"%s\"",
						e->mask, e->len ? e->name : "");
			snprintf(name, sizeof(name), "f%u", ring[tail % RING].file);
			if (e->mask != ring[tail % RING].mask || !e->len || strcmp(e->name, name))
				return snprintf(problem, sizeof(problem), "event %u: mask %#x \"%s\", expected %#x \"%s\"",
						tail, e->mask, e->len ? e->name : "", ring[tail % RING].mask, name);
			p += sizeof(*e) + e->len;
		}
	}
	return 0;
}

static int file_op(unsigned file, bool create)
{
	char path[PATH_MAX];
	int f;

	snprintf(path, sizeof(path), "%s/f%u", test_path("dir"), file);
	if (create) {
		f = open(path, O_CREAT | O_WRONLY, 0600);
		if (f < 0 || close(f))
			return snprintf(problem, sizeof(problem), "create %s: errno %d", path, errno);
		expect_event(IN_CREATE, file);
	} else {
		if (unlink(path))
			return snprintf(problem, sizeof(problem), "unlink %s: errno %d", path, errno);
		expect_event(IN_DELETE, file);
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned round = 0;
	int fd;

	test_init(argc, argv);
	if (mkdir(test_path("dir"), 0755))
		return fail_errno("mkdir");
	/* Non-blocking: the kernel queues an event before the create or unlink returns, so an event due
	 * and not there is lost (after a restore that dropped the queue), not late. */
	fd = inotify_init1(IN_NONBLOCK);
	if (fd < 0 || inotify_add_watch(fd, test_path("dir"), IN_CREATE | IN_DELETE) < 0)
		return fail_errno("inotify");

	test_daemon();
	while (test_go() && !problem[0]) {
		if (file_op(round, true) || (round && file_op(round - 1, false)))
			break;
		round++;
		drain(fd, BEHIND);
	}
	test_waitsig();

	if (!problem[0])
		drain(fd, 0);
	if (problem[0])
		return fail("%s", problem);
	test_msg("%u files, %u events", round, tail);
	return pass();
}
