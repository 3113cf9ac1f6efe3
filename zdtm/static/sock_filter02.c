#include <linux/filter.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a socket filter locked with SO_LOCK_FILTER stays locked: the lock flag is set and the filter can be neither detached nor replaced",
	  .flavors = ZDTM_ALL_FLAVORS);

static struct sock_filter code[] = {    /* lets through datagrams whose first byte is 'A' */
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 'A', 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0xffff),
	BPF_STMT(BPF_RET | BPF_K, 0),
};
static struct sock_filter all[] = { BPF_STMT(BPF_RET | BPF_K, 0xffff) };
#define LEN(c) (unsigned short)(sizeof(c) / sizeof(c[0]))

/* The filter attached is still code, and a datagram 'B' is still dropped. */
static int expect_filter(int sk[2])
{
	struct sock_filter found[16];
	socklen_t len = 16;
	char c = 0;

	if (getsockopt(sk[0], SOL_SOCKET, SO_GET_FILTER, found, &len))
		return fail_errno("SO_GET_FILTER");
	if (expect_int("instructions in the filter", len, LEN(code)) ||
	    expect_bytes("the filter program", found, code, sizeof(code)))
		return 1;
	if (send(sk[1], "B", 1, 0) != 1 || send(sk[1], "A", 1, 0) != 1)
		return fail_errno("send");
	if (recv(sk[0], &c, 1, MSG_DONTWAIT) != 1 || c != 'A')
		return fail_errno("the next datagram is '%c', expected 'A' ('B' dropped)", c ? c : '-');
	return 0;
}

int main(int argc, char **argv)
{
	struct sock_fprog prog = { LEN(code), code }, other = { LEN(all), all };
	int sk[2], one = 1, dummy = 0;

	test_init(argc, argv);
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sk))
		return fail_errno("socketpair");
	if (setsockopt(sk[0], SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) ||
	    setsockopt(sk[0], SOL_SOCKET, SO_LOCK_FILTER, &one, sizeof(one)))
		return fail_errno("SO_ATTACH_FILTER, SO_LOCK_FILTER");

	test_daemon();
	test_waitsig();

	if (expect_sockopt("SO_LOCK_FILTER", sk[0], SOL_SOCKET, SO_LOCK_FILTER, 1))
		return 1;
	if (setsockopt(sk[0], SOL_SOCKET, SO_DETACH_FILTER, &dummy, sizeof(dummy)) != -1 || errno != EPERM)
		return fail_errno("SO_DETACH_FILTER of a locked filter: expected EPERM");
	if (setsockopt(sk[0], SOL_SOCKET, SO_ATTACH_FILTER, &other, sizeof(other)) != -1 || errno != EPERM)
		return fail_errno("SO_ATTACH_FILTER over a locked filter: expected EPERM");
	if (expect_filter(sk))
		return 1;
	return pass();
}
