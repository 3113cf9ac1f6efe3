#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "processes in two sessions and several process groups, one led by a sibling",
	  .flavors = ZDTM_ALL_FLAVORS);

/*
 * The test process is a session leader (test_init() calls setsid()).
 *   main   sid main, pgid main
 *   B      sid main, pgid B        (own group)
 *   C      sid main, pgid B        (joins its sibling's group)
 *   A      sid A,    pgid A        (new session)
 *   A1     sid A,    pgid A1       (own group in A's session)
 *   A2     sid A,    pgid A        (stays in A's group)
 * Each reports its sid and pgid before C/R and after.
 */
enum { B, C, A, A1, A2, NPROCS };
static const char *names[NPROCS] = { "B", "C", "A", "A1", "A2" };

struct report {
	int who, phase;
	pid_t pid, sid, pgid;
};

static struct zdtm_waiter *w;   /* 1: C/R over, report again */
static int report_fd[2];

static int report(int who, int phase)
{
	struct report r = { who, phase, getpid(), getsid(0), getpgid(0) };

	return write_all(report_fd[1], &r, sizeof(r));
}

/* A member: joins its place, reports, waits, reports again, ends its own children. */
static int member(int who, pid_t kids[2], int nkids)
{
	int bad = 0, status;

	if (report(who, 0))
		bad = 11;
	waiter_wait(w, 1);
	if (report(who, 1))
		bad = 12;
	for (int k = 0; k < nkids; k++)
		if (waitpid(kids[k], &status, 0) != kids[k] || status)
			bad = 13;
	return bad;
}

static int leader_a(void)
{
	pid_t kids[2];

	if (setsid() < 0)
		return 20;
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		if (kids[k] < 0)
			return 21;
		if (kids[k] == 0) {
			if (k == 0 && setpgid(0, 0))
				_exit(22);
			_exit(member(k == 0 ? A1 : A2, NULL, 0));
		}
		if (k == 0)
			setpgid(kids[k], kids[k]);   /* both sides, so no race */
	}
	return member(A, kids, 2);
}

/* Forks one member of main's session; pgid 0 means "its own group". */
static pid_t fork_member(int who, pid_t pgid)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (who == A)
			_exit(leader_a());
		if (setpgid(0, pgid))
			_exit(23);
		_exit(member(who, NULL, 0));
	}
	if (pid > 0 && who != A)
		setpgid(pid, pgid ? pgid : pid);
	return pid;
}

static int collect(int phase, struct report *by)
{
	struct report r;

	for (int i = 0; i < NPROCS; i++) {
		if (read_all(report_fd[0], &r, sizeof(r)) != sizeof(r))
			return 0;   /* EOF: someone is gone; its slot stays empty */
		if (r.who < 0 || r.who >= NPROCS || r.phase != phase)
			return fail("report of %d phase %d, expected phase %d", r.who, r.phase, phase);
		by[r.who] = r;
	}
	return 0;
}

static int compare(int who, const struct report *r, pid_t pid, pid_t sid, pid_t pgid)
{
	if (!r->pid)
		return fail("%s never reported, expected a live process", names[who]);
	if (r->pid != pid || r->sid != sid || r->pgid != pgid)
		return fail("%s: pid %d sid %d pgid %d, expected pid %d sid %d pgid %d", names[who],
			    r->pid, r->sid, r->pgid, pid, sid, pgid);
	return 0;
}

/* The layout drawn above, from the pids of the first reports. */
static int check_layout(const struct report *r)
{
	pid_t me = getpid(), b = r[B].pid, a = r[A].pid;

	return compare(B, &r[B], b, me, b) || compare(C, &r[C], r[C].pid, me, b) ||
	       compare(A, &r[A], a, a, a) || compare(A1, &r[A1], r[A1].pid, a, r[A1].pid) ||
	       compare(A2, &r[A2], r[A2].pid, a, a);
}

int main(int argc, char **argv)
{
	struct report before[NPROCS] = { 0 }, after[NPROCS] = { 0 };
	pid_t kids[3], sid, pgid;
	int ret, status;

	test_init(argc, argv);
	w = waiter_new();
	if (pipe(report_fd))
		return fail_errno("pipe");
	kids[0] = fork_member(B, 0);
	kids[1] = fork_member(C, kids[0]);
	kids[2] = fork_member(A, 0);
	if (kids[0] < 0 || kids[1] < 0 || kids[2] < 0)
		return fail_errno("fork");
	close(report_fd[1]);
	ret = collect(0, before) || check_layout(before);
	sid = getsid(0);
	pgid = getpgid(0);
	if (!ret && (sid != getpid() || pgid != getpid()))
		ret = fail("main: sid %d pgid %d, expected both %d", sid, pgid, getpid());
	if (ret) {
		waiter_post(w, 1);   /* let the others end themselves */
		return ret;
	}

	test_daemon();
	test_waitsig();

	waiter_post(w, 1);
	ret = collect(1, after);
	for (int i = 0; i < NPROCS && !ret; i++)
		ret = compare(i, &after[i], before[i].pid, before[i].sid, before[i].pgid);
	if (!ret && (getsid(0) != sid || getpgid(0) != pgid))
		ret = fail("main: sid %d pgid %d, expected %d and %d", getsid(0), getpgid(0), sid, pgid);
	for (int k = 0; k < 3; k++)
		if (waitpid(kids[k], &status, 0) != kids[k] || status)
			ret = ret ?: fail("child %d ended with status %#x, expected exit 0", k, status);
	return ret ? 1 : pass();
}
