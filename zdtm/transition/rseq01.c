#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <stdatomic.h>
#include <sys/rseq.h>

#include "zdtm.h"

#ifndef CS_FLAGS
ZDTM_TEST(.doc = "two threads increment per-CPU counters inside an rseq critical section (no atomics) while dumped: every commit is counted once, none is lost to a missed abort",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition", .features = "get_rseq_conf");
#define CS_FLAGS 0              /* the descriptor's flags (rseq02: RSEQ_CS_FLAG_NO_RESTART_ON_*) */
#endif
#define STR_(x) #x
#define STR(x) STR_(x)

#if !defined(__x86_64__)
int main(int argc, char **argv)
{
	test_init(argc, argv);
	return skip("x86_64 only");
}
#else

/*
 * The section loads counters[cpu_id], spins a little (so preemption, migration and the dump's
 * interruptions land inside it), and commits counter + 1 with its last instruction. The kernel
 * restarts it at the abort label whenever the thread is preempted, migrated or signalled inside
 * it; a thread that resumed inside it without that abort (after a migration) would overwrite
 * the other thread's increment of that CPU's counter, and the sum would fall short.
 */
#define NTHREADS 2
#define MAXCPU 4096
#define SPIN 64

static unsigned long counters[MAXCPU];
static unsigned long commits[NTHREADS], aborts[NTHREADS];
static atomic_int stop, bad_cpu;

static struct rseq *area(void)
{
	return (struct rseq *)((char *)__builtin_thread_pointer() + __rseq_offset);
}

/* One attempt: 1 when it committed, 0 when the kernel aborted it. */
static int attempt(struct rseq *rs)
{
	int committed;

	asm volatile("leaq 3f(%%rip), %%rax\n\t"
		     "movq %%rax, 8(%[rs])\n\t"          /* rs->rseq_cs = the descriptor */
		     "1:\n\t"                           /* start_ip */
		     "movl 4(%[rs]), %%eax\n\t"           /* cpu_id */
		     "movq (%[ctr], %%rax, 8), %%rcx\n\t"
		     "movl %[spin], %%edx\n\t"
		     "6: pause\n\t"
		     "decl %%edx\n\t"
		     "jnz 6b\n\t"
		     "incq %%rcx\n\t"
		     "movq %%rcx, (%[ctr], %%rax, 8)\n\t" /* commit: the last instruction */
		     "2:\n\t"                           /* post_commit_ip */
		     "movl $1, %[ok]\n\t"
		     "jmp 5f\n\t"
		     ".long 0x53053053\n\t"             /* RSEQ_SIG, just before the abort handler */
		     "4:\n\t"                           /* abort_ip */
		     "movl $0, %[ok]\n\t"
		     "5:\n\t"
		     ".pushsection .data, \"aw\"\n\t"
		     ".balign 32\n\t"
		     "3: .long 0, " STR(CS_FLAGS) "\n\t"  /* version, flags */
		     ".quad 1b, 2b - 1b, 4b\n\t"        /* start_ip, post_commit_offset, abort_ip */
		     ".popsection"
		     : [ok] "=m"(committed)
		     : [rs] "r"(rs), [ctr] "r"(counters), [spin] "i"(SPIN)
		     : "rax", "rcx", "rdx", "memory", "cc");
	return committed;
}

static void *thread(void *arg)
{
	int i = (int)(long)arg;
	struct rseq *rs = area();

	while (!stop) {
		if (rs->cpu_id >= MAXCPU) {   /* unregistered (-1 or -2), or a CPU past the array */
			bad_cpu = (int)rs->cpu_id ?: -3;
			break;
		}
		if (attempt(rs))
			commits[i]++;
		else
			aborts[i]++;
	}
	return NULL;
}

static void on_probe_alarm(int sig)
{
	(void)sig;
}

/* Whether the kernel kills a task for the descriptor's flags: since Linux 6.0 the NO_RESTART flags
 * are deprecated, and a section that carries them is answered by SIGSEGV once the kernel looks at
 * it (a signal or a preemption inside it). A child runs sections for 300 ms under a 1 ms itimer. */
static bool flags_rejected(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
		struct rseq *rs = area();
		struct timespec t0, t;

		signal(SIGALRM, on_probe_alarm);
		setitimer(ITIMER_REAL, &it, NULL);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do {
			attempt(rs);
			clock_gettime(CLOCK_MONOTONIC, &t);
		} while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < 300);
		_exit(0);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

int main(int argc, char **argv)
{
	unsigned long sum = 0, done = 0;
	pthread_t th[NTHREADS];

	test_init(argc, argv);
	if (!__rseq_size || area()->cpu_id >= MAXCPU)
		return skip("glibc did not register rseq (__rseq_size %u)", __rseq_size);
	if (CS_FLAGS && flags_rejected())
		return skip("the kernel kills a task whose rseq critical section has the flags %#x "
			    "(RSEQ_CS_FLAG_NO_RESTART_ON_*, deprecated since Linux 6.0): SIGSEGV", CS_FLAGS);
	for (long i = 0; i < NTHREADS; i++)
		if ((errno = pthread_create(&th[i], NULL, thread, (void *)i)))
			return fail_errno("pthread_create");

	test_daemon();
	while (test_go() && !bad_cpu)
		sched_yield();

	stop = 1;
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	if (bad_cpu)
		return fail("a thread found rseq cpu_id %d: no longer registered", bad_cpu);
	for (int i = 0; i < MAXCPU; i++)
		sum += counters[i];
	for (int i = 0; i < NTHREADS; i++)
		done += commits[i];
	if (sum != done)
		return fail("the per-CPU counters sum to %lu, the threads committed %lu: %ld increments lost (aborts: %lu, %lu)",
			    sum, done, (long)(done - sum), aborts[0], aborts[1]);
	return pass();
}
#endif
