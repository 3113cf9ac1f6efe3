#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

#ifndef DYING
ZDTM_TEST(.doc = "a tree of 12 processes drawn from a fixed seed: new sessions, own process groups, child "
		 "subreapers, children made with CLONE_PARENT; every process's pid, ppid, pgid, sid and "
		 "subreaper flag are the same after C/R",
	  .flavors = ZDTM_ALL_FLAVORS);
#define DYING 0
#endif

#define N 12
#define SEED 4242

struct plan {
	int creator;            /* the task that makes it (0: main) */
	bool setsid, setpgid, subreaper, clone_parent, dies;
};

struct ids {
	pid_t pid, ppid, pgid, sid;
	int subreaper;
};

struct shared {
	atomic_int recorded, checked;
	int stage;              /* waiter stages: 1 record, 2 C/R over, 3 exit */
	struct ids before[N], after[N];
	char finding[N][128];
};

static struct plan plan[N];
static struct shared *sh;
static struct zdtm_waiter *w;

static void draw_plan(void)
{
	unsigned short xs[3] = { SEED, SEED >> 8, 7 };

	for (int i = 1; i < N; i++) {
		plan[i].creator = nrand48(xs) % i;
		plan[i].setsid = nrand48(xs) % 3 == 0;
		plan[i].setpgid = !plan[i].setsid && nrand48(xs) % 2;
		plan[i].subreaper = nrand48(xs) % 3 == 0;
		/* a child of main made with CLONE_PARENT would leave the test's tree */
		plan[i].clone_parent = plan[i].creator != 0 && nrand48(xs) % 3 == 0;
		/* dying tasks (session03): some with children, reaped by their parent at once */
		plan[i].dies = DYING && i < N - 3 && nrand48(xs) % 3 == 0;
	}
}

static void get_ids(struct ids *id)
{
	int sr = 0;

	prctl(PR_GET_CHILD_SUBREAPER, &sr);
	*id = (struct ids){ getpid(), getppid(), getpgid(0), getsid(0), sr };
}

static void task(int me);

/* Makes task i (creator: the caller). */
static pid_t spawn(int i)
{
	pid_t pid = syscall(SYS_clone, (plan[i].clone_parent ? CLONE_PARENT : 0) | SIGCHLD, NULL, NULL, NULL, 0);

	if (pid == 0)
		task(i);
	return pid;
}

static void reap_all(void)
{
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

static void task(int me)
{
	if (plan[me].setsid && setsid() < 0)
		snprintf(sh->finding[me], sizeof(sh->finding[me]), "task %d: setsid: %s", me, strerror(errno));
	if (plan[me].setpgid && setpgid(0, 0))
		snprintf(sh->finding[me], sizeof(sh->finding[me]), "task %d: setpgid: %s", me, strerror(errno));
	if (plan[me].subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1))
		snprintf(sh->finding[me], sizeof(sh->finding[me]), "task %d: subreaper: %s", me, strerror(errno));
	for (int i = me + 1; i < N; i++)
		if (plan[i].creator == me) {
			pid_t pid = spawn(i);

			if (pid < 0)
				snprintf(sh->finding[me], sizeof(sh->finding[me]), "task %d: clone task %d: %s", me, i,
					 strerror(errno));
			else if (plan[i].dies && !plan[i].clone_parent)
				waitpid(pid, NULL, 0);  /* it made its children and went */
		}
	if (plan[me].dies)
		_exit(0);
	waiter_wait(w, 1);
	get_ids(&sh->before[me]);
	atomic_fetch_add(&sh->recorded, 1);
	waiter_wait(w, 2);
	get_ids(&sh->after[me]);
	atomic_fetch_add(&sh->checked, 1);
	waiter_wait(w, 3);
	reap_all();
	_exit(0);
}

static int alive(void)
{
	int n = 0;

	for (int i = 1; i < N; i++)
		n += !plan[i].dies;
	return n;
}

static int wait_count(atomic_int *c, int n, const char *what)
{
	for (int i = 0; i < 1000 && atomic_load(c) < n; i++)
		usleep(5000);
	if (atomic_load(c) < n)
		return fail("%d of %d tasks %s within 5 s", atomic_load(c), n, what);
	return 0;
}

static int compare(void)
{
	for (int i = 1; i < N; i++) {
		const struct ids *b = &sh->before[i], *a = &sh->after[i];

		if (plan[i].dies)
			continue;
		if (sh->finding[i][0])
			return fail("%s", sh->finding[i]);
		if (memcmp(a, b, sizeof(*a)))
			return fail("task %d: pid %d ppid %d pgid %d sid %d subreaper %d, expected pid %d ppid %d pgid %d "
				    "sid %d subreaper %d", i, a->pid, a->ppid, a->pgid, a->sid, a->subreaper, b->pid,
				    b->ppid, b->pgid, b->sid, b->subreaper);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int ret;

	test_init(argc, argv);
	draw_plan();
	w = waiter_new();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return fail_errno("mmap");
	/* orphans must stay in the test's tree */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		return fail_errno("PR_SET_CHILD_SUBREAPER");
	for (int i = 1; i < N; i++) {
		pid_t pid = plan[i].creator == 0 ? spawn(i) : 0;

		if (pid < 0)
			return fail_errno("fork task %d", i);
		if (pid > 0 && plan[i].dies)
			waitpid(pid, NULL, 0);
	}
	waiter_post(w, 1);
	if (wait_count(&sh->recorded, alive(), "recorded their ids")) {
		waiter_post(w, 3);
		reap_all();
		return 1;
	}

	test_daemon();
	test_waitsig();

	waiter_post(w, 2);
	ret = wait_count(&sh->checked, alive(), "read their ids after C/R") || compare();
	waiter_post(w, 3);
	reap_all();
	return ret ? 1 : pass();
}
