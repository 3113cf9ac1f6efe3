#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "orphans of a child subreaper in its own session: one became a session leader, one stayed in "
		 "the subreaper's session; after C/R both keep parent, session and group, and an orphan made after "
		 "C/R comes to the subreaper too, which reaps all three",
	  .flavors = ZDTM_ALL_FLAVORS);

/*
 * main -> S (setsid, PR_SET_CHILD_SUBREAPER) -> M (exits, reaped by S) -> O1 (setsid), O2 -> K
 * O1 and O2 were orphaned to S before C/R. After C/R O2 exits: K is orphaned then and must come
 * to S as well. S reaps O1, O2 and K and reports their exit codes.
 */
enum { S, O1, O2, K, NPROC };
static const char *names[NPROC] = { "S", "O1", "O2", "K" };

struct ids {
	pid_t pid, ppid, sid, pgid;
};

struct shared {
	struct ids before[NPROC], after[NPROC];
	int exits[NPROC];       /* S: the exit codes it reaped, by who */
	pid_t pid[NPROC];
	char finding[256];
};

static struct shared *sh;
static struct zdtm_waiter *w;   /* 1: M is gone, record; 2: C/R over, record again; 3: O1 and O2 exit */

static void record(int who, struct ids *where)
{
	where[who] = (struct ids){ getpid(), getppid(), getsid(0), getpgid(0) };
}

static void leaf(int who, int stage)
{
	waiter_wait(w, 1);      /* M is gone */
	record(who, sh->before);
	waiter_wait(w, 2);
	record(who, sh->after);
	waiter_wait(w, stage);
	_exit(10 + who);
}

static void k_task(void)
{
	pid_t parent = getppid();

	waiter_wait(w, 1);
	record(K, sh->before);
	waiter_wait(w, 2);
	record(K, sh->after);
	waiter_wait(w, 3);
	for (int i = 0; i < 1000 && getppid() == parent; i++)
		usleep(1000);   /* O2 exits: K is orphaned */
	sh->after[K].ppid = getppid();
	_exit(10 + K);
}

static void o2_task(void)
{
	pid_t pid = fork();

	if (pid == 0)
		k_task();
	sh->pid[K] = pid;
	leaf(O2, 3);
}

static void m_task(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		setsid();
		leaf(O1, 3);
	}
	sh->pid[O1] = pid;
	pid = fork();
	if (pid == 0)
		o2_task();
	sh->pid[O2] = pid;
	_exit(0);
}

static void s_task(void)
{
	int status, left = 3;
	pid_t pid, m;

	if (setsid() < 0 || prctl(PR_SET_CHILD_SUBREAPER, 1))
		_exit(note(sh->finding, "S: setsid or PR_SET_CHILD_SUBREAPER: %s", strerror(errno)));
	m = fork();
	if (m == 0)
		m_task();
	waitpid(m, NULL, 0);
	waiter_post(w, 1);
	record(S, sh->before);
	waiter_wait(w, 2);
	record(S, sh->after);
	while (left && (pid = waitpid(-1, &status, 0)) > 0)
		for (int who = O1; who < NPROC; who++)
			if (pid == sh->pid[who]) {
				sh->exits[who] = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
				left--;
			}
	_exit(0);
}

static int check_ids(void)
{
	const pid_t s = sh->pid[S];
	/* expected ppid, sid and pgid of each */
	const struct ids want[NPROC] = {
		[S] = { s, getpid(), s, s },
		[O1] = { sh->pid[O1], s, sh->pid[O1], sh->pid[O1] },
		[O2] = { sh->pid[O2], s, s, s },
		[K] = { sh->pid[K], sh->pid[O2], s, s },
	};

	for (int who = S; who < NPROC; who++) {
		const struct ids *b = &sh->before[who], *a = &sh->after[who], *e = &want[who];

		if (memcmp(b, e, sizeof(*e)))
			return fail("%s before C/R: pid %d ppid %d sid %d pgid %d, expected %d %d %d %d", names[who],
				    b->pid, b->ppid, b->sid, b->pgid, e->pid, e->ppid, e->sid, e->pgid);
		if (memcmp(a, b, sizeof(*a)) && who != K)
			return fail("%s after C/R: pid %d ppid %d sid %d pgid %d, expected %d %d %d %d", names[who],
				    a->pid, a->ppid, a->sid, a->pgid, b->pid, b->ppid, b->sid, b->pgid);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int status;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return fail_errno("mmap");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		s_task();
	sh->pid[S] = pid;       /* the child must not write 0 there */
	for (int i = 0; i < 500; i++) {
		bool all = !sh->finding[0];

		for (int who = S; who < NPROC; who++)
			all = all && sh->before[who].pid;
		if (all || sh->finding[0])
			break;
		usleep(10000);
	}
	if (sh->finding[0])
		return fail("%s", sh->finding);

	test_daemon();
	test_waitsig();

	waiter_post(w, 2);
	for (int i = 0; i < 500; i++) {
		bool all = true;

		for (int who = S; who < NPROC; who++)
			all = all && sh->after[who].pid;
		if (all)
			break;
		usleep(10000);
	}
	if (check_ids()) {
		waiter_post(w, 3);
		waitpid(sh->pid[S], NULL, 0);
		return 1;
	}
	waiter_post(w, 3);
	if (waitpid(sh->pid[S], &status, 0) != sh->pid[S] || status)
		return fail("S ended with status %#x, expected 0", status);
	if (sh->after[K].ppid != sh->pid[S])
		return fail("K's parent after O2 exited: %d, expected the subreaper S (%d)", sh->after[K].ppid, sh->pid[S]);
	for (int who = O1; who < NPROC; who++)
		if (sh->exits[who] != 10 + who)
			return fail("S reaped %s with exit code %d, expected %d", names[who], sh->exits[who], 10 + who);
	return pass();
}
