#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a ring of processes passes CRC-stamped buffers through unix stream and seqpacket socketpairs",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define PROCS 4         /* the main process and PROCS - 1 children */
#define INFLIGHT 4      /* buffers travelling the ring at once */
#define BUFLEN 3000
#define REPORT 128      /* a child's finding, in memory shared with the main process */

/* Link i (process i to process i + 1) is a stream socketpair when i is even, seqpacket when odd. */
static int link_type(int i)
{
	return i % 2 ? SOCK_SEQPACKET : SOCK_STREAM;
}

/* One buffer from link `in`: a seqpacket record must be exactly BUFLEN long. 0 on EOF. */
static int receive(int in, int type, char *buf)
{
	int got;

	if (type == SOCK_STREAM)
		return read_all(in, buf, BUFLEN);
	while ((got = recv(in, buf, BUFLEN + 1, 0)) < 0 && errno == EINTR)
		;
	return got;
}

/* Buffer n carries datagen(n): every hop knows which one must come next. 1 on EOF. */
static int hop(int in, int type, int out, unsigned n, char *problem, size_t plen)
{
	static char buf[BUFLEN + 1], want[BUFLEN];
	int got = receive(in, type, buf);

	if (got == 0 && out >= 0)
		return 1;       /* a child sees EOF only when the ring is taken down */
	if (got != BUFLEN) {
		snprintf(problem, plen, "buffer %u: %s link gave %d bytes, expected %d (errno %d)", n,
			 type == SOCK_STREAM ? "stream" : "seqpacket", got, BUFLEN, errno);
		return -1;
	}
	datagen(want, BUFLEN, n);
	if (memcmp(buf, want, BUFLEN)) {
		snprintf(problem, plen, "buffer %u arrived damaged (CRC stamp %s)", n,
			 datachk(buf, BUFLEN) ? "intact: another buffer" : "broken");
		return -1;
	}
	if (out >= 0 && write_all(out, buf, BUFLEN)) {
		snprintf(problem, plen, "buffer %u: forward failed, errno %d", n, errno);
		return -1;
	}
	return 0;
}

/* The main process's part: keeps INFLIGHT buffers in the ring, checks each that comes back. */
static void run_ring(int in, int out, char *problem, size_t plen)
{
	static char buf[BUFLEN];
	int type = link_type(PROCS - 1);
	unsigned sent = 0, back = 0;

	for (; sent < INFLIGHT && !problem[0]; sent++) {
		datagen(buf, BUFLEN, sent);
		if (write_all(out, buf, BUFLEN))
			snprintf(problem, plen, "write buffer %u: errno %d", sent, errno);
	}
	test_daemon();
	while (test_go() && !problem[0]) {
		if (hop(in, type, -1, back, problem, plen))
			break;          /* the main process treats EOF as damage */
		back++;
		datagen(buf, BUFLEN, sent);
		if (write_all(out, buf, BUFLEN))
			snprintf(problem, plen, "write buffer %u failed, errno %d", sent, errno);
		sent++;
	}
	while (!problem[0] && back < sent && !hop(in, type, -1, back, problem, plen))
		back++;         /* drain the buffers still in the ring */
	test_msg("%u buffers went round the ring of %d processes", back, PROCS);
}

int main(int argc, char **argv)
{
	char problem[4 * REPORT] = "", own[4 * REPORT] = "";
	char (*reports)[REPORT] = mmap(NULL, PROCS * REPORT, PROT_READ | PROT_WRITE,
				       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int sk[PROCS][2], status, child_failed = 0, ret;
	pid_t pids[PROCS];

	test_init(argc, argv);
	signal(SIGPIPE, SIG_IGN);       /* a broken ring is a finding, not a death */
	if (reports == MAP_FAILED)
		return fail_errno("mmap");
	/* process i reads sk[i - 1][1] and writes sk[i][0]; the main process is 0 */
	for (int i = 0; i < PROCS; i++)
		if (socketpair(AF_UNIX, link_type(i), 0, sk[i]))
			return fail_errno("socketpair %d", i);
	for (int i = 1; i < PROCS; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return fail_errno("fork");
		if (pids[i] > 0)
			continue;
		for (int j = 0; j < PROCS; j++) {
			if (j != i - 1)
				close(sk[j][1]);
			if (j != i)
				close(sk[j][0]);
		}
		for (unsigned n = 0; !(ret = hop(sk[i - 1][1], link_type(i - 1), sk[i][0], n, reports[i],
						 REPORT)); n++)
			;
		_exit(ret < 0);
	}
	for (int j = 0; j < PROCS; j++) {
		if (j != PROCS - 1)
			close(sk[j][1]);
		if (j != 0)
			close(sk[j][0]);
	}

	run_ring(sk[PROCS - 1][1], sk[0][0], problem, sizeof(problem));
	close(sk[0][0]);        /* EOF travels the ring: the children exit */
	close(sk[PROCS - 1][1]);
	for (int i = 1; i < PROCS; i++) {
		if (waitpid(pids[i], &status, 0) != pids[i])
			return fail_errno("waitpid");
		/* the first child's finding, then the main process's own: one of them is the cause */
		if (status && !child_failed++) {
			memcpy(own, problem, sizeof(own));
			snprintf(problem, sizeof(problem), "ring process %d ended with wait status 0x%x, "
				 "expected 0: %.*s%s%.*s", i, status, REPORT, reports[i], own[0] ? "; main: " : "",
				 2 * REPORT, own);
		}
	}
	test_waitsig();

	if (problem[0])
		return fail("%s", problem);
	return pass();
}
