#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an orphaned process group whose leader is dead, its members alive in another process's session",
	  .flavors = ZDTM_ALL_FLAVORS);

/*
 * main (child subreaper, its own session) -> A (setsid) -> B (setpgid(0, 0), exited) -> C -> D
 * C and D stay in group B of session A; B is dead, so C was orphaned to main (another
 * session) and the group has no member whose parent is in session A outside it: orphaned.
 *   A  ppid main, sid A, pgid A
 *   C  ppid main, sid A, pgid B
 *   D  ppid C,    sid A, pgid B
 */
enum { A, C, D, NPROCS };
static const char *names[NPROCS] = { "A", "C", "D" };

struct report {
	int who, phase;
	pid_t pid, ppid, sid, pgid;
};

static struct zdtm_waiter *w;   /* 1: B is gone; 2: C/R over, report again and exit */
static int report_fd[2];

static int report(int who, int phase)
{
	struct report r = { who, phase, getpid(), getppid(), getsid(0), getpgid(0) };

	return write_all(report_fd[1], &r, sizeof(r));
}

/* A, C and D: report, wait for the end of C/R, report again; C reaps D. */
static int member(int who, pid_t kid)
{
	int bad = 0, status;

	waiter_wait(w, 1);      /* B is gone: C's parent is main now */
	if (report(who, 0))
		bad = 11;
	waiter_wait(w, 2);
	if (report(who, 1))
		bad = 12;
	if (kid > 0 && (waitpid(kid, &status, 0) != kid || status))
		bad = 13;
	return bad;
}

static int group_b(void)
{
	pid_t c, d;

	if (setpgid(0, 0))
		return 30;
	c = fork();
	if (c < 0)
		return 31;
	if (c == 0) {
		d = fork();
		if (d == 0)
			_exit(member(D, 0));
		_exit(d < 0 ? 32 : member(C, d));
	}
	return 0;               /* B exits: C goes to main, the nearest subreaper */
}

static int session_a(void)
{
	pid_t b;
	int status;

	if (setsid() < 0)
		return 20;
	b = fork();
	if (b < 0)
		return 21;
	if (b == 0)
		_exit(group_b());
	if (waitpid(b, &status, 0) != b || status)
		return 22;
	waiter_post(w, 1);
	return member(A, 0);
}

/* Reads one report of each process for `phase`; 0 or a FAIL. */
static int collect(int phase, struct report *by)
{
	struct report r;

	for (int i = 0; i < NPROCS; i++) {
		if (read_all(report_fd[0], &r, sizeof(r)) != sizeof(r))
			return fail("phase %d: %d of %d processes reported, expected all", phase, i, NPROCS);
		if (r.who < 0 || r.who >= NPROCS || r.phase != phase)
			return fail("report of process %d phase %d, expected phase %d", r.who, r.phase, phase);
		by[r.who] = r;
	}
	return 0;
}

static int compare(const struct report *r, pid_t ppid, pid_t sid, pid_t pgid)
{
	if (r->ppid != ppid || r->sid != sid || r->pgid != pgid)
		return fail("%s (pid %d) phase %d: ppid %d sid %d pgid %d, expected ppid %d sid %d pgid %d",
			    names[r->who], r->pid, r->phase, r->ppid, r->sid, r->pgid, ppid, sid, pgid);
	return 0;
}

static int check(const struct report *by, pid_t a, pid_t b)
{
	return compare(&by[A], getpid(), a, a) || compare(&by[C], getpid(), a, b) ||
	       compare(&by[D], by[C].pid, a, b);
}

int main(int argc, char **argv)
{
	struct report before[NPROCS], after[NPROCS];
	pid_t a, b, c = 0;
	int status, ret;

	test_init(argc, argv);
	w = waiter_new();
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		return fail_errno("PR_SET_CHILD_SUBREAPER");
	if (pipe(report_fd))
		return fail_errno("pipe");
	a = fork();
	if (a < 0)
		return fail_errno("fork");
	if (a == 0)
		_exit(session_a());
	close(report_fd[1]);
	waiter_wait(w, 1);
	if ((ret = collect(0, before)))
		goto out;
	b = before[C].pgid;
	c = before[C].pid;
	if ((ret = check(before, a, b)))
		goto out;
	if (kill(b, 0) == 0 || errno != ESRCH) {
		ret = fail("group leader %d still exists, expected it gone", b);
		goto out;
	}

	test_daemon();
	test_waitsig();

	if (kill(b, 0) == 0 || errno != ESRCH) {
		ret = fail("a process %d (the dead group leader's pid) exists after C/R, expected none", b);
		goto out;
	}
	waiter_post(w, 2);
	if ((ret = collect(1, after)) || (ret = check(after, a, b)))
		goto out;
	for (int i = 0; i < NPROCS && !ret; i++)
		if (after[i].pid != before[i].pid)
			ret = fail("%s has pid %d, expected %d", names[i], after[i].pid, before[i].pid);
out:
	waiter_post(w, 2);
	if (waitpid(a, &status, 0) != a || status)
		ret = ret ?: fail("A (%d) ended with wait status 0x%x, expected 0", a, status);
	if (c > 0 && (waitpid(c, &status, 0) != c || status))
		ret = ret ?: fail("C (%d) ended with wait status 0x%x, expected 0", c, status);
	return ret ? 1 : pass();
}
