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

ZDTM_TEST(.doc = "a session whose controlling terminal (a pty slave) it holds no fd of, while the only fd of that slave is held by the leader of another session (without it as its terminal): both sessions and the fd come back as they were",
	  .flavors = ZDTM_ALL_FLAVORS);

static char name[64];
static unsigned dev;            /* the slave's device number as TIOCGDEV and tty_nr encode it */

static unsigned encode(dev_t d)
{
	return (minor(d) & 0xff) | (major(d) << 8) | ((minor(d) & ~0xffu) << 12);
}

/* Child A: leader of a session whose controlling terminal is the slave; no fd of it. */
static int owner(struct zdtm_waiter *w, char *finding)
{
	unsigned found;
	int fd;

	if (setsid() < 0 || (fd = open(name, O_RDWR)) < 0 || ioctl(fd, TIOCSCTTY, 0) || close(fd))
		return note(finding, "make %s the controlling terminal: errno %d", name, errno);
	waiter_post(w, 1);
	waiter_wait(w, 3);
	if (proc_stat_field(getpid(), 7) != dev)
		return note(finding, "owner: tty_nr %#lx, expected %s (%#x)", proc_stat_field(getpid(), 7), name, dev);
	fd = open("/dev/tty", O_RDWR);
	if (fd < 0)
		return note(finding, "owner: open /dev/tty: errno %d, expected %s", errno, name);
	if (ioctl(fd, TIOCGDEV, &found) || found != dev)
		return note(finding, "owner: /dev/tty is device %#x, expected %s (%#x)", found, name, dev);
	if (tcgetsid(fd) != getpid())
		return note(finding, "owner: the terminal's session is %d, expected %d", tcgetsid(fd), getpid());
	return 0;
}

/* Child B: leader of another session, no controlling terminal, holding the slave's only fd (TIOCGSID
 * answers only a terminal's own session, so the owner checks the session). */
static int holder(struct zdtm_waiter *w, char *finding)
{
	unsigned found = 0;
	char buf[8] = "";
	int fd;

	if (setsid() < 0 || (fd = open(name, O_RDWR | O_NOCTTY)) < 0)
		return note(finding, "holder: open %s: errno %d", name, errno);
	waiter_post(w, 2);
	waiter_wait(w, 3);
	if (proc_stat_field(getpid(), 7) != 0)
		return note(finding, "holder: tty_nr %#lx, expected 0 (no controlling terminal)", proc_stat_field(getpid(), 7));
	if (ioctl(fd, TIOCGDEV, &found) || found != dev)
		return note(finding, "holder: its fd is device %#x (errno %d), expected %s (%#x)", found, errno, name, dev);
	if (read(fd, buf, sizeof(buf)) != 4 || memcmp(buf, "abc\n", 4))
		return note(finding, "holder: read \"%.4s\" from the slave, expected \"abc\\n\" written on the master", buf);
	return 0;
}

int main(int argc, char **argv)
{
	struct zdtm_waiter *w = waiter_new();   /* 1: A's terminal set; 2: B holds the fd; 3: C/R over */
	char *finding = finding_new();
	int ptm, status[2];
	struct stat st;
	pid_t pid[2];

	test_init(argc, argv);
	if (!finding)
		return fail_errno("finding_new");
	ptm = posix_openpt(O_RDWR | O_NOCTTY);
	if (ptm < 0 || grantpt(ptm) || unlockpt(ptm) || ptsname_r(ptm, name, sizeof(name)) || stat(name, &st))
		return fail_errno("posix_openpt");
	dev = encode(st.st_rdev);
	pid[0] = fork();
	if (pid[0] == 0)
		_exit(owner(w, finding));
	waiter_wait(w, 1);
	pid[1] = pid[0] < 0 ? -1 : fork();
	if (pid[1] == 0)
		_exit(holder(w, finding));
	if (pid[1] < 0)
		return fail_errno("fork");
	waiter_wait(w, 2);

	test_daemon();
	test_waitsig();

	if (write(ptm, "abc\n", 4) != 4)
		return fail_errno("write to the master");
	waiter_post(w, 3);
	for (int i = 0; i < 2; i++)
		if (waitpid(pid[i], &status[i], 0) != pid[i])
			return fail_errno("waitpid");
	if (expect_clean_end(finding, "", status[0]) || expect_clean_end(finding, "", status[1]))
		return 1;
	return pass();
}
