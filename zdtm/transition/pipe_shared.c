#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "four writers share one pipe, each writing numbered CRC-stamped records of at most PIPE_BUF bytes (atomic); the reader checks every writer's order and every record",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define WRITERS 4
#define RECLEN 512              /* <= PIPE_BUF: never interleaved */

struct rec {
	uint32_t writer, seq;
	char data[RECLEN - 8];          /* datagen(writer << 24 | seq), stamped */
};

/* Writes records until the pipe's read end is gone (EPIPE ends it). */
static void writer(int w, int fd)
{
	static struct rec r;

	signal(SIGPIPE, SIG_IGN);
	for (uint32_t seq = 0;; seq++) {
		r.writer = w;
		r.seq = seq;
		datagen(r.data, sizeof(r.data), w << 24 | seq);
		if (write(fd, &r, sizeof(r)) != sizeof(r))
			_exit(0);
	}
}

int main(int argc, char **argv)
{
	static struct rec r;
	uint32_t next[WRITERS] = { 0 };
	char problem[200] = "";
	pid_t pid[WRITERS];
	int p[2], status;
	unsigned long total = 0;

	test_init(argc, argv);
	if (pipe(p))
		return fail_errno("pipe");
	for (int w = 0; w < WRITERS; w++) {
		pid[w] = fork();
		if (pid[w] < 0)
			return fail_errno("fork");
		if (pid[w] == 0) {
			close(p[0]);
			writer(w, p[1]);
		}
	}
	close(p[1]);

	test_daemon();
	while (test_go() && !problem[0]) {
		ssize_t n = read_all(p[0], &r, sizeof(r));

		if (n != sizeof(r)) {
			if (n < 0 && errno == EINTR)
				continue;       /* SIGTERM */
			snprintf(problem, sizeof(problem), "read %zd bytes, expected a record of %zu", n, sizeof(r));
		} else if (r.writer >= WRITERS || r.seq != next[r.writer])
			snprintf(problem, sizeof(problem), "record of writer %u has seq %u, expected %u", r.writer,
				 r.seq, r.writer < WRITERS ? next[r.writer] : 0);
		else if (!datachk(r.data, sizeof(r.data)))
			snprintf(problem, sizeof(problem), "record %u of writer %u has a bad stamp", r.seq, r.writer);
		else {
			next[r.writer]++;
			total++;
		}
	}
	close(p[0]);
	for (int w = 0; w < WRITERS; w++)
		if (waitpid(pid[w], &status, 0) != pid[w] || (!problem[0] && status))
			snprintf(problem, sizeof(problem), "writer %d ended with status %#x", w, status);
	test_waitsig();

	if (problem[0])
		return fail("%s", problem);
	test_msg("%lu records (%u %u %u %u)", total, next[0], next[1], next[2], next[3]);
	return pass();
}
