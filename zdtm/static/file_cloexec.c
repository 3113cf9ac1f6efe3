#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "FD_CLOEXEC stays on exactly the fds that had it (O_CLOEXEC, F_SETFD, dup3, pipe2), off on the rest",
	  .flavors = ZDTM_ALL_FLAVORS);

/* How each fd got (or lost) its close-on-exec bit; the bit is per fd, not per open file. */
enum how { OPEN, OPEN_CLOEXEC, SETFD_ON, SETFD_OFF, DUP, DUP3, DUP3_CLOEXEC, PIPE2_CLOEXEC };

static const struct {
	enum how how;
	int cloexec;    /* FD_CLOEXEC or 0 */
	const char *what;
} fds[] = {
	{ OPEN, 0, "open()" },
	{ OPEN_CLOEXEC, FD_CLOEXEC, "open(O_CLOEXEC)" },
	{ SETFD_ON, FD_CLOEXEC, "open() + F_SETFD FD_CLOEXEC" },
	{ SETFD_OFF, 0, "open(O_CLOEXEC) + F_SETFD 0" },
	{ DUP, 0, "dup() of an O_CLOEXEC fd" },
	{ DUP3, 0, "dup3(0) of an O_CLOEXEC fd" },
	{ DUP3_CLOEXEC, FD_CLOEXEC, "dup3(O_CLOEXEC) of a plain fd" },
	{ PIPE2_CLOEXEC, FD_CLOEXEC, "pipe2(O_CLOEXEC) read end" },
	{ PIPE2_CLOEXEC, FD_CLOEXEC, "pipe2(O_CLOEXEC) write end" },
};
#define NFDS (int)(sizeof(fds) / sizeof(fds[0]))

/* Opens fd i as fds[i] says; plain and cloexec are the sources of the dup variants. */
static int make_fd(int i, int plain, int cloexec, int pipe_end)
{
	const char *path = test_path("test");
	int fd = -1;

	switch (fds[i].how) {
	case OPEN: return open(path, O_RDONLY);
	case OPEN_CLOEXEC: return open(path, O_RDONLY | O_CLOEXEC);
	case SETFD_ON:
		fd = open(path, O_RDONLY);
		return fd < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) ? -1 : fd;
	case SETFD_OFF:
		fd = open(path, O_RDONLY | O_CLOEXEC);
		return fd < 0 || fcntl(fd, F_SETFD, 0) ? -1 : fd;
	case DUP: return dup(cloexec);
	case DUP3: return dup3(cloexec, 40 + i, 0);   /* numbers with a gap before them */
	case DUP3_CLOEXEC: return dup3(plain, 40 + i, O_CLOEXEC);
	case PIPE2_CLOEXEC: return pipe_end;
	}
	return -1;
}

int main(int argc, char **argv)
{
	int plain, cloexec, fd[NFDS], p[2], np = 0;
	struct stat made, st;

	test_init(argc, argv);
	plain = open(test_path("test"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	cloexec = open(test_path("test"), O_RDONLY | O_CLOEXEC);
	if (plain < 0 || cloexec < 0 || fstat(plain, &made))
		return fail_errno("open %s", test_path("test"));
	if (pipe2(p, O_CLOEXEC))
		return fail_errno("pipe2");
	for (int i = 0; i < NFDS; i++) {
		fd[i] = make_fd(i, plain, cloexec, fds[i].how == PIPE2_CLOEXEC ? p[np++] : -1);
		if (fd[i] < 0)
			return fail_errno("%s", fds[i].what);
		if (fcntl(fd[i], F_GETFD) != fds[i].cloexec)
			return fail("%s: fd flags 0%o before C/R, expected 0%o", fds[i].what,
				    fcntl(fd[i], F_GETFD), fds[i].cloexec);
	}

	test_daemon();
	test_waitsig();

	for (int i = 0; i < NFDS; i++) {
		int now = fcntl(fd[i], F_GETFD);

		if (now < 0 || fstat(fd[i], &st))
			return fail_errno("fd %d (%s) is gone", fd[i], fds[i].what);
		if (fds[i].how != PIPE2_CLOEXEC && st.st_ino != made.st_ino)
			return fail("fd %d (%s) is inode %lu, expected %lu", fd[i], fds[i].what,
				    (unsigned long)st.st_ino, (unsigned long)made.st_ino);
		if (now != fds[i].cloexec)
			return fail("fd %d (%s) has fd flags 0%o, expected 0%o", fd[i], fds[i].what, now,
				    fds[i].cloexec);
	}
	if (expect_int("fd flags of the plain source fd", fcntl(plain, F_GETFD), 0) ||
	    expect_int("fd flags of the O_CLOEXEC source fd", fcntl(cloexec, F_GETFD), FD_CLOEXEC))
		return 1;
	return pass();
}
