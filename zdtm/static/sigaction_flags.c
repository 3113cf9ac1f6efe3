#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

/* nostop: the test counts how often each handler ran, SIGCONT's too; --stop continues the restored
 * tree with one SIGCONT more ("signal 18: handler ran 2 times, expected once"). */
ZDTM_TEST(.doc = "raw dispositions of all signals (every flag combination, masks, own sa_restorer, SIG_IGN, SIG_DFL with flags) and their behaviour",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nostop");

#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif

#define NSIGS 64
#define BIT(sig) (1ULL << ((sig) - 1))

/* The kernel's struct sigaction on x86_64: glibc's sigaction() hides and overrides sa_restorer. */
struct ksa {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

enum kind { UNTOUCHED, HANDLER, IGNORED, DEFAULT, FIRED };

static struct ksa want[NSIGS + 1], before[NSIGS + 1];
static enum kind kinds[NSIGS + 1];

/*
 * Two restorers of our own: the kernel returns from a handler into the restorer
 * it was given, so each counts its uses before it calls rt_sigreturn.
 */
void sa_restorer_a(void), sa_restorer_b(void);
volatile int sa_restored_a, sa_restored_b;
asm(".text\n"
    ".globl sa_restorer_a\n"
    "sa_restorer_a:\n\tlock incl sa_restored_a(%rip)\n\tmovl $15, %eax\n\tsyscall\n\thlt\n"
    ".globl sa_restorer_b\n"
    "sa_restorer_b:\n\tlock incl sa_restored_b(%rip)\n\tmovl $15, %eax\n\tsyscall\n\thlt\n");

/* What a handler saw when it ran. */
static struct {
	volatile int count, value, on_altstack;
	volatile uint64_t mask;
} seen[NSIGS + 1];
static char altstack[64 * 1024];

static long ksigaction(int sig, const struct ksa *act, struct ksa *old)
{
	return syscall(SYS_rt_sigaction, sig, act, old, 8);
}

static uint64_t blocked_now(void)
{
	uint64_t m = 0;

	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8);
	return m;
}

static void record(int sig, int value)
{
	int local;

	seen[sig].count++;
	seen[sig].value = value;
	seen[sig].on_altstack = (char *)&local >= altstack && (char *)&local < altstack + sizeof(altstack);
	seen[sig].mask = blocked_now();
}

static void plain_handler(int sig)
{
	record(sig, -1);
}

static void info_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	record(sig, si->si_code == SI_QUEUE ? si->si_value.sival_int : -2);
}

/* SIGTERM ends the C/R window (libzdtm's); 32 and 33 belong to glibc's threads. */
static bool left_alone(int sig)
{
	return sig == SIGKILL || sig == SIGSTOP || sig == SIGTERM || sig == 32 || sig == 33;
}

/* Flags from the bits of k, a count per kind: the handled signals show all 32 combinations. */
static void plan(void)
{
	int count[FIRED + 1] = { 0 };

	for (int sig = 1; sig <= NSIGS; sig++) {
		struct ksa *w = &want[sig];
		uint64_t m = sig * 0x9e3779b97f4a7c15ULL;
		int k;

		if (left_alone(sig))
			continue;
		kinds[sig] = sig % 7 == 3 ? IGNORED : sig % 7 == 5 ? DEFAULT : HANDLER;
		k = count[kinds[sig]]++;
		w->flags = SA_RESTORER | (k & 1 ? SA_SIGINFO : 0) | (k & 2 ? SA_RESTART : 0) |
			   (k & 4 ? SA_ONSTACK : 0) | (k & 8 ? SA_NODEFER : 0) | (k & 16 ? SA_RESETHAND : 0);
		w->restorer = k % 3 ? sa_restorer_a : sa_restorer_b;
		w->mask = (m ^ (m >> 29)) & ~(BIT(SIGKILL) | BIT(SIGSTOP));   /* the kernel drops those two */
	}
	/* SIG_DFL with SA_NOCLDWAIT: children are reaped by the kernel, never zombies. */
	kinds[SIGCHLD] = DEFAULT;
	want[SIGCHLD].flags = SA_RESTORER | SA_NOCLDWAIT | SA_NOCLDSTOP;
	/* Delivered once before C/R: SA_RESETHAND turned it into SIG_DFL, with its flags and mask. */
	kinds[SIGUSR1] = FIRED;
	want[SIGUSR1].flags = SA_RESTORER | SA_SIGINFO | SA_RESETHAND | SA_ONSTACK;
	for (int sig = 1; sig <= NSIGS; sig++) {
		if (kinds[sig] == HANDLER || kinds[sig] == FIRED)
			want[sig].handler = want[sig].flags & SA_SIGINFO ? (void *)info_handler : (void *)plain_handler;
		else
			want[sig].handler = kinds[sig] == IGNORED ? SIG_IGN : SIG_DFL;
	}
}

static int same(const struct ksa *a, const struct ksa *b)
{
	return a->handler == b->handler && a->flags == b->flags && a->restorer == b->restorer && a->mask == b->mask;
}

static int differs(const char *when, int sig, const struct ksa *found, const struct ksa *exp)
{
	return fail("%s: signal %d: handler %p flags %#lx restorer %p mask %#llx, "
		    "expected handler %p flags %#lx restorer %p mask %#llx", when, sig,
		    found->handler, found->flags, found->restorer, (unsigned long long)found->mask,
		    exp->handler, exp->flags, exp->restorer, (unsigned long long)exp->mask);
}

/* A handled signal runs once: value, stack, mask inside, restorer; SA_RESETHAND resets it. */
static int deliver(int sig)
{
	const struct ksa *w = &want[sig];
	int a = sa_restored_a, b = sa_restored_b, value = 1000 + sig;
	uint64_t mask = blocked_now() | w->mask | (w->flags & SA_NODEFER ? 0 : BIT(sig));
	struct ksa now, reset = *w;

	if (sigqueue(getpid(), sig, (union sigval){ .sival_int = value }))
		return fail_errno("sigqueue %d", sig);
	if (seen[sig].count != 1)
		return fail("signal %d: handler ran %d times, expected once", sig, seen[sig].count);
	if ((w->flags & SA_SIGINFO) && seen[sig].value != value)
		return fail("signal %d: si_value %d, expected %d", sig, seen[sig].value, value);
	if (seen[sig].on_altstack != !!(w->flags & SA_ONSTACK))
		return fail("signal %d: handler on the alternate stack: %d, expected %d", sig,
			    seen[sig].on_altstack, !!(w->flags & SA_ONSTACK));
	if (seen[sig].mask != mask)
		return fail("signal %d: blocked in the handler %#llx, expected %#llx", sig,
			    (unsigned long long)seen[sig].mask, (unsigned long long)mask);
	a = sa_restored_a - a;
	b = sa_restored_b - b;
	if (a != (w->restorer == sa_restorer_a) || b != (w->restorer == sa_restorer_b))
		return fail("signal %d: returned through restorer a %d and b %d times, expected %s once", sig, a, b,
			    w->restorer == sa_restorer_a ? "a" : "b");
	if (w->flags & SA_RESETHAND)
		reset.handler = SIG_DFL;
	if (ksigaction(sig, NULL, &now))
		return fail_errno("rt_sigaction %d query", sig);
	return same(&now, &reset) ? 0 : differs("after one delivery", sig, &now, &reset);
}

/* An ignored signal leaves no trace. */
static int ignored(int sig)
{
	sigset_t pending;

	if (sigqueue(getpid(), sig, (union sigval){ .sival_int = 0 }))
		return fail_errno("sigqueue %d", sig);
	sigpending(&pending);
	if (seen[sig].count || sigismember(&pending, sig))
		return fail("ignored signal %d: handler ran %d times, pending %d, expected 0 and 0", sig,
			    seen[sig].count, sigismember(&pending, sig));
	return 0;
}

/* With SA_NOCLDWAIT a child that ends is reaped at once: waitpid() finds no child. */
static int check_nocldwait(const char *when)
{
	pid_t pid = fork(), got;
	int status;

	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(0);
	got = waitpid(pid, &status, 0);
	if (got >= 0 || errno != ECHILD)
		return fail("%s: waitpid of an ended child returned %d (status %#x), expected -1 ECHILD "
			    "(SA_NOCLDWAIT)", when, got, got >= 0 ? status : 0);
	return 0;
}

int main(int argc, char **argv)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct ksa now;

	test_init(argc, argv);
	plan();
	if (sigaltstack(&ss, NULL))
		return fail_errno("sigaltstack");
	for (int sig = 1; sig <= NSIGS; sig++)
		if (kinds[sig] != UNTOUCHED && ksigaction(sig, &want[sig], NULL))
			return fail_errno("rt_sigaction %d", sig);
	if (sigqueue(getpid(), SIGUSR1, (union sigval){ .sival_int = 1 }) || seen[SIGUSR1].count != 1)
		return fail("SIGUSR1 was not delivered before C/R");
	want[SIGUSR1].handler = SIG_DFL;
	for (int sig = 1; sig <= NSIGS; sig++) {
		if (ksigaction(sig, NULL, &before[sig]))
			return fail_errno("rt_sigaction %d query", sig);
		if (kinds[sig] != UNTOUCHED && !same(&before[sig], &want[sig]))
			return differs("before C/R", sig, &before[sig], &want[sig]);
	}
	if (check_nocldwait("before C/R"))
		return 1;

	test_daemon();
	test_waitsig();

	for (int sig = 1; sig <= NSIGS; sig++) {
		if (ksigaction(sig, NULL, &now))
			return fail_errno("rt_sigaction %d query", sig);
		if (!same(&now, &before[sig]))
			return differs("after C/R", sig, &now, &before[sig]);
	}
	for (int sig = 1; sig <= NSIGS; sig++)
		if ((kinds[sig] == HANDLER && deliver(sig)) || (kinds[sig] == IGNORED && ignored(sig)))
			return 1;
	return check_nocldwait("after C/R") ?: pass();
}
