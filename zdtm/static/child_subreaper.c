#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child subreaper holds an orphaned grandchild; after C/R it still reaps it and the next orphan",
	  .flavors = ZDTM_ALL_FLAVORS);

/*
 * main (PR_SET_CHILD_SUBREAPER) -> K (exited and reaped before C/R) -> G -> GG
 * G was orphaned to main before C/R. After C/R, G exits with G_STATUS: GG is orphaned then,
 * and must come to main too (the subreaper attribute survived), exiting with GG_STATUS.
 */
#define G_STATUS 42
#define GG_STATUS 43

static struct zdtm_waiter *w;   /* 2: C/R over, G exits; 3: GG exits */

/* K forks G and exits at once; G forks GG and sends both pids. */
static void middle(int out)
{
	pid_t pids[2];

	pids[0] = fork();
	if (pids[0] != 0)
		_exit(pids[0] < 0);
	pids[0] = getpid();
	pids[1] = fork();
	if (pids[1] == 0) {
		waiter_wait(w, 3);
		_exit(GG_STATUS);
	}
	if (pids[1] < 0 || write_all(out, pids, sizeof(pids)))
		_exit(1);
	waiter_wait(w, 2);
	_exit(G_STATUS);        /* GG is left behind: the subreaper must get it */
}

static int reap(pid_t pid, const char *who, int code)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid(%s = %d): expected it to be the test's child", who, pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != code)
		return fail("%s (%d) ended with wait status 0x%x, expected exit %d", who, pid, status, code);
	return 0;
}

static int check_parent(const char *who, pid_t pid, pid_t parent)
{
	char what[64];

	snprintf(what, sizeof(what), "parent of %s (pid %d)", who, pid);
	return expect_int(what, proc_stat_field(pid, 4), parent);   /* field 4: ppid */
}

int main(int argc, char **argv)
{
	pid_t k, pids[2];
	int p[2], on = 0;

	test_init(argc, argv);
	w = waiter_new();
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		return fail_errno("PR_SET_CHILD_SUBREAPER");
	if (pipe(p))
		return fail_errno("pipe");
	k = fork();
	if (k < 0)
		return fail_errno("fork");
	if (k == 0)
		middle(p[1]);
	close(p[1]);
	if (read_all(p[0], pids, sizeof(pids)) != sizeof(pids))
		return fail("G never sent its pids");
	close(p[0]);
	if (reap(k, "K", 0) || check_parent("G", pids[0], getpid()) || check_parent("GG", pids[1], pids[0]))
		return 1;

	test_daemon();
	test_waitsig();

	if (prctl(PR_GET_CHILD_SUBREAPER, &on))
		return fail_errno("PR_GET_CHILD_SUBREAPER");
	if (expect_int("PR_GET_CHILD_SUBREAPER", on, 1))
		return 1;
	if (check_parent("G", pids[0], getpid()) || check_parent("GG", pids[1], pids[0]))
		return 1;
	waiter_post(w, 2);
	if (reap(pids[0], "G", G_STATUS))
		return 1;
	if (check_parent("GG, orphaned after C/R,", pids[1], getpid()))
		return 1;
	waiter_post(w, 3);
	if (reap(pids[1], "GG", GG_STATUS))
		return 1;
	if (waitpid(-1, NULL, WNOHANG) != -1 || errno != ECHILD)
		return fail("a child is left after G and GG were reaped");
	return pass();
}
