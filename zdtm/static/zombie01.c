#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "zombies that exited 0 and 17 or were killed by SIGKILL and SIGSEGV (no core) keep their statuses",
	  .flavors = ZDTM_ALL_FLAVORS);

/* How each child ends: an exit code, or a signal when sig is set (zombie00 covers codes >= 128). */
static const struct {
	int code, sig;
} ends[] = { { 0, 0 }, { 17, 0 }, { 0, SIGKILL }, { 0, SIGSEGV } };
#define NCHILDREN (int)(sizeof(ends) / sizeof(ends[0]))

/* What waitid() says of child i: CLD_EXITED with the code, or CLD_KILLED (never CLD_DUMPED). */
static int wanted_code(int i)
{
	return ends[i].sig ? CLD_KILLED : CLD_EXITED;
}

static int wanted_status(int i)
{
	return ends[i].sig ? ends[i].sig : ends[i].code;
}

/*
 * criu cannot look inside a zombie: it restores one with default signal handlers and the
 * parent's rlimits. Neither is anything a zombie can use, so the child drops the inherited
 * SIGTERM handler and only lowers its soft core limit (the runner compares both in /proc).
 */
static void die(int i)
{
	struct rlimit core;

	signal(SIGTERM, SIG_DFL);
	if (ends[i].sig == SIGSEGV) {    /* no core file, no "core dumped" bit in the status */
		if (getrlimit(RLIMIT_CORE, &core))
			_exit(100);
		core.rlim_cur = 0;
		if (setrlimit(RLIMIT_CORE, &core))
			_exit(101);
	}
	if (ends[i].sig)
		kill(getpid(), ends[i].sig);
	_exit(ends[i].code);
}

/* waitid(WNOWAIT) first: it must not reap; then waitpid() reaps with the same status. */
static int check_child(int i, pid_t pid)
{
	siginfo_t si = { 0 };
	int status, want;

	if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT))
		return fail_errno("waitid child %d (pid %d)", i, pid);
	if (si.si_pid != pid || si.si_code != wanted_code(i) || si.si_status != wanted_status(i))
		return fail("child %d: waitid gives pid %d code %d status %d, expected pid %d code %d status %d",
			    i, si.si_pid, si.si_code, si.si_status, pid, wanted_code(i), wanted_status(i));
	if (si.si_uid != getuid())
		return fail("child %d: waitid gives uid %d, expected %d", i, si.si_uid, getuid());
	if (waitpid(pid, &status, WNOHANG) != pid)
		return fail_errno("waitpid child %d (pid %d) after waitid(WNOWAIT)", i, pid);
	want = ends[i].sig ? ends[i].sig : ends[i].code << 8;
	if (status != want)
		return fail("child %d (pid %d): waitpid status %#x, expected %#x", i, pid, status, want);
	return 0;
}

int main(int argc, char **argv)
{
	pid_t pids[NCHILDREN];
	siginfo_t si;
	int ret = 0;

	test_init(argc, argv);
	for (int i = 0; i < NCHILDREN; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return fail_errno("fork");
		if (pids[i] == 0)
			die(i);
		/* wait for it to die, but leave it unreaped */
		if (waitid(P_PID, pids[i], &si, WEXITED | WNOWAIT))
			return fail_errno("waitid");
		if (si.si_code != wanted_code(i) || si.si_status != wanted_status(i))
			return fail("child %d ended with code %d status %d, expected code %d status %d before C/R",
				    i, si.si_code, si.si_status, wanted_code(i), wanted_status(i));
	}

	test_daemon();
	test_waitsig();

	for (int i = 0; i < NCHILDREN; i++)
		if (!ret)
			ret = check_child(i, pids[i]);
		else if (!kill(pids[i], SIGKILL))   /* after a failure: reap the rest, whatever they are */
			waitpid(pids[i], NULL, 0);
	if (ret)
		return ret;
	if (waitpid(-1, NULL, WNOHANG) >= 0 || errno != ECHILD)
		return fail("a child is left after reaping all zombies, expected none");
	return pass();
}
