#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inhfd.h"
#include "zdtm.h"

/* h only: in ns and uns the socket was made in the job's network namespace, not the test's, where
 * criu looks for it ("unix: Unix socket N not found"), as in the original's inhfd set. */
ZDTM_TEST(.doc = "one end of a unix stream socketpair inherited from the runner at fd 3, dumped as --external unix[INO]: after a restore that gets a fresh pair with --inherit-fd, the test reads what the runner sends into it",
	  .flavors = ZDTM_FLAVOR_H, .flags = "inhfd-socket");

/* The inherited fd is a unix stream socket. */
static int check_socket(const char *when)
{
	int domain = -1, type = -1;
	socklen_t len = sizeof(int);
	struct stat st;

	if (fstat(ZDTM_INHFD_FD, &st) || !S_ISSOCK(st.st_mode))
		return fail("%s: fd %d is not the socket the runner hands over (run it with zdtm run)", when,
			    ZDTM_INHFD_FD);
	if (getsockopt(ZDTM_INHFD_FD, SOL_SOCKET, SO_DOMAIN, &domain, &len) ||
	    getsockopt(ZDTM_INHFD_FD, SOL_SOCKET, SO_TYPE, &type, &len))
		return fail_errno("%s: SO_DOMAIN, SO_TYPE of fd %d", when, ZDTM_INHFD_FD);
	return expect_int("the inherited socket's domain", domain, AF_UNIX) ||
	       expect_int("the inherited socket's type", type, SOCK_STREAM);
}

int main(int argc, char **argv)
{
	const char *msg = ZDTM_INHFD_MESSAGE;
	char buf[256] = "";
	int n;

	test_init(argc, argv);
	if (check_socket("before"))
		return 1;

	test_daemon();
	test_waitsig();

	if (check_socket("after C/R"))
		return 1;
	/* The runner sent before SIGTERM: a socket that is not the runner's peer holds nothing. */
	n = recv(ZDTM_INHFD_FD, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	if (n < 0)
		return fail_errno("the runner's message: nothing in the inherited socket");
	buf[n] = 0;
	if (expect_str("the runner's message", buf, msg))
		return 1;
	return pass();
}
