#include <fcntl.h>
#include <linux/kcmp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a file in flight (SCM_RIGHTS) whose sender keeps its own fd open: received after C/R, both fds share one open file description (kcmp, offset, flags)",
	  .flavors = ZDTM_ALL_FLAVORS);

#define OFF 777

int main(int argc, char **argv)
{
	int sk[2], fd, got = -1, nfds = 1;
	pid_t me;
	char buf[8] = "";

	test_init(argc, argv);
	me = getpid();   /* test_init() may fork */
	fd = open(test_path("file"), O_RDWR | O_CREAT | O_APPEND, 0600);
	if (fd < 0 || ftruncate(fd, 4096) || lseek(fd, OFF, SEEK_SET) != OFF)
		return fail_errno("open %s", test_path("file"));
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sk) || scm_send(sk[0], "f", 2, &fd, 1))
		return fail_errno("send the file's fd");
	/* the sender keeps fd: the message holds a second reference to the same open file */

	test_daemon();
	test_waitsig();

	if (scm_recv(sk[1], buf, sizeof(buf), &got, &nfds) != 2 || nfds != 1)
		return fail_errno("the message with the fd: %d fds, expected 1", nfds);
	if (expect_str("message", buf, "f") ||
	    expect_int("kcmp(KCMP_FILE) of the kept and the received fd (0: the same file)",
		       syscall(SYS_kcmp, me, me, KCMP_FILE, fd, got), 0) ||
	    expect_int("the received fd's offset", lseek(got, 0, SEEK_CUR), OFF) ||
	    expect_int("the received fd's flags", fcntl(got, F_GETFL) & (O_ACCMODE | O_APPEND), O_RDWR | O_APPEND))
		return 1;
	if (lseek(got, 1234, SEEK_SET) != 1234)
		return fail_errno("lseek the received fd");
	return expect_int("the kept fd's offset after the received one moved", lseek(fd, 0, SEEK_CUR), 1234) ? 1 : pass();
}
