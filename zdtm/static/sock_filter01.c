#include <linux/filter.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a long classic BPF filter (scratch memory, index register, ALU, several jumps) on a bound UDP socket keeps its program and its verdicts",
	  .flavors = ZDTM_ALL_FLAVORS);

/*
 * A UDP socket's filter sees the packet from the UDP header on (8 bytes): HDR + k is byte k of the
 * datagram. Lets through datagrams of 3 to 16 bytes whose bytes 0 and 1 add up to 'a' + 'b' and whose byte 2
 * is a digit. The sum goes through M[0], M[1] and X on purpose, so that an altered or shortened
 * program shows in SO_GET_FILTER and in what it lets through.
 */
#define DROP 19
#define HDR 8
static struct sock_filter code[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),                   /* 0: A = len */
	BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, HDR + 3, 0, DROP - 2),     /* 1: len < 3: drop */
	BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, HDR + 16, DROP - 3, 0),    /* 2: len > 16: drop */
	BPF_STMT(BPF_MISC | BPF_TAX, 0),                         /* 3: X = len */
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, HDR + 0),                   /* 4: A = byte 0 */
	BPF_STMT(BPF_ST, 0),                                     /* 5: M[0] = byte 0 */
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, HDR + 1),                   /* 6: A = byte 1 */
	BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),                  /* 7: A = byte 1 + len */
	BPF_STMT(BPF_ST, 1),                                     /* 8: M[1] = A */
	BPF_STMT(BPF_LDX | BPF_W | BPF_MEM, 0),                  /* 9: X = byte 0 */
	BPF_STMT(BPF_LD | BPF_W | BPF_MEM, 1),                   /* 10: A = byte 1 + len */
	BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),                  /* 11: A = byte 0 + byte 1 + len */
	BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0),                  /* 12: X = len */
	BPF_STMT(BPF_ALU | BPF_SUB | BPF_X, 0),                  /* 13: A = byte 0 + byte 1 */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 'a' + 'b', 0, DROP - 15), /* 14: another sum: drop */
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, HDR + 2),                   /* 15: A = byte 2 */
	BPF_STMT(BPF_ALU | BPF_SUB | BPF_K, '0'),                /* 16: A -= '0' (unsigned) */
	BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 9, DROP - 18, 0),    /* 17: not a digit: drop */
	BPF_STMT(BPF_RET | BPF_K, 0xffff),                       /* 18: let through */
	BPF_STMT(BPF_RET | BPF_K, 0),                            /* 19: drop */
};
#define CODE_LEN (int)(sizeof(code) / sizeof(code[0]))

/* Each a datagram: the ones with '+' after their text pass the filter. (None is queued across C/R:
 * criu drops a UDP socket's receive queue, which socket_udp is about.) */
static const char *const msgs[] = { "ab1+", "ab", "ac1", "ba7xyz+", "abx", "ab2-seventeen-byt", "ba0+",
				    "aa1", "ab9!+", "bb3", "ab/", "ab:", "ba5-sixteen-byte+" };
#define NR_MSGS (int)(sizeof(msgs) / sizeof(msgs[0]))

static int send_all(int tx, const struct sockaddr_storage *to, socklen_t len, const char *const *msg, int n)
{
	for (int i = 0; i < n; i++) {
		size_t l = strcspn(msg[i], "+");

		if (sendto(tx, msg[i], l, 0, (const struct sockaddr *)to, len) != (ssize_t)l)
			return fail_errno("send \"%.*s\"", (int)l, msg[i]);
	}
	return 0;
}

/* The queue holds exactly the datagrams of msg marked '+', in order. */
static int expect_passed(int rx, const char *const *msg, int n)
{
	char buf[32];
	ssize_t got;

	for (int i = 0; i < n; i++) {
		size_t l = strcspn(msg[i], "+");

		if (!msg[i][l])
			continue;
		got = recv(rx, buf, sizeof(buf) - 1, MSG_DONTWAIT);
		if (got < 0)
			return fail_errno("no datagram, expected \"%.*s\"", (int)l, msg[i]);
		buf[got] = 0;
		if (got != (ssize_t)l || memcmp(buf, msg[i], l))
			return fail("datagram \"%s\", expected \"%.*s\" (the filter's verdicts changed)", buf, (int)l, msg[i]);
	}
	got = recv(rx, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	if (got >= 0 || errno != EAGAIN)
		return fail("a datagram the filter should have dropped is queued: \"%.*s\"", (int)got, buf);
	return 0;
}

static int expect_filter(int fd)
{
	struct sock_filter found[64];
	socklen_t len = 64;     /* in instructions */

	if (getsockopt(fd, SOL_SOCKET, SO_GET_FILTER, found, &len))
		return fail_errno("SO_GET_FILTER");
	return expect_int("instructions in the filter", len, CODE_LEN) ||
	       expect_bytes("the filter program", found, code, sizeof(code));
}

int main(int argc, char **argv)
{
	struct sock_fprog prog = { .len = CODE_LEN, .filter = code };
	struct sockaddr_storage a;
	socklen_t len = loopback_addr(AF_INET, 0, &a);
	int rx, tx;

	test_init(argc, argv);
	rx = socket(AF_INET, SOCK_DGRAM, 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	if (rx < 0 || tx < 0 || bind(rx, (struct sockaddr *)&a, len) || getsockname(rx, (struct sockaddr *)&a, &len))
		return fail_errno("a UDP socket bound on 127.0.0.1");
	if (setsockopt(rx, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)))
		return fail_errno("SO_ATTACH_FILTER");
	if (send_all(tx, &a, len, msgs, NR_MSGS) || expect_passed(rx, msgs, NR_MSGS))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_filter(rx) || send_all(tx, &a, len, msgs, NR_MSGS) || expect_passed(rx, msgs, NR_MSGS))
		return 1;
	return pass();
}
