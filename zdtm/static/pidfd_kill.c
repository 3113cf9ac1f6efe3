#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "pidfds of a child and of a grandchild: after C/R each still names its process (fdinfo Pid), "
		 "SIGKILL sent through each kills that one only, each pidfd polls readable when its process "
		 "dies, and waitid(P_PIDFD) reports both killed",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

enum { CHILD, GRANDCHILD };
static const char *names[] = { "child", "grandchild" };
static const char *pid_of[] = { "the child's pidfd: fdinfo Pid", "the grandchild's pidfd: fdinfo Pid" };

static int fdinfo_pid(int fd)
{
	char buf[64];

	return fdinfo_lines(fd, "Pid:", buf, sizeof(buf)) == 1 ? atoi(buf) : -1;
}

/* Whether the pidfd polls readable (its process exited) within ms. */
static bool exited(int pidfd, int ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

static int kill_one(int who, int fd[2], pid_t pid[2])
{
	if (syscall(SYS_pidfd_send_signal, fd[who], SIGKILL, NULL, 0))
		return fail_errno("pidfd_send_signal(SIGKILL) to the %s", names[who]);
	if (!exited(fd[who], 3000))
		return fail("the %s's pidfd is not readable 3 s after SIGKILL", names[who]);
	if (who == GRANDCHILD && exited(fd[CHILD], 0))
		return fail("the child's pidfd is readable after the grandchild's SIGKILL: the wrong one died");
	if (who == GRANDCHILD && proc_state(pid[CHILD]) != 'S')
		return fail("the child is in state %c after the grandchild's SIGKILL, expected S", proc_state(pid[CHILD]));
	return 0;
}

static int reap(int who, int fd)
{
	siginfo_t si = { 0 };

	if (waitid(P_PIDFD, fd, &si, WEXITED))
		return fail_errno("waitid(P_PIDFD) for the %s", names[who]);
	if (si.si_code != CLD_KILLED || si.si_status != SIGKILL)
		return fail("the %s: waitid code %d status %d, expected %d (CLD_KILLED) %d (SIGKILL)", names[who],
			    si.si_code, si.si_status, CLD_KILLED, SIGKILL);
	return 0;
}

int main(int argc, char **argv)
{
	int p[2], fd[2];
	pid_t pid[2];

	test_init(argc, argv);
	/* the grandchild comes to main when the child dies, so that main can reap it through its pidfd */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || pipe(p))
		return fail_errno("PR_SET_CHILD_SUBREAPER, pipe");
	pid[CHILD] = fork();
	if (pid[CHILD] < 0)
		return fail_errno("fork");
	if (pid[CHILD] == 0) {
		pid_t g = fork();

		if (g == 0)
			for (;;)
				pause();
		if (g < 0 || write_all(p[1], &g, sizeof(g)))
			_exit(1);
		for (;;)
			pause();        /* never reaps: the grandchild stays a zombie until the child dies */
	}
	if (read_all(p[0], &pid[GRANDCHILD], sizeof(pid_t)) != sizeof(pid_t))
		return fail("the child sent no grandchild pid");
	for (int who = CHILD; who <= GRANDCHILD; who++) {
		fd[who] = syscall(SYS_pidfd_open, pid[who], 0);
		if (fd[who] < 0)
			return fail_errno("pidfd_open the %s", names[who]);
	}

	test_daemon();
	test_waitsig();

	for (int who = CHILD; who <= GRANDCHILD; who++) {
		if (expect_int(pid_of[who], fdinfo_pid(fd[who]), pid[who]))
			return 1;
		if (exited(fd[who], 0))
			return fail("the %s's pidfd is readable before any signal", names[who]);
	}
	if (kill_one(GRANDCHILD, fd, pid) || kill_one(CHILD, fd, pid))
		return 1;
	if (reap(CHILD, fd[CHILD]))
		return 1;
	for (int i = 0; i < 300 && getpid() != (pid_t)proc_stat_field(pid[GRANDCHILD], 4); i++)
		usleep(10000);  /* the zombie grandchild comes to main */
	if (reap(GRANDCHILD, fd[GRANDCHILD]))
		return 1;
	return pass();
}
