#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a two-thread child stopped by SIGSTOP sent to its second thread (tgkill) and then to the process (kill): every thread stays stopped, the stop is waitable, SIGCONT resumes it",
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

static int all_stopped(pid_t pid, char *why, size_t len)
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
		if (st != 'T')
			return snprintf(why, len, "thread %d is in state %c, expected T", t[i], st), 0;
	}
	return 1;
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
	if (syscall(SYS_tgkill, pid, *tid, SIGSTOP) || waitpid(pid, &status, WUNTRACED) != pid ||
	    !WIFSTOPPED(status) || kill(pid, SIGSTOP))
		return fail_errno("stop the child through its thread");
	for (int i = 0; i < 100 && !all_stopped(pid, why, sizeof(why)); i++)
		usleep(10000);

	test_daemon();
	test_waitsig();

	if (!all_stopped(pid, why, sizeof(why)))
		return fail("%s", why);
	if (kill(pid, SIGCONT) || waitpid(pid, &status, WCONTINUED) != pid || !WIFCONTINUED(status))
		return fail("SIGCONT: no continue reported (status %#x)", status);
	if (kill(pid, SIGUSR1) || waitpid(pid, &status, 0) != pid)
		return fail_errno("end the child");
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGUSR1)
		return fail("the child ended with status %#x, expected killed by SIGUSR1", status);
	return pass();
}
