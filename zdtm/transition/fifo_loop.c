#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a ring of processes passes CRC-stamped buffers through named fifos, each hop checks them",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define PROCS 4         /* the main process and PROCS - 1 children */
#define INFLIGHT 4      /* buffers travelling the ring at once */
#define BUFLEN 3000     /* not a divisor of the pipe size: buffers straddle pages */
#define REPORT 128      /* a child's finding, in memory shared with the main process */

/* Process i reads fifo i - 1 (the main process: fifo PROCS - 1) and writes fifo i. */
static const char *fifo_name(int i)
{
	static char name[16];

	snprintf(name, sizeof(name), "fifo.%d", i);
	return test_path(name);
}

/* Blocking opens pair up along the ring: no process waits for one that waits for it. */
static int open_ring(int i, int *in, int *out)
{
	int prev = (i + PROCS - 1) % PROCS;

	if (i == 0) {
		*out = open(fifo_name(0), O_WRONLY);
		*in = *out < 0 ? -1 : open(fifo_name(prev), O_RDONLY);
	} else {
		*in = open(fifo_name(prev), O_RDONLY);
		*out = *in < 0 ? -1 : open(fifo_name(i), O_WRONLY);
	}
	return *in < 0 || *out < 0;
}

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

/* A child forwards buffers until EOF; damage is its exit status 1 and its report. */
static void child(int i, char *report)
{
	int in, out, ret;

	if (open_ring(i, &in, &out)) {
		snprintf(report, REPORT, "open of its fifos: errno %d", errno);
		_exit(1);
	}
	for (unsigned n = 0; !(ret = hop(in, out, n, report, REPORT)); n++)
		;
	_exit(ret < 0);
}

/* The main process's part: keeps INFLIGHT buffers in the ring, checks each that comes back. */
static void run_ring(int in, int out, char *problem, size_t plen)
{
	static char buf[BUFLEN];
	unsigned sent = 0, back = 0;

	for (; sent < INFLIGHT && !problem[0]; sent++) {
		datagen(buf, BUFLEN, sent);
		if (write_all(out, buf, BUFLEN))
			snprintf(problem, plen, "write buffer %u: errno %d", sent, errno);
	}
	test_daemon();
	while (test_go() && !problem[0]) {
		if (hop(in, -1, back, problem, plen))
			break;          /* the main process treats EOF as damage */
		back++;
		datagen(buf, BUFLEN, sent);
		if (write_all(out, buf, BUFLEN))
			snprintf(problem, plen, "write buffer %u failed, errno %d", sent, errno);
		sent++;
	}
	while (!problem[0] && back < sent && !hop(in, -1, back, problem, plen))
		back++;         /* drain the buffers still in the ring */
	test_msg("%u buffers went round the ring of %d processes", back, PROCS);
}

int main(int argc, char **argv)
{
	char problem[4 * REPORT] = "", own[4 * REPORT] = "";
	char (*reports)[REPORT] = mmap(NULL, PROCS * REPORT, PROT_READ | PROT_WRITE,
				       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int in, out, status, child_failed = 0;
	pid_t pids[PROCS];

	test_init(argc, argv);
	signal(SIGPIPE, SIG_IGN);       /* a broken ring is a finding, not a death */
	if (reports == MAP_FAILED)
		return fail_errno("mmap");
	for (int i = 0; i < PROCS; i++)
		if (mkfifo(fifo_name(i), 0600))
			return fail_errno("mkfifo %s", fifo_name(i));
	for (int i = 1; i < PROCS; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return fail_errno("fork");
		if (pids[i] == 0)
			child(i, reports[i]);
	}
	if (open_ring(0, &in, &out))
		return fail_errno("open of the main process's fifos");

	run_ring(in, out, problem, sizeof(problem));
	close(out);             /* EOF travels the ring: the children exit */
	close(in);
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
	for (int i = 0; i < PROCS; i++)
		if (unlink(fifo_name(i)))
			return fail_errno("unlink %s: the fifo is gone", fifo_name(i));
	return pass();
}
