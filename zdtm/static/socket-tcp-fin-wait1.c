#include <linux/filter.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

/*
 * The TCP teardown states. A FIN queued behind data the peer has no room for is not sent, so the
 * states that wait for a FIN's ACK (FIN_WAIT1, CLOSING, LAST_ACK) hold still: the receiving end's
 * buffer is made small and filled. socket-tcp-last-ack.c, -closing.c and -closed.c include this
 * file with TEARDOWN set and their own declaration; the socket-tcp6-* and socket-tcp4v6-* ones
 * with TEST_FAMILY AF_INET6 (over ::1) or TCP_4V6 too (the end in the state is the AF_INET6 end of
 * a dual-stack listener, its peer an IPv4 client: v4-mapped addresses). socket-tcp-closed-last-ack.c
 * sets CLOSED_LAST_ACK: CLOSED, but the peer drops every segment it gets (a socket filter) before its
 * own FIN, so it never sees the last ACK and is closed in LAST_ACK, resending its FIN during C/R.
 */
enum { FIN_WAIT1, LAST_ACK, CLOSING, CLOSED, CLOSED_LAST_ACK };
#ifndef TEARDOWN
#define TEARDOWN FIN_WAIT1
ZDTM_TEST(.doc = "a TCP end in FIN_WAIT1 (its FIN queued behind data the peer has no room for) keeps the data and the FIN; the peer still sends",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");
#endif
#define TCP_4V6 46
#ifndef TEST_FAMILY
#define TEST_FAMILY AF_INET
#endif

#define CLOSED_LEN 6007     /* CLOSED: what the peer sent before its FIN, unread */

/* The byte at offset i of the stream each test sends: it differs from its neighbours and from
 * the byte 64 KiB before it, so a lost or repeated chunk shows. */
static char stream_byte(long i)
{
	return (char)(i * 7 + (i >> 16) * 13 + 1);
}

static void stream_chunk(char *buf, long off, size_t len)
{
	for (size_t k = 0; k < len; k++)
		buf[k] = stream_byte(off + (long)k);
}

/* Writes the stream on fd until neither fd's send buffer nor the peer's receive buffer (both made
 * small) takes more. Returns how many bytes went, or -1. */
static long fill(int snd, int rcv)
{
	int small = 4096, rounds = 0;
	long sent = 0;
	char buf[4096];

	if (setsockopt(rcv, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)) ||
	    setsockopt(snd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)) || set_nonblock(snd, true))
		return -1;
	while (rounds < 5) {   /* full five times in a row, 20 ms apart: the ACKs have settled */
		stream_chunk(buf, sent, sizeof(buf));
		ssize_t n = send(snd, buf, sizeof(buf), MSG_NOSIGNAL);
		if (n > 0) {
			sent += n, rounds = 0;
			continue;
		}
		if (errno != EAGAIN)
			return -1;
		rounds++;
		usleep(20000);
	}
	return set_nonblock(snd, false) ? -1 : sent;
}

/* fd holds exactly len bytes of the stream, then the end of it. */
static int expect_stream(const char *what, int fd, long len)
{
	char buf[4096], want[4096];
	long off = 0;
	ssize_t n;

	while (off < len) {
		size_t chunk = len - off < (long)sizeof(buf) ? (size_t)(len - off) : sizeof(buf);
		n = read(fd, buf, chunk);
		if (n <= 0)
			return fail_errno("%s: %ld bytes before the end (read %zd), expected %ld", what, off, n, len);
		stream_chunk(want, off, n);
		for (ssize_t k = 0; k < n; k++)
			if (buf[k] != want[k])
				return fail("%s: byte %ld of %ld is 0x%02x, expected 0x%02x", what, off + k, len,
					    (unsigned char)buf[k], (unsigned char)want[k]);
		off += n;
	}
	n = read(fd, buf, 1);
	if (n != 0)
		return fail_errno("%s: read returned %zd after %ld bytes, expected 0 (the FIN)", what, n, len);
	return 0;
}

/* Waits up to 10 s for fd to reach state: the last ACKs travel over lo. */
static int expect_state_soon(const char *what, int fd, const char *state)
{
	for (int ms = 0; ms < 10000 && strcmp(tcp_state_name(fd), state); ms++)
		usleep(1000);
	return expect_str(what, tcp_state_name(fd), state);
}

/* fd drops every segment it receives (a socket filter that accepts nothing): ACKs and RSTs too. */
static int deaf(int fd)
{
	struct sock_filter drop[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	struct sock_fprog prog = { .len = 1, .filter = drop };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

/* Builds the state on the pair a (the end in the state) and b (its peer); returns the bytes that
 * wait for b (FIN_WAIT1, CLOSING) or for a (LAST_ACK, CLOSED), or -1. */
static long build(int a, int b)
{
	long n = -1;
	char buf[CLOSED_LEN];

	switch (TEARDOWN) {
	case FIN_WAIT1:   /* a's FIN waits behind its data */
		n = fill(a, b);
		return n < 0 || shutdown(a, SHUT_WR) ? -1 : n;
	case LAST_ACK:    /* b closed first; a's FIN waits behind its data */
		if (shutdown(b, SHUT_WR))
			return -1;
		while (strcmp(tcp_state_name(a), "CLOSE_WAIT") || strcmp(tcp_state_name(b), "FIN_WAIT2"))
			usleep(1000);
		n = fill(a, b);
		return n < 0 || shutdown(a, SHUT_WR) ? -1 : n;
	case CLOSING:     /* both closed; b's FIN arrived, a's waits behind its data */
		n = fill(a, b);
		if (n < 0 || shutdown(a, SHUT_WR) || shutdown(b, SHUT_WR))
			return -1;
		while (strcmp(tcp_state_name(a), "CLOSING") || strcmp(tcp_state_name(b), "FIN_WAIT2"))
			usleep(1000);
		return n;
	case CLOSED:      /* a closed first, b sent data and closed: a got both and is CLOSE */
		stream_chunk(buf, 0, sizeof(buf));
		if (shutdown(a, SHUT_WR) || write_all(b, buf, sizeof(buf)) || close(b))
			return -1;
		while (strcmp(tcp_state_name(a), "CLOSE"))
			usleep(1000);
		return sizeof(buf);
	case CLOSED_LAST_ACK:   /* as CLOSED, but b hears nothing after a's FIN: it stays in LAST_ACK */
		stream_chunk(buf, 0, sizeof(buf));
		if (shutdown(a, SHUT_WR))
			return -1;
		while (strcmp(tcp_state_name(b), "CLOSE_WAIT") || strcmp(tcp_state_name(a), "FIN_WAIT2"))
			usleep(1000);
		if (deaf(b) || write_all(b, buf, sizeof(buf)) || shutdown(b, SHUT_WR))
			return -1;
		while (strcmp(tcp_state_name(a), "CLOSE"))
			usleep(1000);
		usleep(100000);   /* its FIN went out again at least once: still unacked */
		if (strcmp(tcp_state_name(b), "LAST_ACK")) {
			test_msg("the peer is in %s, expected LAST_ACK", tcp_state_name(b));
			errno = EINVAL;
			return -1;
		}
		return close(b) ? -1 : (long)sizeof(buf);   /* an orphan in LAST_ACK */
	}
	return -1;
}

/* After C/R: the states, the data and FINs in flight, and the last steps of the teardown. */
static int check(int a, int b, long n)
{
	static const char *const state[][2] = {
		[FIN_WAIT1] = { "FIN_WAIT1", "ESTABLISHED" }, [LAST_ACK] = { "LAST_ACK", "FIN_WAIT2" },
		[CLOSING] = { "CLOSING", "FIN_WAIT2" },       [CLOSED] = { "CLOSE", NULL },
		[CLOSED_LAST_ACK] = { "CLOSE", NULL },
	};
	char c = 0;

	if (expect_str("the closing end's state", tcp_state_name(a), state[TEARDOWN][0]) ||
	    (state[TEARDOWN][1] && expect_str("its peer's state", tcp_state_name(b), state[TEARDOWN][1])))
		return 1;
	switch (TEARDOWN) {
	case FIN_WAIT1:   /* b still sends: the connection is half open */
		return expect_stream("data queued before the FIN", b, n) ||
		       expect_state_soon("the closing end after its FIN was read", a, "FIN_WAIT2") ||
		       expect_int("a byte from the peer", send(b, "x", 1, MSG_NOSIGNAL), 1) ||
		       expect_int("the peer's byte read", read(a, &c, 1), 1) || expect_int("its value", c, 'x');
	case LAST_ACK:
		return expect_int("read at the LAST_ACK end (the peer's FIN)", read(a, &c, 1), 0) ||
		       expect_stream("data queued before the FIN", b, n) ||
		       expect_state_soon("the LAST_ACK end after its FIN was acked", a, "CLOSE");
	case CLOSING:
		return expect_int("read at the CLOSING end (the peer's FIN)", read(a, &c, 1), 0) ||
		       expect_stream("data queued before the FIN", b, n) ||
		       expect_state_soon("the CLOSING end after its FIN was acked", a, "CLOSE");
	case CLOSED:      /* the data and the FIN are still there to read; nothing goes out */
	case CLOSED_LAST_ACK:
		return expect_stream("data received before the FIN", a, n) ||
		       expect_int("send on the closed end", send(a, "x", 1, MSG_NOSIGNAL), -1) ||
		       expect_int("its errno", errno, EPIPE);
	}
	return 1;
}

/* The own names of the end in the state and of its peer (gone when CLOSED*), "a; b". */
static const char *names(int a, int b, char *buf, size_t len)
{
	char na[64], nb[64] = "";

	if (inet_name(a, false, na, sizeof(na)) || (TEARDOWN < CLOSED && inet_name(b, false, nb, sizeof(nb))))
		return strerror(errno);
	snprintf(buf, len, "%s; %s", na, nb);
	return buf;
}

int main(int argc, char **argv)
{
	char before[160], after[160];
	int fd[2], a, b;
	long n;

	test_init(argc, argv);
	if (TEST_FAMILY == TCP_4V6 ? tcp_pair_4v6(0, fd) : tcp_pair(TEST_FAMILY, 0, fd)) {
		if (errno == EAFNOSUPPORT || errno == EADDRNOTAVAIL)
			return skip("no IPv6 loopback here");
		return fail_errno("connect over the loopback");
	}
	a = TEST_FAMILY == TCP_4V6 ? fd[1] : fd[0];   /* the AF_INET6 end of a 4v6 pair */
	b = TEST_FAMILY == TCP_4V6 ? fd[0] : fd[1];
	n = build(a, b);
	if (n < 0)
		return fail_errno("build the teardown state");
	names(a, b, before, sizeof(before));

	test_daemon();
	test_waitsig();

	if (expect_str("the ends' own addresses", names(a, b, after, sizeof(after)), before) || check(a, b, n))
		return 1;
	return pass();
}
