#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "two processes exchange CRC-stamped UDP datagrams over 127.0.0.1 in lock step, resending on loss",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

/*
 * The main process sends request n and waits for reply n; the child answers each request.
 * criu 4.2.1 drops the datagrams queued on a UDP socket at dump ("Read queue is dropped"),
 * so a loss is expected once per C/R: after RESEND_MS without reply n the main process sends
 * request n again, and the child answers a repeat of its last request again. What must never
 * happen is a datagram with wrong bytes, a request or reply from the future, or one from
 * further back than a resend explains.
 */
#define MAXDATA 1400
#define RESEND_MS 100
#define PATIENCE 100            /* resends of one request before it is a finding */
#define STOP 0xffffffffu        /* the last request: the child answers it and exits */
#define REPLY (1u << 31)        /* replies use seeds with this bit */

struct dgram {
	uint32_t seq;
	char data[MAXDATA];     /* datagen(seed of seq), its length varies with seq */
};

static struct shared {
	uint32_t answered;      /* requests the child took as new */
	char report[200];       /* the child's finding */
} *sh;

static size_t data_len(uint32_t seq)
{
	return 4 + (seq * 151) % (MAXDATA - 4);
}

static int send_dgram(int sk, uint32_t seq, uint32_t flag)
{
	struct dgram d = { .seq = seq };
	size_t len = seq == STOP ? 0 : data_len(seq);

	datagen(d.data, len, seq | flag);
	return send(sk, &d, 4 + len, 0) == (ssize_t)(4 + len) ? 0 : -1;
}

/* One datagram within ms: 0 and its seq, 1 on timeout, -1 (problem set) on wrong bytes. */
static int recv_dgram(int sk, int ms, uint32_t flag, uint32_t *seq, char *problem, size_t plen)
{
	static char want[MAXDATA];
	struct pollfd pfd = { .fd = sk, .events = POLLIN };
	struct dgram d;
	ssize_t got;

	if (poll(&pfd, 1, ms) <= 0)
		return 1;               /* EINTR (SIGTERM, C/R) counts as a timeout */
	got = recv(sk, &d, sizeof(d), MSG_DONTWAIT);
	if (got < 0 && (errno == EAGAIN || errno == EINTR || errno == ECONNREFUSED))
		return 1;               /* ECONNREFUSED: a datagram found no socket: resend */
	if (got < 4) {
		snprintf(problem, plen, "recv gave %zd (errno %d), expected a datagram", got, errno);
		return -1;
	}
	*seq = d.seq;
	if (d.seq == STOP)
		return got == 4 ? 0 : (snprintf(problem, plen, "STOP datagram of %zd bytes, expected 4", got), -1);
	datagen(want, data_len(d.seq), d.seq | flag);
	if ((size_t)got != 4 + data_len(d.seq) || memcmp(d.data, want, got - 4)) {
		snprintf(problem, plen, "datagram %u%s: %zd bytes, expected %zu, content %s", d.seq,
			 flag ? " (reply)" : "", got, 4 + data_len(d.seq),
			 datachk(d.data, got - 4) ? "intact stamp: another datagram" : "damaged");
		return -1;
	}
	return 0;
}

/* Answers request n once as new; a repeat of n - 1 means the reply was lost: answer again. */
static void child(int sk)
{
	uint32_t next = 0, seq;
	int ret, idle = 0;

	while (idle < PATIENCE * 2) {
		ret = recv_dgram(sk, RESEND_MS, 0, &seq, sh->report, sizeof(sh->report));
		if (ret < 0)
			_exit(1);
		if (ret > 0) {
			idle++;
			continue;
		}
		idle = 0;
		if (seq == STOP) {
			send_dgram(sk, STOP, REPLY);
			_exit(0);
		}
		if (seq != next && seq + 1 != next) {
			snprintf(sh->report, sizeof(sh->report), "request %u, expected %u (or %u again)", seq, next,
				 next - 1);
			_exit(1);
		}
		if (seq == next)
			sh->answered = ++next;
		if (send_dgram(sk, seq, REPLY)) {
			snprintf(sh->report, sizeof(sh->report), "send reply %u: errno %d", seq, errno);
			_exit(1);
		}
	}
	snprintf(sh->report, sizeof(sh->report), "no request for %d ms after %u", PATIENCE * 2 * RESEND_MS, next);
	_exit(1);
}

/*
 * Sends request n until reply n comes. Reply `last` (the one before) may come again: the answer
 * to a resend. Datagrams on loopback keep their order, so nothing older can. 0 or 1 (problem).
 */
static int round_trip(int sk, uint32_t n, uint32_t last, unsigned *resends, char *problem, size_t plen)
{
	uint32_t seq;
	int ret;

	for (int tries = 0; tries < PATIENCE; tries++) {
		if (send_dgram(sk, n, 0) && errno != ECONNREFUSED)
			return snprintf(problem, plen, "send request %u: errno %d", n, errno);
		*resends += tries > 0;
		while (!(ret = recv_dgram(sk, RESEND_MS, REPLY, &seq, problem, plen)) && seq != n)
			if (seq != last)
				return snprintf(problem, plen, "reply %u while waiting for reply %u (or %u again)",
						seq, n, last);
		if (ret < 0)
			return 1;
		if (!ret)
			return 0;
	}
	return snprintf(problem, plen, "no reply %u after %d sends", n, PATIENCE);
}

/* Two sockets on 127.0.0.1, each connected to the other. */
static int udp_pair(int sk[2])
{
	struct sockaddr_in a[2];
	socklen_t len = sizeof(a[0]);

	for (int i = 0; i < 2; i++) {
		a[i] = (struct sockaddr_in){ .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		sk[i] = socket(AF_INET, SOCK_DGRAM, 0);
		if (sk[i] < 0 || bind(sk[i], (struct sockaddr *)&a[i], sizeof(a[i])) ||
		    getsockname(sk[i], (struct sockaddr *)&a[i], &len))
			return -1;
	}
	if (connect(sk[0], (struct sockaddr *)&a[1], sizeof(a[1])) ||
	    connect(sk[1], (struct sockaddr *)&a[0], sizeof(a[0])))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	char problem[300] = "";
	unsigned resends = 0;
	uint32_t n = 0;
	int sk[2], status;
	pid_t pid;

	test_init(argc, argv);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return fail_errno("mmap");
	if (udp_pair(sk))
		return fail_errno("udp sockets on 127.0.0.1");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		close(sk[0]);
		child(sk[1]);
	}
	close(sk[1]);

	test_daemon();
	/* At least a few round trips, even when SIGTERM comes at once (--nocr). */
	while ((test_go() || n < 4) && !round_trip(sk[0], n, n - 1, &resends, problem, sizeof(problem)))
		n++;
	if (!problem[0])
		round_trip(sk[0], STOP, n - 1, &resends, problem, sizeof(problem));
	if (problem[0])
		kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	test_waitsig();

	if (expect_clean_end(sh->report, problem, status))
		return 1;
	if (expect_int("requests the child took", sh->answered, n))
		return 1;
	test_msg("%u round trips, %u resends", n, resends);
	return pass();
}
