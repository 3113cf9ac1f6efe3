#include <linux/kcmp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "one pipe end in flight twice, in two separate SCM_RIGHTS messages on a unix stream pair, followed by plain data: after C/R each message comes alone and both fds are one open file",
	  .flavors = ZDTM_ALL_FLAVORS);

int main(int argc, char **argv)
{
	int sk[2], p[2], got[2] = { -1, -1 }, n1 = 1, n2 = 1, none = 1, x;
	char buf[8] = "";
	pid_t me;

	test_init(argc, argv);
	me = getpid();   /* test_init() may fork */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sk) || pipe(p))
		return fail_errno("socketpair/pipe");
	if (scm_send(sk[0], "1", 1, &p[1], 1) || scm_send(sk[0], "2", 1, &p[1], 1) || write(sk[0], "34", 2) != 2)
		return fail_errno("send the pipe's write end twice, then data");
	close(p[1]);   /* it lives only in the two messages now */

	test_daemon();
	test_waitsig();

	/* a stream socket does not join bytes that carry fds to other bytes: each read stops there */
	if (expect_int("the first message's length", scm_recv(sk[1], buf, sizeof(buf), &got[0], &n1), 1) ||
	    expect_int("its byte", buf[0], '1') || expect_int("its fds", n1, 1) ||
	    expect_int("the second message's length", scm_recv(sk[1], buf, sizeof(buf), &got[1], &n2), 1) ||
	    expect_int("its byte", buf[0], '2') || expect_int("its fds", n2, 1) ||
	    expect_int("the plain data's length", scm_recv(sk[1], buf, sizeof(buf), &x, &none), 2) ||
	    expect_int("its fds", none, 0))
		return 1;
	if (expect_int("kcmp(KCMP_FILE) of the two received fds (0: one file)",
		       syscall(SYS_kcmp, me, me, KCMP_FILE, got[0], got[1]), 0))
		return 1;
	if (write(got[0], "a", 1) != 1 || write(got[1], "b", 1) != 1)
		return fail_errno("write through the received fds");
	close(got[0]);
	close(got[1]);
	return expect_queued("the pipe", p[0], "ab", 2) ||
	       expect_int("the pipe once both received ends are closed (EOF)", read(p[0], buf, 1), 0) ? 1 : pass();
}
