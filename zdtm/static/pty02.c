#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <linux/kcmp.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a pty master open file shared by the test and a forked child (inherited fd), with bytes queued for the slave: one open file in both, the child writes through it after C/R",
	  .flavors = ZDTM_ALL_FLAVORS);

#define LEN 500

int main(int argc, char **argv)
{
	static char data[LEN], more[100];
	struct zdtm_waiter *w = waiter_new();   /* 1: C/R over; 2: the child wrote */
	char name[64];
	int ptm, pts, status, n;
	pid_t pid, self;

	test_init(argc, argv);
	datagen(data, sizeof(data), 9);
	datagen(more, sizeof(more), 10);
	ptm = posix_openpt(O_RDWR | O_NOCTTY);
	if (ptm < 0 || grantpt(ptm) || unlockpt(ptm) || ptsname_r(ptm, name, sizeof(name)))
		return fail_errno("posix_openpt");
	pts = open(name, O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (pts < 0)
		return fail_errno("open %s", name);
	{
		struct termios t;

		if (tcgetattr(pts, &t))
			return fail_errno("tcgetattr");
		cfmakeraw(&t);
		if (tcsetattr(pts, TCSANOW, &t))
			return fail_errno("tcsetattr");
	}
	self = getpid();
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		waiter_wait(w, 1);
		n = write_all(ptm, more, sizeof(more));
		waiter_post(w, 2);
		_exit(n ? 1 : 0);
	}
	if (write_all(ptm, data, sizeof(data)))
		return fail_errno("write to the master");
	for (int i = 0; i < 200 && !ioctl(pts, FIONREAD, &n) && n < LEN; i++)
		usleep(10000);

	test_daemon();
	test_waitsig();

	if (syscall(SYS_kcmp, self, pid, KCMP_FILE, ptm, ptm) != 0)
		return fail("the child's fd %d is not the test's master open file", ptm);
	if (ioctl(ptm, TIOCGPTN, &n) || expect_int("pty number", n, atoi(name + 9)))
		return 1;
	if (expect_queued("bytes queued for the slave", pts, data, sizeof(data)))
		return 1;
	waiter_post(w, 1);
	waiter_wait(w, 2);
	if (waitpid(pid, &status, 0) != pid || expect_int("the child's exit status", status, 0))
		return 1;
	for (int i = 0; i < 200 && !ioctl(pts, FIONREAD, &n) && n < (int)sizeof(more); i++)
		usleep(10000);
	if (expect_queued("bytes the child wrote after C/R", pts, more, sizeof(more)))
		return 1;
	return pass();
}
