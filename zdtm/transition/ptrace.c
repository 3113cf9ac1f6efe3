#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the test traces (PTRACE_SEIZE) every thread of its child, which keep counting, and interrupts and resumes each in turn without pause: criu must refuse to dump traced tasks, and after its attempt every thread is still traced by the test, still stops on PTRACE_INTERRUPT and still counts",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition crfail");

#define THREADS 3               /* the child's main thread and two more */

static struct shared {
	int stop;
	pid_t tid[THREADS];
	unsigned long count[THREADS];
} *sh;

static void count(int i)
{
	sh->tid[i] = syscall(SYS_gettid);
	while (!__atomic_load_n(&sh->stop, __ATOMIC_SEQ_CST))
		__atomic_add_fetch(&sh->count[i], 1, __ATOMIC_SEQ_CST);
}

static void *thread(void *arg)
{
	count((int)(long)arg);
	return NULL;
}

static void tracee(void)
{
	pthread_t t[THREADS];

	for (long i = 1; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, thread, (void *)i))
			_exit(2);
	count(0);
	for (int i = 1; i < THREADS; i++)
		pthread_join(t[i], NULL);
	_exit(0);
}

static pid_t wait_tid(pid_t tid, int *status)
{
	pid_t r;

	while ((r = waitpid(tid, status, __WALL)) < 0 && errno == EINTR)
		;
	return r;
}

/* Thread i stops on PTRACE_INTERRUPT (a group-stop-free trap); then it is resumed (cont) or
 * detached. 0, or 1 with a failure. */
static int interrupt(int i, bool detach, const char *when)
{
	pid_t tid = sh->tid[i];
	int status = 0;

	if (ptrace(PTRACE_INTERRUPT, tid, 0, 0))
		return fail_errno("%s: PTRACE_INTERRUPT of thread %d (tid %d)", when, i, tid);
	if (wait_tid(tid, &status) != tid)
		return fail_errno("%s: wait for thread %d (tid %d)", when, i, tid);
	if (!WIFSTOPPED(status) || status >> 8 != (SIGTRAP | PTRACE_EVENT_STOP << 8))
		return fail("%s: thread %d (tid %d) wait status 0x%x, expected a PTRACE_EVENT_STOP", when, i, tid, status);
	if (ptrace(detach ? PTRACE_DETACH : PTRACE_CONT, tid, 0, 0))
		return fail_errno("%s: %s thread %d", when, detach ? "PTRACE_DETACH" : "PTRACE_CONT", i);
	return 0;
}

/* /proc of thread i names this process as its tracer. */
static int expect_traced(int i, pid_t child)
{
	char path[64], line[256] = "", want[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", child, sh->tid[i]);
	snprintf(want, sizeof(want), "TracerPid: %d", getpid());
	f = fopen(path, "r");
	if (!f)
		return fail_errno("open %s", path);
	while (fgets(line, sizeof(line), f) && strncmp(line, "TracerPid:", 10))
		;
	fclose(f);
	line[strcspn(line, "\n")] = 0;
	if (strchr(line, '\t'))
		*strchr(line, '\t') = ' ';
	return expect_str("the thread's tracer", line, want);
}

int main(int argc, char **argv)
{
	unsigned long at_cr[THREADS];
	unsigned rounds = 0;
	int status;
	pid_t pid;

	test_init(argc, argv);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return fail_errno("mmap");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		tracee();
	for (int i = 0; i < THREADS; i++) {
		while (!__atomic_load_n(&sh->tid[i], __ATOMIC_SEQ_CST))
			usleep(1000);
		if (ptrace(PTRACE_SEIZE, sh->tid[i], 0, 0))
			return fail_errno("PTRACE_SEIZE of thread %d (tid %d)", i, sh->tid[i]);
	}

	test_daemon();
	while (test_go()) {
		for (int i = 0; i < THREADS; i++)
			if (interrupt(i, false, "during C/R"))
				return 1;
		rounds++;
	}
	test_waitsig();

	for (int i = 0; i < THREADS; i++)
		if (expect_traced(i, pid))
			return 1;
	for (int i = 0; i < THREADS; i++)
		at_cr[i] = __atomic_load_n(&sh->count[i], __ATOMIC_SEQ_CST);
	for (int i = 0; i < THREADS; i++) {
		for (int ms = 0; ms < 3000 && __atomic_load_n(&sh->count[i], __ATOMIC_SEQ_CST) == at_cr[i]; ms++)
			usleep(1000);   /* the cores are shared: give it time to run */
		if (__atomic_load_n(&sh->count[i], __ATOMIC_SEQ_CST) == at_cr[i])
			return fail("thread %d stopped counting at %lu (state %c)", i, at_cr[i], proc_state(sh->tid[i]));
	}
	for (int i = 0; i < THREADS; i++)
		if (interrupt(i, true, "after C/R"))
			return 1;
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	if (wait_tid(pid, &status) != pid)
		return fail_errno("waitpid of the child");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return fail("the child ended with status 0x%x", status);
	test_msg("%u rounds of interrupts", rounds);
	return pass();
}
