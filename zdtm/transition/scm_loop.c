#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a parent keeps passing pipe read ends (SCM_RIGHTS) to a child over a seqpacket pair, each pipe holding one numbered record; up to 8 messages with their fds in flight",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define WINDOW 8
#define LEN 300
#define STOP 0xffffffffu

/* Receives fds and checks the record in each pipe; acks each with its seq; a finding ends it. */
static void child(int sk, char *finding)
{
	static char buf[LEN], record[LEN];
	uint32_t seq, want = 0;
	int fd, nfds;

	for (;; want++) {
		nfds = 1;
		if (scm_recv(sk, &seq, sizeof(seq), &fd, &nfds) < 0) {
			if (errno == EAGAIN) {
				usleep(200);
				want--;
				continue;
			}
			_exit(note(finding, "recvmsg: errno %d", errno));
		}
		if (seq == STOP)
			_exit(0);
		if (seq != want || nfds != 1)
			_exit(note(finding, "message %u with %d fds, expected %u with 1", seq, nfds, want));
		datagen(record, LEN, seq);
		if (read_all(fd, buf, LEN) != LEN || memcmp(buf, record, LEN))
			_exit(note(finding, "the pipe of message %u does not hold its record", seq));
		close(fd);
		if (write_all(sk, &seq, sizeof(seq)))
			_exit(note(finding, "ack %u: errno %d", seq, errno));
	}
}

int main(int argc, char **argv)
{
	static char buf[LEN];
	char problem[200] = "", *finding = finding_new();
	uint32_t sent = 0, acked = 0, ack;
	int sk[2], p[2], status;
	pid_t pid;

	test_init(argc, argv);
	if (!finding || socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sk))
		return fail_errno("socketpair");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		close(sk[0]);
		set_nonblock(sk[1], true);
		child(sk[1], finding);
	}
	close(sk[1]);

	test_daemon();
	while (!problem[0] && (test_go() || acked < sent)) {
		while (test_go() && sent - acked < WINDOW) {
			datagen(buf, LEN, sent);
			if (pipe(p) || write_all(p[1], buf, LEN) || scm_send(sk[0], &sent, sizeof(sent), &p[0], 1)) {
				snprintf(problem, sizeof(problem), "send %u: errno %d", sent, errno);
				break;
			}
			close(p[0]);
			close(p[1]);
			sent++;
		}
		if (problem[0] || acked == sent)
			break;
		ssize_t n = read(sk[0], &ack, sizeof(ack));

		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(ack) || ack != acked)
			snprintf(problem, sizeof(problem), "ack %u: %zd bytes, value %u", acked, n, ack);
		acked++;
	}
	ack = STOP;
	if (problem[0] || write(sk[0], &ack, sizeof(ack)) != sizeof(ack))
		kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	test_waitsig();

	if (expect_clean_end(finding, problem, status))
		return 1;
	test_msg("%u pipes passed", acked);
	return pass();
}
