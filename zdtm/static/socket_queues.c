#include <linux/sockios.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a unix stream pair with writes of different sizes queued both ways: FIONREAD counts and the bytes in order",
	  .flavors = ZDTM_ALL_FLAVORS);

/* The writes queued on each side, never read before C/R. */
static const size_t ab_sizes[] = { 1, 4096, 17, 30000, 513 };
static const size_t ba_sizes[] = { 65536, 3, 999, 2 };
#define NAB (sizeof(ab_sizes) / sizeof(ab_sizes[0]))
#define NBA (sizeof(ba_sizes) / sizeof(ba_sizes[0]))
#define MAXQ (128 * 1024)

/* Writes each chunk with its own seed; `all` gets the bytes in stream order. */
static size_t queue(int fd, const size_t *sizes, int n, uint32_t seed, char *all)
{
	size_t off = 0;

	for (int i = 0; i < n; i++) {
		datagen(all + off, sizes[i], seed + i);
		if (send(fd, all + off, sizes[i], MSG_DONTWAIT) != (ssize_t)sizes[i])
			return 0;
		off += sizes[i];
	}
	return off;
}

static int inq(int fd)
{
	int n = -1;

	return ioctl(fd, FIONREAD, &n) ? -1 : n;
}

/*
 * SIOCOUTQ of a unix socket counts the memory of its unread skbs (truesize), which depends on
 * how the bytes were chunked, so it cannot match exactly; it must still cover the bytes this
 * side wrote and the peer has not read.
 */
static int expect_outq(const char *what, int fd, size_t len)
{
	int n = -1;

	if (ioctl(fd, SIOCOUTQ, &n))
		return fail_errno("SIOCOUTQ on %s", what);
	if (n < (int)len)
		return fail("%s: SIOCOUTQ %d, expected at least the %zu unread bytes it wrote", what, n, len);
	return 0;
}

/* fd holds exactly the len bytes of want, in order, and nothing more. */
static int expect_stream(const char *what, int fd, const char *want, size_t len)
{
	static char buf[MAXQ];
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = recv(fd, buf + done, sizeof(buf) - done, MSG_DONTWAIT);
		if (n <= 0)
			return fail_errno("%s: read %zu bytes, expected %zu", what, done, len);
		done += n;
	}
	if (expect_int(what, done, len) || expect_bytes(what, buf, want, len))
		return 1;
	if (recv(fd, buf, 1, MSG_DONTWAIT) != -1 || errno != EAGAIN)
		return fail_errno("%s: more bytes after %zu, expected EAGAIN", what, len);
	return 0;
}

int main(int argc, char **argv)
{
	static char ab[MAXQ], ba[MAXQ];
	size_t ab_len, ba_len;
	int sk[2], inq_a, inq_b;

	test_init(argc, argv);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sk))
		return fail_errno("socketpair");
	ab_len = queue(sk[0], ab_sizes, NAB, 100, ab);
	ba_len = queue(sk[1], ba_sizes, NBA, 200, ba);
	if (!ab_len || !ba_len)
		return fail_errno("queue data");
	inq_a = inq(sk[0]);
	inq_b = inq(sk[1]);
	if (expect_int("a's FIONREAD before C/R", inq_a, ba_len) ||
	    expect_int("b's FIONREAD before C/R", inq_b, ab_len) ||
	    expect_outq("a before C/R", sk[0], ab_len) || expect_outq("b before C/R", sk[1], ba_len))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_int("a's FIONREAD after C/R", inq(sk[0]), inq_a) ||
	    expect_int("b's FIONREAD after C/R", inq(sk[1]), inq_b) ||
	    expect_outq("a after C/R", sk[0], ab_len) || expect_outq("b after C/R", sk[1], ba_len))
		return 1;
	if (expect_stream("a -> b bytes", sk[1], ab, ab_len) ||
	    expect_stream("b -> a bytes", sk[0], ba, ba_len))
		return 1;
	return pass();
}
