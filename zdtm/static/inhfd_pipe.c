#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inhfd.h"
#include "zdtm.h"

ZDTM_TEST(.doc = "a pipe's read end inherited from the runner at fd 3: after a restore that gets a fresh pipe with --inherit-fd, the test reads what the runner writes into it",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "inhfd-pipe");

int main(int argc, char **argv)
{
	const char *msg = ZDTM_INHFD_MESSAGE;
	char buf[256] = "";
	struct stat st;
	int n;

	test_init(argc, argv);
	if (fstat(ZDTM_INHFD_FD, &st) || !S_ISFIFO(st.st_mode))
		return fail("fd %d is not the pipe the runner hands over (run it with zdtm run)", ZDTM_INHFD_FD);
	if (expect_int("the pipe end's access mode", fcntl(ZDTM_INHFD_FD, F_GETFL) & O_ACCMODE, O_RDONLY))
		return 1;

	test_daemon();
	test_waitsig();

	if (fstat(ZDTM_INHFD_FD, &st) || !S_ISFIFO(st.st_mode))
		return fail("fd %d is no pipe after C/R", ZDTM_INHFD_FD);
	if (expect_int("the pipe end's access mode", fcntl(ZDTM_INHFD_FD, F_GETFL) & O_ACCMODE, O_RDONLY))
		return 1;
	/* The runner wrote before SIGTERM: a pipe that is not the runner's holds nothing. */
	if (set_nonblock(ZDTM_INHFD_FD, true))
		return fail_errno("O_NONBLOCK on fd %d", ZDTM_INHFD_FD);
	n = read(ZDTM_INHFD_FD, buf, sizeof(buf) - 1);
	if (n < 0)
		return fail_errno("the runner's message: nothing in the inherited pipe");
	buf[n] = 0;
	if (expect_str("the runner's message", buf, msg))
		return 1;
	return pass();
}
