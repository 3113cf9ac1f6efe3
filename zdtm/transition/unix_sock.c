#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a client and a server exchange numbered messages over a unix stream socketpair, checking each",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define INFLIGHT 4              /* requests sent before their replies are read */
#define MAXLEN 5000
#define REPLY 0x80000000u       /* a reply to request n carries datagen(n | REPLY) */

struct hdr {
	uint32_t seq;
	uint32_t len;
};

static uint32_t len_of(uint32_t seq)
{
	return 8 + (seq * 2654435761u) % (MAXLEN - 8);
}

static int send_msg(int sk, uint32_t seq, uint32_t seed)
{
	static char buf[sizeof(struct hdr) + MAXLEN];
	struct hdr h = { seq, len_of(seq) };

	memcpy(buf, &h, sizeof(h));
	datagen(buf + sizeof(h), h.len, seed);
	return write_all(sk, buf, sizeof(h) + h.len);
}

/* Receives message `seq` with content datagen(seed); 1 on EOF before it, -1 on a difference. */
static int recv_msg(int sk, uint32_t seq, uint32_t seed, char *problem, size_t plen)
{
	static char buf[MAXLEN], want[MAXLEN];
	struct hdr h;
	int got = read_all(sk, &h, sizeof(h));

	if (got == 0)
		return 1;
	if (got != sizeof(h)) {
		snprintf(problem, plen, "message %u: header of %d bytes, expected %zu", seq, got, sizeof(h));
		return -1;
	}
	if (h.seq != seq || h.len != len_of(seq)) {
		snprintf(problem, plen, "message #%u of %u bytes arrived, expected #%u of %u bytes",
			 h.seq, h.len, seq, len_of(seq));
		return -1;
	}
	got = read_all(sk, buf, h.len);
	datagen(want, h.len, seed);
	if (got != (int)h.len)
		snprintf(problem, plen, "message %u: %d bytes of payload, expected %u", seq, got, h.len);
	else if (memcmp(buf, want, h.len))
		snprintf(problem, plen, "message %u: payload differs (CRC stamp %s)", seq,
			 datachk(buf, h.len) ? "intact" : "broken");
	return problem[0] ? -1 : 0;
}

/* The server answers request n with reply n until the client shuts its side down. */
static void server(int sk, char *report, size_t rlen)
{
	int ret = 0;

	for (uint32_t n = 0; !ret; n++) {
		ret = recv_msg(sk, n, n, report, rlen);
		if (!ret && send_msg(sk, n, n | REPLY)) {
			snprintf(report, rlen, "reply %u: write failed, errno %d", n, errno);
			ret = -1;
		}
	}
	_exit(ret < 0);
}

int main(int argc, char **argv)
{
	char problem[300] = "", *report = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint32_t sent = 0, back = 0;
	int sk[2], status, ret = 0;
	pid_t pid;

	test_init(argc, argv);
	signal(SIGPIPE, SIG_IGN);       /* a dead peer is a finding, not a death */
	if (report == MAP_FAILED)
		return fail_errno("mmap");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sk))
		return fail_errno("socketpair");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		close(sk[0]);
		server(sk[1], report, 4096);
	}
	close(sk[1]);
	for (; sent < INFLIGHT; sent++)
		if (send_msg(sk[0], sent, sent))
			return fail_errno("send request %u", sent);

	test_daemon();
	while (test_go() && !ret) {
		ret = recv_msg(sk[0], back, back | REPLY, problem, sizeof(problem));
		if (ret)
			break;
		back++;
		if (send_msg(sk[0], sent, sent)) {
			snprintf(problem, sizeof(problem), "request %u: write failed, errno %d", sent, errno);
			break;
		}
		sent++;
	}
	while (!ret && back < sent)     /* the replies still in flight */
		if (!(ret = recv_msg(sk[0], back, back | REPLY, problem, sizeof(problem))))
			back++;
	if (ret > 0)
		snprintf(problem, sizeof(problem), "EOF before reply %u of %u", back, sent);
	shutdown(sk[0], SHUT_WR);       /* the server sees EOF and exits */
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	test_waitsig();

	if (status)     /* the server's own finding comes first: the client then only saw EOF */
		return fail("server ended with wait status 0x%x, expected 0: %s", status, report);
	if (problem[0])
		return fail("%s", problem);
	test_msg("%u requests answered", back);
	return pass();
}
