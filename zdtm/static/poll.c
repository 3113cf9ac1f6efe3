#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child blocked in poll() on an empty pipe with a 6 s timeout across C/R: poll() ends by its "
		 "timeout (0, no event), at the deadline it was given before C/R, neither early nor restarted in full",
	  .flavors = ZDTM_ALL_FLAVORS);

#define TIMEOUT_MS 6000
#define LATE_MS 1500        /* the deadline may pass while the task is frozen for the dump */

struct report {
	int ret, err;
	short revents;
	long long elapsed_ms;   /* from just before poll() to its return, CLOCK_MONOTONIC */
};

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int child(int rfd, int report, struct zdtm_waiter *w)
{
	struct pollfd pfd = { .fd = rfd, .events = POLLIN };
	struct report r;
	long long start = mono_ms();

	waiter_post(w, 1);
	r.ret = poll(&pfd, 1, TIMEOUT_MS);
	r.err = r.ret < 0 ? errno : 0;
	r.elapsed_ms = mono_ms() - start;
	r.revents = pfd.revents;
	if (write_all(report, &r, sizeof(r)))
		return 1;
	waiter_wait(w, 2);      /* alive until the check: an early end is the test's finding, not a lost task */
	return 0;
}

int main(int argc, char **argv)
{
	struct zdtm_waiter *w;
	struct report r;
	int p[2], rep[2], status;
	long long ready;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	if (pipe(p) || pipe(rep))
		return fail_errno("pipe");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		close(p[1]);
		close(rep[0]);
		_exit(child(p[0], rep[1], w));
	}
	close(rep[1]);
	waiter_wait(w, 1);
	ready = mono_ms();
	while (proc_state(pid) != 'S' && mono_ms() - ready < 1000)
		usleep(1000);           /* until the child sleeps in poll() */

	test_daemon();
	test_waitsig();

	if (mono_ms() - ready > TIMEOUT_MS - 500)
		test_msg("C/R took %lld ms: poll() may have timed out before the dump", mono_ms() - ready);
	status = read_all(rep[0], &r, sizeof(r));
	waiter_post(w, 2);
	if (status != sizeof(r)) {
		waitpid(pid, NULL, 0);
		return fail("the child sent no report");
	}
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (r.ret != 0 || r.revents)
		return fail("poll() returned %d (%s), revents %#x after %lld ms, expected 0 by its timeout of %d ms",
			    r.ret, r.ret < 0 ? strerror(r.err) : "no error", r.revents, r.elapsed_ms, TIMEOUT_MS);
	if (r.elapsed_ms < TIMEOUT_MS || r.elapsed_ms > TIMEOUT_MS + LATE_MS)
		return fail("poll() timed out after %lld ms, expected %d to %d ms", r.elapsed_ms, TIMEOUT_MS,
			    TIMEOUT_MS + LATE_MS);
	return pass();
}
