#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "zdtm.h"

/* sk-unix01.c includes this file with IN_DIR (the path's directory is removed too) and its own
 * declaration, sk-unix01-seqpacket.c with TEST_TYPE SOCK_SEQPACKET too. */
#ifndef TEST_TYPE
#define TEST_TYPE SOCK_STREAM
#endif
#ifndef IN_DIR
ZDTM_TEST(.doc = "a unix stream listener whose path was unlinked, with a connection accepted from it and data queued both ways: listener name, connection and data kept, the path still absent",
	  .flavors = ZDTM_ALL_FLAVORS);
#endif

/* The listener's path: NAME.sock, or NAME.d/sock with IN_DIR. */
static const char *sock_path(void)
{
	static char path[108];

#ifdef IN_DIR
	snprintf(path, sizeof(path), "%s/sock", test_path("d"));
#else
	snprintf(path, sizeof(path), "%s", test_path("sock"));
#endif
	return path;
}

static int expect_gone(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0)
		return fail("%s exists again (mode 0%o), expected it to stay removed", path, st.st_mode);
	return errno == ENOENT ? 0 : fail_errno("lstat %s, expected ENOENT", path);
}

int main(int argc, char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char name[sizeof(a)], c = 0;
	int srv, cli, acc;

	test_init(argc, argv);
#ifdef IN_DIR
	if (mkdir(test_path("d"), 0700))
		return fail_errno("mkdir %s", test_path("d"));
#endif
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", sock_path());
	srv = socket(AF_UNIX, TEST_TYPE, 0);
	cli = socket(AF_UNIX, TEST_TYPE, 0);
	if (srv < 0 || cli < 0 || bind(srv, (struct sockaddr *)&a, sizeof(a)) || listen(srv, 1) ||
	    connect(cli, (struct sockaddr *)&a, sizeof(a)) || (acc = accept(srv, NULL, NULL)) < 0)
		return fail_errno("a connection to a listener on %s", a.sun_path);
	if (write(cli, "to-server", 9) != 9 || write(acc, "to-client", 9) != 9)
		return fail_errno("queue data");
	if (unlink(a.sun_path))
		return fail_errno("unlink %s", a.sun_path);
#ifdef IN_DIR
	if (rmdir(test_path("d")))
		return fail_errno("rmdir %s", test_path("d"));
#endif

	test_daemon();
	test_waitsig();

	if (unix_name(srv, false, name, sizeof(name)) || expect_str("the listener's name", name, a.sun_path) ||
	    expect_sockopt("SO_ACCEPTCONN of the listener", srv, SOL_SOCKET, SO_ACCEPTCONN, 1) ||
	    expect_gone(a.sun_path))
		return 1;
	if (expect_queued("client -> server", acc, "to-server", 9) ||
	    expect_queued("server -> client", cli, "to-client", 9))
		return 1;
	if (write(acc, "s", 1) != 1 || read(cli, &c, 1) != 1 || c != 's')
		return fail_errno("a byte after C/R: read '%c', expected 's'", c ? c : '-');
	close(acc);
	if (expect_int("the client's read once the accepted end is closed (EOF)", read(cli, &c, 1), 0))
		return 1;
#ifdef IN_DIR
	if (expect_gone(test_path("d")))   /* last: criu 4.2 brings it back (known failure) */
		return 1;
#endif
	return pass();
}
