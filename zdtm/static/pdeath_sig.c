#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a grandchild with parent-death signal SIGUSR1: setting kept, and it fires when its parent exits",
	  .flavors = ZDTM_ALL_FLAVORS);

/*
 * The test (a child subreaper) -> middle -> orphan. The orphan sets
 * PR_SET_PDEATHSIG=SIGUSR1 and keeps SIGUSR1 blocked. After C/R it reports
 * PR_GET_PDEATHSIG, then the middle exits and the orphan reports the signal
 * that arrived and its new parent, which must be the test.
 */
#define PDEATHSIG SIGUSR1

struct report {
	int pdeathsig;    /* PR_GET_PDEATHSIG after C/R */
	int signo;        /* what sigtimedwait() caught after the middle exited; 0: nothing */
	pid_t ppid_before, ppid_after;
};

static struct zdtm_waiter *w;   /* 1: orphan set up; 2: C/R over; 3: middle, exit */
static int rep[2];

static void orphan(void)
{
	struct timespec tmo = { .tv_sec = 10 };
	struct report r = { .pdeathsig = -1 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, PDEATHSIG);
	if (sigprocmask(SIG_BLOCK, &set, NULL) || prctl(PR_SET_PDEATHSIG, PDEATHSIG, 0, 0, 0))
		_exit(10);
	waiter_post(w, 1);
	waiter_wait(w, 2);
	r.ppid_before = getppid();
	if (prctl(PR_GET_PDEATHSIG, &r.pdeathsig, 0, 0, 0))
		_exit(11);
	waiter_post(w, 3);
	r.signo = sigtimedwait(&set, NULL, &tmo);
	r.ppid_after = getppid();
	_exit(write_all(rep[1], &r, sizeof(r)) ? 12 : 0);
}

static void middle(void)
{
	pid_t pid = fork();

	if (pid < 0)
		_exit(20);
	if (pid == 0)
		orphan();
	waiter_wait(w, 3);
	_exit(0);
}

int main(int argc, char **argv)
{
	struct report r = { 0 };
	pid_t mid, orph, got;
	int status, n, ret = 0;

	test_init(argc, argv);
	w = waiter_new();
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))
		return fail_errno("PR_SET_CHILD_SUBREAPER");
	if (pipe(rep))
		return fail_errno("pipe");
	mid = fork();
	if (mid < 0)
		return fail_errno("fork");
	if (mid == 0)
		middle();
	close(rep[1]);   /* a report that never comes ends in EOF */
	waiter_wait(w, 1);

	test_daemon();
	test_waitsig();

	waiter_post(w, 2);
	if (waitpid(mid, &status, 0) != mid || status != 0)
		ret = fail("middle child ended with status %#x, expected exit 0", status);
	n = read_all(rep[0], &r, sizeof(r));
	orph = waitpid(-1, &status, 0);
	if (!ret && (n != sizeof(r) || orph < 0 || status != 0))
		ret = fail("orphan (pid %d) reported %d bytes and ended with status %#x, expected %zu and exit 0",
			   orph, n, status, sizeof(r));
	if (ret)
		return ret;
	if (expect_int("orphan's PR_GET_PDEATHSIG", r.pdeathsig, PDEATHSIG) ||
	    expect_int("orphan's parent before", r.ppid_before, mid) ||
	    expect_int("signal the orphan got when its parent exited", r.signo, PDEATHSIG) ||
	    expect_int("orphan's parent after (the subreaper)", r.ppid_after, getpid()))
		return 1;
	got = waitpid(-1, &status, WNOHANG);
	if (got != -1)
		return fail("waitpid found pid %d, expected no more children", got);
	return pass();
}
