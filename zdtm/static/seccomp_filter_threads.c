#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

#ifndef TSYNC
ZDTM_TEST(.doc = "threads with different seccomp filter chains (none, F1, F1+F2): each thread's syscalls keep its own filters' answers",
	  .flavors = ZDTM_ALL_FLAVORS);
#define TSYNC 0
#endif

/*
 * Filter F1 makes getppid fail with EAGAIN, F2 makes getpgid fail with EDOM; both allow the rest.
 * seccomp_filter_threads: thread A installs F1, thread B F1 and F2, the main thread none.
 * seccomp_filter_tsync (TSYNC 1): the main thread installs F1 with SECCOMP_FILTER_FLAG_TSYNC on
 * all three; after C/R it installs F2 the same way, which works only if every thread's chain is
 * still the one it shares with the main thread.
 */
enum { MAIN, A, B, NTHREADS };
static const char *names[NTHREADS] = { "the main thread", "thread A", "thread B" };
static const struct {
	int nr, err;
} filters[2] = { { SYS_getppid, EAGAIN }, { SYS_getpgid, EDOM } };
/* Which filters each thread should carry, before and after C/R. */
#if TSYNC
static const bool before[NTHREADS][2] = { { 1, 0 }, { 1, 0 }, { 1, 0 } };
static const bool after[NTHREADS][2] = { { 1, 1 }, { 1, 1 }, { 1, 1 } };
#else
static const bool before[NTHREADS][2] = { { 0, 0 }, { 1, 0 }, { 1, 1 } };
static const bool after[NTHREADS][2] = { { 0, 0 }, { 1, 0 }, { 1, 1 } };
#endif
static struct zdtm_waiter *w;
static char *finding;

static long install(int f, unsigned flags)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, filters[f].nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | filters[f].err),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(insns) / sizeof(insns[0]), .filter = insns };

	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

/* The calling thread i answers as the filters in want say; 1 with a finding if not. */
static int check_self(int i, const bool want[2], const char *when)
{
	int mode = prctl(PR_GET_SECCOMP);

	if (mode != (want[0] || want[1] ? SECCOMP_MODE_FILTER : 0))
		return note(finding, "%s, %s: seccomp mode %d, expected %d", names[i], when, mode,
			    want[0] || want[1] ? SECCOMP_MODE_FILTER : 0);
	for (int f = 0; f < 2; f++) {
		long ret = syscall(filters[f].nr, 0);

		if (want[f] && (ret != -1 || errno != filters[f].err))
			return note(finding, "%s, %s: syscall %d gives %ld (%s), expected %s from filter F%d",
				    names[i], when, filters[f].nr, ret, strerror(errno), strerror(filters[f].err), f + 1);
		if (!want[f] && ret < 0)
			return note(finding, "%s, %s: syscall %d fails (%s), expected no filter F%d", names[i], when,
				    filters[f].nr, strerror(errno), f + 1);
	}
	return 0;
}

/* Stage base + i is thread i's turn to check; it hands on to base + i + 1 (the main thread
 * posts base to start). */
static void take_turn(int i, int base, const bool want[2], const char *when)
{
	waiter_wait(w, base + i);
	check_self(i, want, when);
	waiter_post(w, base + i + 1);
}

static void *thread(void *arg)
{
	int i = (int)(long)arg;

	for (int f = 0; !TSYNC && f < 2; f++)
		if (before[i][f] && install(f, 0))
			note(finding, "%s: install filter F%d: %s", names[i], f + 1, strerror(errno));
	waiter_post(w, i);   /* 1, 2: set up */
	take_turn(i, 10, before[i], "before C/R");
	take_turn(i, 20, after[i], "after C/R");
	return NULL;
}

int main(int argc, char **argv)
{
	char problem[ZDTM_FINDING_LEN] = "";
	pthread_t th[NTHREADS];
	long ret;

	test_init(argc, argv);
	w = waiter_new();
	finding = finding_new();
	if (!finding || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return fail_errno("a shared buffer, PR_SET_NO_NEW_PRIVS");
	for (long i = A; i < NTHREADS; i++) {
		if ((errno = pthread_create(&th[i], NULL, thread, (void *)i)))
			return fail_errno("pthread_create");
		waiter_wait(w, i);
	}
	if (TSYNC && install(0, SECCOMP_FILTER_FLAG_TSYNC))
		return fail_errno("install filter F1 with TSYNC");
	waiter_post(w, 10);
	take_turn(MAIN, 10, before[MAIN], "before C/R");
	waiter_wait(w, 10 + NTHREADS);
	if (finding[0])
		return fail("%s", finding);

	test_daemon();
	test_waitsig();

	ret = TSYNC ? install(1, SECCOMP_FILTER_FLAG_TSYNC) : 0;
	if (ret)   /* a positive answer is the tid of a thread whose chain is not the main thread's */
		note(problem, "install filter F2 with TSYNC after C/R: %ld (%s), expected 0", ret,
		     ret < 0 ? strerror(errno) : "a thread's filter chain is not the main thread's");
	waiter_post(w, 20);
	take_turn(MAIN, 20, after[MAIN], "after C/R");
	waiter_wait(w, 20 + NTHREADS);
	for (int i = A; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	return expect_clean_end(finding, problem, 0) ? 1 : pass();
}
