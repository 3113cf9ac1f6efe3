#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

#ifndef HIER
ZDTM_TEST(.doc = "threads of the test in different v1 pids cgroups (the main thread in the test's own cgroup, two threads each in a cgroup below it): every thread in its cgroup after C/R",
	  .flavors = ZDTM_FLAVOR_H, .flags = "suid", .opts = "--manage-cgroups");
#define HIER "pids"
#define CONTROLLER "pids"
#define THREADS "tasks"
#define THREADED 0
#endif

static const char *const subs[] = { NULL, "t1", "t2" };
static struct zdtm_waiter *w;
static pid_t tids[3];
static char problem[ZDTM_FINDING_LEN];

static void *thread(void *arg)
{
	int i = (long)arg;
	char dir[256], tid[16];

	tids[i] = gettid();
	snprintf(tid, sizeof(tid), "%d", tids[i]);
	if (cgroup_write(cgroup_path(HIER, subs[i], dir, sizeof(dir)), THREADS, tid))
		note(problem, "move thread %d into %s: %s", tids[i], dir, strerror(errno));
	waiter_post(w, i);
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	char dir[256], rel[3][256], found[256];
	pthread_t t;

	test_init(argc, argv);
	w = waiter_new();
	for (int i = 0; i < 3; i++)
		if (mkdir(cgroup_path(HIER, subs[i], dir, sizeof(dir)), 0755))
			return errno == ENOENT ? skip("no %s hierarchy", HIER) : fail_errno("mkdir %s", dir);
	for (int i = 1; i < 3 && THREADED; i++)   /* the top one becomes "domain threaded" */
		if (cgroup_write(cgroup_path(HIER, subs[i], dir, sizeof(dir)), "cgroup.type", "threaded"))
			return fail_errno("%s/cgroup.type = threaded", dir);
	if (cgroup_write(cgroup_path(HIER, NULL, dir, sizeof(dir)), "cgroup.procs", "0"))
		return fail_errno("move into %s", dir);
	tids[0] = gettid();
	for (long i = 1; i < 3; i++) {
		if (pthread_create(&t, NULL, thread, (void *)i))
			return fail("pthread_create");
		waiter_wait(w, i);
	}
	if (problem[0])
		return fail("%s", problem);
	for (int i = 0; i < 3; i++) {
		cgroup_path(HIER, subs[i], dir, sizeof(dir));
		snprintf(rel[i], sizeof(rel[i]), "%s", dir + strlen("/sys/fs/cgroup/" HIER));
	}

	test_daemon();
	test_waitsig();

	for (int i = 0; i < 3; i++) {
		if (cgroup_of(tids[i], CONTROLLER, found, sizeof(found)))
			return fail("no pids line for thread %d", tids[i]);
		if (strcmp(found, rel[i]))
			return fail("thread %d is in %s, expected %s", tids[i], found, rel[i]);
	}
	for (int i = 0; i < 3 && THREADED; i++) {
		if (cgroup_read(cgroup_path(HIER, subs[i], dir, sizeof(dir)), "cgroup.type", found, sizeof(found)))
			return fail_errno("read %s/cgroup.type", dir);
		if (expect_str(dir, found, i ? "threaded" : "domain threaded"))
			return 1;
	}
	return pass();
}
