#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a pty slave is the controlling terminal of a child's session, a grandchild's group in the foreground",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "");

/*
 * main      holds the master
 * child     setsid(), TIOCSCTTY on the slave, makes the grandchild's group the foreground one
 * grandchild  own process group, in the child's session
 * Both descendants report what their terminal says before C/R and after.
 */
enum { CHILD, GRANDCHILD, NPROCS };

struct report {
	int who, phase;
	pid_t pid, sid, pgrp, fg, tty_sid;
	long tty_nr;
};

static struct zdtm_waiter *w;   /* 1: C/R over, report again */
static int report_fd[2];

static int report(int fd, int who, int phase)
{
	/* field 7 of /proc/PID/stat: the controlling terminal's device number */
	struct report r = { who, phase, getpid(), getsid(0), getpgrp(), tcgetpgrp(fd), tcgetsid(fd),
			    proc_stat_field(getpid(), 7) };

	return write_all(report_fd[1], &r, sizeof(r));
}

/* go: the child writes a byte once the grandchild's group is the terminal's foreground group, so
 * that the first report cannot come before it (seen under load: "foreground group 4, expected 5"). */
static int grandchild(int pts, int go)
{
	char c;

	if (read(go, &c, 1) != 1 || report(pts, GRANDCHILD, 0))
		return 20;
	waiter_wait(w, 1);
	return report(pts, GRANDCHILD, 1) ? 21 : 0;
}

static int child(const char *name)
{
	int pts, status, go[2];
	pid_t gc;

	if (setsid() < 0)
		return 10;
	pts = open(name, O_RDWR | O_NOCTTY);
	if (pts < 0 || ioctl(pts, TIOCSCTTY, 0))
		return 11;
	if (pipe(go))
		return 12;
	gc = fork();
	if (gc < 0)
		return 12;
	if (gc == 0) {
		close(go[1]);
		if (setpgid(0, 0))
			_exit(22);
		_exit(grandchild(pts, go[0]));
	}
	close(go[0]);
	if ((setpgid(gc, gc) && errno != EACCES) || tcsetpgrp(pts, gc) || write(go[1], "g", 1) != 1)
		return 13;
	close(go[1]);
	if (report(pts, CHILD, 0))
		return 14;
	waiter_wait(w, 1);
	if (report(pts, CHILD, 1))
		return 15;
	if (waitpid(gc, &status, 0) != gc || status != 0)
		return 16;
	return 0;
}

/* Reads one phase's reports; a process that never reports keeps pid 0. */
static int collect(int phase, struct report *by_who)
{
	struct report r;

	for (int i = 0; i < NPROCS; i++) {
		if (read_all(report_fd[0], &r, sizeof(r)) != sizeof(r))
			return 0;
		if (r.who < 0 || r.who >= NPROCS || r.phase != phase)
			return fail("report of %d phase %d, expected phase %d", r.who, r.phase, phase);
		by_who[r.who] = r;
	}
	return 0;
}

static int compare(const char *who, const struct report *f, pid_t pid, pid_t pgrp, pid_t sid, pid_t fg, long tty_nr)
{
	if (!f->pid)
		return fail("%s never reported, expected pid %d", who, pid);
	if (f->pid != pid || f->sid != sid || f->pgrp != pgrp)
		return fail("%s: pid %d sid %d pgrp %d, expected pid %d sid %d pgrp %d", who, f->pid, f->sid,
			    f->pgrp, pid, sid, pgrp);
	if (f->tty_sid != sid || f->fg != fg)
		return fail("%s: terminal session %d foreground group %d, expected session %d group %d", who,
			    f->tty_sid, f->fg, sid, fg);
	if (f->tty_nr != tty_nr)
		return fail("%s: tty_nr %#lx in /proc/self/stat, expected %#lx (the slave)", who, f->tty_nr, tty_nr);
	return 0;
}

static int check(const struct report *r, pid_t c, pid_t gc, long tty_nr)
{
	return compare("child", &r[CHILD], c, c, c, gc, tty_nr) ||
	       compare("grandchild", &r[GRANDCHILD], gc, gc, c, gc, tty_nr);
}

int main(int argc, char **argv)
{
	struct report before[NPROCS] = { 0 }, after[NPROCS] = { 0 };
	char name[64];
	struct stat st;
	int ptm, ret, status;
	long tty_nr;
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
		_exit(child(name));
	close(report_fd[1]);
	ret = collect(0, before) || check(before, kid, before[GRANDCHILD].pid, tty_nr);
	if (ret) {
		waiter_post(w, 1);
		waitpid(kid, &status, 0);
		return before[CHILD].pid ? 1 : fail("the child never reported (exit status %#x)", status);
	}

	test_daemon();
	test_waitsig();

	waiter_post(w, 1);
	ret = collect(1, after) || check(after, kid, before[GRANDCHILD].pid, tty_nr);
	if (waitpid(kid, &status, 0) != kid || status != 0)
		ret = ret ?: fail("child ended with status %#x, expected exit 0", status);
	return ret ? 1 : pass();
}
