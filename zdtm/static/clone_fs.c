#include <limits.h>
#include <linux/kcmp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

#ifndef SHARER_PROCESS
ZDTM_TEST(.doc = "a thread sharing the test's fs_struct next to a forked child and a thread that unshared it (CLONE_FS): kcmp KCMP_FS, each one's cwd and umask, and a umask set by the sharing thread shows in the test",
	  .flavors = ZDTM_ALL_FLAVORS);
#define SHARER_PROCESS 0
#define SHARER_NAME "the sharing thread"
#endif

/*
 * Who has which fs_struct: the test and SHARER share one (dir "a"), FORKED and THREAD own theirs.
 * SHARER is a thread (clone_fs) or, with SHARER_PROCESS, a child cloned with CLONE_FS (clone_fs_proc).
 */
enum { TEST, SHARER, FORKED, THREAD, NWHO };
static const char *names[NWHO] = { "the test", SHARER_NAME, "the forked child", "the unshared thread" };
static const char *dirs[NWHO] = { "a", "a", "b", "c" };
static const mode_t masks[NWHO] = { 027, 027, 077, 007 };
#define NEW_MASK 0055   /* set by the sharer after C/R: the test must see it */

static char top[PATH_MAX - 64];
static pid_t ids[NWHO];
static struct zdtm_waiter *w;   /* 1..3: each is set up; 10: C/R over; 11..13: each checked itself */
static char *finding;

static mode_t get_umask(void)
{
	mode_t m = umask(0);

	umask(m);
	return m;
}

/* The caller's own cwd and umask are those of i. */
static int check_self(int i, const char *when)
{
	char cwd[PATH_MAX] = "", want[PATH_MAX + 64];

	snprintf(want, sizeof(want), "%s/%s", top, test_path(dirs[i]));
	if (!getcwd(cwd, sizeof(cwd)) || strcmp(cwd, want))
		return note(finding, "%s, %s: cwd \"%s\", expected \"%s\"", names[i], when, cwd, want);
	if (get_umask() != masks[i])
		return note(finding, "%s, %s: umask %04o, expected %04o", names[i], when, get_umask(), masks[i]);
	return 0;
}

/* Child or thread i: its own cwd and umask (the sharer sets the test's too), then its checks. */
static int run(int i)
{
	if (i != SHARER && ((i == THREAD && unshare(CLONE_FS)) || chdir(test_path(dirs[i]))))
		note(finding, "%s: unshare and chdir: %s", names[i], strerror(errno));
	if (i != SHARER)
		umask(masks[i]);
	waiter_post(w, i);
	waiter_wait(w, 10 + i - 1);
	if (!finding[0])
		check_self(i, "after C/R");
	if (!finding[0] && i == SHARER)
		umask(NEW_MASK);
	waiter_post(w, 10 + i);
	return finding[0] != 0;
}

static void *thread(void *arg)
{
	int i = (int)(long)arg;

	ids[i] = gettid();
	run(i);
	return NULL;
}

/* Starts i, a thread or a child (the sharer: CLONE_FS), and waits until it is set up. */
static int start(int i, pthread_t *th)
{
	if (i == THREAD || (i == SHARER && !SHARER_PROCESS)) {
		if ((errno = pthread_create(th, NULL, thread, (void *)(long)i)))
			return -1;
	} else {
		ids[i] = syscall(SYS_clone, (i == SHARER ? CLONE_FS : 0) | SIGCHLD, NULL, NULL, NULL, 0);
		if (ids[i] < 0)
			return -1;
		if (ids[i] == 0)
			_exit(run(i));
	}
	waiter_wait(w, i);
	return 0;
}

/* kcmp(KCMP_FS) of the test against each: 0 only for the sharer. */
static int check_kcmp(const char *when)
{
	for (int i = SHARER; i < NWHO; i++) {
		long r = syscall(SYS_kcmp, getpid(), ids[i], KCMP_FS, 0, 0);

		if (r < 0 || (r == 0) != (i == SHARER))
			return note(finding, "%s: kcmp(KCMP_FS) of the test and %s gives %ld, expected %s", when,
				    names[i], r, i == SHARER ? "0 (one fs_struct)" : "1 or 2 (two)");
	}
	return 0;
}

int main(int argc, char **argv)
{
	pthread_t th[NWHO];
	int status[NWHO] = { 0 };

	test_init(argc, argv);
	w = waiter_new();
	finding = finding_new();
	if (!finding || !getcwd(top, sizeof(top)))
		return fail_errno("a shared buffer, getcwd");
	for (int i = TEST; i < NWHO; i++)
		if (i != SHARER && mkdir(test_path(dirs[i]), 0755))
			return fail_errno("mkdir %s", test_path(dirs[i]));
	ids[TEST] = getpid();
	for (int i = SHARER; i < NWHO; i++)
		if (start(i, &th[i]))
			return fail_errno("start %s", names[i]);
	/* set after the others are set up: the CLONE_FS child gets it through the shared fs_struct */
	umask(masks[TEST]);
	if (chdir(test_path(dirs[TEST])))
		return fail_errno("chdir");
	if (finding[0] || check_self(TEST, "before C/R") || check_kcmp("before C/R"))
		return fail("%s", finding);

	test_daemon();
	test_waitsig();

	if (!check_self(TEST, "after C/R"))
		check_kcmp("after C/R");
	waiter_post(w, 10);
	waiter_wait(w, 10 + THREAD);
	if (!finding[0] && get_umask() != NEW_MASK)
		note(finding, "the test's umask is %04o after %s set %04o, expected that", get_umask(),
		     names[SHARER], NEW_MASK);
	for (int i = SHARER; i < NWHO; i++)
		if (i == THREAD || (i == SHARER && !SHARER_PROCESS))
			pthread_join(th[i], NULL);
		else
			waitpid(ids[i], &status[i], 0);
	return expect_clean_end(finding, "", status[SHARER] | status[FORKED]) ? 1 : pass();
}
