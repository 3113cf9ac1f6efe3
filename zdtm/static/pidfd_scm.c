#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a pidfd of a live child received as SCM_PIDFD over a unix socket (SO_PASSPIDFD), held after the socket is closed",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef SO_PASSPIDFD
#define SO_PASSPIDFD 76
#endif
#ifndef SCM_PIDFD
#define SCM_PIDFD 0x04
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

/* The pidfd of the sender of one message on sk, from its SCM_PIDFD, or -1. */
static int recv_pidfd(int sk)
{
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	char c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *ch;
	int fd = -1;

	if (recvmsg(sk, &mh, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	for (ch = CMSG_FIRSTHDR(&mh); ch; ch = CMSG_NXTHDR(&mh, ch))
		if (ch->cmsg_level == SOL_SOCKET && ch->cmsg_type == SCM_PIDFD)
			memcpy(&fd, CMSG_DATA(ch), sizeof(fd));
	errno = fd < 0 ? ENOMSG : 0;
	return fd;
}

/* The "Pid:" of the pidfd's fdinfo, or -1. */
static int fdinfo_pid(int fd)
{
	char buf[64];

	return fdinfo_lines(fd, "Pid:", buf, sizeof(buf)) == 1 ? atoi(buf) : -1;
}

/* The pidfd still names the child: fdinfo, a signal sent through it, waitid(P_PIDFD). */
static int expect_child_ends(int fd, pid_t child)
{
	siginfo_t si = { 0 };

	if (expect_int("fdinfo Pid of the received pidfd", fdinfo_pid(fd), child))
		return 1;
	if (syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0))
		return fail_errno("pidfd_send_signal(SIGKILL) through the received pidfd");
	if (waitid(P_PIDFD, fd, &si, WEXITED))
		return fail_errno("waitid(P_PIDFD) of the received pidfd");
	if (expect_int("waitid si_pid", si.si_pid, child) || expect_int("waitid si_code", si.si_code, CLD_KILLED) ||
	    expect_int("waitid si_status", si.si_status, SIGKILL))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int sk[2], one = 1, fd;
	pid_t child;

	test_init(argc, argv);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sk))
		return fail_errno("socketpair");
	if (setsockopt(sk[0], SOL_SOCKET, SO_PASSPIDFD, &one, sizeof(one)))
		return skip("no SO_PASSPIDFD: %s", strerror(errno));
	child = fork();
	if (child < 0)
		return fail_errno("fork");
	if (child == 0) {
		close(sk[0]);
		if (write(sk[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(sk[1]);
	fd = recv_pidfd(sk[0]);
	close(sk[0]);
	if (fd < 0) {
		kill(child, SIGKILL);
		return fail_errno("no SCM_PIDFD with the child's message");
	}
	if (expect_int("fdinfo Pid of the received pidfd", fdinfo_pid(fd), child))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_child_ends(fd, child)) {
		kill(child, SIGKILL);
		return 1;
	}
	return pass();
}
