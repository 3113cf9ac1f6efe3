#include <linux/filter.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a classic BPF filter (SO_ATTACH_FILTER) on a unix datagram socket keeps its program and still drops what it dropped; the datagram it let through stays queued",
	  .flavors = ZDTM_ALL_FLAVORS);

/* Lets through datagrams whose first byte is 'A', drops the rest. */
static struct sock_filter code[] = {
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 'A', 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0xffff),
	BPF_STMT(BPF_RET | BPF_K, 0),
};
#define CODE_LEN (int)(sizeof(code) / sizeof(code[0]))

/* The program SO_GET_FILTER reads back is the one attached. */
static int expect_filter(int fd)
{
	struct sock_filter found[16];
	socklen_t len = 16;     /* in instructions, not bytes */

	if (getsockopt(fd, SOL_SOCKET, SO_GET_FILTER, found, &len))
		return fail_errno("SO_GET_FILTER");
	if (expect_int("instructions in the filter", len, CODE_LEN))
		return 1;
	return expect_bytes("the filter program", found, code, sizeof(code));
}

/* The next datagram on fd is want; none when want is NULL. */
static int expect_next(int fd, const char *want)
{
	char buf[8] = "";
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	if (!want)
		return n < 0 && errno == EAGAIN ? 0 : fail("a datagram \"%s\" got through, expected none", buf);
	if (n < 0)
		return fail_errno("no datagram, expected \"%s\"", want);
	return expect_str("datagram", buf, want);
}

int main(int argc, char **argv)
{
	struct sock_fprog prog = { .len = CODE_LEN, .filter = code };
	int sk[2];

	test_init(argc, argv);
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sk))
		return fail_errno("socketpair");
	if (setsockopt(sk[0], SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)))
		return fail_errno("SO_ATTACH_FILTER");
	if (send(sk[1], "A1", 2, 0) != 2 || send(sk[1], "B2", 2, 0) != 2)
		return fail_errno("send before C/R");

	test_daemon();
	test_waitsig();

	if (expect_filter(sk[0]))
		return 1;
	if (send(sk[1], "B3", 2, 0) != 2 || send(sk[1], "A4", 2, 0) != 2)
		return fail_errno("send after C/R");
	if (expect_next(sk[0], "A1") || expect_next(sk[0], "A4") || expect_next(sk[0], NULL))
		return 1;
	return pass();
}
