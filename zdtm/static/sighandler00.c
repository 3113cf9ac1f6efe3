#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "signal handlers with distinct sa_flags and sa_mask, and ignored signals",
	  .flavors = ZDTM_ALL_FLAVORS);

/* One disposition: signal, flags, up to two signals in sa_mask; the handler follows SA_SIGINFO. */
struct disp {
	int sig, flags, mask[2];
	bool ignore;              /* SIG_IGN instead of a handler */
	struct sigaction before;  /* as the kernel reported it before C/R */
};

/* What a handler saw when it ran. */
struct seen {
	volatile int count, value, on_altstack;
	sigset_t mask;
};

static struct seen seen[_NSIG];
static char altstack[64 * 1024];

static void record(int sig, int value)
{
	int local;

	seen[sig].count++;
	seen[sig].value = value;
	seen[sig].on_altstack = (char *)&local >= altstack && (char *)&local < altstack + sizeof(altstack);
	sigprocmask(SIG_BLOCK, NULL, &seen[sig].mask);
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

static int install(struct disp *d)
{
	struct sigaction sa = { .sa_flags = d->flags };

	if (d->ignore)
		sa.sa_handler = SIG_IGN;
	else if (d->flags & SA_SIGINFO)
		sa.sa_sigaction = info_handler;
	else
		sa.sa_handler = plain_handler;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 2; i++)
		if (d->mask[i])
			sigaddset(&sa.sa_mask, d->mask[i]);
	if (sigaction(d->sig, &sa, NULL) || sigaction(d->sig, NULL, &d->before))
		return fail_errno("sigaction %d", d->sig);
	return 0;
}

static int first_diff(const sigset_t *a, const sigset_t *b)
{
	for (int sig = 1; sig <= SIGRTMAX; sig++)
		if (sigismember(a, sig) != sigismember(b, sig))
			return sig;
	return 0;
}

/* The disposition is the one installed: handler, flags and mask. */
static int check_disposition(const struct disp *d)
{
	struct sigaction now;
	int sig;

	if (sigaction(d->sig, NULL, &now))
		return fail_errno("sigaction %d query", d->sig);
	if (now.sa_handler != d->before.sa_handler)
		return fail("signal %d: handler %p, expected %p", d->sig,
			    (void *)now.sa_handler, (void *)d->before.sa_handler);
	if (now.sa_flags != d->before.sa_flags)
		return fail("signal %d: sa_flags %#x, expected %#x", d->sig, now.sa_flags, d->before.sa_flags);
	if ((sig = first_diff(&now.sa_mask, &d->before.sa_mask)))
		return fail("signal %d: sa_mask %s signal %d, expected the opposite", d->sig,
			    sigismember(&now.sa_mask, sig) ? "has" : "lacks", sig);
	return 0;
}

/* Raise the signal and check what the handler saw, or that an ignored one left no trace. */
static int check_delivery(const struct disp *d)
{
	const struct seen *s = &seen[d->sig];
	int value = 1000 + d->sig, sig;
	sigset_t want, pending;
	struct sigaction now;

	sigprocmask(SIG_BLOCK, NULL, &want);
	if (sigqueue(getpid(), d->sig, (union sigval){ .sival_int = value }))
		return fail_errno("sigqueue %d", d->sig);
	if (d->ignore) {
		sigpending(&pending);
		if (s->count || sigismember(&pending, d->sig))
			return fail("ignored signal %d: handler ran %d times, pending %d, expected 0 and 0",
				    d->sig, s->count, sigismember(&pending, d->sig));
		return 0;
	}
	if (s->count != 1)
		return fail("signal %d: handler ran %d times, expected once", d->sig, s->count);
	if ((d->flags & SA_SIGINFO) && s->value != value)
		return fail("signal %d: si_value %d, expected %d", d->sig, s->value, value);
	if (s->on_altstack != !!(d->flags & SA_ONSTACK))
		return fail("signal %d: handler on the alternate stack: %d, expected %d", d->sig,
			    s->on_altstack, !!(d->flags & SA_ONSTACK));
	sigorset(&want, &want, &d->before.sa_mask);
	if (!(d->flags & SA_NODEFER))
		sigaddset(&want, d->sig);
	if ((sig = first_diff(&s->mask, &want)))
		return fail("signal %d: inside the handler signal %d is %s, expected %s", d->sig, sig,
			    sigismember(&s->mask, sig) ? "blocked" : "unblocked",
			    sigismember(&want, sig) ? "blocked" : "unblocked");
	sigaction(d->sig, NULL, &now);
	if ((d->flags & SA_RESETHAND) && now.sa_handler != SIG_DFL)
		return fail("signal %d: SA_RESETHAND left handler %p, expected SIG_DFL", d->sig,
			    (void *)now.sa_handler);
	return 0;
}

int main(int argc, char **argv)
{
	struct disp disps[] = {
		{ .sig = SIGUSR1, .flags = SA_SIGINFO, .mask = { SIGUSR2 } },
		{ .sig = SIGHUP, .flags = SA_RESTART, .mask = { SIGINT, SIGRTMIN + 2 } },
		{ .sig = SIGALRM, .flags = SA_NODEFER },
		{ .sig = SIGINT, .flags = SA_RESETHAND, .mask = { SIGQUIT } },
		{ .sig = SIGWINCH, .flags = SA_ONSTACK | SA_SIGINFO | SA_RESTART, .mask = { SIGQUIT, SIGRTMAX } },
		{ .sig = SIGRTMIN + 4, .flags = SA_SIGINFO | SA_NODEFER | SA_RESETHAND, .mask = { SIGHUP } },
		{ .sig = SIGUSR2, .ignore = true },
		{ .sig = SIGPIPE, .flags = SA_RESTART, .mask = { SIGUSR1 }, .ignore = true },
		{ .sig = SIGRTMIN + 6, .ignore = true },
	};
	const int n = sizeof(disps) / sizeof(disps[0]);
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };

	test_init(argc, argv);
	if (sigaltstack(&ss, NULL))
		return fail_errno("sigaltstack");
	for (int i = 0; i < n; i++)
		if (install(&disps[i]))
			return 1;

	test_daemon();
	test_waitsig();

	for (int i = 0; i < n; i++)
		if (check_disposition(&disps[i]))
			return 1;
	for (int i = 0; i < n; i++)
		if (check_delivery(&disps[i]))
			return 1;
	return pass();
}
