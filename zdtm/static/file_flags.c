#include <fcntl.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "fds on one file keep their access modes, O_NONBLOCK, O_NOATIME, O_APPEND and FD_CLOEXEC",
	  .flavors = ZDTM_ALL_FLAVORS);

static const struct {
	int oflags;     /* open(2) flags */
	int fdflags;    /* F_SETFD */
} want[] = {
	{ O_RDONLY, 0 },
	{ O_WRONLY, FD_CLOEXEC },
	{ O_RDWR, 0 },
	{ O_RDONLY | O_NONBLOCK, FD_CLOEXEC },
	{ O_WRONLY | O_NONBLOCK | O_APPEND, 0 },
	{ O_RDONLY | O_NOATIME, 0 },
	{ O_RDWR | O_NOATIME | O_NONBLOCK, FD_CLOEXEC },
};
#define NFDS (int)(sizeof(want) / sizeof(want[0]))
/* the status flags a test can choose; F_GETFL also reports O_LARGEFILE */
#define CHOSEN (O_ACCMODE | O_NONBLOCK | O_NOATIME | O_APPEND)

int main(int argc, char **argv)
{
	int fd[NFDS], fl[NFDS];

	test_init(argc, argv);
	for (int i = 0; i < NFDS; i++) {
		fd[i] = open(test_path("test"), want[i].oflags | O_CREAT, 0644);
		if (fd[i] < 0)
			return fail_errno("open %s with flags 0%o", test_path("test"), want[i].oflags);
		if (fcntl(fd[i], F_SETFD, want[i].fdflags))
			return fail_errno("F_SETFD");
		fl[i] = fcntl(fd[i], F_GETFL);
		if ((fl[i] & CHOSEN) != want[i].oflags)
			return fail("fd %d opened with flags 0%o, expected 0%o", fd[i],
				    fl[i] & CHOSEN, want[i].oflags);
	}

	test_daemon();
	test_waitsig();

	for (int i = 0; i < NFDS; i++) {
		int now = fcntl(fd[i], F_GETFL), fdfl = fcntl(fd[i], F_GETFD);

		if (now < 0 || fdfl < 0)
			return fail_errno("fd %d is gone", fd[i]);
		if ((now & CHOSEN) != want[i].oflags)
			return fail("fd %d has flags 0%o, expected 0%o", fd[i], now & CHOSEN,
				    want[i].oflags);
		if (now != fl[i])
			return fail("fd %d F_GETFL is 0%o, expected 0%o as before C/R", fd[i], now, fl[i]);
		if (fdfl != want[i].fdflags)
			return fail("fd %d has fd flags 0%o, expected 0%o", fd[i], fdfl, want[i].fdflags);
	}
	return pass();
}
