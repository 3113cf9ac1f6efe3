#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

#ifndef FAMILY
ZDTM_TEST(.doc = "criu's network lock (iptables): a TCP peer outside the dumped tree keeps sending while the test is dumped and restored, and sees no reset; the stream arrives whole after C/R",
	  .flavors = ZDTM_FLAVOR_H, .flags = "nouser samens", .opts = "--tcp-established --network-lock iptables");
#define FAMILY AF_INET
#endif

/*
 * The peer is an orphan of the test (forked by a child that exits at once): criu does not dump
 * it, so it keeps sending a byte ('a'..'z' again and again) every 20 ms while the test's socket
 * is gone. Without a lock its packets would meet no socket and the kernel would reset the
 * connection. It leaves the test's session: criu restores the test with its pid, which must
 * not be the session or group id of a live process then. On '.' from the test it stops and answers "#ok retrans N\n", or "#" and the
 * error it saw.
 */
static void peer(int sk)
{
	char c = 'a', cmd, status[96];
	struct tcp_info ti = { 0 };
	socklen_t len = sizeof(ti);
	int err = 0;

	for (;;) {
		struct pollfd p = { .fd = sk, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 20) == 1) {
			n = recv(sk, &cmd, 1, 0);
			if (n == 1 && cmd == '.')
				break;
			err = n < 0 ? errno : EPIPE;
			break;
		}
		if (send(sk, &c, 1, MSG_DONTWAIT | MSG_NOSIGNAL) == 1)
			c = c == 'z' ? 'a' : c + 1;
		else if (errno != EAGAIN) {
			err = errno;
			break;
		}
	}
	getsockopt(sk, IPPROTO_TCP, TCP_INFO, &ti, &len);
	if (err)
		snprintf(status, sizeof(status), "#%s\n", strerror(err));
	else
		snprintf(status, sizeof(status), "#ok retrans %u\n", ti.tcpi_total_retrans);
	send(sk, status, strlen(status), MSG_NOSIGNAL);
	close(sk);
}

/* The peer's pid, through a pipe from the child that forks it and exits. */
static pid_t start_peer(int fd[2])
{
	int p[2];
	pid_t child, pid = -1;

	if (pipe(p) || (child = fork()) < 0)
		return -1;
	if (child == 0) {
		pid = fork();
		if (pid == 0) {
			setsid();
			close(p[0]), close(p[1]), close(fd[0]);
			peer(fd[1]);
			_exit(0);
		}
		_exit(write(p[1], &pid, sizeof(pid)) == sizeof(pid) ? 0 : 1);
	}
	close(p[1]);
	if (read(p[0], &pid, sizeof(pid)) != sizeof(pid))
		pid = -1;
	close(p[0]);
	waitpid(child, NULL, 0);
	return pid;
}

/* After '.', the stream: every byte the next letter, then the peer's status line. */
static int read_stream(int sk, char *status, size_t len)
{
	char want = 'a', c;
	long n = 0;

	while (recv(sk, &c, 1, 0) == 1 && c != '#') {
		if (c != want)
			return fail("byte %ld of the stream is '%c', expected '%c'", n, c, want);
		want = want == 'z' ? 'a' : want + 1;
		n++;
	}
	if (c != '#')
		return fail_errno("the stream ended after %ld bytes without the peer's status", n);
	memset(status, 0, len);
	for (size_t i = 0; i < len - 1 && recv(sk, status + i, 1, 0) == 1 && status[i] != '\n'; i++)
		;
	status[strcspn(status, "\n")] = 0;
	test_msg("%ld bytes in order, the peer says \"%s\"", n, status);
	return 0;
}

int main(int argc, char **argv)
{
	struct timeval tv = { .tv_sec = 20 };
	char status[96];
	int fd[2], pidfd;
	pid_t pid;

	test_init(argc, argv);
	if (tcp_pair(FAMILY, 0, fd))
		return fail_errno("a TCP pair over loopback");
	pid = start_peer(fd);
	close(fd[1]);
	if (pid < 0 || setsockopt(fd[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return fail_errno("the peer");

	test_daemon();
	test_waitsig();

	if (send(fd[0], ".", 1, MSG_NOSIGNAL) != 1)
		return fail_errno("send '.' to the peer");
	if (read_stream(fd[0], status, sizeof(status)))
		return 1;
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0)   /* it is not ours to reap: wait until it is gone */
		poll(&(struct pollfd){ .fd = pidfd, .events = POLLIN }, 1, 5000);
	if (strncmp(status, "ok", 2))
		return fail("the peer saw its connection fail: %s", status);
	return pass();
}
