#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a session leader keeps a pty slave as controlling terminal and gets SIGHUP when the master closes",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "");

/*
 * main   holds the master
 * child  setsid(), TIOCSCTTY on the slave, a SIGHUP handler that counts
 * Phase 0 (before C/R) and 1 (after) the child reports its session and its terminal; then main
 * closes the master, the kernel hangs the slave up and signals the session leader, and the child
 * reports (phase 2) whether SIGHUP came within HUP_WAIT_MS.
 */
#define HUP_WAIT_MS 5000

struct report {
	int phase;
	pid_t sid, tty_sid;
	long tty_nr;
	int hups;
};

static struct zdtm_waiter *w;   /* 1: C/R over, report again */
static int report_fd[2];
static volatile sig_atomic_t hups;

static void on_hup(int sig)
{
	(void)sig;
	hups++;
}

static int report(int pts, int phase)
{
	/* field 7 of /proc/PID/stat: the controlling terminal's device number */
	struct report r = { phase, getsid(0), tcgetsid(pts), proc_stat_field(getpid(), 7), hups };

	return write_all(report_fd[1], &r, sizeof(r));
}

static int child(int ptm, const char *name)
{
	struct sigaction sa = { .sa_handler = on_hup };
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int pts;

	close(ptm);   /* the master must close with main's fd, the only one */
	close(report_fd[0]);
	if (sigaction(SIGHUP, &sa, NULL) || setsid() < 0)
		return 10;
	pts = open(name, O_RDWR | O_NOCTTY);
	if (pts < 0 || ioctl(pts, TIOCSCTTY, 0))
		return 11;
	if (report(pts, 0))
		return 12;
	waiter_wait(w, 1);
	if (report(pts, 1))
		return 13;
	for (int ms = 0; ms < HUP_WAIT_MS && !hups; ms += 10)
		nanosleep(&tick, NULL);
	return report(pts, 2) ? 14 : 0;
}

static int expect_report(int phase, pid_t kid, long tty_nr)
{
	struct report r;

	if (read_all(report_fd[0], &r, sizeof(r)) != sizeof(r))
		return fail("phase %d: no report from the child (it ended)", phase);
	if (r.phase != phase)
		return fail("report of phase %d, expected phase %d", r.phase, phase);
	if (r.sid != kid)
		return fail("phase %d: child's session %d, expected %d (its own)", phase, r.sid, kid);
	if (phase < 2 && (r.tty_sid != kid || r.tty_nr != tty_nr))
		return fail("phase %d: slave's session %d, child's tty_nr %#lx; expected session %d, tty_nr %#lx",
			    phase, r.tty_sid, r.tty_nr, kid, tty_nr);
	return expect_int(phase < 2 ? "SIGHUPs before the master closed" : "SIGHUPs after the master closed",
			  r.hups, phase < 2 ? 0 : 1);
}

static int end_child(pid_t kid, int ret)
{
	int status;

	if (waitpid(kid, &status, 0) != kid)
		return ret ?: fail_errno("waitpid");
	if (ret)
		return ret;
	if (WIFSIGNALED(status))
		return fail("child killed by signal %d, expected exit 0", WTERMSIG(status));
	return expect_int("child's exit status", WEXITSTATUS(status), 0);
}

int main(int argc, char **argv)
{
	char name[64];
	struct stat st;
	long tty_nr;
	int ptm, ret;
	pid_t kid;

	test_init(argc, argv);
	w = waiter_new();
	ptm = posix_openpt(O_RDWR | O_NOCTTY);
	if (ptm < 0 || grantpt(ptm) || unlockpt(ptm) || ptsname_r(ptm, name, sizeof(name)) || stat(name, &st))
		return fail_errno("posix_openpt");
	/* the kernel's new_encode_dev(), as /proc/PID/stat shows tty_nr */
	tty_nr = (minor(st.st_rdev) & 0xff) | (major(st.st_rdev) << 8) | ((minor(st.st_rdev) & ~0xffu) << 12);
	if (pipe(report_fd))
		return fail_errno("pipe");
	kid = fork();
	if (kid < 0)
		return fail_errno("fork");
	if (kid == 0)
		_exit(child(ptm, name));
	close(report_fd[1]);
	if (expect_report(0, kid, tty_nr)) {
		waiter_post(w, 1);
		close(ptm);
		return end_child(kid, 1);
	}

	test_daemon();
	test_waitsig();

	waiter_post(w, 1);
	ret = expect_report(1, kid, tty_nr);
	/* the last master fd: the kernel hangs the slave up and sends SIGHUP to its session leader */
	close(ptm);
	ret = ret || expect_report(2, kid, tty_nr);
	return end_child(kid, ret) ? 1 : pass();
}
