#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a parent sends numbered CRC-stamped datagrams of varying size over a unix datagram socketpair, a child echoes each back, a window of them in flight: none lost, reordered or changed",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define WINDOW 16
#define MAXLEN 2048
#define STOP 0xffffffffu

struct dgram {
	uint32_t seq, len;              /* len: bytes in data, the last 4 a CRC stamp */
	char data[MAXLEN];
};

static void make(struct dgram *d, uint32_t seq)
{
	d->seq = seq;
	d->len = 8 + seq % (MAXLEN - 8);
	datagen(d->data, d->len, seq);
}

static void child(int sk)
{
	static struct dgram d;
	ssize_t n;

	while ((n = recv(sk, &d, sizeof(d), 0)) > 0 && d.seq != STOP)
		if (send(sk, &d, n, 0) != n)
			_exit(2);
	_exit(n > 0 ? 0 : 1);
}

int main(int argc, char **argv)
{
	static struct dgram d, got;
	char problem[200] = "";
	uint32_t sent = 0, back = 0;
	int sk[2], status;
	ssize_t n;
	pid_t pid;

	test_init(argc, argv);
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sk))
		return fail_errno("socketpair");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		close(sk[0]);
		child(sk[1]);
	}
	close(sk[1]);

	test_daemon();
	while (!problem[0] && (test_go() || back < sent)) {
		while (test_go() && sent - back < WINDOW) {
			make(&d, sent);
			if (send(sk[0], &d, offsetof(struct dgram, data) + d.len, 0) < 0)
				snprintf(problem, sizeof(problem), "send %u: errno %d", sent, errno);
			sent++;
		}
		if (back == sent)
			break;
		n = recv(sk[0], &got, sizeof(got), 0);
		if (n < 0 && errno == EINTR)
			continue;
		make(&d, back);
		if (n != (ssize_t)(offsetof(struct dgram, data) + d.len) || got.seq != back || !datachk(got.data, got.len))
			snprintf(problem, sizeof(problem), "echo %u: %zd bytes (errno %d), seq %u, stamp %s; expected %zu bytes",
				 back, n, n < 0 ? errno : 0, got.seq, datachk(got.data, got.len) ? "ok" : "bad", offsetof(struct dgram, data) + d.len);
		back++;
	}
	d.seq = STOP;
	if (problem[0])
		kill(pid, SIGKILL);     /* it may be blocked echoing into a full queue */
	else
		send(sk[0], &d, 8, 0);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	test_waitsig();

	if (expect_clean_end("", problem, status))
		return 1;
	test_msg("%u datagrams echoed", back);
	return pass();
}
