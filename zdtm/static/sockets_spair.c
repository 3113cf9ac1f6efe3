#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a unix stream socketpair keeps the bytes queued in both directions",
	  .flavors = ZDTM_ALL_FLAVORS);

/* The pair still carries new data both ways. */
static int expect_connected(int a, int b)
{
	char c = 0;

	if (write(a, "x", 1) != 1 || read(b, &c, 1) != 1 || c != 'x')
		return fail_errno("a -> b after C/R: read '%c', expected 'x'", c);
	if (write(b, "y", 1) != 1 || read(a, &c, 1) != 1 || c != 'y')
		return fail_errno("b -> a after C/R: read '%c', expected 'y'", c);
	return 0;
}

int main(int argc, char **argv)
{
	static char ab[4096 + 123], ba[777];
	int sk[2];

	test_init(argc, argv);
	datagen(ab, sizeof(ab), 1);
	datagen(ba, sizeof(ba), 2);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sk))
		return fail_errno("socketpair");
	if (write_all(sk[0], ab, sizeof(ab)) || write_all(sk[1], ba, sizeof(ba)))
		return fail_errno("queue data");

	test_daemon();
	test_waitsig();

	if (expect_queued("a -> b queue", sk[1], ab, sizeof(ab)) ||
	    expect_queued("b -> a queue", sk[0], ba, sizeof(ba)) ||
	    expect_connected(sk[0], sk[1]))
		return 1;
	return pass();
}
