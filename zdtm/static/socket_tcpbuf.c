#include <linux/sockios.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

/* socket-tcpbuf6.c includes this file with TEST_FAMILY AF_INET6 and its own declaration;
 * socket-tcpbuf6-local.c adds BUF_SIZE: both ends get SO_SNDBUF and SO_RCVBUF of that size first. */
#ifndef TEST_FAMILY
#define TEST_FAMILY AF_INET
ZDTM_TEST(.doc = "an established TCP connection over 127.0.0.1 written until EAGAIN both ways: every queued byte (receive and send queues) arrives whole and in order",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");
#endif

#define PORT 0         /* any free port (41275 is socket_listen4v6's) */
#define BLOCK 4096      /* the stream is a run of CRC-stamped blocks, block k made with seed k + base */

static const char *const end_name[2] = { "client", "server" };

/* Byte `off` onward of the stream with seed base `base`, `len` bytes of it, into buf. */
static void stream_bytes(uint32_t base, size_t off, char *buf, size_t len)
{
	static char block[BLOCK];

	while (len) {
		size_t k = off / BLOCK, in = off % BLOCK, n = BLOCK - in < len ? BLOCK - in : len;

		datagen(block, BLOCK, base + k);
		memcpy(buf, block + in, n);
		buf += n, off += n, len -= n;
	}
}

/* Non-blocking writes of the stream until the kernel refuses more; returns the bytes queued or -1. */
static long fill(int fd, uint32_t base)
{
	static char buf[BLOCK];
	long total = 0;
	ssize_t n;

	if (set_nonblock(fd, true))
		return -1;
	for (;;) {
		stream_bytes(base, total, buf, sizeof(buf));
		n = write(fd, buf, sizeof(buf));
		if (n < 0)
			break;
		total += n;
	}
	if (errno != EAGAIN || set_nonblock(fd, false))
		return -1;
	return total;
}

static int queued(int fd, unsigned long req)
{
	int n = -1;

	ioctl(fd, req, &n);
	return n;
}

/* Reads exactly `total` bytes from fd and compares each block with the stream; then nothing more. */
static int expect_stream(int fd, const char *what, uint32_t base, long total)
{
	static char got[BLOCK], want[BLOCK];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	long off = 0;

	while (off < total) {
		size_t len = total - off < BLOCK - off % BLOCK ? total - off : BLOCK - off % BLOCK;
		int n = read_all(fd, got, len);

		if (n != (int)len)
			return fail_errno("%s: the stream ends at byte %ld, expected %ld bytes", what, off + (n > 0 ? n : 0), total);
		stream_bytes(base, off, want, len);
		if (memcmp(got, want, len))
			return fail("%s: bytes %ld..%ld differ from what was written (block %ld, CRC %s)",
				    what, off, off + (long)len, off / BLOCK,
				    len == BLOCK && datachk(got, len) ? "valid: another block" : "broken");
		off += len;
	}
	if (poll(&p, 1, 100) != 0)
		return fail("%s: more data after the %ld bytes written", what, total);
	return 0;
}

#ifdef BUF_SIZE
static int bufs[2][2];   /* SO_SNDBUF, SO_RCVBUF of each end as the kernel reports them */

/* Both ends' SO_SNDBUF and SO_RCVBUF set to BUF_SIZE (the kernel doubles them), kept in bufs. */
static int set_buffers(const int fd[2])
{
	int size = BUF_SIZE;
	socklen_t len = sizeof(int);

	for (int e = 0; e < 2; e++)
		if (setsockopt(fd[e], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)) ||
		    setsockopt(fd[e], SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) ||
		    getsockopt(fd[e], SOL_SOCKET, SO_SNDBUF, &bufs[e][0], &len) ||
		    getsockopt(fd[e], SOL_SOCKET, SO_RCVBUF, &bufs[e][1], &len))
			return fail_errno("%s end: SO_SNDBUF and SO_RCVBUF of %d", end_name[e], size);
	return 0;
}

static int expect_buffers(const int fd[2])
{
	for (int e = 0; e < 2; e++) {
		char what[2][64];

		snprintf(what[0], sizeof(what[0]), "%s end's SO_SNDBUF", end_name[e]);
		snprintf(what[1], sizeof(what[1]), "%s end's SO_RCVBUF", end_name[e]);
		if (expect_sockopt(what[0], fd[e], SOL_SOCKET, SO_SNDBUF, bufs[e][0]) ||
		    expect_sockopt(what[1], fd[e], SOL_SOCKET, SO_RCVBUF, bufs[e][1]))
			return 1;
	}
	return 0;
}
#endif

int main(int argc, char **argv)
{
	int fd[2];
	long total[2];

	test_init(argc, argv);
	if (tcp_pair(TEST_FAMILY, PORT, fd)) {
		if (errno == EAFNOSUPPORT || errno == EADDRNOTAVAIL)
			return skip("no IPv6 loopback here");
		return fail_errno("connect over the loopback");
	}
#ifdef BUF_SIZE
	if (set_buffers(fd))
		return 1;
#endif
	for (int e = 0; e < 2; e++) {
		total[e] = fill(fd[e], 1000000 * (e + 1));
		if (total[e] < 0)
			return fail_errno("%s end: fill until EAGAIN", end_name[e]);
	}
	for (int e = 0; e < 2; e++)
		test_msg("%s end wrote %ld bytes: %d in its send queue, %d in its peer's receive queue",
			 end_name[e], total[e], queued(fd[e], SIOCOUTQ), queued(fd[!e], SIOCINQ));
	if (queued(fd[0], SIOCOUTQ) <= 0 || queued(fd[1], SIOCINQ) <= 0)
		return fail("the client's data is not queued on both sides: send queue %d, receive queue %d",
			    queued(fd[0], SIOCOUTQ), queued(fd[1], SIOCINQ));

	test_daemon();
	test_waitsig();

#ifdef BUF_SIZE
	if (expect_buffers(fd))
		return 1;
#endif
	/* each stream's send queue drains by itself as its receiver reads: no writer is needed */
	if (expect_stream(fd[1], "client -> server", 1000000, total[0]) ||
	    expect_stream(fd[0], "server -> client", 2000000, total[1]))
		return 1;
	return pass();
}
