#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child whose thread-group leader has exited (zombie) while its second thread lives on",
	  .flavors = ZDTM_ALL_FLAVORS,
	  .flags = "crfail");   /* criu 4.2.1: "Zombies with threads are not supported" (seize.c) */

static struct zdtm_waiter *w;   /* 1: the leader is gone, the thread waits; 2: C/R over, finish */
static int report[2];           /* the thread's tid */
static pthread_t leader;

/* The surviving thread: exit 0 when its tid and stack data are kept, else 20 + what differs. */
static void *survivor(void *arg)
{
	char stack[2048];
	pid_t tid = gettid();

	(void)arg;
	datagen(stack, sizeof(stack), 5);
	if (pthread_join(leader, NULL))
		_exit(20);
	if (write_all(report[1], &tid, sizeof(tid)))
		_exit(21);
	waiter_post(w, 1);
	waiter_wait(w, 2);
	if (gettid() != tid)
		_exit(22);
	_exit(datachk(stack, sizeof(stack)) ? 0 : 23);   /* _exit: no atexit handler of the test */
}

static void child(void)
{
	pthread_t t;

	leader = pthread_self();
	if (pthread_create(&t, NULL, survivor, NULL))
		_exit(10);
	pthread_exit(NULL);
}

/* "State:" letter and "Threads:" of /proc/PID/status. */
static int proc_status(pid_t pid, char *state, int *threads)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	*state = '?';
	*threads = -1;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "State: %c", state);
		sscanf(line, "Threads: %d", threads);
	}
	fclose(f);
	return 0;
}

/* The tasks of /proc/PID/task: exactly the leader and tid. */
static int check_tasks(pid_t pid, pid_t tid)
{
	char path[64];
	struct dirent *de;
	int n = 0, bad = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return fail_errno("opendir %s", path);
	while ((de = readdir(d))) {
		pid_t t = atoi(de->d_name);

		if (!t)
			continue;
		n++;
		if (t != pid && t != tid)
			bad = t;
	}
	closedir(d);
	if (n != 2 || bad)
		return fail("%s holds %d tasks (stray %d), expected 2: %d and %d", path, n, bad, pid, tid);
	return 0;
}

static int check_child(pid_t pid, pid_t tid)
{
	char state;
	int threads;

	for (int i = 0; i < 10000; i++) {   /* the leader's exit ends shortly after its tid is cleared */
		if (proc_status(pid, &state, &threads))
			return fail_errno("read /proc/%d/status", pid);
		if (state == 'Z')
			break;
		sched_yield();
	}
	if (state != 'Z' || threads != 2)
		return fail("child %d: State %c, Threads %d; expected State Z (leader gone), Threads 2",
			    pid, state, threads);
	return check_tasks(pid, tid);
}

int main(int argc, char **argv)
{
	pid_t pid, tid = 0;
	int status;

	test_init(argc, argv);
	w = waiter_new();
	if (pipe(report))
		return fail_errno("pipe");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		child();
	close(report[1]);
	if (read_all(report[0], &tid, sizeof(tid)) != sizeof(tid))
		return fail("the surviving thread reported no tid");
	close(report[0]);
	waiter_wait(w, 1);
	if (check_child(pid, tid))
		return 1;

	test_daemon();
	test_waitsig();

	if (check_child(pid, tid))
		return 1;
	waiter_post(w, 2);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return fail("child ended with status %#x, expected exit 0 (20-23: the surviving thread)", status);
	return pass();
}
