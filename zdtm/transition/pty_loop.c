#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "numbered CRC-stamped records go into a raw pty master, a child reads them from the slave and writes them back, a window in flight both ways: none lost, reordered or changed",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define RECLEN 128
#define WINDOW 8

static void record(char *buf, uint32_t seq)
{
	memcpy(buf, &seq, 4);
	datagen(buf + 4, RECLEN - 4, seq);
}

int main(int argc, char **argv)
{
	char buf[RECLEN], want[RECLEN], name[64], problem[200] = "";
	uint32_t sent = 0, back = 0;
	struct termios t;
	int ptm, pts, status;
	pid_t pid;

	test_init(argc, argv);
	ptm = posix_openpt(O_RDWR | O_NOCTTY);
	if (ptm < 0 || grantpt(ptm) || unlockpt(ptm) || ptsname_r(ptm, name, sizeof(name)))
		return fail_errno("posix_openpt");
	pts = open(name, O_RDWR | O_NOCTTY);
	if (pts < 0 || tcgetattr(pts, &t))
		return fail_errno("open %s", name);
	cfmakeraw(&t);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(pts, TCSANOW, &t))
		return fail_errno("tcsetattr");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {                 /* echo whole records; EOF or EIO (master gone) ends it */
		close(ptm);
		while (read_all(pts, buf, RECLEN) == RECLEN)
			if (write_all(pts, buf, RECLEN))
				_exit(1);
		_exit(0);
	}
	close(pts);

	test_daemon();
	while (!problem[0] && (test_go() || back < sent)) {
		while (test_go() && sent - back < WINDOW) {
			record(buf, sent++);
			if (write_all(ptm, buf, RECLEN))
				snprintf(problem, sizeof(problem), "write record %u: errno %d", sent - 1, errno);
		}
		if (back == sent)
			break;
		int n = read_all(ptm, buf, RECLEN);

		if (n < 0 && errno == EINTR)
			continue;       /* read_all keeps what it read only on success: records are whole */
		record(want, back);
		if (n != RECLEN || memcmp(buf, want, RECLEN))
			snprintf(problem, sizeof(problem), "echo %u: %d bytes, seq %u, %s", back, n, *(uint32_t *)buf,
				 n == RECLEN && datachk(buf + 4, RECLEN - 4) ? "stamp ok" : "bad stamp");
		back++;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	test_waitsig();

	if (problem[0])
		return fail("%s", problem);
	test_msg("%u records echoed through the pty", back);
	return pass();
}
