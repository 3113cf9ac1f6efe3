#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "producers write numbered records into pipes watched by one epoll set; the consumer checks each pipe's order",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define PRODUCERS 4
#define RECLEN 128      /* below PIPE_BUF: every write and read moves one whole record */

/* Record n of pipe i: its header, then datagen(i << 24 | n). */
struct record {
	uint32_t pipe, seq;
	char data[RECLEN - 8];
};

static char problem[200];

static uint32_t seed_of(uint32_t pipe, uint32_t seq)
{
	return pipe << 24 | (seq & 0xffffff);
}

/* A producer writes records until the consumer closes the read end (EPIPE: exit 0). */
static void producer(uint32_t i, int out)
{
	struct record r = { .pipe = i };

	for (r.seq = 0;; r.seq++) {
		datagen(r.data, sizeof(r.data), seed_of(i, r.seq));
		if (write(out, &r, sizeof(r)) != sizeof(r))
			_exit(errno == EPIPE ? 0 : 1);
	}
}

/* Reads the next record of pipe i, which the epoll event named. */
static int consume(int fd, uint32_t i, uint32_t *next)
{
	struct record r;
	char want[sizeof(r.data)];
	ssize_t got = read(fd, &r, sizeof(r));

	if (got != sizeof(r)) {
		snprintf(problem, sizeof(problem), "pipe %u: read gave %zd bytes, expected %d (errno %d)", i, got,
			 RECLEN, errno);
		return 1;
	}
	datagen(want, sizeof(want), seed_of(i, next[i]));
	if (r.pipe != i || r.seq != next[i])
		snprintf(problem, sizeof(problem), "pipe %u gave record %u of pipe %u, expected record %u", i,
			 r.seq, r.pipe, next[i]);
	else if (memcmp(r.data, want, sizeof(want)))
		snprintf(problem, sizeof(problem), "pipe %u record %u: payload differs (CRC stamp %s)", i, r.seq,
			 datachk(r.data, sizeof(r.data)) ? "intact: another record" : "broken");
	next[i]++;
	return problem[0] != 0;
}

/* One epoll_wait round: every ready pipe gives one record. */
static int round_robin(int ep, int *fds, uint32_t *next)
{
	struct epoll_event ev[PRODUCERS];
	int n = epoll_wait(ep, ev, PRODUCERS, 1000);

	if (n < 0 && errno == EINTR)
		return 0;
	if (n <= 0) {
		snprintf(problem, sizeof(problem), "epoll_wait gave %d with %d busy producers (errno %d)", n,
			 PRODUCERS, errno);
		return 1;
	}
	for (int k = 0; k < n; k++) {
		uint32_t i = ev[k].data.u32;

		if (i >= PRODUCERS || ev[k].events != EPOLLIN) {
			snprintf(problem, sizeof(problem), "epoll event for pipe %u with events 0x%x, expected "
				 "a pipe below %d with EPOLLIN", i, ev[k].events, PRODUCERS);
			return 1;
		}
		if (consume(fds[i], i, next))
			return 1;
	}
	return 0;
}

/* After C/R: epoll still reports every pipe (each gives one more record). */
static void every_pipe_served(int ep, int *fds, uint32_t *next)
{
	uint32_t last[PRODUCERS];
	int rounds, waiting = PRODUCERS;

	memcpy(last, next, sizeof(last));
	for (rounds = 0; waiting && rounds < 10000 && !round_robin(ep, fds, next); rounds++) {
		waiting = 0;
		for (int i = 0; i < PRODUCERS; i++)
			waiting += next[i] == last[i];
	}
	for (int i = 0; i < PRODUCERS && !problem[0]; i++)
		if (next[i] == last[i])
			snprintf(problem, sizeof(problem), "pipe %d gave no record in %d epoll rounds after the "
				 "loop, expected every pipe to be served", i, rounds);
}

int main(int argc, char **argv)
{
	int fds[PRODUCERS], p[2], ep, status;
	uint32_t next[PRODUCERS] = { 0 };
	pid_t pids[PRODUCERS];

	test_init(argc, argv);
	signal(SIGPIPE, SIG_IGN);
	ep = epoll_create1(0);
	if (ep < 0)
		return fail_errno("epoll_create1");
	for (uint32_t i = 0; i < PRODUCERS; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };

		if (pipe(p))
			return fail_errno("pipe");
		pids[i] = fork();
		if (pids[i] < 0)
			return fail_errno("fork");
		if (pids[i] == 0) {
			close(p[0]);
			close(ep);
			for (uint32_t k = 0; k < i; k++)
				close(fds[k]);  /* only the consumer holds read ends */
			producer(i, p[1]);
		}
		close(p[1]);
		fds[i] = p[0];
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev))
			return fail_errno("epoll_ctl");
	}

	test_daemon();
	while (test_go() && !round_robin(ep, fds, next))
		;
	if (!problem[0])
		every_pipe_served(ep, fds, next);
	for (int i = 0; i < PRODUCERS; i++) {
		close(fds[i]);          /* the producer gets EPIPE and exits */
		if (waitpid(pids[i], &status, 0) != pids[i])
			return fail_errno("waitpid");
		if (status && !problem[0])
			snprintf(problem, sizeof(problem), "producer %d ended with wait status 0x%x, expected 0",
				 i, status);
	}
	test_waitsig();

	if (problem[0])
		return fail("%s", problem);
	test_msg("records per pipe: %u %u %u %u", next[0], next[1], next[2], next[3]);
	return pass();
}
