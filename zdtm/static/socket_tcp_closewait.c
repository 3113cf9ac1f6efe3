#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

/* socket-tcp6-close-wait.c and socket-tcp4v6-*.c include this file with their own declaration and
 * TEST_FAMILY AF_INET6 (over ::1) or TCP_4V6 (an IPv4 client and the AF_INET6 end of a dual-stack
 * listener) with V6_END, the state of the AF_INET6 end: CLOSE_WAIT or FIN_WAIT2; socket-tcp6-fin-wait2.c
 * with EARLY_LEN too: bytes the CLOSE_WAIT end sent before the dump wait unread at the FIN_WAIT2 end. */
#ifndef TEST_FAMILY
#define TEST_FAMILY AF_INET
ZDTM_TEST(.doc = "a half-closed TCP connection between two processes: the CLOSE_WAIT end keeps the data and the FIN, the FIN_WAIT2 end still receives",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");
#endif
#define TCP_4V6 46
#define CLOSE_WAIT 8
#define FIN_WAIT2 5
#define C2S_LEN 6007    /* sent by the child before its shutdown(SHUT_WR), unread by the parent */
#define S2C_LEN 4099    /* sent by the parent after C/R */
#ifndef EARLY_LEN
#define EARLY_LEN 0     /* sent by the parent before the dump, unread by the child */
#endif

static char c2s[C2S_LEN], s2c[S2C_LEN], early[EARLY_LEN + 1];
static char names[2][160];   /* the child's and the parent's ends' addresses before C/R */

/* "local A peer B" of fd */
static const char *ends_str(int fd, char *buf, size_t len)
{
	char local[64], peer[64];

	if (inet_name(fd, false, local, sizeof(local)) || inet_name(fd, true, peer, sizeof(peer)))
		return strerror(errno);
	snprintf(buf, len, "local %s peer %s", local, peer);
	return buf;
}

/* fd holds exactly `len` bytes equal to `want`, then the end of the stream. */
static int expect_data_eof(const char *what, int fd, const char *want, int len)
{
	static char buf[C2S_LEN + S2C_LEN];
	int n;
	char c;

	n = read_all(fd, buf, len);
	if (n != len)
		return fail_errno("%s: %d bytes before EOF, expected %d", what, n, len);
	if (expect_bytes(what, buf, want, len))
		return 1;
	n = recv(fd, &c, 1, 0);
	if (n != 0)
		return fail_errno("%s: read returned %d after the data, expected 0 (EOF)", what, n);
	return 0;
}

/* The child: the FIN_WAIT2 end. After C/R it receives S2C_LEN bytes and the parent's FIN. */
static int child(int cli, struct zdtm_waiter *w)
{
	int ret;

	waiter_post(w, 1);   /* its copy of the parent's end is closed: ready */
	char now[160];

	waiter_wait(w, 2);
	ret = expect_str("child end state", tcp_state_name(cli), "FIN_WAIT2") ||
	      expect_str("child end addresses", ends_str(cli, now, sizeof(now)), names[0]) ||
	      (EARLY_LEN && expect_queued("parent -> child before the dump", cli, early, EARLY_LEN));
	waiter_post(w, 3);   /* the parent may write now */
	if (ret)
		return ret;
	return expect_data_eof("parent -> child after C/R", cli, s2c, sizeof(s2c));
}

/* The parent's end after C/R: CLOSE_WAIT, the child's data then EOF, and it can still send. */
static int check_parent(int acc, struct zdtm_waiter *w)
{
	char now[160];
	int inq = -1;

	if (expect_str("parent end state", tcp_state_name(acc), "CLOSE_WAIT") ||
	    expect_str("parent end addresses", ends_str(acc, now, sizeof(now)), names[1]))
		return 1;
	if (ioctl(acc, FIONREAD, &inq))
		return fail_errno("FIONREAD on the parent end");
	if (inq != C2S_LEN)
		return fail("parent end holds %d unread bytes, expected %d", inq, C2S_LEN);
	if (expect_data_eof("child -> parent queue", acc, c2s, sizeof(c2s)))
		return 1;
	waiter_wait(w, 3);   /* the child has seen FIN_WAIT2 before anything moves */
	if (write_all(acc, s2c, sizeof(s2c)))
		return fail_errno("parent -> child write after C/R");
	if (shutdown(acc, SHUT_WR))   /* the child reads EOF after the data */
		return fail_errno("shutdown(SHUT_WR) of the CLOSE_WAIT end");
	return 0;
}

/* EARLY_LEN bytes from the CLOSE_WAIT end wait in the FIN_WAIT2 end's receive queue. */
static int wait_early(int acc, int cli)
{
	int inq = -1;

	datagen(early, EARLY_LEN, 7);
	if (write_all(acc, early, EARLY_LEN))
		return fail_errno("parent end: write %d bytes before the dump", EARLY_LEN);
	for (int ms = 0; ms < 10000 && (ioctl(cli, FIONREAD, &inq) || inq != EARLY_LEN); ms++)
		usleep(1000);
	return expect_int("bytes queued at the FIN_WAIT2 end before the dump", inq, EARLY_LEN);
}

int main(int argc, char **argv)
{
	struct zdtm_waiter *w;
	int fd[2], cli, acc, ret, status;
	pid_t pid;

	test_init(argc, argv);
	datagen(c2s, sizeof(c2s), 5);
	datagen(s2c, sizeof(s2c), 6);
	if (TEST_FAMILY == TCP_4V6 ? tcp_pair_4v6(0, fd) : tcp_pair(TEST_FAMILY, 0, fd)) {
		if (errno == EAFNOSUPPORT || errno == EADDRNOTAVAIL)
			return skip("no IPv6 loopback here");
		return fail_errno("connect over the loopback");
	}
#if TEST_FAMILY == TCP_4V6 && V6_END == FIN_WAIT2
	cli = fd[1], acc = fd[0];    /* tcp_pair_4v6's fd[1] is the AF_INET6 end */
#else
	cli = fd[0], acc = fd[1];
#endif
	ends_str(cli, names[0], sizeof(names[0]));
	ends_str(acc, names[1], sizeof(names[1]));
	if (write_all(cli, c2s, sizeof(c2s)) || shutdown(cli, SHUT_WR))
		return fail_errno("child end: write then shutdown(SHUT_WR)");
	while (strcmp(tcp_state_name(acc), "CLOSE_WAIT") || strcmp(tcp_state_name(cli), "FIN_WAIT2"))
		usleep(1000);   /* the FIN and its ACK travel over lo */
	if (EARLY_LEN && wait_early(acc, cli))
		return 1;
	w = waiter_new();
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		close(acc);
		_exit(child(cli, w));
	}
	close(cli);
	waiter_wait(w, 1);

	test_daemon();
	test_waitsig();

	waiter_post(w, 2);
	ret = check_parent(acc, w);
	close(acc);     /* a child still waiting reads EOF or a reset */
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (ret)
		return ret;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return fail("the child (FIN_WAIT2 end) failed its checks (its line above): status 0x%x", status);
	return pass();
}
