/*
 * Inherited fds, as the original's inhfd set: the test's pipe or socket comes from the runner (at
 * fd ZDTM_INHFD_FD), so criu dumps an fd whose other end is outside the tree. A restore gets a
 * fresh pair: `--inherit-fd fd[3]:NAME` makes criu put the new end (its fd 3) where the dumped
 * one, named NAME (pipe:[INO], socket:[INO]), was. Before SIGTERM the runner writes a message into
 * its end; the test reads it from the fd it holds, which is only the runner's pair if criu used
 * the inherited fd (a pipe criu made anew would stay empty).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../zdtm/lib/inhfd.h"
#include "inhfd.h"

enum inhfd_kind inhfd_kind(const struct test *t)
{
	return test_has_flag(t, "inhfd-pipe") ? INHFD_PIPE : test_has_flag(t, "inhfd-socket") ? INHFD_SOCKET
											  : INHFD_NONE;
}

/* A new pair into *mine and *theirs, and criu's name of theirs. */
static int make_pair(enum inhfd_kind kind, int *mine, int *theirs, char *name, size_t nlen, char *why, size_t len)
{
	int p[2];
	struct stat st;

	if (kind == INHFD_PIPE ? pipe2(p, O_CLOEXEC) : socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p)) {
		snprintf(why, len, "inherited fd: cannot make a %s: %s", kind == INHFD_PIPE ? "pipe" : "socketpair",
			 strerror(errno));
		return -1;
	}
	/* A pipe's read end goes to the test, which reads what the runner writes. criu hands an
	 * inherited pipe end over reopened (through /proc/self/fd: O_LARGEFILE set), so the test's
	 * first end is reopened too, or the state diff would see flags 0 become 0100000 (harmless on
	 * 64 bits). */
	*theirs = p[0];
	*mine = p[1];
	if (kind == INHFD_PIPE) {
		char self[64];
		int again;

		snprintf(self, sizeof(self), "/proc/self/fd/%d", p[0]);
		if ((again = open(self, O_RDONLY | O_CLOEXEC)) >= 0) {
			close(p[0]);
			*theirs = again;
		}
	}
	fstat(*theirs, &st);
	snprintf(name, nlen, "%s:[%lu]", kind == INHFD_PIPE ? "pipe" : "socket", (unsigned long)st.st_ino);
	return 0;
}

int inhfd_start(struct inhfd *h, enum inhfd_kind kind, char *why, size_t len)
{
	*h = (struct inhfd){ .kind = kind, .mine = -1, .theirs = -1 };
	if (kind == INHFD_NONE || make_pair(kind, &h->mine, &h->theirs, h->next, sizeof(h->next), why, len))
		return kind == INHFD_NONE ? 0 : -1;
	/* Named as a restore's would be once handed over (inhfd_handed). */
	return 0;
}

int inhfd_renew(struct inhfd *h, char *why, size_t len)
{
	int mine;

	if (make_pair(h->kind, &mine, &h->theirs, h->next, sizeof(h->next), why, len))
		return -1;
	close(h->mine);
	h->mine = mine;
	return 0;
}

void inhfd_handed(struct inhfd *h, bool took)
{
	if (h->theirs >= 0)
		close(h->theirs);
	h->theirs = -1;
	if (took && h->next[0]) {
		snprintf(h->name, sizeof(h->name), "%s", h->next);
		snprintf(h->ino, sizeof(h->ino), "%.*s", (int)strcspn(strchr(h->name, '[') + 1, "]"),
			 strchr(h->name, '[') + 1);
	}
	h->next[0] = 0;
}

int inhfd_say(struct inhfd *h, char *why, size_t len)
{
	const char *msg = ZDTM_INHFD_MESSAGE;
	struct timespec now = { 0 };
	sigset_t pipe_sig, old;
	ssize_t n;

	if (h->mine < 0)
		return 0;
	/* A reader that is gone must not kill the job's init: SIGPIPE is held and taken back. */
	sigemptyset(&pipe_sig);
	sigaddset(&pipe_sig, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_sig, &old);
	n = write(h->mine, msg, strlen(msg));
	if (n < 0 && errno == EPIPE)
		sigtimedwait(&pipe_sig, NULL, &now);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (n == (ssize_t)strlen(msg))
		return 0;
	snprintf(why, len, "inherited fd: the runner's end took %zd of %zu bytes: %s", n, strlen(msg),
		 n < 0 ? strerror(errno) : "short write");
	return -1;
}

void inhfd_close(struct inhfd *h)
{
	if (h->mine >= 0)
		close(h->mine);
	if (h->theirs >= 0)
		close(h->theirs);
	h->mine = h->theirs = -1;
}
