#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a ring of processes passes CRC-stamped buffers through pipes, each hop checks them",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define PROCS 4         /* the main process and PROCS - 1 children */
#define INFLIGHT 4      /* buffers travelling the ring at once */
#define BUFLEN 3000     /* not a divisor of the pipe size: buffers straddle pages */
#define REPORT 128      /* a child's finding, in memory shared with the main process */

/* Buffer n carries datagen(n): every hop knows which one must come next. 1 on EOF. */
static int hop(int in, int out, unsigned n, char *problem, size_t plen)
{
	static char buf[BUFLEN], want[BUFLEN];
	int got = read_all(in, buf, BUFLEN);

	if (got == 0 && out >= 0)
		return 1;       /* a child sees EOF only when the ring is taken down */
	if (got != BUFLEN) {
		snprintf(problem, plen, "buffer %u: read %d bytes, expected %d", n, got, BUFLEN);
		return -1;
	}
	datagen(want, BUFLEN, n);
	if (!datachk(buf, BUFLEN) || memcmp(buf, want, BUFLEN)) {
		snprintf(problem, plen, "buffer %u arrived damaged (CRC stamp %s)", n,
			 datachk(buf, BUFLEN) ? "intact: another buffer" : "broken");
		return -1;
	}
	if (out >= 0 && write_all(out, buf, BUFLEN)) {
		snprintf(problem, plen, "buffer %u: forward failed", n);
		return -1;
	}
	return 0;
}

/* A child forwards buffers until EOF; damage is its exit status 1 and its report. */
static void child(int in, int out, char *report)
{
	int ret;

	for (unsigned n = 0; !(ret = hop(in, out, n, report, REPORT)); n++)
		;
	_exit(ret < 0);
}

int main(int argc, char **argv)
{
	static char buf[BUFLEN];
	char problem[2 * REPORT] = "";
	char (*reports)[REPORT] = mmap(NULL, PROCS * REPORT, PROT_READ | PROT_WRITE,
				       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int p[PROCS][2], status, child_failed = 0;
	unsigned sent = 0, back = 0;
	pid_t pids[PROCS];

	test_init(argc, argv);
	signal(SIGPIPE, SIG_IGN);       /* a broken ring is a finding, not a death */
	if (reports == MAP_FAILED)
		return fail_errno("mmap");
	for (int i = 0; i < PROCS; i++)
		if (pipe(p[i]))
			return fail_errno("pipe %d", i);
	/* process i reads p[i - 1] and writes p[i]; the main process is 0 */
	for (int i = 1; i < PROCS; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return fail_errno("fork");
		if (pids[i] == 0) {
			for (int j = 0; j < PROCS; j++) {
				if (j != i - 1)
					close(p[j][0]);
				if (j != i)
					close(p[j][1]);
			}
			child(p[i - 1][0], p[i][1], reports[i]);
		}
	}
	for (int j = 0; j < PROCS; j++) {
		if (j != PROCS - 1)
			close(p[j][0]);
		if (j != 0)
			close(p[j][1]);
	}
	for (; sent < INFLIGHT; sent++) {
		datagen(buf, BUFLEN, sent);
		if (write_all(p[0][1], buf, BUFLEN))
			return fail_errno("write buffer %u", sent);
	}

	test_daemon();
	while (test_go() && !problem[0]) {
		if (hop(p[PROCS - 1][0], -1, back, problem, sizeof(problem)))
			break;          /* the main process treats EOF as damage */
		back++;
		datagen(buf, BUFLEN, sent);
		if (write_all(p[0][1], buf, BUFLEN))
			snprintf(problem, sizeof(problem), "write buffer %u failed", sent);
		sent++;
	}
	while (!problem[0] && back < sent && !hop(p[PROCS - 1][0], -1, back, problem, sizeof(problem)))
		back++;         /* drain the buffers still in the ring */
	close(p[0][1]);         /* EOF travels the ring: the children exit */
	close(p[PROCS - 1][0]);
	for (int i = 1; i < PROCS; i++) {
		if (waitpid(pids[i], &status, 0) != pids[i])
			return fail_errno("waitpid");
		/* the first child's own finding is the cause; the others then saw EOF or EPIPE */
		if (status && !child_failed++)
			snprintf(problem, sizeof(problem), "ring process %d ended with wait status 0x%x, "
				 "expected 0: %s", i, status, reports[i]);
	}
	test_waitsig();

	if (problem[0])
		return fail("%s", problem);
	test_msg("%u buffers went round the ring of %d processes", back, PROCS);
	return pass();
}
