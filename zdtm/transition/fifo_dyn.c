#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "fifos opened and closed every round: a child opens one of four fifos to read (blocking until a "
		 "writer comes), the parent opens it to write, sends one numbered record and closes; the child "
		 "checks the record and the end of file",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define NFIFO 4
#define RECLEN 256          /* <= PIPE_BUF: one write, one read */

struct rec {
	uint32_t round;
	char data[RECLEN - 4];      /* datagen(round), stamped */
};

static atomic_uint *acked;      /* rounds the child has checked, shared */
static char *finding;

static const char *fifo(uint32_t round)
{
	static char name[32];

	snprintf(name, sizeof(name), "fifo%u", round % NFIFO);
	return test_path(name);
}

static void reader(void)
{
	struct rec r;
	char extra;

	for (uint32_t round = 0;; round++) {
		int fd = open(fifo(round), O_RDONLY);

		if (fd < 0)
			_exit(note(finding, "round %u: open %s to read: %s", round, fifo(round), strerror(errno)));
		if (read_all(fd, &r, sizeof(r)) != sizeof(r))
			_exit(note(finding, "round %u: a short record from %s", round, fifo(round)));
		if (r.round != round || !datachk(r.data, sizeof(r.data)))
			_exit(note(finding, "round %u: the record of round %u%s", round, r.round,
				   datachk(r.data, sizeof(r.data)) ? "" : " with a bad stamp"));
		if (read(fd, &extra, 1) != 0)
			_exit(note(finding, "round %u: more than one record, or no end of file", round));
		close(fd);
		atomic_store(acked, round + 1);
	}
}

/* The writer's side of one round: 0, 1 when SIGTERM came first (final: the child must come within
 * 3 s instead), -1 on an error (noted). */
static int send_round(uint32_t round, bool final, char *problem)
{
	static struct rec r;
	int fd, waited = 0;

	while ((fd = open(fifo(round), O_WRONLY | O_NONBLOCK)) < 0) {
		if (errno != ENXIO)
			return -note(problem, "round %u: open %s to write: %s", round, fifo(round), strerror(errno));
		if (final && ++waited > 3000)
			return -note(problem, "round %u (after C/R): the child did not open %s to read within 3 s",
				     round, fifo(round));
		if (!final && !test_go())
			return 1;
		usleep(1000);           /* the child is not in its open() yet */
	}
	r.round = round;
	datagen(r.data, sizeof(r.data), round);
	if (write(fd, &r, sizeof(r)) != sizeof(r))
		return -note(problem, "round %u: write: %s", round, strerror(errno));
	close(fd);
	while (atomic_load(acked) <= round) {
		if (finding[0])
			return -1;
		usleep(1000);           /* past test_go: the round must end */
	}
	return 0;
}

int main(int argc, char **argv)
{
	char problem[ZDTM_FINDING_LEN] = "";
	uint32_t round = 0;
	int status;
	pid_t pid;

	test_init(argc, argv);
	acked = mmap(NULL, sizeof(*acked), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	finding = finding_new();
	if (acked == MAP_FAILED || !finding)
		return fail_errno("shared memory");
	for (int i = 0; i < NFIFO; i++)
		if (mkfifo(fifo(i), 0600))
			return fail_errno("mkfifo %s", fifo(i));
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		reader();

	test_daemon();
	while (test_go() && send_round(round, false, problem) == 0)
		round++;
	test_waitsig();
	/* one more round after C/R, whatever state the last one was left in */
	if (!problem[0] && send_round(round, true, problem) == 0)
		round++;

	kill(pid, SIGKILL);            /* blocked in its next open() */
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (finding[0] || problem[0])
		return fail("%s%s%s", finding, finding[0] && problem[0] ? "; " : "", problem);
	test_msg("%u rounds", round);
	return pass();
}
