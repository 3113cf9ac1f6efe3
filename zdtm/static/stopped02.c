#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a two-thread child stopped only by a SIGSTOP sent to its second thread (tkill): every thread "
		 "stays stopped, the stop stays unreported (waitid WNOWAIT sees SIGSTOP), SIGCONT resumes every thread",
	  .flavors = ZDTM_ALL_FLAVORS);

static pid_t *tid;      /* shared: the child's second thread */

static void *thread(void *arg)
{
	(void)arg;
	*tid = syscall(SYS_gettid);
	for (;;)
		pause();
	return NULL;
}

/* Every thread of pid is in state want ('T'), or (want 0) none is in T. */
static int threads_are(pid_t pid, char want, char *why, size_t len)
{
	pid_t t[2] = { pid, *tid };
	char path[64], st;

	for (int i = 0; i < 2; i++) {
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, t[i]);
		f = fopen(path, "r");
		if (!f || fscanf(f, "%*d (%*[^)]) %c", &st) != 1)
			st = '?';
		if (f)
			fclose(f);
		if (want ? st != want : st == 'T' || st == '?')
			return snprintf(why, len, "thread %d is in state %c, expected %s", t[i], st,
					want ? "T" : "running or sleeping"), 0;
	}
	return 1;
}

/* The stop is not reported yet: waitid(WNOWAIT) shows SIGSTOP and leaves it. */
static int check_unreported(pid_t pid, const char *when)
{
	siginfo_t si = { 0 };

	if (waitid(P_PID, pid, &si, WSTOPPED | WNOHANG | WNOWAIT))
		return fail_errno("%s: waitid(WSTOPPED)", when);
	if (si.si_pid != pid || si.si_code != CLD_STOPPED || si.si_status != SIGSTOP)
		return fail("%s: waitid(WSTOPPED) gives pid %d code %d status %d, expected pid %d code %d (CLD_STOPPED) "
			    "status %d (SIGSTOP)", when, si.si_pid, si.si_code, si.si_status, pid, CLD_STOPPED, SIGSTOP);
	return 0;
}

int main(int argc, char **argv)
{
	char why[128] = "";
	int status;
	pid_t pid;

	test_init(argc, argv);
	tid = (pid_t *)finding_new();
	if (!tid)
		return fail_errno("shared memory");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		pthread_t th;

		if (pthread_create(&th, NULL, thread, NULL))
			_exit(1);
		for (;;)
			pause();        /* SIGUSR1 (default action) ends it */
	}
	while (!*tid)
		usleep(1000);
	if (syscall(SYS_tkill, *tid, SIGSTOP))
		return fail_errno("tkill the child's thread");
	for (int i = 0; i < 100 && !threads_are(pid, 'T', why, sizeof(why)); i++)
		usleep(10000);
	if (!threads_are(pid, 'T', why, sizeof(why)) || check_unreported(pid, "before C/R"))
		return why[0] ? fail("before C/R: %s", why) : 1;

	test_daemon();
	test_waitsig();

	if (!threads_are(pid, 'T', why, sizeof(why)))
		return fail("%s", why);
	if (check_unreported(pid, "after C/R"))
		return 1;
	if (kill(pid, SIGCONT))
		return fail_errno("SIGCONT");
	for (int i = 0; i < 100 && !threads_are(pid, 0, why, sizeof(why)); i++)
		usleep(10000);
	if (!threads_are(pid, 0, why, sizeof(why)))
		return fail("after SIGCONT: %s", why);
	if (kill(pid, SIGUSR1) || waitpid(pid, &status, 0) != pid)
		return fail_errno("end the child");
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGUSR1)
		return fail("the child ended with status %#x, expected killed by SIGUSR1", status);
	return pass();
}
