#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "eight writers and three readers share one pipe (transition/pipe_shared has one reader): each "
		 "numbered, stamped record is read exactly once, each reader sees every writer's records in order",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define WRITERS 8
#define READERS 3
#define RECLEN 256              /* <= PIPE_BUF: written and read whole */

struct rec {
	uint32_t writer, seq;
	char data[RECLEN - 8];  /* datagen(writer << 24 | seq), stamped */
};

struct shared {
	atomic_int stop;
	atomic_ulong written[WRITERS], read[WRITERS];
	char finding[READERS][200];
};

static struct shared *sh;

static void writer(int w, int fd)
{
	static struct rec r;

	signal(SIGPIPE, SIG_IGN);
	for (uint32_t seq = 0; !atomic_load(&sh->stop); seq++) {
		r.writer = w;
		r.seq = seq;
		datagen(r.data, sizeof(r.data), w << 24 | seq);
		if (write(fd, &r, sizeof(r)) != sizeof(r))
			_exit(1);
		atomic_store(&sh->written[w], seq + 1);
	}
	_exit(0);
}

/* Reads records until every write end is closed. */
static void reader(int me, int fd)
{
	static struct rec r;
	int64_t last[WRITERS];
	ssize_t n;

	for (int w = 0; w < WRITERS; w++)
		last[w] = -1;
	while ((n = read(fd, &r, sizeof(r))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(r))
			_exit(note(sh->finding[me], "reader %d: read %zd bytes, expected a record of %zu", me, n, sizeof(r)));
		if (r.writer >= WRITERS || (int64_t)r.seq <= last[r.writer])
			_exit(note(sh->finding[me], "reader %d: writer %u's record %u after its record %lld", me, r.writer,
				   r.seq, r.writer < WRITERS ? (long long)last[r.writer] : -1LL));
		if (!datachk(r.data, sizeof(r.data)))
			_exit(note(sh->finding[me], "reader %d: writer %u's record %u has a bad stamp", me, r.writer, r.seq));
		last[r.writer] = r.seq;
		atomic_fetch_add(&sh->read[r.writer], 1);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	pid_t wp[WRITERS], rp[READERS];
	int p[2], status;

	test_init(argc, argv);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || pipe(p))
		return fail_errno("shared memory, pipe");
	for (int i = 0; i < READERS; i++)
		if ((rp[i] = fork()) == 0) {
			close(p[1]);
			reader(i, p[0]);
		} else if (rp[i] < 0)
			return fail_errno("fork");
	for (int w = 0; w < WRITERS; w++)
		if ((wp[w] = fork()) == 0) {
			close(p[0]);
			writer(w, p[1]);
		} else if (wp[w] < 0)
			return fail_errno("fork");
	close(p[0]);
	close(p[1]);

	test_daemon();
	while (test_go())
		usleep(10000);
	test_waitsig();

	atomic_store(&sh->stop, 1);
	for (int w = 0; w < WRITERS; w++)
		if (waitpid(wp[w], &status, 0) != wp[w] || status)
			return fail("writer %d ended with status %#x, expected 0", w, status);
	for (int i = 0; i < READERS; i++)
		waitpid(rp[i], NULL, 0);        /* all write ends are closed: they read to the end */
	for (int i = 0; i < READERS; i++)
		if (sh->finding[i][0])
			return fail("%s", sh->finding[i]);
	for (int w = 0; w < WRITERS; w++)
		if (atomic_load(&sh->read[w]) != atomic_load(&sh->written[w]))
			return fail("writer %d wrote %lu records, the readers read %lu", w, atomic_load(&sh->written[w]),
				    atomic_load(&sh->read[w]));
	test_msg("%lu records of writer 0", atomic_load(&sh->written[0]));
	return pass();
}
