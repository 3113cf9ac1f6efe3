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

ZDTM_TEST(.doc = "a session whose controlling terminal (a pty slave) has no fd open in any task: after C/R /dev/tty still opens to that pty, the session still owns it",
	  .flavors = ZDTM_ALL_FLAVORS);

/* A device number as the kernel encodes it for TIOCGDEV and /proc/PID/stat's tty_nr. */
static unsigned encode(dev_t d)
{
	return (minor(d) & 0xff) | (major(d) << 8) | ((minor(d) & ~0xffu) << 12);
}

int main(int argc, char **argv)
{
	struct zdtm_waiter *w = waiter_new();   /* 1: the child's ctty set, its fd closed; 2: C/R over */
	char *finding = finding_new();
	char name[64];
	int ptm, status;
	pid_t pid;

	test_init(argc, argv);
	if (!finding)
		return fail_errno("finding_new");
	ptm = posix_openpt(O_RDWR | O_NOCTTY);
	if (ptm < 0 || grantpt(ptm) || unlockpt(ptm) || ptsname_r(ptm, name, sizeof(name)))
		return fail_errno("posix_openpt");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		struct stat st;
		unsigned dev;
		int fd, sid;

		close(ptm);
		if (setsid() < 0 || (fd = open(name, O_RDWR)) < 0 || ioctl(fd, TIOCSCTTY, 0) || close(fd))
			_exit(note(finding, "make %s the controlling terminal: errno %d", name, errno));
		waiter_post(w, 1);
		waiter_wait(w, 2);
		fd = open("/dev/tty", O_RDWR);
		if (fd < 0)
			_exit(note(finding, "open /dev/tty: errno %d, expected %s", errno, name));
		if (stat(name, &st) || ioctl(fd, TIOCGDEV, &dev))
			_exit(note(finding, "stat %s, TIOCGDEV: errno %d", name, errno));
		if (dev != encode(st.st_rdev))
			_exit(note(finding, "/dev/tty is device %#x, expected %s (%#x)", dev, name, encode(st.st_rdev)));
		if (proc_stat_field(getpid(), 7) != encode(st.st_rdev))
			_exit(note(finding, "tty_nr %#lx, expected %s (%#x)", proc_stat_field(getpid(), 7), name,
				   encode(st.st_rdev)));
		sid = tcgetsid(fd);
		if (sid != getpid())
			_exit(note(finding, "the terminal's session is %d, expected %d", sid, getpid()));
		_exit(0);
	}
	waiter_wait(w, 1);

	test_daemon();
	test_waitsig();

	waiter_post(w, 2);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (expect_clean_end(finding, "", status))
		return 1;
	return pass();
}
