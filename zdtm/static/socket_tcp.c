#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

/* socket_tcp6.c includes this file with TEST_FAMILY AF_INET6 and its own declaration. */
#ifndef TEST_FAMILY
#define TEST_FAMILY AF_INET
ZDTM_TEST(.doc = "an established TCP connection over 127.0.0.1 between two processes keeps its addresses and the bytes queued both ways",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");
#endif

#define PORT 41232
#define C2S_LEN (20000 + 17)   /* queued at the server end (the child) */
#define S2C_LEN 7777           /* queued at the client end (the parent) */

/* "local 127.0.0.1:41232 peer 127.0.0.1:53012" of fd, into buf */
static const char *ends_str(int fd, char *buf, size_t len)
{
	char local[64], peer[64];

	if (inet_name(fd, false, local, sizeof(local)) || inet_name(fd, true, peer, sizeof(peer)))
		return strerror(errno);
	snprintf(buf, len, "local %s peer %s", local, peer);
	return buf;
}

static char c2s[C2S_LEN], s2c[S2C_LEN];
static char ends[2][160];    /* the child's (server) and the parent's (client) ends before C/R */

/* One byte out on fd, one byte back: "" when both went through, else what went wrong. */
static const char *exchange(int fd, char out, char in, bool out_first)
{
	char c = 0;

	if (out_first && send(fd, &out, 1, MSG_NOSIGNAL) != 1)
		return "write failed";
	if (read(fd, &c, 1) != 1)
		return "read got no byte (EOF or error)";
	if (c != in)
		return "read a byte other than the one sent";
	if (!out_first && send(fd, &out, 1, MSG_NOSIGNAL) != 1)
		return "write failed";
	return "";
}

/* The child holds the server end: queue s2c, wait for C/R, check its end, echo a byte back. */
static int child(int acc, struct zdtm_waiter *w)
{
	char now[160];
	int ret;

	if (write_all(acc, s2c, sizeof(s2c)))
		return fail_errno("queue server -> client data");
	waiter_post(w, 1);
	waiter_wait(w, 2);
	ret = expect_str("server end", ends_str(acc, now, sizeof(now)), ends[0]) ||
	      expect_queued("client -> server queue", acc, c2s, sizeof(c2s));
	waiter_post(w, 3);
	if (ret)
		return ret;
	return expect_str("new data at the server end", exchange(acc, 'c', 'p', false), "");
}

/* The parent's end and queue; then the child may check its own. */
static int check_parent(int cli, struct zdtm_waiter *w)
{
	char now[160];
	int ret;

	ret = expect_str("client end", ends_str(cli, now, sizeof(now)), ends[1]) ||
	      expect_queued("server -> client queue", cli, s2c, sizeof(s2c));
	waiter_post(w, 2);
	waiter_wait(w, 3);
	return ret;
}

int main(int argc, char **argv)
{
	struct zdtm_waiter *w;
	const char *msg = "";
	int fd[2], cli, acc, ret, status;
	pid_t pid;

	test_init(argc, argv);
	datagen(c2s, sizeof(c2s), 1);
	datagen(s2c, sizeof(s2c), 2);
	if (tcp_pair(TEST_FAMILY, PORT, fd)) {
		if (errno == EAFNOSUPPORT)
			return skip("no IPv6 in this kernel");
		if (errno == EADDRNOTAVAIL)
			return skip("the loopback address is not configured");
		return fail_errno("connect over the loopback to port %d", PORT);
	}
	cli = fd[0], acc = fd[1];
	ends_str(acc, ends[0], sizeof(ends[0]));
	ends_str(cli, ends[1], sizeof(ends[1]));
	w = waiter_new();
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		close(cli);
		_exit(child(acc, w));
	}
	close(acc);
	if (write_all(cli, c2s, sizeof(c2s)))
		return fail_errno("queue client -> server data");
	waiter_wait(w, 1);

	test_daemon();
	test_waitsig();

	ret = check_parent(cli, w);
	if (!ret)
		msg = exchange(cli, 'p', 'c', true);
	close(cli);     /* a child still waiting for a byte reads EOF */
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (ret)
		return ret;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return fail("the child (server end) failed its checks (its ERR line above): status 0x%x", status);
	if (expect_str("new data at the client end", msg, ""))
		return 1;
	return pass();
}
