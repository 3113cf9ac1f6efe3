#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "two processes ping-pong realtime signals (sigqueue), each carrying the next sequence number in si_value",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define PING (SIGRTMIN)         /* main -> child: si_value n */
#define PONG (SIGRTMIN + 1)     /* child -> main: the same n back */
#define INFLIGHT 8              /* pings queued at once: some are pending at dump time */
#define STOP (-1)               /* the last ping's value: the child reports and exits */
#define PATIENCE 50             /* 100 ms waits for the next signal before it is a finding */

static struct shared {
	int count;                      /* the child's pings */
	char report[200];               /* the child's finding */
} *sh;

/* Next signal `sig`: a sigqueue() from `from`; its value in *value. 1 on a finding. */
static int take_signal(int sig, pid_t from, int *value, char *problem, size_t plen)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	sigset_t set;
	siginfo_t si;
	int got, waits = 0;

	sigemptyset(&set);
	sigaddset(&set, sig);
	while ((got = sigtimedwait(&set, &si, &ts)) < 0 && (errno == EINTR || errno == EAGAIN) &&
	       waits++ < PATIENCE)
		;
	if (got < 0)
		return snprintf(problem, plen, "no signal %d for %d ms", sig, PATIENCE * 100);
	if (si.si_code != SI_QUEUE || si.si_pid != from)
		return snprintf(problem, plen, "signal %d: code %d, pid %d; expected code %d (SI_QUEUE), pid %d",
				sig, si.si_code, si.si_pid, SI_QUEUE, from);
	*value = si.si_value.sival_int;
	return 0;
}

/* The next signal `sig` from `from` carries `want`. */
static int expect_signal(int sig, pid_t from, int want, char *problem, size_t plen)
{
	int value;

	if (take_signal(sig, from, &value, problem, plen))
		return 1;
	if (value != want)
		return snprintf(problem, plen, "signal %d carries %d, expected %d", sig, value, want);
	return 0;
}

static int send_signal(pid_t to, int sig, int value, char *problem, size_t plen)
{
	if (sigqueue(to, sig, (union sigval){ .sival_int = value }))
		return snprintf(problem, plen, "sigqueue(%d, %d, %d): errno %d", to, sig, value, errno);
	return 0;
}

/* Answers ping n with pong n until the STOP ping; pings must come 0, 1, 2, ... */
static void child(pid_t parent)
{
	int value;

	for (int n = 0;; n++) {
		if (take_signal(PING, parent, &value, sh->report, sizeof(sh->report)))
			_exit(1);
		if (value == STOP)
			_exit(0);
		if (value != n) {
			snprintf(sh->report, sizeof(sh->report), "ping carries %d, expected %d", value, n);
			_exit(1);
		}
		sh->count++;
		if (send_signal(parent, PONG, n, sh->report, sizeof(sh->report)))
			_exit(1);
	}
}

int main(int argc, char **argv)
{
	char problem[300] = "";
	int sent = 0, back = 0, status;
	sigset_t set;
	pid_t pid, self;

	test_init(argc, argv);
	self = getpid();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return fail_errno("mmap");
	sigemptyset(&set);
	sigaddset(&set, PING);
	sigaddset(&set, PONG);
	if (sigprocmask(SIG_BLOCK, &set, NULL))         /* both stay queued until taken */
		return fail_errno("sigprocmask");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		child(self);

	test_daemon();
	while (sent < INFLIGHT && !send_signal(pid, PING, sent, problem, sizeof(problem)))
		sent++;
	/* At least one full window, even when SIGTERM comes at once (--nocr). */
	while ((test_go() || back < INFLIGHT) && !problem[0] &&
	       !expect_signal(PONG, pid, back, problem, sizeof(problem))) {
		back++;
		if (!send_signal(pid, PING, sent, problem, sizeof(problem)))
			sent++;
	}
	while (!problem[0] && back < sent && !expect_signal(PONG, pid, back, problem, sizeof(problem)))
		back++;         /* the pongs still in flight */
	if (!problem[0])
		send_signal(pid, PING, STOP, problem, sizeof(problem));
	else
		kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	test_waitsig();

	if (expect_clean_end(sh->report, problem, status))
		return 1;
	if (expect_int("pings the child answered", sh->count, sent))
		return 1;
	if (sigpending(&set) || sigismember(&set, PONG))
		return fail("a pong is still pending after all %d came back: a duplicate", sent);
	test_msg("%d pings and pongs", sent);
	return pass();
}
